#!/usr/bin/env python3
"""Write-unavailability window of the lab InnoDB Cluster: primary crash (kill -9), planned stop of
the primary (systemctl stop: the unit hands the primary role over first) and planned switchover,
each under a continuous single-row INSERT loop through MySQL Router, side by side in one run.

Needs a converged lab cluster: the hosts of `.venv/bin/molecule converge -s innodb_cluster` (idb-*, the
default) or the full-stack lab (`--members lab-db1,lab-db2,lab-db3 --router lab-router`).
Prints one line per round and a summary. Bounded: --rounds rounds of at most ~70 s each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import describe as describe_machine
from lab import innodb_drills as drills

DEFAULT_SECRETS = Path.home() / ".cache" / "sinpluma-lab" / "secrets" / "molecule-innodb" / "app"


def crash_round(members: list[str], router: str, label: str) -> float:
    victim = drills.primary(members)
    drills.start_writer(router, label, seconds=40)
    time.sleep(8)
    drills.kill_mysqld(victim.host)
    result = drills.wait_writer(router, label, timeout=120)
    drills.wait_online(members, set(members), timeout=240)
    return result["longest_gap_s"]


def switchover_round(members: list[str], router: str, label: str) -> float:
    target = next(m for m in drills.group(members) if m.role == "SECONDARY")
    drills.start_writer(router, label, seconds=20)
    time.sleep(5)
    drills.switchover(members, target.host)
    result = drills.wait_writer(router, label, timeout=90)
    return result["longest_gap_s"]


def planned_stop_round(members: list[str], router: str, label: str) -> tuple[float, float]:
    """(write gap, seconds `systemctl stop mysql` took) for a planned stop of the primary."""
    victim = drills.primary(members)
    drills.start_writer(router, label, seconds=25)
    time.sleep(5)
    started = time.monotonic()
    drills.run(victim.host, "systemctl stop mysql")
    stopped = time.monotonic() - started
    result = drills.wait_writer(router, label, timeout=90)
    drills.run(victim.host, "systemctl start mysql")
    drills.wait_online(members, set(members), timeout=240)
    return result["longest_gap_s"], stopped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", default="idb-db1,idb-db2,idb-db3")
    parser.add_argument("--router", default="idb-router")
    parser.add_argument(
        "--password-file", type=Path, default=DEFAULT_SECRETS, help="application account password"
    )
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    members = args.members.split(",")
    drills.wait_online(members, set(members))
    drills.prepare_writer(args.router, args.password_file.read_text().split()[0], members)
    stamp = int(time.time())
    print(f"machine: {describe_machine()}")
    crashes, stops, stop_seconds, switchovers = [], [], [], []
    for round_number in range(1, args.rounds + 1):
        crashes.append(crash_round(members, args.router, f"bench-crash-{stamp}-{round_number}"))
        print(f"round {round_number}: primary kill -9 -> {crashes[-1]:.2f} s without a successful write")
        gap, took = planned_stop_round(members, args.router, f"bench-stop-{stamp}-{round_number}")
        stops.append(gap)
        stop_seconds.append(took)
        print(
            f"round {round_number}: planned stop of the primary -> {gap:.2f} s without a successful write "
            f"(systemctl stop took {took:.2f} s)"
        )
        switchovers.append(switchover_round(members, args.router, f"bench-switch-{stamp}-{round_number}"))
        print(
            f"round {round_number}: planned switchover -> {switchovers[-1]:.2f} s without a successful write"
        )
    print(
        f"primary crash: median {statistics.median(crashes):.2f} s, max {max(crashes):.2f} s "
        "(target <= 8 s); "
        f"planned stop: median {statistics.median(stops):.2f} s, max {max(stops):.2f} s (target <= 2 s), "
        f"stop took max {max(stop_seconds):.2f} s (target <= 15 s); "
        f"planned switchover: median {statistics.median(switchovers):.2f} s, max {max(switchovers):.2f} s "
        "(target <= 2 s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
