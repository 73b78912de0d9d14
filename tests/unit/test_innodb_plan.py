import pytest
from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_gtid import GtidSet
from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_plan import (
    MemberProbe,
    PlanRefused,
    ViewMember,
    majority_partition,
    plan,
)

G = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"  # the group's UUID
MEMBERS = ["db1", "db2", "db3"]
UUIDS = {f"db{i}": "-".join(str(i) * n for n in (8, 4, 4, 4, 12)) for i in range(1, 5)}


def gtids(text):
    return GtidSet.parse(text)


def view(states):
    return tuple(
        ViewMember(UUIDS[name], name, 3306, state, "PRIMARY" if i == 0 else "SECONDARY")
        for i, (name, state) in enumerate(states.items())
    )


def probe(name, **kwargs):
    kwargs.setdefault("reachable", True)
    return MemberProbe(name=name, server_uuid=UUIDS[name], **kwargs)


def healthy(executed=f"{G}:1-100", members=MEMBERS):
    states = dict.fromkeys(members, "ONLINE")
    return {
        name: probe(
            name, state="ONLINE", role="PRIMARY" if i == 0 else "SECONDARY", view=view(states),
            gtid_executed=gtids(executed), has_history=True, metadata_present=True,
        )
        for i, name in enumerate(members)
    }  # fmt: skip


def kinds(result):
    return [(a.kind, a.host, a.method) for a in result.actions]


def test_fresh_servers_create_on_seed_then_join():
    fresh = {name: probe(name) for name in MEMBERS}
    result = plan(MEMBERS, "db1", fresh)
    assert kinds(result) == [
        ("create", "db1", ""),
        ("metadata", "db1", ""),
        ("join", "db2", "incremental"),
        ("join", "db3", "incremental"),
    ]


def test_fresh_servers_with_one_unreachable_are_not_created():
    fresh = {name: probe(name) for name in MEMBERS}
    fresh["db3"] = MemberProbe("db3", reachable=False, error="connection refused")
    with pytest.raises(PlanRefused, match="db3 cannot be reached"):
        plan(MEMBERS, "db1", fresh)


def test_healthy_cluster_needs_only_metadata_sync():
    result = plan(MEMBERS, "db1", healthy())
    assert kinds(result) == [("metadata", "db1", "")]
    assert not result.changes


def test_stopped_secondary_rejoins_incrementally():
    probes = healthy()
    probes["db3"] = probe("db3", gtid_executed=gtids(f"{G}:1-90"), has_history=True)
    for name in ("db1", "db2"):
        probes[name] = probe(
            name, state="ONLINE", role="PRIMARY" if name == "db1" else "SECONDARY",
            view=view({"db1": "ONLINE", "db2": "ONLINE"}), gtid_executed=gtids(f"{G}:1-100"),
            has_history=True,
        )  # fmt: skip
    assert kinds(plan(MEMBERS, "db1", probes)) == [("join", "db3", "incremental"), ("metadata", "db1", "")]


def test_member_in_error_is_stopped_before_rejoin():
    probes = healthy()
    probes["db2"] = probe("db2", state="ERROR", gtid_executed=gtids(f"{G}:1-50"), has_history=True)
    probes["db1"] = probe(
        "db1", state="ONLINE", role="PRIMARY", view=view({"db1": "ONLINE", "db3": "ONLINE"}),
        gtid_executed=gtids(f"{G}:1-100"),
    )  # fmt: skip
    assert kinds(plan(MEMBERS, "db1", probes))[:2] == [("stop", "db2", ""), ("join", "db2", "incremental")]


def test_purged_binlogs_force_clone():
    probes = healthy()
    probes["db1"] = probe(
        "db1", state="ONLINE", role="PRIMARY", view=view({"db1": "ONLINE", "db2": "ONLINE"}),
        gtid_executed=gtids(f"{G}:1-100"), gtid_purged=gtids(f"{G}:1-60"),
    )  # fmt: skip
    probes["db3"] = probe("db3", gtid_executed=gtids(f"{G}:1-40"))
    assert ("join", "db3", "clone") in kinds(plan(MEMBERS, "db1", probes))


def test_errant_member_is_refused_then_cloned_when_forced():
    probes = healthy()
    errant = "44444444-4444-4444-4444-444444444444:1-2"
    probes["db3"] = probe("db3", gtid_executed=gtids(f"{G}:1-100,{errant}"), has_history=True)
    probes["db1"] = probe(
        "db1", state="ONLINE", role="PRIMARY", view=view({"db1": "ONLINE", "db2": "ONLINE"}),
        gtid_executed=gtids(f"{G}:1-100"),
    )  # fmt: skip
    with pytest.raises(
        PlanRefused, match=r"db3 has errant transactions.*44444444.*innodb_cluster_force_clone"
    ):
        plan(MEMBERS, "db1", probes)
    assert ("join", "db3", "clone") in kinds(plan(MEMBERS, "db1", probes, force_clone=["db3"]))


def test_scale_out_joins_new_member():
    members = [*MEMBERS, "db4"]
    probes = healthy()
    probes["db4"] = probe("db4")
    assert ("join", "db4", "incremental") in kinds(plan(members, "db1", probes))


def test_member_left_inventory_is_removed():
    probes = healthy(members=[*MEMBERS, "db4"])
    result = plan(MEMBERS, "db1", {k: v for k, v in probes.items() if k != "db4"})
    assert ("remove", "db4:3306", "") in kinds(result)


def test_minority_partition_is_refused():
    probes = {
        "db1": probe("db1", state="ONLINE", role="PRIMARY", has_history=True,
                     view=view({"db1": "ONLINE", "db2": "UNREACHABLE", "db3": "UNREACHABLE"})),
        "db2": MemberProbe("db2", reachable=False),
        "db3": MemberProbe("db3", reachable=False),
    }  # fmt: skip
    with pytest.raises(PlanRefused, match="no majority"):
        plan(MEMBERS, "db1", probes)


def test_complete_outage_reboots_from_superset_member():
    probes = {
        "db1": probe("db1", gtid_executed=gtids(f"{G}:1-90"), has_history=True),
        "db2": probe(
            "db2", gtid_executed=gtids(f"{G}:1-95"), received=gtids(f"{G}:96-100"), has_history=True
        ),
        "db3": probe("db3", state="ERROR", gtid_executed=gtids(f"{G}:1-97"), has_history=True),
    }
    result = plan(MEMBERS, "db1", probes)
    assert result.primary == "db2"
    assert kinds(result) == [
        ("stop", "db3", ""),
        ("reboot", "db2", ""),
        ("join", "db1", "incremental"),
        ("join", "db3", "incremental"),
        ("metadata", "db2", ""),
    ]


def test_complete_outage_with_unreachable_member_is_refused_unless_forced():
    probes = {
        "db1": probe("db1", gtid_executed=gtids(f"{G}:1-90"), has_history=True),
        "db2": probe("db2", gtid_executed=gtids(f"{G}:1-95"), has_history=True),
        "db3": MemberProbe("db3", reachable=False, error="timeout"),
    }
    with pytest.raises(PlanRefused, match="db3 cannot be reached"):
        plan(MEMBERS, "db1", probes)
    forced = plan(MEMBERS, "db1", probes, force_primary="db2")
    assert forced.primary == "db2"
    assert any("operator decision" in w for w in forced.warnings)


def test_diverged_outage_is_refused_with_the_sets():
    other = "55555555-5555-5555-5555-555555555555"
    probes = {
        "db1": probe("db1", gtid_executed=gtids(f"{G}:1-90,{other}:1"), has_history=True),
        "db2": probe("db2", gtid_executed=gtids(f"{G}:1-95"), has_history=True),
        "db3": probe("db3", gtid_executed=gtids(f"{G}:1-80"), has_history=True),
    }
    with pytest.raises(PlanRefused, match="no member holds every transaction"):
        plan(MEMBERS, "db1", probes)


def test_majority_prefers_the_primary_view():
    probes = healthy()
    assert majority_partition(probes.values()).name == "db1"


def test_duplicate_server_uuids_are_refused():
    from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_plan import refuse_duplicate_uuids

    probes = {"db1": probe("db1"), "db2": MemberProbe("db2", reachable=True, server_uuid=UUIDS["db1"])}
    with pytest.raises(PlanRefused, match=r"share a server_uuid.*db1, db2"):
        refuse_duplicate_uuids(probes)
    refuse_duplicate_uuids({"db1": probe("db1"), "db2": probe("db2")})


def test_creation_refuses_a_seed_with_transactions_of_its_own():
    # The fresh-machine failure: a retried package install left the seed with its own transaction.
    fresh = {name: probe(name) for name in MEMBERS}
    fresh["db1"] = probe("db1", gtid_executed=gtids(f"{UUIDS['db1']}:1"))
    with pytest.raises(PlanRefused, match=rf"db1: {UUIDS['db1']}:1.*innodb_cluster_adopt_seed_transactions"):
        plan(MEMBERS, "db1", fresh)


def test_creation_refuses_a_joiner_with_transactions_before_anything_runs():
    fresh = {name: probe(name) for name in MEMBERS}
    fresh["db3"] = probe("db3", gtid_executed=gtids(f"{UUIDS['db3']}:1-2"))
    with pytest.raises(PlanRefused, match=rf"db3: {UUIDS['db3']}:1-2") as refused:
        plan(MEMBERS, "db1", fresh, adopt_seed_transactions=True)
    assert "adopt" not in str(refused.value)


def test_seed_data_is_adopted_only_when_asked():
    fresh = {name: probe(name) for name in MEMBERS}
    fresh["db1"] = probe("db1", gtid_executed=gtids(f"{UUIDS['db1']}:1-5"))
    result = plan(MEMBERS, "db1", fresh, adopt_seed_transactions=True)
    assert kinds(result)[0] == ("create", "db1", "")


class FakeError(Exception):
    def __init__(self, errno, msg):
        super().__init__(f"{errno}: {msg}")
        self.errno = errno


class FakeConnection:
    """Records statements; CLONE INSTANCE raises the given error."""

    def __init__(self, clone_error, log):
        self.clone_error, self.log = clone_error, log

    def cursor(self):
        return self

    def execute(self, sql, params=()):
        self.log.append(sql)
        if sql.startswith("CLONE INSTANCE") and self.clone_error:
            raise self.clone_error

    with_rows = False

    def fetchall(self):
        return [(1,)]

    def close(self):
        pass


def operator_with(clone_error):
    from ansible_collections.sinpluma.toolkit.plugins.module_utils import innodb_sql

    log = []
    credentials = innodb_sql.Credentials("admin", "pw", "rec", "pw")
    connector = innodb_sql.Connector(credentials, connect=lambda **_: FakeConnection(clone_error, log))
    operator = innodb_sql.ClusterOperator(connector, {}, member_timeout=1)
    operator._wait_reachable = lambda endpoint: log.append("waited")
    return innodb_sql, operator, log


def test_failed_clone_restores_super_read_only_and_names_the_errno():
    innodb_sql, operator, log = operator_with(FakeError(3862, "Clone Donor Error: 1045 : Access denied"))
    donor = innodb_sql.Endpoint("db1", "db1")
    with pytest.raises(
        innodb_sql.ClusterOperationError, match=r"clone of db3 from db1 failed \(MySQL error 3862\)"
    ):
        operator._clone(innodb_sql.Endpoint("db3", "db3"), donor)
    assert log[-1] == "SET GLOBAL super_read_only = ON"


def test_lost_connection_after_clone_is_the_recipient_restarting():
    innodb_sql, operator, log = operator_with(FakeError(2013, "Lost connection to MySQL server during query"))
    operator._clone(innodb_sql.Endpoint("db3", "db3"), innodb_sql.Endpoint("db1", "db1"))
    assert log[-1] == "waited"
    assert "SET GLOBAL super_read_only = ON" not in log


def test_access_denied_is_not_taken_for_an_unreachable_member():
    from ansible_collections.sinpluma.toolkit.plugins.module_utils import innodb_sql

    def refuse(**_):
        raise FakeError(1045, "Access denied for user 'clusteradmin'")

    def unreachable(**_):
        raise FakeError(2003, "Can't connect to MySQL server on 'db3:3306'")

    credentials = innodb_sql.Credentials("clusteradmin", "pw", "rec", "pw")
    with pytest.raises(innodb_sql.ClusterOperationError, match=r"db3 refused the cluster admin.*1045"):
        innodb_sql.probe(
            innodb_sql.Connector(credentials, connect=refuse), innodb_sql.Endpoint("db3", "db3"), G
        )
    down = innodb_sql.probe(
        innodb_sql.Connector(credentials, connect=unreachable), innodb_sql.Endpoint("db3", "db3"), G
    )
    assert not down.reachable and "2003" in down.error
