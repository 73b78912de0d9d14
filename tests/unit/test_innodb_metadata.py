import json
import re
from dataclasses import dataclass

import pytest
from ansible_collections.sinpluma.toolkit.plugins.module_utils import innodb_metadata as md

UUID_A = "aaaaaaaa-0000-4000-8000-000000000001"
UUID_B = "bbbbbbbb-0000-4000-8000-000000000002"
UUID_C = "cccccccc-0000-4000-8000-000000000003"
GROUP = "3f6c2b1e-8d4a-4f7e-9c2b-5a1d0e7f6c3b"
CLUSTER = md.cluster_id_for_group(GROUP)


@dataclass(frozen=True)
class ViewRow:
    """Shaped like innodb_plan.ViewMember: what the module reads from replication_group_members."""

    server_uuid: str
    host: str
    port: int
    state: str = "ONLINE"
    role: str = "SECONDARY"


def row(instance_id, server_uuid, host, port=3306, instance_type="group-member", **extra_attributes):
    member = md.GroupMember(server_uuid, host, port)
    attributes = {"instance_type": instance_type, **extra_attributes} if instance_type else extra_attributes
    return {
        "instance_id": instance_id,
        "address": member.address,
        "mysql_server_uuid": server_uuid,
        "instance_name": member.instance_name,
        "addresses": json.dumps(member.addresses()),
        "attributes": json.dumps(attributes),
    }


def created(kind):
    """{object name: statement} for statements creating tables or views."""
    pattern = {
        "table": r"CREATE TABLE IF NOT EXISTS",
        "view": r"CREATE OR REPLACE SQL SECURITY INVOKER VIEW",
    }[kind]
    found = {}
    for statement in md.schema_statements():
        match = re.match(rf"{pattern} mysql_innodb_cluster_metadata\.(\w+)", statement)
        if match:
            found[match[1]] = statement
    return found


# --- schema ---------------------------------------------------------------------------------------


def test_schema_has_every_object_router_reads():
    assert set(created("table")) == {
        "clusters", "instances", "routers", "router_rest_accounts",
        "clustersets", "clusterset_members", "clusterset_views", "routing_guidelines",
    }  # fmt: skip
    assert set(created("view")) == {
        "schema_version", "v2_clusters", "v2_gr_clusters", "v2_instances", "v2_this_instance",
        "v2_cs_clustersets", "v2_cs_members", "v2_routers", "v2_router_options", "v2_router_rest_accounts",
    }  # fmt: skip


def test_every_statement_can_run_again():
    statements = md.schema_statements()
    assert (
        statements[0]
        == "CREATE DATABASE IF NOT EXISTS mysql_innodb_cluster_metadata DEFAULT CHARACTER SET utf8mb4"
    )
    assert len(statements) == 1 + len(created("table")) + len(created("view"))
    for statement in statements[1:]:
        assert statement.startswith(
            ("CREATE TABLE IF NOT EXISTS ", "CREATE OR REPLACE SQL SECURITY INVOKER VIEW ")
        )


def test_schema_version_is_written_last_and_says_2_3_0():
    last = md.schema_statements()[-1]
    assert (
        "VIEW mysql_innodb_cluster_metadata.schema_version AS SELECT 2 AS major, 3 AS minor, 0 AS patch"
        in last
    )
    assert md.SCHEMA_VERSION == (2, 3, 0)


def test_routing_guidelines_table_has_what_router_reads():
    # Router 9.7 (metadata_cache and bootstrap): SELECT guideline / guideline->>'$.version'
    # FROM routing_guidelines WHERE guideline_id = (SELECT COALESCE(RO.router_options->>'$.guideline',
    # CS.router_options->>'$.guideline', CL.router_options->>'$.guideline') FROM v2_router_options RO
    # LEFT JOIN clustersets CS ... LEFT JOIN clusters CL ... WHERE RO.router_id = N)
    table = created("table")["routing_guidelines"]
    assert "guideline_id CHAR(36) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL" in table
    assert "guideline JSON NOT NULL" in table
    assert "PRIMARY KEY (guideline_id)" in table
    for name in ("clusters", "clustersets"):
        assert "router_options JSON" in created("table")[name]
    options = created("view")["v2_router_options"]
    for column in ("r.router_id", "r.cluster_id", "r.clusterset_id", "AS router_options"):
        assert column in options


def test_new_objects_exist_before_the_version_view_says_2_3_0():
    statements = md.schema_statements()
    guidelines = next(i for i, s in enumerate(statements) if ".routing_guidelines (" in s)
    assert guidelines < len(statements) - 1
    assert ".schema_version AS" in statements[-1]


def test_every_table_has_a_primary_key_as_group_replication_requires():
    for name, statement in created("table").items():
        assert "PRIMARY KEY (" in statement, name
        assert "ENGINE=InnoDB" in statement, name


def test_views_bootstrap_writes_through_read_one_table_with_plain_columns():
    views = created("view")
    # v2_routers: bootstrap INSERTs (address, product_name, router_name) and UPDATEs cluster_id, options.
    routers = views["v2_routers"]
    assert " JOIN " not in routers and "->>" not in routers and "(" not in routers.split(" AS ", 1)[1]
    for column in ("router_id", "address", "product_name", "router_name", "version", "last_check_in",
                   "attributes", "options", "cluster_id", "clusterset_id"):  # fmt: skip
        assert column in routers
    # v2_gr_clusters: bootstrap UPDATEs router_options through it.
    clusters = views["v2_gr_clusters"]
    assert " JOIN " not in clusters and "router_options" in clusters
    assert "attributes->>'$.group_replication_group_name' AS group_name" in clusters


def test_router_column_names_and_json_paths():
    views = created("view")
    assert "addresses->>'$.mysqlClassic' AS endpoint" in views["v2_instances"]
    assert "addresses->>'$.mysqlX' AS xendpoint" in views["v2_instances"]
    assert "instance_name AS label" in views["v2_instances"]
    # Router 9.7 selects user, authentication_string, privileges, authentication_method.
    for column in ("user", "authentication_string", "privileges", "authentication_method", "cluster_id"):
        assert column in views["v2_router_rest_accounts"]
    assert "performance_schema.global_variables" in views["v2_this_instance"]
    assert "variable_name = 'server_uuid'" in views["v2_this_instance"]
    for column in ("cluster_type", "instance_id", "cluster_name"):
        assert column in views["v2_this_instance"]
    assert "JSON_MERGE_PATCH(" in views["v2_router_options"]
    for column in ("invalidated", "member_role", "clusterset_id"):
        assert column in views["v2_cs_members"]
    assert "view_id" in views["v2_cs_clustersets"]


@pytest.mark.parametrize(
    ("installed", "expected"),
    [
        (None, "install"),
        ((2, 3, 0), "current"),
        (["2", "3", "0"], "current"),
        ((2, 2, 0), "upgrade"),
        (("2", "2", "0"), "upgrade"),
    ],
)
def test_schema_plan_installs_upgrades_or_finds_current(installed, expected):
    assert md.schema_plan(installed) == expected


def test_only_versions_this_toolkit_wrote_are_upgraded():
    assert set(md.UPGRADABLE_VERSIONS) == {(2, 2, 0)}
    assert md.SCHEMA_VERSION not in md.UPGRADABLE_VERSIONS
    assert all(version < md.SCHEMA_VERSION for version in md.UPGRADABLE_VERSIONS)


@pytest.mark.parametrize(
    ("installed", "message"),
    [
        ((2, 4, 0), "2.4.0 is installed"),
        ((2, 3, 1), "2.3.1 is installed"),
        ((3, 0, 0), "3.0.0 is installed"),
        ((2, 2, 1), "2.2.1 is installed"),
        ((2, 1, 0), "2.1.0 is installed"),
        ((2, 0, 0), "2.0.0 is installed"),
        ((1, 0, 1), "1.0.1 is installed"),
        ((0, 0, 0), "upgrade in progress"),
    ],
)
def test_schema_plan_refuses_a_schema_written_by_someone_else(installed, message):
    with pytest.raises(md.MetadataError, match=message):
        md.schema_plan(installed)


# --- cluster and instance rows ----------------------------------------------------------------------


def test_cluster_id_is_stable_per_group():
    assert md.cluster_id_for_group(GROUP) == md.cluster_id_for_group(GROUP.upper())
    assert md.cluster_id_for_group(GROUP) != md.cluster_id_for_group(UUID_A)
    with pytest.raises(md.MetadataError, match="not a UUID"):
        md.cluster_id_for_group("sinpluma")


def test_register_cluster_records_the_group_name():
    sql, params = md.register_cluster_statement(CLUSTER, "sinpluma", GROUP.upper())
    assert sql.count("%s") == len(params)
    assert sql.startswith("INSERT INTO mysql_innodb_cluster_metadata.clusters")
    assert "'gr', 'pm'" in sql and "ON DUPLICATE KEY UPDATE" in sql
    assert params[:2] == (CLUSTER, "sinpluma")
    assert json.loads(params[3]) == {"group_replication_group_name": GROUP}


@pytest.mark.parametrize("name", ["", "x" * 64])
def test_register_cluster_refuses_bad_names(name):
    with pytest.raises(md.MetadataError):
        md.register_cluster_statement(CLUSTER, name, GROUP)


def test_upsert_instance_writes_router_addresses_and_type():
    sql, params = md.upsert_instance_statement(CLUSTER, ViewRow(UUID_A.upper(), "db1", 3306))
    assert sql.count("%s") == len(params)
    assert "ON DUPLICATE KEY UPDATE" in sql
    cluster_id, address, server_uuid, name, addresses, attributes = params
    assert (cluster_id, address, server_uuid, name) == (CLUSTER, "db1:3306", UUID_A, "db1:3306")
    assert json.loads(addresses) == {
        "mysqlClassic": "db1:3306",
        "mysqlX": "db1:33060",
        "grLocal": "db1:33061",
    }
    assert json.loads(attributes) == {"instance_type": "group-member"}


def test_ipv6_members_get_bracketed_endpoints():
    member = md.group_member({"server_uuid": UUID_A, "host": "fd00::11", "port": 3306})
    assert member.addresses()["mysqlClassic"] == "[fd00::11]:3306"


@pytest.mark.parametrize(
    "member",
    [
        {"server_uuid": "not-a-uuid", "host": "db1", "port": 3306},
        {"server_uuid": UUID_A, "host": "", "port": 3306},
        {"server_uuid": UUID_A, "host": "db1'; DROP", "port": 3306},
        {"server_uuid": UUID_A, "host": "db1", "port": 70000},
    ],
)
def test_bad_members_are_refused(member):
    with pytest.raises(md.MetadataError):
        md.group_member(member)


def test_delete_and_select_statements():
    assert md.delete_instance_statement(7) == (
        "DELETE FROM mysql_innodb_cluster_metadata.instances WHERE instance_id = %s",
        (7,),
    )
    sql, params = md.select_instances_statement(CLUSTER)
    assert params == (CLUSTER,)
    assert "SELECT " + ", ".join(md.INSTANCE_COLUMNS) + " FROM" in sql


# --- reconcile --------------------------------------------------------------------------------------


def kinds(actions):
    return [(a.kind, a.server_uuid) for a in actions]


def test_new_group_gets_one_add_per_member():
    members = [ViewRow(UUID_A, "db1", 3306), ViewRow(UUID_B, "db2", 3306)]
    actions = md.reconcile_instances([], members)
    assert kinds(actions) == [("add", UUID_A), ("add", UUID_B)]
    assert all(a.statement(CLUSTER)[0].startswith("INSERT INTO") for a in actions)


def test_metadata_that_matches_the_group_needs_nothing():
    rows = [row(1, UUID_A, "db1"), row(2, UUID_B, "db2", tags={"_hidden": False})]
    assert md.reconcile_instances(rows, [ViewRow(UUID_A, "db1", 3306), ViewRow(UUID_B, "db2", 3306)]) == []


def test_rows_as_tuples_with_bytes_json_are_understood():
    as_dict = row(1, UUID_A.upper(), "db1")
    as_tuple = tuple(
        value.encode() if key in ("addresses", "attributes") else value for key, value in as_dict.items()
    )
    assert md.reconcile_instances([as_tuple], [ViewRow(UUID_A, "db1", 3306)]) == []


def test_changed_address_is_an_update_that_keeps_the_instance_id():
    actions = md.reconcile_instances([row(4, UUID_A, "old-db1")], [ViewRow(UUID_A, "db1", 3306)])
    assert kinds(actions) == [("update", UUID_A)]
    assert actions[0].instance_id == 4
    assert "address old-db1:3306 -> db1:3306" in actions[0].reason
    assert actions[0].statement(CLUSTER)[1][1] == "db1:3306"


def test_missing_instance_type_is_an_update():
    actions = md.reconcile_instances(
        [row(1, UUID_A, "db1", instance_type=None)], [ViewRow(UUID_A, "db1", 3306)]
    )
    assert kinds(actions) == [("update", UUID_A)]
    assert "instance_type None -> group-member" in actions[0].reason


def test_departed_member_is_deleted_unless_expected_back():
    rows = [row(1, UUID_A, "db1"), row(2, UUID_B, "db2")]
    live = [ViewRow(UUID_A, "db1", 3306)]
    actions = md.reconcile_instances(rows, live)
    assert kinds(actions) == [("delete", UUID_B)]
    assert actions[0].statement(CLUSTER) == md.delete_instance_statement(2)
    assert md.reconcile_instances(rows, live, keep_addresses=["db2:3306"]) == []


def test_replaced_datadir_at_the_same_address_swaps_the_row_even_when_kept():
    actions = md.reconcile_instances(
        [row(1, UUID_A, "db1"), row(2, UUID_B, "db2")],
        [ViewRow(UUID_A, "db1", 3306), ViewRow(UUID_C, "db2", 3306)],
        keep_addresses=["db2:3306"],
    )
    assert kinds(actions) == [("delete", UUID_B), ("add", UUID_C)]
    assert "another server_uuid" in actions[0].reason


def test_deletes_come_before_updates_before_adds():
    rows = [row(1, UUID_A, "moved"), row(2, UUID_B, "gone")]
    actions = md.reconcile_instances(rows, [ViewRow(UUID_A, "db1", 3306), ViewRow(UUID_C, "db3", 3306)])
    assert [a.kind for a in actions] == ["delete", "update", "add"]


def test_an_empty_member_list_never_wipes_the_metadata():
    with pytest.raises(md.MetadataError, match="refusing to remove every instance row"):
        md.reconcile_instances([row(1, UUID_A, "db1")], [])


def test_a_member_listed_twice_is_refused():
    with pytest.raises(md.MetadataError, match="appears twice"):
        md.reconcile_instances([], [ViewRow(UUID_A, "db1", 3306), ViewRow(UUID_A.upper(), "db1", 3306)])


# --- router account -------------------------------------------------------------------------------


def test_router_account_grants_match_what_router_needs():
    grants = md.router_account_grants("router1", "%")
    assert grants == [
        "GRANT SELECT, EXECUTE ON mysql_innodb_cluster_metadata.* TO 'router1'@'%'",
        "GRANT SELECT ON performance_schema.replication_group_members TO 'router1'@'%'",
        "GRANT SELECT ON performance_schema.replication_group_member_stats TO 'router1'@'%'",
        "GRANT SELECT ON performance_schema.global_variables TO 'router1'@'%'",
        "GRANT INSERT, UPDATE, DELETE ON mysql_innodb_cluster_metadata.routers TO 'router1'@'%'",
        "GRANT INSERT, UPDATE, DELETE ON mysql_innodb_cluster_metadata.v2_routers TO 'router1'@'%'",
    ]


def test_router_account_names_are_quoted():
    grants = md.router_account_grants("it's", "10.0.%")
    assert all(g.endswith(" TO 'it\\'s'@'10.0.%'") for g in grants)
    with pytest.raises(md.MetadataError):
        md.router_account_grants("", "%")
