"""A missing password, an invalid ACL rule or a setting Redis rejects fails before the service is
touched: the role's files and the running redis-server (same PID) are unchanged after the failed run."""

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

testinfra_hosts = ["ansible://redis-sa-bookworm"]

ROOT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
PLAYBOOK = Path(__file__).resolve().parents[1] / "bad_input.yml"
WATCHED = ["/etc/redis/sinpluma/redis.conf", "/etc/redis/sinpluma/users.acl", "/etc/redis/redis-runtime.conf"]


def state(host):
    sums = host.check_output("sha256sum " + " ".join(WATCHED))
    return sums, host.check_output("systemctl show -P MainPID redis-server")


def run_role(tmp_path, extra_vars, inventory=None):
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_ROLES_PATH": str(ROOT / "roles"),
        "ANSIBLE_NOCOLOR": "1",
        # Fresh facts only: the repository's jsonfile cache may hold an older lab host's addresses.
        "ANSIBLE_CACHE_PLUGIN": "memory",
        "ANSIBLE_GATHERING": "implicit",
        "ANSIBLE_FORCE_COLOR": "0",
    }
    varfile = tmp_path / "vars.json"
    varfile.write_text(json.dumps(extra_vars))
    command = ["ansible-playbook", "-i", inventory or os.environ["MOLECULE_INVENTORY_FILE"], str(PLAYBOOK)]
    command += ["-e", f"@{varfile}"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    return result.returncode, result.stdout + result.stderr


def bare_inventory(tmp_path):
    """The Redis host with none of the scenario's secrets: passwords really are missing."""
    inventory = tmp_path / "inventory.yml"
    hosts = {"redis-sa-bookworm": {"ansible_connection": "docker"}}
    inventory.write_text(
        yaml.safe_dump({"all": {"children": {"redis": {"hosts": hosts}, "api": {"hosts": {}}}}})
    )
    return str(inventory)


@pytest.mark.parametrize(
    ("case", "extra_vars", "bare", "message"),
    [
        (
            "no passwords at all",
            {},
            True,
            "missing required arguments: redis_admin_password, redis_api_password",
        ),
        (
            "empty API password",
            {"redis_api_password": ""},
            False,
            "user 'api': password is missing (set redis_api_password, from the vault)",
        ),
        (
            "malformed ACL rule",
            {"redis_api_commands": ["+get", "+set revoked:*"]},
            False,
            "ACL rule '+set revoked:*' is not a command rule",
        ),
        (
            "category that does not exist",
            {"redis_api_commands": ["+get", "+@everything"]},
            False,
            "ACL rule '+@everything' names an unknown category",
        ),
        (
            "command Redis does not know (caught by Redis' own parser)",
            {"redis_api_commands": ["+get", "+gett"]},
            False,
            "Unknown command or category name in ACL",
        ),
        (
            "setting Redis rejects (caught by Redis' own parser)",
            {"redis_save": "3600"},
            False,
            "FATAL CONFIG FILE ERROR",
        ),
    ],
)
def test_bad_input_fails_before_the_service_is_touched(host, tmp_path, case, extra_vars, bare, message):
    before = state(host)
    rc, output = run_role(tmp_path, extra_vars, bare_inventory(tmp_path) if bare else None)
    assert rc != 0, f"{case}: the role accepted it"
    assert message in output, f"{case}: expected {message!r} in:\n{output[-3000:]}"
    assert state(host) == before, f"{case}: Redis files or process changed"
