"""Checks of the innodb_cluster role's inputs, run once on the controller before any host changes."""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Mapping, Sequence

MAX_MEMBERS = 9  # Group Replication's limit


def validate(
    members: Sequence[str],
    seed: str,
    report_hosts: Mapping[str, str],
    passwords: Mapping[str, str | None],
    allow_fewer_than_three: bool = False,
    server_ids: Mapping[str, int] | None = None,
) -> tuple[list[str], list[str]]:
    """Return (errors, warnings). Any error stops the play before a host is touched."""
    errors: list[str] = []
    warnings: list[str] = []
    count = len(members)
    if count == 0:
        errors.append("the members group is empty")
    if count > MAX_MEMBERS:
        errors.append(f"{count} members: Group Replication allows at most {MAX_MEMBERS}")
    if 0 < count < 3 and not allow_fewer_than_three:
        errors.append(
            f"{count} member(s) cannot survive a failure with a majority; set "
            "innodb_cluster_allow_fewer_than_three: true to accept that (labs only)"
        )
    if count >= 3 and count % 2 == 0:
        warnings.append(
            f"{count} members: an even count tolerates no more failures than {count - 1} "
            "and can split into two halves without majority"
        )
    if seed not in members:
        errors.append(f"the seed {seed!r} is not one of the members ({', '.join(members)})")
    duplicates = sorted(
        h for h, n in Counter(report_hosts[m] for m in members if m in report_hosts).items() if n > 1
    )
    if duplicates:
        owners = {h: sorted(m for m in members if report_hosts.get(m) == h) for h in duplicates}
        errors.append(
            "report_host must be unique per member; shared: "
            + "; ".join(f"{h} ({', '.join(owners[h])})" for h in duplicates)
        )
    errors += duplicate_server_ids(server_ids or {})
    missing = sorted(name for name, value in passwords.items() if not value)
    if missing:
        errors.append("missing secrets (set them in the vault): " + ", ".join(missing))
    return errors, warnings


def server_id(name: str) -> int:
    """A stable server_id from the host name (never 0 or 1; unique in practice, checked by validate)."""
    return 1000 + zlib.crc32(name.encode()) % (2**32 - 1001)


def duplicate_server_ids(server_ids: Mapping[str, int]) -> list[str]:
    owners: dict[int, list[str]] = {}
    for name, value in server_ids.items():
        owners.setdefault(int(value), []).append(name)
    return [
        f"server_id {value} is shared by {', '.join(sorted(n))}" for value, n in owners.items() if len(n) > 1
    ]


def uuid_copies(identities: Mapping[str, tuple[str, bool]], order: Sequence[str]) -> list[str]:
    """Which members must get a new server_uuid: for each shared uuid, every holder without group
    history except one (a member with history keeps its uuid; else the first in inventory order)."""
    holders: dict[str, list[str]] = {}
    for name in order:
        if name in identities:
            holders.setdefault(identities[name][0], []).append(name)
    copies = []
    for names in holders.values():
        if len(names) < 2:
            continue
        keeper = next((n for n in names if identities[n][1]), names[0])
        copies += [n for n in names if n != keeper and not identities[n][1]]
    return copies
