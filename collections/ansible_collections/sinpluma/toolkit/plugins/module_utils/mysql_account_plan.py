"""Where and how an account change may be made, as a pure decision table (mysql_account runs it).

Cluster accounts (admin, recovery) are created on every member with sql_log_bin=0 before it joins,
so they are identical everywhere and never a member's own transaction. Once a member is in a group
the only change the role makes to them is a password rotation, and it makes it once, on the ONLINE
primary, replicated: the account exists identically on every member, so the same ALTER USER
applies everywhere, under the group's GTIDs. The old password is retained (MySQL's dual passwords)
until every member's recovery channel uses the new one; any other difference (privileges, TLS,
a password that differs on one member only) is drift, refused with the statements it would need.
"""

from __future__ import annotations

from dataclasses import dataclass

# Kinds of statement a plan holds.
CREATE, PASSWORD, SSL, GRANT, DISCARD = "create", "password", "ssl", "grant", "discard"

# Decisions.
NOTHING = "nothing"  # the account is as wanted
LOCAL = "local"  # not in a group: change this server only (sql_log_bin=0)
REPLICATED = "replicated"  # this server is the ONLINE primary: change it for the whole group
ROTATE = "rotate"  # in a group, only the password differs, this is the primary: replicated rotation
AWAIT_ROTATION = "await_rotation"  # in a group, only the password differs, a secondary: the primary rotates
REFUSE_DRIFT = "refuse_drift"  # in a group and not a rotation: a local change would make it differ
REFUSE_NOT_PRIMARY = "refuse_not_primary"  # a replicated change asked of a server that is not the primary


@dataclass(frozen=True)
class Membership:
    state: str  # "ONLINE", "RECOVERING", or "" when the server is in no group
    role: str  # "PRIMARY", "SECONDARY" or ""

    @property
    def in_group(self) -> bool:
        return self.state in ("ONLINE", "RECOVERING")

    @property
    def online_primary(self) -> bool:
        return self.state == "ONLINE" and self.role == "PRIMARY"


def decide(kinds: set[str], membership: Membership, replicate: bool) -> str:
    """The decision for a plan made of statements of `kinds` on a server with `membership`."""
    if not kinds:
        return NOTHING
    if replicate:
        return REPLICATED if membership.online_primary else REFUSE_NOT_PRIMARY
    if not membership.in_group:
        return LOCAL
    if kinds == {PASSWORD}:
        return ROTATE if membership.online_primary else AWAIT_ROTATION
    return REFUSE_DRIFT


def password_statement(account: str, retain_current: bool) -> str:
    """ALTER USER with the password as a parameter; RETAIN CURRENT PASSWORD keeps the old one valid."""
    return f"ALTER USER {account} IDENTIFIED BY %s" + (" RETAIN CURRENT PASSWORD" if retain_current else "")


def describe(statements: list[tuple[str, tuple]]) -> list[str]:
    """The planned statements without their secrets (password values are parameters)."""
    shown = []
    for sql, _ in statements:
        head, identified, tail = sql.partition(" IDENTIFIED")
        if identified:
            retained = tail.endswith("RETAIN CURRENT PASSWORD")
            head += " (password)" + (" RETAIN CURRENT PASSWORD" if retained else "")
        shown.append(head)
    return shown
