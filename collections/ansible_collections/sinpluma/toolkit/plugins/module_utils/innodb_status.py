"""Cluster status for operators: members, roles, states, replication lag and routers, as a table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_sql import Connector, Endpoint, query

MEMBERS_SQL = (
    "SELECT m.MEMBER_HOST, m.MEMBER_PORT, m.MEMBER_STATE, m.MEMBER_ROLE, m.MEMBER_VERSION, "
    "s.COUNT_TRANSACTIONS_IN_QUEUE, s.COUNT_TRANSACTIONS_REMOTE_IN_APPLIER_QUEUE "
    "FROM performance_schema.replication_group_members m "
    "LEFT JOIN performance_schema.replication_group_member_stats s USING (MEMBER_ID) ORDER BY m.MEMBER_HOST"
)
ROUTERS_SQL = (
    "SELECT router_name, address, version, last_check_in "
    "FROM mysql_innodb_cluster_metadata.v2_routers ORDER BY router_name"
)
MEMBER_COLUMNS = ("member", "state", "role", "version", "certification queue", "applier queue")
ROUTER_COLUMNS = ("router", "address", "version", "last check-in")


def primary_host(members: Sequence[Mapping[str, Any]]) -> str:
    """The host (report host, no port) of the ONLINE PRIMARY in one member's view, or ""."""
    for member in members:
        if member.get("state") == "ONLINE" and member.get("role") == "PRIMARY":
            return str(member["member"]).rsplit(":", 1)[0]
    return ""


def collect(connector: Connector, endpoints: Mapping[str, Endpoint]) -> dict[str, Any]:
    """Ask the members in order and report the first view that has an ONLINE primary (a member
    that left the group, or is still joining, sees only itself); when none has one, the last view
    read. An unreachable cluster is reported, not raised."""
    errors: list[str] = []
    seen: dict[str, Any] = {"asked": "", "members": [], "routers": []}
    for endpoint in endpoints.values():
        try:
            with connector.session(endpoint) as connection:
                members = [
                    {"member": f"{r[0]}:{r[1]}", "state": r[2], "role": r[3] or "", "version": r[4] or "",
                     "certification queue": r[5], "applier queue": r[6]}
                    for r in query(connection, MEMBERS_SQL)
                ]  # fmt: skip
                primary = primary_host(members)
                if not primary:
                    errors.append(f"{endpoint.name}: sees no ONLINE primary")
                    seen = {"asked": endpoint.name, "members": members, "routers": []}
                    continue
                try:
                    routers = [
                        dict(zip(ROUTER_COLUMNS, map(str, row), strict=True))
                        for row in query(connection, ROUTERS_SQL)
                    ]
                except Exception as error:  # no metadata yet
                    routers, errors = [], [*errors, f"routers: {error}"]
                return {"asked": endpoint.name, "members": members, "routers": routers, "errors": errors,
                        "primary": primary}  # fmt: skip
        except Exception as error:
            errors.append(f"{endpoint.name}: {str(error).splitlines()[0]}")
    return {**seen, "errors": errors, "primary": ""}


def render(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> list[str]:
    """Plain-text table lines; None shows as '-'."""
    cells = [[("-" if row.get(c) is None else str(row.get(c))) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(value.ljust(width) for value, width in zip(values, widths, strict=True)).rstrip()

    return [line(columns), line(["-" * w for w in widths])] + [line(r) for r in cells]
