"""roles/minio with TLS: HTTPS only, verified with the lab CA, and the key kept private."""

import os
import uuid

import pytest
import testinfra
from s3client import API_USER, s3, secret

testinfra_hosts = ["ansible://minio-tls-api"]
SERVER = "minio-tls-1"
CA = "/etc/ssl/sinpluma-lab-ca.crt"
LIVE = f"https://{SERVER}:9000/minio/health/live"


@pytest.fixture(scope="module")
def password():
    return secret("minio_api")


@pytest.fixture(scope="module")
def server():
    return testinfra.get_host(f"ansible://{SERVER}?ansible_inventory={os.environ['MOLECULE_INVENTORY_FILE']}")


def test_server_key_is_private_to_minio(server):
    key = server.file("/etc/minio/certs/private.key")
    assert (key.user, key.mode) == ("minio", 0o600)
    assert "--certs-dir /etc/minio/certs" in server.check_output("ps -o args= -C minio")


def test_api_user_works_over_verified_https(host, password):
    key = f"sinpluma-images/tls/{uuid.uuid4().hex}.txt"
    assert s3(host, SERVER, "PUT", key, API_USER, password, data="seguro", cacert=CA)[0] == 200
    assert s3(host, SERVER, "GET", key, API_USER, password, cacert=CA) == (200, "seguro")
    assert s3(host, SERVER, "DELETE", key, API_USER, password, cacert=CA)[0] == 204


def test_certificate_is_verified_with_the_lab_ca_only(host):
    # curl exit 60: the certificate cannot be verified with the system CAs alone.
    assert host.run(f"curl -sS -o /dev/null {LIVE}").rc == 60
    assert host.run(f"curl -sS -o /dev/null --cacert {CA} {LIVE}").rc == 0


def test_plain_http_is_not_served(host):
    result = host.run(f"curl -s -o /dev/null -w '%{{http_code}}' http://{SERVER}:9000/minio/health/live")
    assert result.stdout.strip() != "200"
