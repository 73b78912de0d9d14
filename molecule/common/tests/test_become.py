"""The role as ops run it on real hosts: logged in as a non-root user, privileges through sudo
(plays use become: true). A converged host must need no change."""

import os
import re
import sys
from pathlib import Path

testinfra_hosts = ["ansible://common-sid"]

ROOT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
SCENARIO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lab.molecule_play import run_playbook  # noqa: E402


def test_converge_as_a_sudo_user_changes_nothing(host):
    assert host.run("id -u ops").rc == 0
    rc, output = run_playbook(
        SCENARIO / "converge.yml", "-e", "ansible_user=ops", "-e", "ansible_become_method=sudo", timeout=900
    )
    assert rc == 0, output[-4000:]
    recaps = re.findall(r"^(\S+)\s+: ok=\d+\s+changed=(\d+)", output, re.M)
    assert len(recaps) == 3, output[-2000:]
    assert all(changed == "0" for _, changed in recaps), recaps
    # The tasks really ran as ops, through sudo.
    assert "ops" in host.run("journalctl _COMM=sudo --no-pager -o cat | tail -5").stdout
