"""Declarations that change the live firewall: one nft rejects never reaches the live tree (the
running ruleset and the files on disk stay as they were, and the next boot loads them); a service
switched off withdraws its declaration, and a client that reached the port a moment ago is
refused until converge.yml declares it again."""

import os
import sys
from pathlib import Path

import testinfra

testinfra_hosts = ["ansible://common-sid"]

ROOT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
SCENARIO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lab.molecule_play import run_playbook  # noqa: E402

PROBE = "python3 -c 'import socket; socket.create_connection((\"common-sid\", 8081), timeout=3)'"


def playbook(name):
    return run_playbook(SCENARIO / name, timeout=600)


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
