"""Checks of the innodb_cluster role's inputs, run once on the controller before any host changes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

MAX_MEMBERS = 9  # Group Replication's limit


def validate(
    members: Sequence[str],
    seed: str,
    report_hosts: Mapping[str, str],
    passwords: Mapping[str, str | None],
    allow_fewer_than_three: bool = False,
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
    missing = sorted(name for name, value in passwords.items() if not value)
    if missing:
        errors.append("missing secrets (set them in the vault): " + ", ".join(missing))
    return errors, warnings
