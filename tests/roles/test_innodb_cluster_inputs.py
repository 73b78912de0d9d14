"""Bad inputs stop roles/innodb_cluster at its first task, before any host is contacted.

The inventory's hosts are lab-host names that do not exist: had validation let anything through,
the next task would fail as "unreachable" instead of with the validation message.
"""

import pytest

from lab import role_play

GROUP_NAME = "7f3c2a10-5d4e-4b8a-9c61-2e0f5a7b9d13"


def run_role(tmp_path, members, extra_vars, host_vars=None):
    hosts = {name: (host_vars or {}).get(name, {}) for name in members}
    variables = {
        "innodb_cluster_group_name": GROUP_NAME,
        "innodb_cluster_admin_password": "from-the-vault-1",
        "innodb_cluster_recovery_password": "from-the-vault-2",
        **extra_vars,
    }
    return role_play.run_role(tmp_path, "innodb_cluster", "innodb_cluster", hosts, variables)


def members(count):
    return [f"nowhere-db{i}" for i in range(1, count + 1)]


@pytest.mark.parametrize(
    ("count", "extra", "host_vars", "message"),
    [
        (10, {}, None, "at most 9"),
        (2, {}, None, "innodb_cluster_allow_fewer_than_three"),
        (3, {"innodb_cluster_recovery_password": ""}, None, "missing secrets"),
        (3, {"innodb_cluster_seed": "elsewhere"}, None, "seed 'elsewhere' is not one of the members"),
        (3, {}, {"nowhere-db3": {"innodb_cluster_report_host": "nowhere-db1"}}, "report_host must be unique"),
        (3, {"innodb_cluster_group_name": "not-a-uuid"}, None, "must be a UUID"),
    ],
)  # fmt: skip
def test_bad_input_fails_before_any_host_is_touched(tmp_path, count, extra, host_vars, message):
    rc, output = run_role(tmp_path, members(count), extra, host_vars)
    assert rc != 0
    assert message in output, output[-3000:]
    assert "UNREACHABLE" not in output, "a host was contacted before validation stopped the play"


def test_even_member_count_warns_and_carries_on(tmp_path):
    rc, output = run_role(tmp_path, members(4), {})
    assert rc != 0
    assert "even count" in output
    assert "UNREACHABLE" in output  # validation passed; the next task tried the (missing) hosts
