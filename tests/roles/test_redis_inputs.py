"""Passwords roles/redis cannot write safely stop the role at its first task, before any host is
contacted, with a message naming the variable and never the value.

The inventory's hosts are lab-host names that do not exist: had validation let anything through,
the gathering of facts would fail as "unreachable" instead of with the validation message.
"""

import pytest

from lab import role_play

HOSTS = ["nowhere-redis1", "nowhere-redis2", "nowhere-redis3"]
GOOD = {
    "redis_admin_password": "admin-from-the-vault-1",
    "redis_api_password": "api-from-the-vault-12",
    "redis_replication_password": "replica-from-the-vault",
    "redis_sentinel_password": "sentinel-from-the-vault",
    "redis_ha_enabled": True,
    "redis_bind_addresses": ["127.0.0.1"],
}
# A `"` and a space: Sentinel writes auth-pass unquoted into its runtime file.
QUOTED = 'has "quotes" and spaces 0123456789'


def run_role(tmp_path, extra_vars):
    hosts = {name: {} for name in HOSTS}
    return role_play.run_role(tmp_path, "redis", "redis", hosts, {**GOOD, **extra_vars})


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("redis_admin_password", QUOTED),
        ("redis_api_password", QUOTED),
        ("redis_replication_password", QUOTED),
        ("redis_sentinel_password", QUOTED),
        ("redis_sentinel_password", "back\\slash-0123456789"),
        ("redis_api_password", "new\nline-0123456789"),
        ("redis_api_previous_passwords", [QUOTED]),
    ],
)
def test_unsafe_password_fails_before_any_host_is_touched(tmp_path, variable, value):
    rc, output = run_role(tmp_path, {variable: value})
    assert rc != 0
    assert "quotes or backslashes" in output, output[-3000:]
    assert f"{variable}{'[0]' if isinstance(value, list) else ''} must not contain" in output, output[-3000:]
    assert "0123456789" not in output and "and spaces" not in output, "the password was shown"
    assert "UNREACHABLE" not in output, "a host was contacted before validation stopped the play"


def test_valid_inputs_pass_validation(tmp_path):
    # Validation passed; the next task needs the facts this play (gather_facts: false) lacks.
    rc, output = run_role(tmp_path, {})
    assert rc != 0
    assert "inputs are invalid" not in output, output[-3000:]
    assert "Refuse an unsupported operating system" in output, output[-3000:]
