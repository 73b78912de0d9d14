"""roles/redis operations over probe results (module_utils/redis_ops.py), without a server."""

import pytest
from ansible_collections.sinpluma.toolkit.plugins.module_utils.redis_ops import (
    accepted_password_index,
    probed_role,
    restart_order,
    sentinel_auth_changes,
    sentinel_runtime_auth,
)

ROLE_MASTER = {"rc": 0, "stdout": 'master\n0\n1) 1) "10.0.0.2"', "stderr": ""}
ROLE_SLAVE = {"rc": 0, "stdout": "slave\n10.0.0.1\n6379\nconnected\n100", "stderr": ""}
WRONGPASS = {"rc": 0, "stdout": "AUTH failed: WRONGPASS invalid username-password pair", "stderr": ""}
REFUSED = {
    "rc": 1,
    "stdout": "",
    "stderr": "Could not connect to Redis at 127.0.0.1:6379: Connection refused",
}
NOT_CONFIGURED = {
    "rc": 0,
    "stdout": "skipped, since /etc/redis/sinpluma/users.acl does not exist",
    "stderr": "",
}


@pytest.mark.parametrize(
    ("results", "index", "role"),
    [
        ([ROLE_MASTER], 0, "master"),
        ([WRONGPASS, ROLE_SLAVE], 1, "slave"),
        ([WRONGPASS, WRONGPASS, ROLE_MASTER], 2, "master"),
        ([WRONGPASS, WRONGPASS], -2, ""),
        ([REFUSED, REFUSED], -1, ""),
        ([NOT_CONFIGURED], -1, ""),
        ([], -1, ""),
    ],
)
def test_accepted_password_and_role(results, index, role):
    assert accepted_password_index(results) == index
    assert probed_role(results) == role


def test_restart_order_puts_the_primary_last_and_skips_the_rest():
    hosts = ["r1", "r2", "r3", "r4"]
    roles = {"r1": "master", "r2": "slave", "r3": "slave", "r4": "slave"}
    needs = {"r1": True, "r2": True, "r3": False, "r4": True}
    assert restart_order(hosts, roles, needs) == ["r2", "r4", "r1"]
    assert restart_order(hosts, {}, {"r3": True, "r1": True}) == ["r1", "r3"]
    assert restart_order(hosts, roles, {}) == []


RUNTIME = """sentinel myid 0123
sentinel monitor sinpluma 10.0.0.1 6379 2
sentinel auth-user sinpluma sentinel
sentinel auth-pass sinpluma Current0123456789
sentinel sentinel-user sentinel
sentinel sentinel-pass Current0123456789
sentinel auth-pass other Elsewhere0123456789
"""


def test_sentinel_runtime_auth_reads_only_the_service():
    assert sentinel_runtime_auth(RUNTIME, "sinpluma") == {
        "auth-pass": "Current0123456789",
        "sentinel-pass": "Current0123456789",
    }


def test_sentinel_auth_changes_names_only_what_differs():
    assert sentinel_auth_changes(RUNTIME, "sinpluma", "Current0123456789") == []
    assert sentinel_auth_changes(RUNTIME, "sinpluma", "Rotated0123456789") == ["auth-pass", "sentinel-pass"]
    half = RUNTIME.replace("sentinel-pass Current0123456789", "sentinel-pass Rotated0123456789")
    assert sentinel_auth_changes(half, "sinpluma", "Rotated0123456789") == ["auth-pass"]
    assert sentinel_auth_changes("", "sinpluma", "Rotated0123456789") == ["auth-pass", "sentinel-pass"]
