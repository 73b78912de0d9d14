"""InnoDB Cluster lifecycle decisions: probe results in, an ordered plan of actions out.

Pure Python, no server: the module probes every member over SQL, asks `plan()` what to do, runs
the actions, and probes again. The table this implements is in docs and the role README:

- nobody has ever been in the group          → create on the seed, then join the rest
- some member ONLINE in a majority partition  → join/rejoin the missing ones, remove the extra ones
- members ONLINE but without majority         → refuse (forcing quorum is a separate, explicit task)
- nobody ONLINE, but cluster history exists   → reboot from the member whose GTIDs contain all others

"create" is never chosen because members are merely down: that would make a second, divergent group.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_gtid import GtidSet

ONLINE = "ONLINE"
RECOVERING = "RECOVERING"
IN_GROUP = (ONLINE, RECOVERING)


class PlanRefused(Exception):
    """The cluster is in a state the role must not change without an explicit operator decision."""


@dataclass(frozen=True)
class ViewMember:
    """One row of performance_schema.replication_group_members as seen from some member."""

    server_uuid: str
    host: str
    port: int
    state: str
    role: str


@dataclass(frozen=True)
class MemberProbe:
    """What the module learned about one inventory member."""

    name: str
    reachable: bool
    error: str = ""
    server_uuid: str = ""
    gtid_executed: GtidSet = field(default_factory=GtidSet)
    gtid_purged: GtidSet = field(default_factory=GtidSet)
    # Transactions received from the group but maybe not applied yet (group_replication_applier).
    received: GtidSet = field(default_factory=GtidSet)
    state: str = ""  # own MEMBER_STATE, "" when Group Replication is not running
    role: str = ""
    view: tuple[ViewMember, ...] = ()
    # Evidence that this server was ever part of the group: start_on_boot persisted ON, the
    # metadata schema, or transactions of the group's own UUID.
    has_history: bool = False
    metadata_present: bool = False

    @property
    def total(self) -> GtidSet:
        return self.gtid_executed | self.received


@dataclass(frozen=True)
class Action:
    kind: str  # create | join | stop | reboot | remove | metadata
    host: str
    method: str = ""  # join: incremental | clone
    reason: str = ""


@dataclass
class Plan:
    actions: list[Action] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    primary: str = ""  # the member that donates/bootstraps (the group's primary after the plan)

    @property
    def changes(self) -> bool:
        return any(action.kind != "metadata" for action in self.actions)


def majority_partition(probes: Iterable[MemberProbe]) -> MemberProbe | None:
    """A reachable ONLINE member whose view has a majority of ONLINE members, preferring the primary."""
    best = None
    for probe in probes:
        if not probe.reachable or probe.state != ONLINE or not probe.view:
            continue
        online = sum(1 for member in probe.view if member.state == ONLINE)
        if online * 2 > len(probe.view) and (best is None or probe.role == "PRIMARY"):
            best = probe
    return best


def plan(
    members: Sequence[str],
    seed: str,
    probes: Mapping[str, MemberProbe],
    force_primary: str = "",
    force_clone: Iterable[str] = (),
    adopt_seed_transactions: bool = False,
) -> Plan:
    """Decide what to do. Raises PlanRefused with an operator-facing explanation."""
    force_clone = set(force_clone)
    reachable = [probes[name] for name in members if probes[name].reachable]
    unreachable = [name for name in members if not probes[name].reachable]
    result = Plan()
    if unreachable:
        result.warnings.append(
            "unreachable members: "
            + ", ".join(f"{name} ({probes[name].error or 'no answer'})" for name in unreachable)
        )

    anchor = majority_partition(reachable)
    if anchor is not None:
        return _grow(members, probes, anchor, force_clone, result)

    if any(probe.state == ONLINE for probe in reachable):
        online = [p.name for p in reachable if p.state == ONLINE]
        raise PlanRefused(
            f"members {', '.join(online)} are ONLINE but have no majority: the group lost quorum. "
            "No automatic action is safe; restore the missing members, or force quorum explicitly "
            "with the force-quorum task."
        )

    if not any(probe.has_history for probe in reachable):
        if unreachable:
            raise PlanRefused(
                f"cannot create the cluster while {', '.join(unreachable)} cannot be reached: "
                "an unreachable member may hold the cluster's data. Bring it back and re-run."
            )
        if not probes[seed].reachable:
            raise PlanRefused(f"the seed {seed} is unreachable")
        _refuse_transactions_before_creation(members, seed, probes, adopt_seed_transactions)
        result.primary = seed
        result.actions.append(Action("create", seed, reason="no member has ever been in the group"))
        result.actions.append(Action("metadata", seed, reason="new cluster"))
        result.actions += [
            Action("join", name, "incremental", "new member") for name in members if name != seed
        ]
        return result

    return _reboot(members, probes, force_primary, force_clone, result, unreachable)


def _refuse_transactions_before_creation(
    members: Sequence[str], seed: str, probes: Mapping[str, MemberProbe], adopt_seed_transactions: bool
) -> None:
    """A new cluster starts from empty GTID histories. Transactions found before creation were
    written outside any group (a package's own SQL, a hand-made change): on the seed they would
    become the group's first transactions, on a joiner they are errant. Say so before anything runs."""
    found = {name: probes[name].gtid_executed for name in members if probes[name].gtid_executed}
    if adopt_seed_transactions:
        found.pop(seed, None)
    if found:
        details = "; ".join(f"{name}: {gtids}" for name, gtids in found.items())
        hint = (
            " If the seed's data is meant to be the cluster's first data, set "
            "innodb_cluster_adopt_seed_transactions (the other members must be empty)."
            if seed in found
            else ""
        )
        raise PlanRefused(
            f"cannot create the cluster: members already executed transactions outside any group "
            f"({details}). Inspect them (mysqlbinlog, SHOW BINLOG EVENTS); a member that should be "
            f"empty is re-installed from an empty datadir.{hint}"
        )


def _grow(
    members: Sequence[str],
    probes: Mapping[str, MemberProbe],
    anchor: MemberProbe,
    force_clone: set[str],
    result: Plan,
) -> Plan:
    """The group is healthy: add missing members, remove extra ones, reconcile metadata."""
    primary_view = next((m for m in anchor.view if m.role == "PRIMARY"), None)
    primary = next(
        (p for p in probes.values() if primary_view and p.server_uuid == primary_view.server_uuid), anchor
    )
    result.primary = primary.name
    in_group = {m.server_uuid for m in anchor.view if m.state in IN_GROUP}
    group_gtids = primary.gtid_executed
    for name in members:
        probe = probes[name]
        if not probe.reachable or probe.server_uuid in in_group:
            continue
        method = _join_method(probe, group_gtids, primary.gtid_purged, name in force_clone)
        if _needs_stop(probe):
            result.actions.append(Action("stop", name, reason=f"Group Replication is {probe.state}"))
        result.actions.append(
            Action("join", name, method, f"not in the group (state {probe.state or 'OFF'})")
        )
    wanted = {probes[name].server_uuid for name in members if probes[name].server_uuid}
    for member in anchor.view:
        if member.server_uuid not in wanted:
            result.actions.append(
                Action("remove", f"{member.host}:{member.port}", reason="not in the inventory")
            )
    result.actions.append(Action("metadata", primary.name, reason="keep metadata in sync with the group"))
    return result


def _needs_stop(probe: MemberProbe) -> bool:
    """Group Replication is running in some state (ERROR, a stale view...) and must stop first."""
    return probe.state not in ("", "OFFLINE")


def _join_method(probe: MemberProbe, group_gtids: GtidSet, donor_purged: GtidSet, forced: bool) -> str:
    errant = probe.gtid_executed - group_gtids
    if errant:
        if not forced:
            raise PlanRefused(
                f"{probe.name} has errant transactions the group does not have: {errant}. "
                "Joining it would diverge the data. Inspect them; to discard them and re-provision "
                f"{probe.name} from the group by clone, list it in innodb_cluster_force_clone."
            )
        return "clone"
    if forced:
        return "clone"
    # Incremental recovery needs every missing transaction still in the donors' binary logs.
    if not donor_purged.issubset(probe.gtid_executed):
        return "clone"
    return "incremental"


def _reboot(
    members: Sequence[str],
    probes: Mapping[str, MemberProbe],
    force_primary: str,
    force_clone: set[str],
    result: Plan,
    unreachable: list[str],
) -> Plan:
    """Complete outage: bootstrap the group again from the member with the most data."""
    reachable = [probes[name] for name in members if probes[name].reachable]
    if force_primary:
        if force_primary not in probes or not probes[force_primary].reachable:
            raise PlanRefused(f"innodb_cluster_force_primary names {force_primary!r}, which is not reachable")
        chosen = probes[force_primary]
        result.warnings.append(
            f"rebooting from {force_primary} by operator decision; transactions only on other "
            "members are lost for the group"
        )
    else:
        if unreachable:
            raise PlanRefused(
                "complete outage and "
                + ", ".join(unreachable)
                + " cannot be reached: the member with the most recent data may be among them. "
                "Bring every member back, or set innodb_cluster_force_primary to the member to reboot from."
            )
        chosen = _most_complete(members, reachable)
    result.primary = chosen.name
    for probe in reachable:
        if _needs_stop(probe):
            result.actions.append(Action("stop", probe.name, reason=f"Group Replication is {probe.state}"))
    result.actions.append(
        Action("reboot", chosen.name, reason="complete outage: bootstrap from the superset")
    )
    for name in members:
        probe = probes[name]
        if name == chosen.name or not probe.reachable:
            continue
        method = _join_method(probe, chosen.total, chosen.gtid_purged, name in force_clone)
        result.actions.append(Action("join", name, method, "rejoin after the outage"))
    result.actions.append(Action("metadata", chosen.name, reason="keep metadata in sync with the group"))
    return result


def _most_complete(members: Sequence[str], reachable: list[MemberProbe]) -> MemberProbe:
    """The member whose executed+received set contains every other member's; inventory order breaks ties."""
    for probe in sorted(reachable, key=lambda p: (-p.total.count(), members.index(p.name))):
        if all(other.total.issubset(probe.total) for other in reachable):
            return probe
    sets = "; ".join(f"{p.name}: {p.total}" for p in reachable)
    raise PlanRefused(
        "complete outage and no member holds every transaction of the others (the data diverged): "
        f"{sets}. Choose the member to keep with innodb_cluster_force_primary; the others will need "
        "innodb_cluster_force_clone."
    )


def refuse_duplicate_uuids(probes: Mapping[str, MemberProbe]) -> None:
    """Members cloned from one image share a server_uuid; Group Replication refuses them, so say so
    before anything runs (the role regenerates auto.cnf on members that never joined)."""
    seen: dict[str, list[str]] = {}
    for probe in probes.values():
        if probe.reachable and probe.server_uuid:
            seen.setdefault(probe.server_uuid, []).append(probe.name)
    shared = {uuid: names for uuid, names in seen.items() if len(names) > 1}
    if shared:
        details = "; ".join(f"{uuid}: {', '.join(names)}" for uuid, names in shared.items())
        raise PlanRefused(
            f"members share a server_uuid ({details}); regenerate auto.cnf on the copies "
            "(remove /var/lib/mysql/auto.cnf and restart mysqld) before they join"
        )
