"""Bad inputs stop roles/innodb_cluster at its first task, before any host is contacted.

The inventory's hosts are lab-host names that do not exist: had validation let anything through,
the next task would fail as "unreachable" instead of with the validation message.
"""

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GROUP_NAME = "7f3c2a10-5d4e-4b8a-9c61-2e0f5a7b9d13"
PLAY = """
- hosts: innodb_cluster
  gather_facts: false
  roles:
    - innodb_cluster
"""


def run_role(tmp_path, members, extra_vars, host_vars=None):
    hosts = {name: {"ansible_connection": "docker", **(host_vars or {}).get(name, {})} for name in members}
    inventory = {"all": {"children": {"innodb_cluster": {"hosts": hosts}}}}
    (tmp_path / "inventory.json").write_text(json.dumps(inventory))
    (tmp_path / "play.yml").write_text(PLAY)
    variables = {
        "innodb_cluster_group_name": GROUP_NAME,
        "innodb_cluster_admin_password": "from-the-vault-1",
        "innodb_cluster_recovery_password": "from-the-vault-2",
        **extra_vars,
    }
    result = subprocess.run(
        ["ansible-playbook", "-i", str(tmp_path / "inventory.json"), str(tmp_path / "play.yml"),
         "-e", json.dumps(variables)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={"PATH": str(ROOT / ".venv" / "bin") + ":/usr/bin:/bin", "HOME": str(Path.home()),
             "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1"},
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


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
