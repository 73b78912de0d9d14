"""MySQL Router-compatible InnoDB Cluster metadata (schema 2.3.0), written without MySQL Shell.

Pure Python: SQL text and (sql, params) pairs for mysql-connector-python (paramstyle %s), plus the
pure decision of how the `instances` rows must change to match the live group. No driver import.

Every object below exists because MySQL Router 9.7 reads or writes it; docs/innodb-metadata.md
lists the Router query behind each one. Views are SQL SECURITY INVOKER: the Router account's own
grants (router_account_grants) must cover the tables underneath.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SCHEMA = "mysql_innodb_cluster_metadata"
SCHEMA_VERSION = (2, 3, 0)
# Versions this toolkit wrote before SCHEMA_VERSION: schema_plan() upgrades them in place.
UPGRADABLE_VERSIONS = frozenset({(2, 2, 0)})

X_PORT = 33060
GR_PORT = 33061
INSTANCE_TYPE = "group-member"
# Namespace for cluster ids derived from the group name (stable across runs and controllers).
_CLUSTER_ID_NAMESPACE = uuid.UUID("6d3c1f0e-5b1a-4c55-9a57-2f3c7e1d9b40")

_ASCII_ID = "CHAR(36) CHARACTER SET ascii COLLATE ascii_general_ci"
_TABLE_OPTIONS = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
_TABLES = (
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.clustersets (
  clusterset_id {_ASCII_ID} NOT NULL,
  domain_name VARCHAR(63) NOT NULL,
  description TEXT,
  attributes JSON,
  options JSON,
  router_options JSON,
  PRIMARY KEY (clusterset_id),
  UNIQUE KEY domain_name (domain_name)
) {_TABLE_OPTIONS}""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.clusterset_views (
  clusterset_id {_ASCII_ID} NOT NULL,
  view_id INT UNSIGNED NOT NULL,
  attributes JSON,
  PRIMARY KEY (clusterset_id, view_id)
) {_TABLE_OPTIONS}""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.clusters (
  cluster_id {_ASCII_ID} NOT NULL,
  cluster_name VARCHAR(63) NOT NULL,
  cluster_type ENUM('gr', 'ar') NOT NULL DEFAULT 'gr',
  primary_mode ENUM('pm', 'mm') NOT NULL DEFAULT 'pm',
  description TEXT,
  attributes JSON,
  options JSON,
  router_options JSON,
  clusterset_id {_ASCII_ID} NULL,
  PRIMARY KEY (cluster_id),
  UNIQUE KEY cluster_name (cluster_name)
) {_TABLE_OPTIONS}""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.clusterset_members (
  clusterset_id {_ASCII_ID} NOT NULL,
  view_id INT UNSIGNED NOT NULL,
  cluster_id {_ASCII_ID} NOT NULL,
  member_role ENUM('PRIMARY', 'REPLICA') NOT NULL,
  invalidated TINYINT(1) NOT NULL DEFAULT 0,
  master_cluster_id {_ASCII_ID} NULL,
  attributes JSON,
  PRIMARY KEY (clusterset_id, view_id, cluster_id),
  KEY cluster_id (cluster_id)
) {_TABLE_OPTIONS}""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.instances (
  instance_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  cluster_id {_ASCII_ID} NOT NULL,
  address VARCHAR(265) CHARACTER SET ascii COLLATE ascii_general_ci NOT NULL,
  mysql_server_uuid {_ASCII_ID} NOT NULL,
  instance_name VARCHAR(265) NOT NULL,
  addresses JSON NOT NULL,
  attributes JSON,
  instance_type VARCHAR(32) GENERATED ALWAYS AS (attributes->>'$.instance_type') VIRTUAL,
  description TEXT,
  PRIMARY KEY (instance_id),
  UNIQUE KEY mysql_server_uuid (mysql_server_uuid),
  KEY cluster_id (cluster_id),
  CONSTRAINT instances_cluster FOREIGN KEY (cluster_id) REFERENCES {SCHEMA}.clusters (cluster_id)
) {_TABLE_OPTIONS}""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.routers (
  router_id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  router_name VARCHAR(265) NOT NULL,
  product_name VARCHAR(128) NOT NULL,
  address VARCHAR(256) NOT NULL,
  version VARCHAR(12) NULL,
  last_check_in TIMESTAMP NULL DEFAULT NULL,
  attributes JSON,
  cluster_id {_ASCII_ID} NULL,
  clusterset_id {_ASCII_ID} NULL,
  options JSON,
  PRIMARY KEY (router_id),
  UNIQUE KEY address_router_name (address, router_name)
) {_TABLE_OPTIONS}""",
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.router_rest_accounts (
  cluster_id {_ASCII_ID} NOT NULL,
  user VARCHAR(256) NOT NULL,
  authentication_method VARCHAR(64) NOT NULL DEFAULT 'modular_crypt_format',
  authentication_string TEXT CHARACTER SET ascii COLLATE ascii_general_ci,
  description VARCHAR(255),
  privileges JSON,
  attributes JSON,
  PRIMARY KEY (cluster_id, user)
) {_TABLE_OPTIONS}""",
    # Schema 2.3.0. Router reads `guideline` WHERE guideline_id = the first `$.guideline` found in the
    # router's, its ClusterSet's or its Cluster's router_options (and, in bootstrap, guideline->>'$.version').
    # No row, or no `$.guideline` anywhere (the toolkit writes neither): Router routes by its own config.
    f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.routing_guidelines (
  guideline_id {_ASCII_ID} NOT NULL,
  name VARCHAR(63) NOT NULL,
  guideline JSON NOT NULL,
  cluster_id {_ASCII_ID} NULL,
  clusterset_id {_ASCII_ID} NULL,
  PRIMARY KEY (guideline_id),
  UNIQUE KEY name (name)
) {_TABLE_OPTIONS}""",
)


def _view(name: str, select: str) -> str:
    return f"CREATE OR REPLACE SQL SECURITY INVOKER VIEW {SCHEMA}.{name} AS {select}"


_VIEWS = (
    _view(
        "v2_clusters",
        "SELECT cluster_id, cluster_name, cluster_type, primary_mode, description, attributes, options,"
        " router_options, clusterset_id FROM mysql_innodb_cluster_metadata.clusters",
    ),
    # One table, column references plus one derived column: UPDATE of router_options stays possible.
    _view(
        "v2_gr_clusters",
        "SELECT cluster_id, cluster_name, primary_mode, description,"
        " attributes->>'$.group_replication_group_name' AS group_name, attributes, options, router_options,"
        " clusterset_id FROM mysql_innodb_cluster_metadata.clusters WHERE cluster_type = 'gr'",
    ),
    _view(
        "v2_instances",
        "SELECT instance_id, cluster_id, instance_name AS label, mysql_server_uuid, address,"
        " addresses->>'$.mysqlClassic' AS endpoint, addresses->>'$.mysqlX' AS xendpoint, attributes,"
        " description FROM mysql_innodb_cluster_metadata.instances",
    ),
    # A view cannot read @@server_uuid; performance_schema.global_variables is granted to Router.
    _view(
        "v2_this_instance",
        "SELECT i.cluster_id, c.cluster_name, c.cluster_type, i.instance_id, i.instance_name,"
        " i.mysql_server_uuid FROM mysql_innodb_cluster_metadata.instances i"
        " JOIN mysql_innodb_cluster_metadata.clusters c ON c.cluster_id = i.cluster_id"
        " WHERE i.mysql_server_uuid = (SELECT variable_value FROM performance_schema.global_variables"
        " WHERE variable_name = 'server_uuid')",
    ),
    # ClusterSets (unused by this toolkit, required by Router >= 2.1): the highest view is current.
    _view(
        "v2_cs_clustersets",
        "SELECT cs.clusterset_id, cs.domain_name, cs.description, cs.attributes, cs.options,"
        " cs.router_options, v.view_id FROM mysql_innodb_cluster_metadata.clustersets cs"
        " LEFT JOIN (SELECT clusterset_id, MAX(view_id) AS view_id"
        " FROM mysql_innodb_cluster_metadata.clusterset_views GROUP BY clusterset_id) v"
        " ON v.clusterset_id = cs.clusterset_id",
    ),
    _view(
        "v2_cs_members",
        "SELECT m.clusterset_id, m.view_id, m.cluster_id, m.member_role, m.invalidated, m.master_cluster_id,"
        " m.attributes FROM mysql_innodb_cluster_metadata.clusterset_members m"
        " JOIN (SELECT clusterset_id, MAX(view_id) AS view_id"
        " FROM mysql_innodb_cluster_metadata.clusterset_views GROUP BY clusterset_id) v"
        " ON v.clusterset_id = m.clusterset_id AND v.view_id = m.view_id",
    ),
    # Plain column references only: bootstrap INSERTs into this view.
    _view(
        "v2_routers",
        "SELECT router_id, router_name, product_name, address, version, last_check_in, attributes,"
        " cluster_id, clusterset_id, options FROM mysql_innodb_cluster_metadata.routers",
    ),
    # The router's own options win over its ClusterSet's (or else its Cluster's) options.
    _view(
        "v2_router_options",
        "SELECT r.router_id, r.cluster_id, r.clusterset_id, JSON_MERGE_PATCH("
        "COALESCE(cs.router_options, c.router_options, JSON_OBJECT()), COALESCE(r.options, JSON_OBJECT())"
        ") AS router_options FROM mysql_innodb_cluster_metadata.routers r"
        " LEFT JOIN mysql_innodb_cluster_metadata.clusters c ON c.cluster_id = r.cluster_id"
        " LEFT JOIN mysql_innodb_cluster_metadata.clustersets cs ON cs.clusterset_id = r.clusterset_id",
    ),
    _view(
        "v2_router_rest_accounts",
        "SELECT cluster_id, user, authentication_method, authentication_string, description, privileges,"
        " attributes FROM mysql_innodb_cluster_metadata.router_rest_accounts",
    ),
)


def schema_statements() -> list[str]:
    """The whole metadata DDL, safe to run again: tables IF NOT EXISTS, views CREATE OR REPLACE.

    The same list installs the schema and upgrades one this toolkit wrote earlier (schema_plan()):
    objects that exist are left as they are (tables) or redefined identically (views), new ones are
    created, and schema_version comes last, so Router sees no version (or still the old one) until
    every object the version implies exists.
    Run on the PRIMARY with binary logging on, so every member gets the same schema.
    """
    major, minor, patch = SCHEMA_VERSION
    return [
        f"CREATE DATABASE IF NOT EXISTS {SCHEMA} DEFAULT CHARACTER SET utf8mb4",
        *_TABLES,
        *_VIEWS,
        _view("schema_version", f"SELECT {major} AS major, {minor} AS minor, {patch} AS patch"),
    ]


SCHEMA_PRESENT_QUERY = (
    "SELECT COUNT(*) FROM information_schema.views WHERE table_schema = %s AND table_name = 'schema_version'",
    (SCHEMA,),
)
SCHEMA_VERSION_QUERY = ("SELECT major, minor, patch FROM mysql_innodb_cluster_metadata.schema_version", ())


def _shown(version: Sequence[int]) -> str:
    return ".".join(map(str, version))


def schema_plan(installed: Sequence[int] | None) -> str:
    """What to do with the schema given the installed version (None: no schema_version view).

    'install': no schema yet. 'upgrade': a version this toolkit wrote earlier (UPGRADABLE_VERSIONS,
    i.e. 2.2.0); schema_statements() adds what the current version has in addition and moves the
    version view last. 'current': nothing to do (running schema_statements() is still harmless).
    Run schema_statements() for 'install' and for 'upgrade'.

    Any other version is refused with an explanation: a newer one (2.4...) would be downgraded, and
    versions this toolkit never wrote (1.x, 2.0, 2.1) come from another tool (MySQL Shell), which
    replacing their views could break. 0.0.0 means someone else's upgrade is in progress.
    """
    if installed is None:
        return "install"
    found = tuple(int(part) for part in installed)
    if found == SCHEMA_VERSION:
        return "current"
    if found in UPGRADABLE_VERSIONS:
        return "upgrade"
    wanted = _shown(SCHEMA_VERSION)
    if found == (0, 0, 0):
        raise MetadataError(f"metadata schema upgrade in progress (version 0.0.0); wanted {wanted}")
    raise MetadataError(
        f"metadata schema {_shown(found)} is installed and this toolkit writes {wanted} (and upgrades only"
        f" {', '.join(sorted(_shown(v) for v in UPGRADABLE_VERSIONS))}); refusing to replace it"
    )


class MetadataError(ValueError):
    """Input or existing metadata the toolkit must not write over."""


def _uuid(value: str, what: str) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise MetadataError(f"{what} {value!r} is not a UUID") from None


def _host(value: str) -> str:
    host = str(value or "").strip()
    if not host or any(ch.isspace() or ch in "'\"\\`/" for ch in host):
        raise MetadataError(f"host {value!r} is not a usable host name or address")
    return host


def _port(value: Any) -> int:
    port = int(value)
    if not 0 < port < 65536:
        raise MetadataError(f"port {value!r} is out of range")
    return port


def _endpoint(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def cluster_id_for_group(group_name: str) -> str:
    """A stable cluster_id for a group: the same group always gets the same id, on any controller."""
    return str(uuid.uuid5(_CLUSTER_ID_NAMESPACE, _uuid(group_name, "group name")))


def register_cluster_statement(
    cluster_id: str, cluster_name: str, group_name: str, description: str = ""
) -> tuple[str, tuple]:
    """Insert the cluster row, or bring name and group name up to date; other attribute keys stay."""
    name = str(cluster_name or "")
    if not name or len(name) > 63:
        raise MetadataError(f"cluster name {cluster_name!r} must be 1-63 characters")
    attributes = json.dumps({"group_replication_group_name": _uuid(group_name, "group name")})
    sql = (
        "INSERT INTO mysql_innodb_cluster_metadata.clusters"
        " (cluster_id, cluster_name, cluster_type, primary_mode, description, attributes)"
        " VALUES (%s, %s, 'gr', 'pm', %s, %s) AS incoming "
        "ON DUPLICATE KEY UPDATE cluster_name = incoming.cluster_name, "
        "attributes = JSON_MERGE_PATCH(COALESCE(clusters.attributes, JSON_OBJECT()), incoming.attributes)"
    )
    return sql, (_uuid(cluster_id, "cluster id"), name, description, attributes)


SELECT_CLUSTERS_QUERY = (
    "SELECT cluster_id, cluster_name, cluster_type, "
    "attributes->>'$.group_replication_group_name' AS group_name"
    " FROM mysql_innodb_cluster_metadata.clusters ORDER BY cluster_id",
    (),
)


@dataclass(frozen=True)
class GroupMember:
    """A live Group Replication member as the metadata records it.

    `host` is the member's report_host (what GR shows as MEMBER_HOST and what Router connects to).
    """

    server_uuid: str
    host: str
    port: int = 3306
    x_port: int = X_PORT
    gr_port: int = GR_PORT

    @property
    def address(self) -> str:
        return _endpoint(self.host, self.port)

    @property
    def instance_name(self) -> str:
        return self.address

    def addresses(self) -> dict[str, str]:
        return {
            "mysqlClassic": self.address,
            "mysqlX": _endpoint(self.host, self.x_port),
            "grLocal": _endpoint(self.host, self.gr_port),
        }


def group_member(member: Any) -> GroupMember:
    """A GroupMember from anything with server_uuid, host and port (innodb_plan.ViewMember, a mapping)."""
    if isinstance(member, GroupMember):
        return member
    get = (
        member.get if isinstance(member, Mapping) else lambda key, default=None: getattr(member, key, default)
    )
    return GroupMember(
        server_uuid=_uuid(get("server_uuid"), "server_uuid"),
        host=_host(get("host")),
        port=_port(get("port") or 3306),
        x_port=_port(get("x_port") or X_PORT),
        gr_port=_port(get("gr_port") or GR_PORT),
    )


def upsert_instance_statement(cluster_id: str, member: Any) -> tuple[str, tuple]:
    """Insert a member's row, or update it in place (keyed by server_uuid, so instance_id is kept).

    Keys of addresses/attributes this toolkit does not own (tags, say) are kept.
    """
    m = group_member(member)
    sql = (
        "INSERT INTO mysql_innodb_cluster_metadata.instances"
        " (cluster_id, address, mysql_server_uuid, instance_name, addresses, attributes)"
        " VALUES (%s, %s, %s, %s, %s, %s) AS incoming "
        "ON DUPLICATE KEY UPDATE cluster_id = incoming.cluster_id, address = incoming.address, "
        "instance_name = incoming.instance_name, "
        "addresses = JSON_MERGE_PATCH(instances.addresses, incoming.addresses), "
        "attributes = JSON_MERGE_PATCH(COALESCE(instances.attributes, JSON_OBJECT()), incoming.attributes)"
    )
    params = (
        _uuid(cluster_id, "cluster id"),
        m.address,
        m.server_uuid,
        m.instance_name,
        json.dumps(m.addresses(), sort_keys=True),
        json.dumps({"instance_type": INSTANCE_TYPE}),
    )
    return sql, params


def delete_instance_statement(instance_id: int) -> tuple[str, tuple]:
    return "DELETE FROM mysql_innodb_cluster_metadata.instances WHERE instance_id = %s", (int(instance_id),)


def select_instances_statement(cluster_id: str) -> tuple[str, tuple]:
    """The rows reconcile_instances() reads (use a dictionary cursor, or zip with INSTANCE_COLUMNS)."""
    sql = (
        "SELECT instance_id, address, mysql_server_uuid, instance_name, addresses, attributes"
        " FROM mysql_innodb_cluster_metadata.instances WHERE cluster_id = %s ORDER BY instance_id"
    )
    return sql, (_uuid(cluster_id, "cluster id"),)


INSTANCE_COLUMNS = ("instance_id", "address", "mysql_server_uuid", "instance_name", "addresses", "attributes")


@dataclass(frozen=True)
class InstanceAction:
    kind: str  # delete | update | add
    server_uuid: str
    address: str
    reason: str
    instance_id: int | None = None  # delete, update
    member: GroupMember | None = None  # update, add

    def statement(self, cluster_id: str) -> tuple[str, tuple]:
        if self.kind == "delete":
            return delete_instance_statement(int(self.instance_id or 0))
        return upsert_instance_statement(cluster_id, self.member)


def _json(value: Any) -> dict:
    if value is None or value == "":
        return {}
    if isinstance(value, (bytes, bytearray)):
        value = value.decode()
    parsed = json.loads(value) if isinstance(value, str) else value
    return dict(parsed) if isinstance(parsed, Mapping) else {}


def _row(row: Any) -> dict:
    return dict(row) if isinstance(row, Mapping) else dict(zip(INSTANCE_COLUMNS, row, strict=True))


def _differences(row: dict, member: GroupMember) -> list[str]:
    found = []
    if row.get("address") != member.address:
        found.append(f"address {row.get('address')} -> {member.address}")
    if row.get("instance_name") != member.instance_name:
        found.append(f"instance_name {row.get('instance_name')} -> {member.instance_name}")
    addresses = _json(row.get("addresses"))
    for key, wanted in member.addresses().items():
        if addresses.get(key) != wanted:
            found.append(f"addresses.{key} {addresses.get(key)} -> {wanted}")
    instance_type = _json(row.get("attributes")).get("instance_type")
    if instance_type != INSTANCE_TYPE:
        found.append(f"instance_type {instance_type} -> {INSTANCE_TYPE}")
    return found


def reconcile_instances(
    current_rows: Iterable[Any], live_members: Iterable[Any], keep_addresses: Iterable[str] = ()
) -> list[InstanceAction]:
    """The changes that make the `instances` rows describe the live group (deletes, updates, adds).

    current_rows: rows of select_instances_statement() (mappings or tuples in INSTANCE_COLUMNS order).
    live_members: the group's members as seen from a member with quorum (GroupMember, ViewMember...).
    keep_addresses: "host:port" of members that are expected back (inventory members that are down
    right now): their rows stay, because a rejoined member without a row gets no Router traffic.
    A row is deleted when its server is not in the group (and not kept), or when a live member now
    answers at its address under another server_uuid (the datadir was replaced).
    An empty member list is refused: it means "asked a member that is not in the group".
    """
    members = [group_member(m) for m in live_members]
    if not members:
        raise MetadataError("no live group member given: refusing to remove every instance row")
    by_uuid: dict[str, GroupMember] = {}
    for member in members:
        if member.server_uuid in by_uuid:
            raise MetadataError(f"server_uuid {member.server_uuid} appears twice in the member list")
        by_uuid[member.server_uuid] = member
    live_addresses = {m.address for m in members}
    keep = set(keep_addresses)

    deletes: list[InstanceAction] = []
    updates: list[InstanceAction] = []
    recorded: set[str] = set()
    for raw in current_rows:
        row = _row(raw)
        server_uuid = str(row.get("mysql_server_uuid") or "").lower()
        address = str(row.get("address") or "")
        member = by_uuid.get(server_uuid)
        if member is None:
            if address in live_addresses:
                reason = f"{address} now answers with another server_uuid than {server_uuid}"
            elif address in keep:
                continue
            else:
                reason = f"{server_uuid} ({address}) is not a member of the group"
            deletes.append(
                InstanceAction("delete", server_uuid, address, reason, instance_id=row["instance_id"])
            )
            continue
        recorded.add(server_uuid)
        changes = _differences(row, member)
        if changes:
            updates.append(
                InstanceAction(
                    "update", server_uuid, member.address, "; ".join(changes), row["instance_id"], member
                )
            )
    adds = [
        InstanceAction(
            "add", m.server_uuid, m.address, "member of the group without a metadata row", member=m
        )
        for m in members
        if m.server_uuid not in recorded
    ]
    return deletes + updates + adds


def _account(user: str, host: str) -> str:
    def quoted(value: str, what: str) -> str:
        text = str(value)
        if not text and what == "user":
            raise MetadataError("the router account needs a user name")
        if "\x00" in text:
            raise MetadataError(f"{what} {value!r} contains a NUL character")
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"

    return f"{quoted(user, 'user')}@{quoted(host, 'host')}"


def router_account_grants(user: str, host: str) -> list[str]:
    """GRANT statements for one Router account (the account itself is created elsewhere).

    The same set `mysqlrouter --bootstrap` grants when it creates its account: read the metadata and
    the group's state, register itself and check in. Run them after schema_statements(): MySQL
    refuses table-level grants on tables that do not exist yet.
    """
    account = _account(user, host)
    return [
        f"GRANT SELECT, EXECUTE ON {SCHEMA}.* TO {account}",
        f"GRANT SELECT ON performance_schema.replication_group_members TO {account}",
        f"GRANT SELECT ON performance_schema.replication_group_member_stats TO {account}",
        f"GRANT SELECT ON performance_schema.global_variables TO {account}",
        f"GRANT INSERT, UPDATE, DELETE ON {SCHEMA}.routers TO {account}",
        f"GRANT INSERT, UPDATE, DELETE ON {SCHEMA}.v2_routers TO {account}",
    ]
