"""roles/minio with TLS from roles/pki: HTTPS only, verified with the pki CA, between the nodes
too; the key readable by minio only; a root password with quotes, spaces and backslashes works."""

import json
import os
import uuid
from pathlib import Path

import pytest
import testinfra
import yaml
from s3client import API_USER, ROOT_USER, s3, secret

testinfra_hosts = ["ansible://minio-tls-api"]
NODES = ["minio-tls-1", "minio-tls-2"]
CA = "/etc/ssl/sinpluma-lab-ca.crt"
MOLECULE = yaml.safe_load((Path(__file__).resolve().parents[1] / "molecule.yml").read_text())
# "$$" is molecule's escape for "$" in molecule.yml.
TAIL = MOLECULE["provisioner"]["inventory"]["group_vars"]["minio"]["minio_lab_password_tail"]
TAIL = TAIL.replace("$$", "$")
ADMIN_INFO = """
import json, os
from minio.credentials import StaticProvider
from minio.minioadmin import MinioAdmin
admin = MinioAdmin(endpoint=os.environ["NODE"] + ":9000", secure=True,
                   credentials=StaticProvider(os.environ["ROOT_USER"], os.environ["ROOT_PASSWORD"]))
info = json.loads(admin.info())
print(json.dumps({s["endpoint"]: s["state"] for s in info["servers"]}))
"""


def node(name):
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={os.environ['MOLECULE_INVENTORY_FILE']}")


@pytest.fixture(scope="module")
def password():
    return secret("minio_tls_api")


@pytest.fixture(scope="module")
def root_password():
    return secret("minio_tls_root") + TAIL


def test_the_lab_root_password_has_the_characters_that_need_escaping(root_password):
    assert {'"', " ", "\\", "$", "#", "'"} <= set(root_password)


def test_server_key_is_readable_by_minio_only():
    for name in NODES:
        server = node(name)
        key = server.file("/etc/minio/certs/private.key")
        assert key.linked_to == "/etc/minio/tls/minio.key"
        real = server.file("/etc/minio/tls/minio.key")
        assert (real.user, real.group, real.mode) == ("minio", "minio", 0o640)
        assert server.file("/etc/minio/tls").mode == 0o750
        assert "--certs-dir /etc/minio/certs" in server.check_output("ps -o args= -C minio")


def test_certificates_are_signed_by_the_pki_lab_ca():
    lab_ca = (Path.home() / ".cache" / "sinpluma-lab" / "pki" / "ca.pem").read_text()
    for name in NODES:
        server = node(name)
        assert server.file("/etc/minio/certs/CAs/ca.crt").content_string == lab_ca
        verified = server.run(
            "openssl verify -CAfile /etc/minio/certs/CAs/ca.crt /etc/minio/certs/public.crt"
        )
        assert verified.rc == 0, verified.stdout + verified.stderr


def test_api_user_works_over_verified_https_on_every_node(host, password):
    key = f"sinpluma-images/tls/{uuid.uuid4().hex}.txt"
    assert s3(host, NODES[0], "PUT", key, API_USER, password, data="seguro", cacert=CA)[0] == 200
    assert s3(host, NODES[1], "GET", key, API_USER, password, cacert=CA) == (200, "seguro")
    assert s3(host, NODES[1], "DELETE", key, API_USER, password, cacert=CA)[0] == 204


def test_certificate_is_verified_with_the_pki_ca_only(host):
    for name in NODES:
        live = f"https://{name}:9000/minio/health/live"
        # curl exit 60: the certificate cannot be verified with the system CAs alone.
        assert host.run(f"curl -sS -o /dev/null {live}").rc == 60
        assert host.run(f"curl -sS -o /dev/null --cacert {CA} {live}").rc == 0


def test_plain_http_is_not_served(host):
    for name in NODES:
        result = host.run(f"curl -s -o /dev/null -w '%{{http_code}}' http://{name}:9000/minio/health/live")
        assert result.stdout.strip() != "200"


def test_nodes_talk_tls_to_each_other(root_password):
    env = node(NODES[0]).check_output("cat /etc/default/minio")
    assert 'MINIO_VOLUMES="https://minio-tls-{1...2}:9000/srv/minio/disk{1...2}"' in env
    # Each node's admin API reports both servers online: they reached each other over HTTPS.
    for name in NODES:
        out = node(name).check_output(
            "SSL_CERT_FILE=%s NODE=%s ROOT_USER=%s ROOT_PASSWORD=%s /opt/minio-sdk/bin/python -c %s",
            "/etc/minio/tls/ca.pem",
            name,
            ROOT_USER,
            root_password,
            ADMIN_INFO,
        )
        assert json.loads(out) == {f"{n}:9000": "online" for n in NODES}


def test_minio_runs_with_exactly_the_root_password(root_password):
    server = node(NODES[0])
    pid = server.check_output("systemctl show -p MainPID --value minio")
    environ = server.check_output("tr '\\0' '\\n' < /proc/%s/environ", pid).splitlines()
    assert f"MINIO_ROOT_PASSWORD={root_password}" in environ


def test_root_login_accepts_exactly_that_password(host, root_password):
    admin = "minio/admin/v3/list-users"
    assert s3(host, NODES[1], "GET", admin, ROOT_USER, root_password, cacert=CA)[0] == 200
    assert s3(host, NODES[1], "GET", admin, ROOT_USER, root_password.rstrip("\\"), cacert=CA)[0] == 403
