"""A service switched off withdraws its declaration: the file goes, nftables reloads, and a
client that reached the port a moment ago is refused. converge.yml then declares it again."""

import os
import subprocess
from pathlib import Path

import testinfra

testinfra_hosts = ["ansible://common-sid"]

ROOT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
SCENARIO = Path(__file__).resolve().parents[1]
PROBE = "python3 -c 'import socket; socket.create_connection((\"common-sid\", 8081), timeout=3)'"


def playbook(name):
    inventory = Path(os.environ["MOLECULE_INVENTORY_FILE"]).parent
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1"}
    result = subprocess.run(
        ["ansible-playbook", "-i", str(inventory), str(SCENARIO / name)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


def test_withdrawn_declaration_closes_the_port_again(host):
    client = testinfra.get_host(
        "ansible://common-trixie?ansible_inventory=" + os.environ["MOLECULE_INVENTORY_FILE"]
    )
    assert client.run(PROBE).rc == 0
    try:
        rc, output = playbook("withdraw_declaration.yml")
        assert rc == 0, output[-3000:]
        assert not host.file("/etc/nftables.d/probe.nft").exists
        assert "8081" not in host.check_output("nft list table inet sinpluma")
        refused = client.run(PROBE)
        assert refused.rc != 0 and "timed out" in refused.stderr
    finally:
        rc, output = playbook("converge.yml")
    assert rc == 0, output[-3000:]
    assert client.run(PROBE).rc == 0
