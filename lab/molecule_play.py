"""Run a playbook against a Molecule scenario's hosts from its verify tests, with the
repository's Ansible settings: the drills that change a converged scenario (a bad declaration,
a withdrawn one, a refused configuration) go through this one runner."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_playbook(
    playbook: Path, *extra: str, json_results: bool = False, timeout: float = 1800
) -> tuple[int, str]:
    """ansible-playbook `playbook` on the scenario's inventory (MOLECULE_INVENTORY_FILE) with
    `extra` arguments; returns (rc, stdout + stderr). json_results: task results as one-line JSON,
    so a test can match messages as the role wrote them."""
    inventory = Path(os.environ["MOLECULE_INVENTORY_FILE"]).parent
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1"}
    if json_results:
        env["ANSIBLE_CALLBACK_RESULT_FORMAT"] = "json"
    result = subprocess.run(
        ["ansible-playbook", "-i", str(inventory), str(playbook), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr
