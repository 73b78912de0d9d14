"""Every Molecule scenario under molecule/, run as `molecule test` (create, converge,
idempotence, check mode, verify, destroy). Each scenario's full log lands in
.cache/molecule-logs/. The check step (--check on the converged hosts) must report no change.
A scenario with a `.wip` file (its text says why) is reported as skipped."""

import os
import subprocess
from pathlib import Path

import pytest

from lab.molecule_log import changed_hosts

ROOT = Path(__file__).resolve().parents[2]
LOGS = ROOT / ".cache" / "molecule-logs"
SCENARIOS = sorted(p.parent.name for p in (ROOT / "molecule").glob("*/molecule.yml"))


@pytest.mark.molecule
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_scenario(scenario):
    wip = ROOT / "molecule" / scenario / ".wip"
    if wip.exists():
        pytest.skip(f"scenario marked work in progress: {wip.read_text().strip()}")
    LOGS.mkdir(parents=True, exist_ok=True)
    log = LOGS / f"{scenario}.log"
    env = {**os.environ, "NO_COLOR": "1", "PY_COLORS": "0", "ANSIBLE_NOCOLOR": "1"}
    with log.open("w") as handle:
        result = subprocess.run(
            ["molecule", "test", "-s", scenario], cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, env=env
        )
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-80:])
    assert result.returncode == 0, f"molecule test -s {scenario} failed (full log: {log}):\n{tail}"
    # Molecule passes a check step whatever it reports; a converged host must need no change.
    changed = changed_hosts(log.read_text(errors="replace"), "check")
    assert not changed, f"molecule check -s {scenario} would change {changed} on converged hosts (log: {log})"
