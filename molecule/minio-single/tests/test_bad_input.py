"""Bad inputs stop roles/minio before it changes any host, with a message that says why."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

testinfra_hosts = ["ansible://minio-sn-1"]
SCENARIO = Path(__file__).resolve().parents[1]
PROJECT = SCENARIO.parents[1]


def run_role(inventory, *extra):
    playbook = Path(sys.executable).parent / "ansible-playbook"
    result = subprocess.run(
        [str(playbook), "-i", str(inventory), str(SCENARIO / "bad_input.yml"), *extra],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        env={**os.environ, "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0"},
        timeout=600,
        check=False,
    )
    recap = dict(re.findall(r"^(\S+)\s+: ok=\d+\s+changed=(\d+)", result.stdout, re.MULTILINE))
    return result.returncode, result.stdout + result.stderr, recap


@pytest.fixture(scope="module")
def inventory():
    return os.environ["MOLECULE_INVENTORY_FILE"]


def test_drive_count_erasure_coding_cannot_use(host, inventory):
    drives = [f"/srv/minio/bad{i}" for i in range(1, 18)]
    rc, output, recap = run_role(inventory, "-e", json.dumps({"minio_drives": drives}))
    assert rc != 0
    assert "17 drives in total cannot be split into erasure sets" in output
    assert recap and set(recap.values()) == {"0"}, output[-3000:]
    assert not host.file("/srv/minio/bad1").exists


def test_empty_root_password(host, inventory):
    rc, output, recap = run_role(inventory, "-e", "minio_root_password=''")
    assert rc != 0
    assert "minio_root_password is not set" in output
    assert recap and set(recap.values()) == {"0"}


def test_missing_root_password(tmp_path):
    # The scenario's hosts, without the scenario's variables (so no root password at all).
    hosts = {"all": {"children": {"minio": {"hosts": {"minio-sn-1": {"ansible_connection": "docker"}}}}}}
    bare = tmp_path / "inventory.yml"
    bare.write_text(yaml.safe_dump(hosts))
    rc, output, recap = run_role(bare)
    assert rc != 0
    assert "missing required arguments: minio_root_password" in output
    assert recap == {"minio-sn-1": "0"}
