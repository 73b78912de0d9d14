"""Static checks of the whole repository; each must report zero violations."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHECKS = {
    "yamllint": ["yamllint", "--strict", "."],
    "ansible-lint": ["ansible-lint", "--offline", "--profile", "production", "--nocolor"],
    "ruff-check": ["ruff", "check", "."],
    "ruff-format": ["ruff", "format", "--check", "."],
}


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_zero_violations(name):
    result = subprocess.run(CHECKS[name], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (
        f"{name} found violations:\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
    )
