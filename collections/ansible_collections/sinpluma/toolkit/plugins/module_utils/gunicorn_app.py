"""Pure decisions of roles/gunicorn_app: how many workers a host can carry, which releases go."""

from __future__ import annotations

import math


def workers(cpus: int, memory_mb: int, per_worker_mb: int, reserve_mb: int, per_cpu: int, cap: int) -> int:
    """Gunicorn workers for a host: `per_cpu` per CPU (2 for an I/O-bound app with threads, 1 for a
    CPU-bound one), at most what the memory left after `reserve_mb` holds at `per_worker_mb` each,
    at most `cap`, at least 1."""
    if min(cpus, memory_mb, per_worker_mb, per_cpu, cap) < 1 or reserve_mb < 0:
        raise ValueError(
            "cpus, memory_mb, per_worker_mb, per_cpu and cap must be positive, reserve_mb not negative"
        )
    by_cpu = cpus * per_cpu
    by_memory = math.floor(max(memory_mb - reserve_mb, 0) / per_worker_mb)
    return max(1, min(by_cpu, by_memory, cap))


def prunable(releases: list[dict], keep: int, protected: list[str]) -> list[str]:
    """Paths of the releases to delete: all but the `keep` newest (by mtime), never a protected one
    (the release that serves, the previous good one, the one being installed). `releases` are
    `find` results ({"path", "mtime"}); `protected` are release paths."""
    if keep < 1:
        raise ValueError("keep must be at least 1")
    newest_first = sorted(releases, key=lambda r: (r["mtime"], r["path"]), reverse=True)
    kept = {r["path"] for r in newest_first[:keep]} | {p for p in protected if p}
    return sorted(r["path"] for r in newest_first if r["path"] not in kept)
