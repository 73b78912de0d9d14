"""Helpers shared by the redis-ha verify tests: lab secrets, redis-cli as admin on lab hosts,
replication and Sentinel state, and playbook runs against the scenario's hosts."""

import os
import shlex
import subprocess
import time
from pathlib import Path

import pytest
import testinfra

REDIS_HOSTS = ["redis-ha-1", "redis-ha-2", "redis-ha-3"]
API_HOST = "redis-ha-api"
SECRETS = Path(os.environ.get("HOME", "/root")) / ".cache" / "sinpluma-lab" / "secrets" / "redis-ha"
SERVICE = "sinpluma"
ROOT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
SCENARIO = Path(__file__).resolve().parents[1]


def secret(name):
    """A password of the scenario (the lab's `password` lookup file may carry ` salt=...`)."""
    return (SECRETS / name).read_text().split(" salt=", 1)[0].strip()


def lab_host(name):
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={os.environ['MOLECULE_INVENTORY_FILE']}")


def cli(*args, user="admin", password=None, host="127.0.0.1", port=6379):
    """A shell command running redis-cli as `user` (password in the environment, never an argument)."""
    password = secret("redis_admin") if password is None else password
    words = ["redis-cli", "-h", host, "-p", str(port), "--no-auth-warning", "--user", user]
    return f"REDISCLI_AUTH={shlex.quote(password)} {shlex.join(words + [str(a) for a in args])}"


def admin(host, *args, port=6379):
    return host.run(cli(*args, port=port))


def info(host, section="replication"):
    lines = admin(host, "INFO", section).stdout.splitlines()
    return dict(line.strip().split(":", 1) for line in lines if ":" in line)


def address(host):
    return host.check_output("hostname -I").split()[0]


def primaries(names):
    return [n for n in names if info(lab_host(n)).get("role") == "master"]


def sentinel_master(name):
    reply = admin(lab_host(name), "SENTINEL", "MASTER", SERVICE, port=26379).stdout.splitlines()
    return dict(zip(reply[::2], reply[1::2], strict=False))


def wait_until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(1)
    pytest.fail(f"{what} within {timeout} s")


def set_is_whole():
    """One primary with two linked replicas, and every Sentinel names it with both replicas and
    the two other Sentinels, none flagged down."""
    found = primaries(REDIS_HOSTS)
    if len(found) != 1:
        return False
    primary = address(lab_host(found[0]))
    for name in REDIS_HOSTS:
        if name != found[0]:
            replica = info(lab_host(name))
            if replica.get("master_link_status") != "up" or replica.get("master_host") != primary:
                return False
        state = sentinel_master(name)
        if (state.get("ip"), state.get("flags")) != (primary, "master"):
            return False
        if state.get("num-slaves") != "2" or state.get("num-other-sentinels") != "2":
            return False
    return True


def playbook(name, *extra):
    """Run a playbook of this scenario with the repository's Ansible settings against the
    scenario's hosts; returns (rc, output)."""
    env = {
        **os.environ,
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_ROLES_PATH": str(ROOT / "roles"),
        "ANSIBLE_NOCOLOR": "1",
        # Fresh facts only: the repository's jsonfile cache may hold an older lab host's addresses.
        "ANSIBLE_CACHE_PLUGIN": "memory",
        "ANSIBLE_GATHERING": "implicit",
    }
    result = subprocess.run(
        ["ansible-playbook", "-i", os.environ["MOLECULE_INVENTORY_FILE"], str(SCENARIO / name), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr
