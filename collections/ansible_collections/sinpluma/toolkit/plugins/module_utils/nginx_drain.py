"""Which upstream servers are drained (taken out of their pool for a rollout)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping

POOLS = ("api", "linguistics")
# The nginx upstream block of each pool (templates/conf.d/20-upstreams.conf.j2); every server line
# there ends with "# host=<inventory name>", so a rollout can mark one down without re-rendering.
UPSTREAMS = {"api": "sinpluma_api", "linguistics": "sinpluma_linguistics"}
_SERVER_LINE = re.compile(
    r"^(?P<head>\s*server\s[^;]*?)(?P<down>\s+down)?;(?P<tail>\s*# host=(?P<host>\S+))\s*$"
)


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


def mark(upstreams: str, pool: str, server: str, drained: bool) -> str:
    """The upstreams file with `server`'s line in `pool`'s block marked down (drained) or not;
    every other line unchanged. Refuses a file where that line is missing."""
    block, found, out = None, False, []
    for line in upstreams.splitlines(keepends=True):
        opening = re.match(r"^\s*upstream\s+(\S+)\s*\{", line)
        if opening:
            block = opening.group(1)
        elif line.strip() == "}":
            block = None
        match = _SERVER_LINE.match(line.rstrip("\n"))
        if match and block == UPSTREAMS[pool] and match.group("host") == server:
            found = True
            newline = "\n" if line.endswith("\n") else ""
            line = f"{match.group('head')}{' down' if drained else ''};{match.group('tail')}{newline}"
        out.append(line)
    if not found:
        raise DrainError(f"nginx drain: no server line of {server} in upstream {UPSTREAMS[pool]}")
    return "".join(out)


def dumps(state: Mapping[str, Iterable[str]]) -> str:
    """The drained-servers file's text."""
    return (
        json.dumps({pool: sorted(set(state.get(pool) or [])) for pool in POOLS}, indent=4, sort_keys=True)
        + "\n"
    )
