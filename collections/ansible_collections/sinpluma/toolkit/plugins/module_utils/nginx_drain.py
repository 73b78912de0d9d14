"""Which upstream servers are drained (taken out of their pool for a rollout)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

POOLS = ("api", "linguistics")


class DrainError(ValueError):
    """A drain request that cannot be carried out."""


def parse(text: str) -> dict[str, list[str]]:
    """The recorded state; an empty or missing file means nothing is drained."""
    recorded = json.loads(text) if text.strip() else {}
    if not isinstance(recorded, dict):
        raise DrainError("the drained-servers file does not hold a JSON object")
    return {pool: sorted(set(recorded.get(pool) or [])) for pool in POOLS}


def update(
    current: Mapping[str, Iterable[str]], pool_members: Iterable[str], pool: str, server: str, state: str
) -> dict[str, list[str]]:
    """The state after draining (state "drained") or restoring (state "active") `server` in
    `pool`; refuses an unknown pool, state or server, and draining the last active server."""
    members = sorted(set(pool_members))
    if pool not in POOLS:
        raise DrainError(f"nginx drain: pool {pool!r} is not one of {', '.join(POOLS)}")
    if state not in ("drained", "active"):
        raise DrainError(f"nginx drain: state {state!r} is not drained or active")
    if server not in members:
        raise DrainError(f"nginx drain: {server!r} is not a server of the {pool} pool ({', '.join(members)})")
    after = {name: sorted(set(current.get(name) or [])) for name in POOLS}
    drained = set(after[pool]) - {server} | ({server} if state == "drained" else set())
    if not set(members) - drained:
        raise DrainError(f"nginx drain: {server} is the last server of the {pool} pool that is not drained")
    after[pool] = sorted(drained)
    return after
