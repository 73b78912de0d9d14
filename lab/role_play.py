"""Run one role against an inventory of hosts that do not exist, as the role input tests do: a
bad input must stop the role at its checks, before any host is contacted (had the checks let it
through, the next task would fail as "unreachable" instead of with the check's message)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_role(
    workdir: Path, role: str, group: str, hosts: dict[str, dict], variables: dict
) -> tuple[int, str]:
    """ansible-playbook of `role` on `group` (hosts → their host variables) with `variables` as
    extra vars, in a clean environment; returns (rc, output)."""
    inventory = {"all": {"children": {group: {"hosts": {
        name: {"ansible_connection": "docker", **host_vars} for name, host_vars in hosts.items()
    }}}}}  # fmt: skip
    (workdir / "inventory.json").write_text(json.dumps(inventory))
    (workdir / "play.yml").write_text(f"- hosts: {group}\n  gather_facts: false\n  roles:\n    - {role}\n")
    (workdir / "vars.json").write_text(json.dumps(variables))
    result = subprocess.run(
        ["ansible-playbook", "-i", str(workdir / "inventory.json"), str(workdir / "play.yml"),
         "-e", f"@{workdir / 'vars.json'}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "HOME": str(Path.home()),
             "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1"},
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr
