"""MySQL account privileges as data: parse SHOW GRANTS, compare with the wanted set, list the changes.

Pure Python; the mysql_account module runs the statements this produces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_GRANT = re.compile(r"^GRANT (?P<privs>.+?) ON (?P<object>\S+) TO ", re.IGNORECASE)
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_$]+$")

Grants = dict[str, set[str]]  # object ("db.*", "*.*", "db.table") -> privileges


class GrantSpecError(ValueError):
    """A wanted grant that cannot be expressed safely."""


def normalise_object(text: str) -> str:
    """`\\`db\\`.*` → `db.*`; validates each part so it can be quoted back safely."""
    parts = text.replace("`", "").split(".")
    if len(parts) != 2 or not all(p == "*" or _IDENTIFIER.match(p) for p in parts):
        raise GrantSpecError(f"grant object {text!r} must be db.table, db.* or *.* with plain names")
    return ".".join(parts)


def quote_object(obj: str) -> str:
    return ".".join(part if part == "*" else f"`{part}`" for part in obj.split("."))


def parse_show_grants(lines: Iterable[str]) -> Grants:
    """SHOW GRANTS output → {object: privileges}; USAGE and role grants carry no privileges."""
    grants: Grants = {}
    for line in lines:
        match = _GRANT.match(line)
        if not match:
            continue  # role grants ("GRANT `r` TO ...") and proxies
        privileges = {p.strip().upper() for p in match.group("privs").split(",")} - {"USAGE"}
        if privileges:
            grants.setdefault(normalise_object(match.group("object")), set()).update(privileges)
    return grants


def wanted_grants(spec: Mapping[str, Iterable[str]]) -> Grants:
    """{"db.*": ["SELECT", ...]} from the inventory → normalised, with ALL expanded to ALL PRIVILEGES."""
    grants: Grants = {}
    for obj, privileges in spec.items():
        normalised = {p.strip().upper() for p in privileges}
        normalised = {"ALL PRIVILEGES" if p == "ALL" else p for p in normalised}
        for privilege in normalised:
            if not re.match(r"^[A-Z_ ]+$", privilege):
                raise GrantSpecError(f"privilege {privilege!r} on {obj} is not a privilege name")
        grants[normalise_object(obj)] = normalised
    return grants


def grant_changes(current: Grants, wanted: Grants, account: str) -> list[str]:
    """GRANT/REVOKE statements that turn `current` into `wanted` for `account` ('user'@'host' quoted)."""
    statements = []
    for obj in sorted(set(current) | set(wanted)):
        have, want = current.get(obj, set()), wanted.get(obj, set())
        if "ALL PRIVILEGES" in want and "ALL PRIVILEGES" in have:
            continue
        missing, extra = sorted(want - have), sorted(have - want)
        if extra:
            statements.append(f"REVOKE {', '.join(extra)} ON {quote_object(obj)} FROM {account}")
        if missing:
            statements.append(f"GRANT {', '.join(missing)} ON {quote_object(obj)} TO {account}")
    return statements


def quote_account(user: str, host: str) -> str:
    for value in (user, host):
        if "'" in value or "\\" in value:
            raise GrantSpecError(f"account part {value!r} contains a quote or backslash")
    return f"'{user}'@'{host}'"
