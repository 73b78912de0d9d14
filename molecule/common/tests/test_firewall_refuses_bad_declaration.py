"""A declaration nft rejects never reaches the live tree: the running ruleset and the files on
disk stay as they were, and the next boot loads them."""

import os
import subprocess
from pathlib import Path

testinfra_hosts = ["ansible://common-sid"]

ROOT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
SCENARIO = Path(__file__).resolve().parents[1]


def playbook(name):
    inventory = Path(os.environ["MOLECULE_INVENTORY_FILE"]).parent
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1"}
    result = subprocess.run(
        ["ansible-playbook", "-i", str(inventory), str(SCENARIO / name)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


def test_bad_declaration_is_refused_and_nothing_changes(host):
    ruleset = host.check_output("nft list table inet sinpluma")
    files = host.check_output("ls /etc/nftables.d")
    rc, output = playbook("bad_declaration.yml")
    assert rc != 0
    assert "comment too long" in output
    assert host.check_output("nft list table inet sinpluma") == ruleset
    assert host.check_output("ls /etc/nftables.d") == files
    # What the next boot or reload loads is still valid.
    assert host.run("nft -c -f /etc/nftables.conf").rc == 0
