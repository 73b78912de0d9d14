#!/usr/bin/env python3
"""No-op re-run of a playbook on a converged lab under Mitogen's strategy and under Ansible's
linear strategy, alternating, side by side in one run; prints each wall time, the medians and
their ratio, and the machine.

    python bench/noop_strategy.py                       # playbooks/database.yml on the lab, 3 runs each
    python bench/noop_strategy.py --playbook playbooks/site.yml --runs 2

Needs a converged lab (`make lab`). Both strategies use the toolkit's ansible.cfg otherwise
(pipelining, forks, fact cache); only ANSIBLE_STRATEGY differs. A run that reports a change or
fails is printed and stops the bench: a no-op must be a no-op.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.machine import describe as describe_machine  # noqa: E402

STRATEGIES = {"mitogen_linear": "mitogen_linear", "linear": "linear"}


def changed_total(output: str) -> int:
    """Sum of changed= over the play recap."""
    return sum(int(n) for n in re.findall(r"\bchanged=(\d+)", output))


def one_run(playbook: str, inventory: str, strategy: str) -> float:
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_STRATEGY": strategy,
           "ANSIBLE_NOCOLOR": "1"}  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(
        ["ansible-playbook", "-i", inventory, playbook], cwd=ROOT, env=env, capture_output=True, text=True
    )
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    if result.returncode != 0 or changed_total(output):
        sys.exit(f"{strategy}: rc {result.returncode}, changed {changed_total(output)}:\n{output[-3000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--playbook", default="playbooks/database.yml")
    parser.add_argument("--inventory", default="inventories/lab")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"machine: {describe_machine()}")
    print(f"playbook: {args.playbook} on {args.inventory}, {args.runs} no-op runs per strategy, alternating")
    one_run(args.playbook, args.inventory, "mitogen_linear")  # warm the fact cache and the page cache
    times: dict[str, list[float]] = {name: [] for name in STRATEGIES}
    for _ in range(args.runs):
        for name, strategy in STRATEGIES.items():
            times[name].append(one_run(args.playbook, args.inventory, strategy))
            print(f"  {name:15} {times[name][-1]:7.1f} s", flush=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, value in medians.items():
        print(f"median {name:15} {value:7.1f} s")
    print(f"linear / mitogen_linear = {medians['linear'] / medians['mitogen_linear']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
