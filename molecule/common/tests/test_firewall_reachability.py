"""From a client host: the declared port of the server answers, the undeclared one does not."""

import os

import pytest
import testinfra

testinfra_hosts = ["ansible://common-bookworm", "ansible://common-trixie"]

CONNECT = "import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=3)"
PROBE = "python3 -c '" + CONNECT + "' {} {}"


@pytest.fixture(scope="module")
def server():
    return testinfra.get_host(
        "ansible://common-sid?ansible_inventory=" + os.environ["MOLECULE_INVENTORY_FILE"]
    )


def test_undeclared_port_listens_on_the_server(server):
    # The server itself reaches 8080, so a refusal from a client is the firewall's doing.
    assert server.run(PROBE.format("127.0.0.1", 8080)).rc == 0


def test_declared_port_is_reachable(host):
    result = host.run(PROBE.format("common-sid", 8081))
    assert result.rc == 0, result.stderr


def test_undeclared_port_is_unreachable(host):
    result = host.run(PROBE.format("common-sid", 8080))
    assert result.rc != 0
    assert "timed out" in result.stderr
