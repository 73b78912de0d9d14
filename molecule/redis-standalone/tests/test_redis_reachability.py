"""The firewall lets the API host reach Redis and keeps every other host out."""

import os

import pytest
import testinfra
from redis_lab import SECRETS, cli, secret, tcp_probe

SERVERS = ["redis-sa-bookworm", "redis-sa-trixie"]
LAB_CA = SECRETS.parent / "pki" / "ca.pem"
CA_ON_CLIENT = "/etc/ssl/certs/sinpluma-lab-redis-ca.pem"


def lab_host(name):
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={os.environ['MOLECULE_INVENTORY_FILE']}")


@pytest.fixture(scope="module")
def api_host():
    host = lab_host("redis-sa-api")
    # The API host trusts the lab CA the way the API role will (roles/pki).
    host.ansible("copy", f"src={LAB_CA} dest={CA_ON_CLIENT} mode=0644", check=False)
    return host


@pytest.mark.parametrize("server", SERVERS)
def test_server_listens_on_its_private_address(server):
    # The server reaches its own private address, so a refused outsider is the firewall's doing.
    host = lab_host(server)
    address = host.check_output("hostname -I").split()[0]
    assert host.run(tcp_probe(address, 6379)).rc == 0


@pytest.mark.parametrize("server", SERVERS)
def test_api_host_reaches_redis_as_the_api_user(api_host, server):
    command = cli(server, "PING", user="api", password=secret("redis_api"), host=server, ca=CA_ON_CLIENT)
    result = api_host.run(command)
    assert result.stdout.strip() == "PONG", result.stderr


@pytest.mark.parametrize("server", SERVERS)
def test_outsider_cannot_reach_redis(server):
    result = lab_host("redis-sa-outsider").run(tcp_probe(server, 6379))
    assert result.rc != 0
    assert "timed out" in result.stderr
