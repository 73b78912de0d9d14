"""Keep the Router metadata in step with the live group, on the primary (runs on every converge)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ansible_collections.sinpluma.toolkit.plugins.module_utils import innodb_metadata as md
from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_plan import IN_GROUP, MemberProbe
from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_sql import Endpoint, execute, query

# With the MYSQL communication stack, group traffic uses the classic protocol port.
GR_USES_CLASSIC_PORT = True


def live_members(primary: MemberProbe) -> list[md.GroupMember]:
    return [
        md.GroupMember(m.server_uuid, m.host, m.port, gr_port=m.port if GR_USES_CLASSIC_PORT else md.GR_PORT)
        for m in primary.view
        if m.state in IN_GROUP
    ]


def sync(
    connection: Any,
    cluster_name: str,
    group_name: str,
    endpoints: Mapping[str, Endpoint],
    probes: Mapping[str, MemberProbe],
) -> list[str]:
    """Install the schema if missing, register the cluster, reconcile instance rows.

    Returns what changed (empty when the metadata already matched the group)."""
    primary = next(p for p in probes.values() if p.reachable and p.role == "PRIMARY")
    changes: list[str] = []
    installed = None
    if query(connection, *md.SCHEMA_PRESENT_QUERY)[0][0]:
        installed = query(connection, *md.SCHEMA_VERSION_QUERY)[0]
    if md.schema_plan(installed) in ("install", "upgrade"):
        for statement in md.schema_statements():
            execute(connection, statement)
        changes.append(f"metadata schema {'.'.join(map(str, md.SCHEMA_VERSION))} installed")
    cluster_id = md.cluster_id_for_group(group_name)
    clusters = query(connection, *md.SELECT_CLUSTERS_QUERY)
    if [(str(c[0]), c[1], str(c[3]).lower()) for c in clusters] != [
        (cluster_id, cluster_name, group_name.lower())
    ]:
        foreign = [c for c in clusters if str(c[0]) != cluster_id]
        if foreign:
            raise md.MetadataError(
                f"the metadata describes other clusters ({', '.join(str(c[1]) for c in foreign)}); "
                "refusing to take it over"
            )
        execute(connection, *md.register_cluster_statement(cluster_id, cluster_name, group_name))
        changes.append(f"cluster {cluster_name} registered (was {clusters})")
    rows = query(connection, *md.select_instances_statement(cluster_id))
    expected_back = [
        f"{e.host}:{e.port}" for name, e in endpoints.items() if probes[name].state not in IN_GROUP
    ]
    for action in md.reconcile_instances(rows, live_members(primary), expected_back):
        execute(connection, *action.statement(cluster_id))
        changes.append(f"instance {action.kind} {action.address}: {action.reason}")
    return changes
