"""roles/minio, single node single drive: the service, its secrets, S3 access and the firewall."""

import os
import uuid

import pytest
import testinfra
from s3client import API_USER, ROOT_USER, can_connect, s3, secret

testinfra_hosts = ["ansible://minio-sn-1"]
SERVER = "minio-sn-1"


def lab_host(name):
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={os.environ['MOLECULE_INVENTORY_FILE']}")


@pytest.fixture(scope="module")
def api():
    return lab_host("minio-sn-api")


@pytest.fixture(scope="module")
def other():
    return lab_host("minio-sn-other")


@pytest.fixture(scope="module")
def api_password():
    return secret("minio_api")


def test_service_runs_as_minio_under_a_hardened_unit(host):
    service = host.service("minio")
    assert service.is_running and service.is_enabled
    props = dict(
        line.split("=", 1)
        for line in host.check_output(
            "systemctl show minio -p User -p NoNewPrivileges -p ProtectSystem -p ProtectHome -p PrivateTmp"
        ).splitlines()
    )
    assert props == {
        "User": "minio",
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
    }
    assert host.check_output("ps -o user= -C minio").split() == ["minio"]


def test_environment_file_is_root_only(host):
    env = host.file("/etc/default/minio")
    assert (env.user, env.group, env.mode) == ("root", "root", 0o600)
    assert 'MINIO_VOLUMES="/srv/minio/disk1"' in host.check_output("cat /etc/default/minio")


def test_root_password_is_in_no_world_readable_file(host):
    password = secret("minio_root")
    # The search works: the password is in the (root-only) environment file.
    assert host.run("grep -qF -e %s /etc/default/minio", password).rc == 0
    found = host.run(
        "find / /run /tmp -xdev -type f -perm -o=r -size -50M -print0 2>/dev/null"
        " | xargs -0 grep -lF -e %s 2>/dev/null",
        password,
    )
    assert found.stdout.strip() == ""


def test_api_user_puts_gets_and_deletes_in_its_bucket(api, api_password):
    key = f"sinpluma-images/verify/{uuid.uuid4().hex}.txt"
    assert s3(api, SERVER, "PUT", key, API_USER, api_password, data="hola")[0] == 200
    assert s3(api, SERVER, "GET", key, API_USER, api_password) == (200, "hola")
    assert s3(api, SERVER, "DELETE", key, API_USER, api_password)[0] == 204
    assert s3(api, SERVER, "GET", key, API_USER, api_password)[0] == 404


def test_api_user_is_refused_on_another_bucket(api, api_password):
    status, body = s3(api, SERVER, "PUT", "sinpluma-backups/x.txt", API_USER, api_password, data="no")
    assert (status, "AccessDenied" in body) == (403, True)
    assert s3(api, SERVER, "GET", "sinpluma-backups/?list-type=2", API_USER, api_password)[0] == 403


def test_api_user_is_refused_on_admin_calls(api, api_password):
    # The same call with the root credentials works, so the refusal is the policy's doing.
    assert s3(api, SERVER, "GET", "minio/admin/v3/list-users", ROOT_USER, secret("minio_root"))[0] == 200
    assert s3(api, SERVER, "GET", "minio/admin/v3/list-users", API_USER, api_password)[0] == 403
    assert s3(api, SERVER, "PUT", "sinpluma-images?versioning", API_USER, api_password)[0] == 403


def test_image_bucket_has_versioning_and_lifecycle(api):
    root = secret("minio_root")
    status, body = s3(api, SERVER, "GET", "sinpluma-images?versioning", ROOT_USER, root)
    assert status == 200 and "<Status>Enabled</Status>" in body
    status, body = s3(api, SERVER, "GET", "sinpluma-images?lifecycle", ROOT_USER, root)
    assert status == 200 and "<ID>expire-tmp</ID>" in body and "<Days>1</Days>" in body


def test_api_host_reaches_minio_and_other_host_does_not(api, other):
    assert can_connect(api, SERVER, 9000)
    assert not can_connect(other, SERVER, 9000)


def test_console_is_off_and_unreachable(host, api):
    assert not host.socket("tcp://0.0.0.0:9001").is_listening
    assert not can_connect(api, SERVER, 9001)
