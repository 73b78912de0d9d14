#!/usr/bin/env python3
"""Real-Router check of the hand-written InnoDB Cluster metadata (module_utils/innodb_metadata.py).

Not a pytest test (slow, needs Docker and the sid lab image). Run from the repository root:

    PYTHONPATH=/work/main .venv/bin/python tests/integration/innodb_metadata_router_check.py [--keep]

It starts two lab hosts on their own network (metadata-check-db, metadata-check-router), installs
Debian's mysql-server and mysql-router and bootstraps a one-member Group Replication group over SQL.
Then two scenarios, each from an empty metadata schema (DROP DATABASE first):

- fresh: writes the current schema (SCHEMA_VERSION) with innodb_metadata.py, bootstraps MySQL Router
  against it with a pre-made account (--account-create never), and asserts: 6446/6447 land on the
  member, Router read its routing guidelines without error, Router's log holds no metadata warning
  or error after a steady period, re-running the schema DDL changes nothing Router reads, and a
  guideline stored for a moment (routing like the defaults) is taken by Router and then dropped again.
- upgrade: writes schema 2.2.0 with the module as this toolkit shipped it (git commit below),
  bootstraps and starts Router on it, then converges with the current module (plan "upgrade") while
  Router runs, and asserts: routing continues, Router starts reading routing guidelines without a
  restart, its log holds no metadata warning or error from the upgrade on, the upgrade changed nothing
  Router reads except schema_version and the new table, and a Router restart afterwards is clean too.

Prints PASS/FAIL per check and exits 1 on any failure. Only the lab hosts' own addresses (docker
bridge) and `docker exec` are used.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT, ROOT / "collections"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from ansible_collections.sinpluma.toolkit.plugins.module_utils import innodb_metadata as md  # noqa: E402

from lab import hosts  # noqa: E402

NETWORK = "metadata-check"
DB = "metadata-check-db"
ROUTER = "metadata-check-router"
GROUP_NAME = "3f6c2b1e-8d4a-4f7e-9c2b-5a1d0e7f6c3b"  # fixed: the group of this check only
CLUSTER_NAME = "metadata_check"
ADMIN_USER = "mdcheck_admin"
ROUTER_USER = "mdcheck_router"
ROUTER_DIR = "/var/lib/mysqlrouter-check"
ROUTER_UNIT = "mdcheck-router"
ROUTER_LOG = f"{ROUTER_DIR}/log/mysqlrouter.log"
# Sorts after Debian's mysqld.cnf (bind-address = 127.0.0.1), so these values win.
MYSQLD_CNF = "/etc/mysql/mysql.conf.d/zz-metadata-check.cnf"
MYSQLD_SETTINGS = f"""[mysqld]
server_id = 101
gtid_mode = ON
enforce_gtid_consistency = ON
report_host = {DB}
report_port = 3306
bind-address = 0.0.0.0
mysqlx-bind-address = 0.0.0.0
plugin-load-add = group_replication.so
group_replication_group_name = {GROUP_NAME}
group_replication_start_on_boot = OFF
group_replication_local_address = {DB}:33061
group_replication_group_seeds = {DB}:33061
group_replication_single_primary_mode = ON
group_replication_communication_stack = XCOM
"""
# Router log lines that mean the metadata (or the account reading it) is not what Router expects.
# No allowance: with schema 2.3.0 Router 9.7 logs none of these, at start or later.
METADATA_TROUBLE = re.compile(
    r"metadata|guideline|missing|cleared current routing table|privilege|v2_|schema_version|doesn't exist"
    r"|denied",
    re.IGNORECASE,
)
LOG_LINE = re.compile(r"^\S+ \S+ (?P<module>\S+) (?P<level>[A-Z]+) \[[^\]]*\] (?P<text>.*)$")
# Columns Router itself rewrites while it runs: not part of "what the DDL re-run changed".
VOLATILE_COLUMNS = {"last_check_in"}
# Every view and table Router reads by name (the clusters/clustersets tables through their columns).
ROUTER_OBJECTS = (
    "schema_version",
    "v2_clusters",
    "v2_gr_clusters",
    "v2_instances",
    "v2_this_instance",
    "v2_cs_clustersets",
    "v2_cs_members",
    "v2_routers",
    "v2_router_options",
    "v2_router_rest_accounts",
    "routing_guidelines",
)
# The module as this toolkit shipped schema 2.2.0 (last commit of innodb_metadata.py at 2.2.0).
MODULE_PATH = "collections/ansible_collections/sinpluma/toolkit/plugins/module_utils/innodb_metadata.py"
V2_2_0_COMMIT = "fd37ab97a240d41ad1be9b663c1e1bb0687db031"
# What the 2.2.0 -> 2.3.0 upgrade may change among the things Router reads, and nothing else.
UPGRADE_CHANGES = {
    "rows:schema_version",
    "view:schema_version",
    "rows:routing_guidelines",
    "columns:routing_guidelines",
}
ER_NO_SUCH_TABLE = 1146
# A guideline that routes like Router's defaults; set for a moment to see Router take a stored one.
PROBE_GUIDELINE_ID = "0b6f3c1e-5d2a-4c8e-9f1b-7a3e2d4c6b80"
PROBE_GUIDELINE = {
    "name": "metadata_check_probe",
    "version": "1.0",
    "destinations": [
        {"name": "primary", "match": "$.server.memberRole = PRIMARY"},
        {"name": "secondary", "match": "$.server.memberRole = SECONDARY"},
    ],
    "routes": [
        {
            "name": "rw",
            "match": "$.session.targetPort = $.router.port.rw",
            "destinations": [{"classes": ["primary"], "strategy": "first-available", "priority": 0}],
        },
        {
            "name": "ro",
            "match": "$.session.targetPort = $.router.port.ro",
            "destinations": [
                {"classes": ["secondary"], "strategy": "round-robin", "priority": 0},
                {"classes": ["primary"], "strategy": "round-robin", "priority": 1},
            ],
        },
    ],
}


class CheckFailed(Exception):
    pass


def sh(*args: str, stdin: str | None = None, check: bool = True, timeout: float = 600) -> str:
    result = subprocess.run(list(args), input=stdin, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        shown = " ".join(args[:6])
        raise CheckFailed(
            f"`{shown} ...` exited {result.returncode}: {(result.stderr or result.stdout).strip()}"
        )
    return result.stdout


def on(host: str, *command: str, stdin: str | None = None, check: bool = True, timeout: float = 600) -> str:
    return sh("docker", "exec", "-i", host, *command, stdin=stdin, check=check, timeout=timeout)


def root_sql(sql: str) -> str:
    """SQL as the db host's root (auth_socket); statements and secrets go through stdin, never argv."""
    return on(DB, "mysql", "-uroot", "--batch", "--skip-column-names", stdin=sql)


def wait_for(what: str, probe: Callable[[], Any], timeout: float = 60, every: float = 1.0) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = probe()
            if last:
                return last
        except Exception as error:  # the probe may fail until the service is up
            last = error
        time.sleep(every)
    raise CheckFailed(f"timed out after {timeout:.0f} s waiting for {what} (last: {last!r})")


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[bool, str, str]] = []

    def check(self, ok: bool, name: str, detail: str = "") -> bool:
        self.rows.append((ok, name, detail))
        print(f"[{'PASS' if ok else 'FAIL'}] {name}" + (f": {detail}" if detail else ""), flush=True)
        return ok

    @property
    def passed(self) -> bool:
        return bool(self.rows) and all(ok for ok, _, _ in self.rows)


def apt_install(host: str, *packages: str) -> None:
    status = ("dpkg-query", "-W", "-f=${Status}")
    missing = [p for p in packages if on(host, *status, p, check=False) != "install ok installed"]
    if missing:
        print(f"... {host}: apt-get install {' '.join(missing)}", flush=True)
        apt = ("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q")
        on(host, *apt, *missing, timeout=1200)


def start_hosts() -> None:
    for name in (DB, ROUTER):
        hosts.create(hosts.HostSpec(name, "sid", (NETWORK,)))
    apt_install(DB, "mysql-server")
    apt_install(ROUTER, "mysql-router")


def configure_group() -> str:
    """mysqld set up for GR, a one-member group bootstrapped over SQL; returns the member's server_uuid."""
    current = on(DB, "cat", MYSQLD_CNF, check=False)
    if current != MYSQLD_SETTINGS:
        on(DB, "tee", MYSQLD_CNF, stdin=MYSQLD_SETTINGS)
        on(DB, "systemctl", "restart", "mysql")
    wait_for("mysqld on the db host", lambda: root_sql("SELECT 1").strip() == "1")
    own_state = (
        "SELECT CONCAT(member_state, ' ', member_role) FROM performance_schema.replication_group_members"
        " WHERE member_id = @@server_uuid"
    )
    if not root_sql(own_state).startswith("ONLINE"):
        root_sql(
            "SET GLOBAL group_replication_bootstrap_group = ON; START GROUP_REPLICATION;"
            " SET GLOBAL group_replication_bootstrap_group = OFF;"
        )
    wait_for(
        "the member to be ONLINE PRIMARY",
        lambda: root_sql(own_state).strip() == "ONLINE PRIMARY",
    )
    return root_sql("SELECT @@server_uuid").strip()


def create_account(user: str, password: str, extra: str = "") -> None:
    quoted = password.replace("\\", "\\\\").replace("'", "\\'")
    root_sql(
        f"CREATE USER IF NOT EXISTS '{user}'@'%' IDENTIFIED WITH caching_sha2_password BY '{quoted}';"
        f" ALTER USER '{user}'@'%' IDENTIFIED WITH caching_sha2_password BY '{quoted}'; {extra}"
    )


def connect(host: str, port: int, user: str, password: str) -> Any:
    import mysql.connector  # the controller venv has it; imported here so --help works without it

    return mysql.connector.connect(
        host=host, port=port, user=user, password=password, connection_timeout=5, autocommit=True
    )


def run(cursor: Any, statement: tuple[str, tuple] | str) -> int:
    sql, params = (statement, ()) if isinstance(statement, str) else statement
    cursor.execute(sql, params)
    if cursor.with_rows:
        cursor.fetchall()
    return cursor.rowcount


def live_members(cursor: Any) -> list[md.GroupMember]:
    cursor.execute(
        "SELECT member_id, member_host, member_port FROM performance_schema.replication_group_members"
        " WHERE channel_name = 'group_replication_applier' AND member_state IN ('ONLINE', 'RECOVERING')"
    )
    return [md.GroupMember(server_uuid=u, host=h, port=int(p)) for u, h, p in cursor.fetchall()]


def current_rows(cursor: Any, cluster_id: str) -> list[dict]:
    sql, params = md.select_instances_statement(cluster_id)
    cursor.execute(sql, params)
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def installed_version(cursor: Any) -> tuple[int, ...] | None:
    cursor.execute(*md.SCHEMA_PRESENT_QUERY)
    if not cursor.fetchone()[0]:
        return None
    cursor.execute(*md.SCHEMA_VERSION_QUERY)
    return tuple(int(part) for part in cursor.fetchone())


def write_metadata(cursor: Any, module: ModuleType = md) -> tuple[str, str, int]:
    """Schema, cluster row and instance rows as the role writes them (innodb_metadata_sync.sync()).

    `module` is this toolkit's innodb_metadata (the current one, or an older release). Returns
    (plan, cluster_id, instance actions).
    """
    plan = module.schema_plan(installed_version(cursor))
    if plan in ("install", "upgrade"):  # the same condition as innodb_metadata_sync.sync()
        for statement in module.schema_statements():
            run(cursor, statement)
    cluster_id = module.cluster_id_for_group(GROUP_NAME)
    run(cursor, module.register_cluster_statement(cluster_id, CLUSTER_NAME, GROUP_NAME, "metadata check"))
    actions = module.reconcile_instances(current_rows(cursor, cluster_id), live_members(cursor))
    for action in actions:
        print(f"... metadata: {action.kind} {action.address} ({action.reason})", flush=True)
        run(cursor, action.statement(cluster_id))
    return plan, cluster_id, len(actions)


def shipped_module(commit: str = V2_2_0_COMMIT) -> ModuleType:
    """innodb_metadata.py as committed at `commit` (read with git show, imported under its own name)."""
    source = sh("git", "-C", str(ROOT), "show", f"{commit}:{MODULE_PATH}")
    name = f"innodb_metadata_{commit[:10]}"
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"{name}.py"
        path.write_text(source)
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise CheckFailed(f"cannot import {MODULE_PATH} from {commit}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is created
        spec.loader.exec_module(module)
    return module


def drop_metadata() -> None:
    """Back to "no metadata" (the Router account's grants stay: MySQL keeps them without the objects)."""
    root_sql(f"DROP DATABASE IF EXISTS {md.SCHEMA}")


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes | bytearray) else str(value)


def snapshot(cursor: Any) -> dict[str, Any]:
    """Everything Router reads: each object's rows (minus columns Router rewrites) and every definition.

    Keys: rows:<object> ("missing" if it does not exist), view:<view> and columns:<table or view>.
    """
    found: dict[str, Any] = {}
    for name in ROUTER_OBJECTS:
        try:
            cursor.execute(f"SELECT * FROM {md.SCHEMA}.{name}")  # noqa: S608 (names are constants above)
        except Exception as error:
            if getattr(error, "errno", None) != ER_NO_SUCH_TABLE:
                raise
            found[f"rows:{name}"] = "missing"
            continue
        names = [c[0] for c in cursor.description]
        rows = [
            {n: _text(v) for n, v in zip(names, row, strict=True) if n not in VOLATILE_COLUMNS}
            for row in cursor.fetchall()
        ]  # fmt: skip
        found[f"rows:{name}"] = sorted(json.dumps(r, sort_keys=True) for r in rows)
    cursor.execute(
        "SELECT table_name, view_definition, security_type, is_updatable FROM information_schema.views"
        " WHERE table_schema = %s ORDER BY table_name",
        (md.SCHEMA,),
    )
    for row in cursor.fetchall():
        found[f"view:{row[0]}"] = list(map(str, row[1:]))
    cursor.execute(
        "SELECT table_name, column_name, column_type, is_nullable, column_default"
        " FROM information_schema.columns WHERE table_schema = %s ORDER BY table_name, ordinal_position",
        (md.SCHEMA,),
    )
    for row in cursor.fetchall():
        found.setdefault(f"columns:{row[0]}", []).append(list(map(str, row[1:])))
    return found


def changed_keys(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {key for key in set(before) | set(after) if before.get(key) != after.get(key)}


def bootstrap_router(admin_password: str, router_password: str) -> str:
    stop_router()
    on(ROUTER, "rm", "-rf", ROUTER_DIR)
    if on(ROUTER, "getent", "passwd", "mysqlrouter", check=False) == "":
        on(ROUTER, "useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "mysqlrouter")
    output = on(
        ROUTER,
        "mysqlrouter", "--bootstrap", f"{ADMIN_USER}@{DB}:3306",
        "--directory", ROUTER_DIR,
        "--account", ROUTER_USER, "--account-create", "never",
        "--name", "check", "--report-host", ROUTER,
        "--user", "mysqlrouter", "--force",
        stdin=f"{admin_password}\n{router_password}\n",
        timeout=180,
    )  # fmt: skip
    return output


def start_router() -> None:
    on(
        ROUTER, "systemd-run", f"--unit={ROUTER_UNIT}", "--property=Restart=no",
        "/usr/bin/mysqlrouter", "-c", f"{ROUTER_DIR}/mysqlrouter.conf",
    )  # fmt: skip


def stop_router() -> None:
    on(ROUTER, "systemctl", "stop", ROUTER_UNIT, check=False)
    on(ROUTER, "systemctl", "reset-failed", ROUTER_UNIT, check=False)


def router_log() -> list[str]:
    return on(ROUTER, "cat", ROUTER_LOG, check=False).splitlines()


def troubles(lines: list[str]) -> list[str]:
    """Warnings/errors about the metadata, routing guidelines or the account, and any routing-table clear."""
    bad = []
    for line in lines:
        match = LOG_LINE.match(line)
        level = match["level"] if match else ""
        cleared = "cleared current routing table" in line.lower()
        if cleared or (level in ("WARNING", "ERROR", "FATAL") and METADATA_TROUBLE.search(line)):
            bad.append(line)
    return bad


def other_warnings(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        match = LOG_LINE.match(line)
        if match and match["level"] in ("WARNING", "ERROR", "FATAL") and not troubles([line]):
            out.append(line)
    return out


def reset_digests() -> None:
    root_sql("TRUNCATE TABLE performance_schema.events_statements_summary_by_digest;")


def metadata_digests() -> list[tuple[str, int, int]]:
    """(digest text, executions, errors) of every statement on the metadata schema since reset_digests()."""
    out = root_sql(
        "SELECT digest_text, count_star, sum_errors"
        " FROM performance_schema.events_statements_summary_by_digest"
        " WHERE digest_text LIKE '%mysql_innodb_cluster_metadata%'"
    )
    found = []
    for line in out.splitlines():
        text, count, errors = line.rsplit("\t", 2)
        found.append((text.replace("\\n", " "), int(count), int(errors)))
    return found


def guideline_reads(digests: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Router's routing-guidelines reads: `guideline` (metadata_cache) or `guideline->>'$.version'`
    (bootstrap) FROM routing_guidelines WHERE guideline_id = (SELECT COALESCE(...router_options...))."""
    return [d for d in digests if "`routing_guidelines`" in d[0] and "COALESCE" in d[0]]


def check_guideline_reads(report: Report, when: str) -> None:
    digests = metadata_digests()
    reads = guideline_reads(digests)
    failed = [d for d in digests if d[2]]
    report.check(
        bool(reads) and not any(errors for _, _, errors in reads),
        f"Router read its routing guidelines {when} (no guideline: default routing)",
        "; ".join(f"{count}x, {errors} error(s): {text[:110]}" for text, count, errors in reads)
        or "not issued",
    )
    report.check(
        not failed,
        f"no statement on the metadata failed {when}",
        f"{len(digests)} distinct statements"
        + "".join(f"\n    {errors} error(s): {text[:200]}" for text, _, errors in failed),
    )


def server_uuid_via(host: str, port: int, user: str, password: str) -> str:
    connection = connect(host, port, user, password)
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT @@server_uuid")
        return str(cursor.fetchone()[0])
    finally:
        connection.close()


def capture_start() -> None:
    root_sql("TRUNCATE mysql.general_log; SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = ON;")


def capture_write(path: Path, router_ip: str) -> int:
    """Distinct statements sent from the router host (bootstrap and Router), literals replaced by '?'."""
    out = root_sql(
        "SET GLOBAL general_log = OFF; SELECT DISTINCT user_host,"
        " REPLACE(REPLACE(CONVERT(argument USING utf8mb4), '\\n', ' '), '\\t', ' ')"
        " FROM mysql.general_log WHERE command_type IN ('Query', 'Execute'); TRUNCATE mysql.general_log;"
    )
    statements = set()
    for line in out.splitlines():
        user_host, _, sql = line.partition("\t")
        if f"[{router_ip}]" not in user_host:
            continue
        sql = re.sub(r"'(?:[^'\\]|\\.)*'", "?", sql)
        sql = re.sub(r"\b\d+\b", "N", re.sub(r"\s+", " ", sql)).strip()
        statements.add(f"{user_host.split('[', 1)[0].strip()}\t{sql}")
    path.write_text("".join(f"{s}\n" for s in sorted(statements)))
    return len(statements)


class Lab:
    """The running lab: admin cursor, addresses, the member's server_uuid, passwords and the report."""

    def __init__(self, report: Report, steady: float) -> None:
        self.report = report
        self.steady = steady
        self.admin_password = secrets.token_urlsafe(18)
        self.router_password = secrets.token_urlsafe(18)
        self.cursor: Any = None
        self.router_ip = ""
        self.member_uuid = ""

    def landed(self, port: int) -> str:
        return server_uuid_via(self.router_ip, port, ADMIN_USER, self.admin_password)

    def check_routing(self, when: str) -> None:
        landed = self.landed(6446)
        self.report.check(
            landed == self.member_uuid, f"6446 lands on the member {when}", f"@@server_uuid {landed}"
        )
        landed_ro = self.landed(6447)
        self.report.check(
            landed_ro == self.member_uuid,
            f"6447 falls back to the only member {when}",
            f"@@server_uuid {landed_ro}",
        )

    def wait_routing(self) -> None:
        wait_for("Router port 6446", lambda: self.landed(6446) == self.member_uuid, timeout=60)

    def check_log(self, lines: list[str], what: str, expect_lines: bool = True) -> None:
        """`lines` clean of metadata trouble (and, when expect_lines, not empty: Router did log)."""
        bad = troubles(lines)
        self.report.check(
            not bad and (bool(lines) or not expect_lines),
            what,
            f"{len(lines)} lines, {len(bad)} problem(s)" + "".join(f"\n    {b}" for b in bad[:20]),
        )

    def grant_router(self) -> None:
        for grant in md.router_account_grants(ROUTER_USER, "%"):
            run(self.cursor, grant)

    def bootstrap_and_start(self, when: str) -> None:
        output = bootstrap_router(self.admin_password, self.router_password)
        self.report.check(
            f"configured for the InnoDB Cluster '{CLUSTER_NAME}'" in output,
            f"mysqlrouter --bootstrap --account-create never {when}",
            " | ".join(line.strip() for line in output.splitlines() if "password" not in line.lower())[:400],
        )
        start_router()
        self.wait_routing()

    def check_registered(self, cluster_id: str, when: str) -> None:
        self.cursor.execute(
            "SELECT router_name, address, cluster_id, last_check_in IS NOT NULL, version"
            " FROM mysql_innodb_cluster_metadata.v2_routers"
        )
        routers = self.cursor.fetchall()
        self.report.check(
            len(routers) == 1 and routers[0][:4] == ("check", ROUTER, cluster_id, 1),
            f"Router registered itself and checks in (v2_routers) {when}",
            repr(routers),
        )


def reported_guideline(cursor: Any) -> str | None:
    """The guideline name Router reports in v2_routers.attributes (JSON null or absent: None)."""
    cursor.execute(
        "SELECT attributes->'$.CurrentRoutingGuideline' FROM mysql_innodb_cluster_metadata.v2_routers"
    )
    rows = cursor.fetchall()
    return json.loads(_text(rows[0][0])) if rows and rows[0][0] is not None else None


def check_guideline_roundtrip(lab: Lab, cluster_id: str) -> None:
    """Store a guideline, point the cluster's router_options at it, see Router use it, then take it away."""
    report, cursor = lab.report, lab.cursor
    name = PROBE_GUIDELINE["name"]
    log_mark = len(router_log())
    run(
        cursor,
        (
            "INSERT INTO mysql_innodb_cluster_metadata.routing_guidelines"
            " (guideline_id, name, guideline, cluster_id) VALUES (%s, %s, %s, %s)",
            (PROBE_GUIDELINE_ID, name, json.dumps(PROBE_GUIDELINE), cluster_id),
        ),
    )
    run(
        cursor,
        (
            "UPDATE mysql_innodb_cluster_metadata.clusters SET router_options ="
            " JSON_SET(COALESCE(router_options, JSON_OBJECT()), '$.guideline', %s) WHERE cluster_id = %s",
            (PROBE_GUIDELINE_ID.upper(), cluster_id),  # upper case: the id matches case-insensitively
        ),
    )
    taken = wait_for(f"Router to report guideline {name}", lambda: reported_guideline(cursor) == name, 30)
    report.check(taken, "fresh: Router takes a stored guideline (CurrentRoutingGuideline)", name)
    lab.check_routing("with the stored guideline")
    run(
        cursor,
        (
            "UPDATE mysql_innodb_cluster_metadata.clusters SET router_options ="
            " JSON_REMOVE(router_options, '$.guideline') WHERE cluster_id = %s",
            (cluster_id,),
        ),
    )
    run(
        cursor,
        (
            "DELETE FROM mysql_innodb_cluster_metadata.routing_guidelines WHERE guideline_id = %s",
            (PROBE_GUIDELINE_ID,),
        ),
    )
    wait_for("Router to drop the guideline", lambda: reported_guideline(cursor) is None, 30)
    lines = router_log()[log_mark:]
    restored = [line for line in lines if "Restore initial routing guidelines" in line]
    report.check(
        bool(restored),
        "fresh: without a guideline Router goes back to its own routing",
        (restored or ["-"])[0],
    )
    lab.check_log(lines, "fresh: Router log clean while a guideline came and went")
    lab.check_routing("after the guideline was removed")


def shown(version: Any) -> str:
    return "none" if version is None else ".".join(map(str, version))


def scenario_fresh(lab: Lab, capture: Path | None) -> None:
    """Current schema on an empty server, Router bootstrapped against it."""
    print(f"... scenario fresh: schema {shown(md.SCHEMA_VERSION)} from nothing", flush=True)
    report, cursor = lab.report, lab.cursor
    stop_router()
    drop_metadata()
    plan, cluster_id, first_actions = write_metadata(cursor)
    lab.grant_router()
    version = installed_version(cursor)
    report.check(
        plan == "install" and version == md.SCHEMA_VERSION,
        "fresh: metadata written",
        f"plan {plan}, schema_version {shown(version)}, cluster_id {cluster_id},"
        f" {first_actions} instance action(s)",
    )

    reset_digests()
    if capture:
        capture_start()
    lab.bootstrap_and_start("(fresh)")
    time.sleep(lab.steady)
    lab.check_routing("(fresh)")
    lab.check_registered(cluster_id, "(fresh)")
    lab.check_log(
        router_log(), f"fresh: Router log has no metadata/guideline warning or error after {lab.steady:.0f} s"
    )
    check_guideline_reads(report, "(fresh: bootstrap and start)")
    before = snapshot(cursor)

    plan_again, _, again = write_metadata(cursor)
    report.check(
        plan_again == "current" and not again,
        "fresh: converging again is a no-op",
        f"plan {plan_again}, {again} instance action(s)",
    )
    for statement in md.schema_statements():
        run(cursor, statement)
    log_mark = len(router_log())
    time.sleep(lab.steady)
    changed = changed_keys(before, snapshot(cursor))
    report.check(
        not changed, "fresh: schema DDL re-run changes nothing Router reads", ", ".join(sorted(changed))
    )
    lines = router_log()
    lab.check_log(
        lines[log_mark:], f"fresh: Router log clean {lab.steady:.0f} s after the re-run", expect_lines=False
    )
    lab.check_routing("after the re-run")
    others = other_warnings(lines)
    print(f"... other Router warnings (not metadata related): {len(others)}", flush=True)
    for line in others[:10]:
        print(f"    {line}", flush=True)
    print("... Router log excerpt (last 8 lines, cut at 220 characters):", flush=True)
    for line in lines[-8:]:
        print(f"    {line[:220]}", flush=True)
    check_guideline_roundtrip(lab, cluster_id)
    if capture:
        count = capture_write(capture, lab.router_ip)
        print(f"... {count} distinct statements written to {capture}", flush=True)


def scenario_upgrade(lab: Lab) -> None:
    """The toolkit's 2.2.0 schema, Router running on it, then a converge with the current module."""
    old = shipped_module()
    print(
        f"... scenario upgrade: schema {shown(old.SCHEMA_VERSION)} (innodb_metadata.py at"
        f" {V2_2_0_COMMIT[:10]}) -> {shown(md.SCHEMA_VERSION)} while Router runs",
        flush=True,
    )
    report, cursor = lab.report, lab.cursor
    stop_router()
    drop_metadata()
    plan, cluster_id, _ = write_metadata(cursor, old)
    lab.grant_router()
    version = installed_version(cursor)
    report.check(
        plan == "install" and version == (2, 2, 0),
        "upgrade: the toolkit's 2.2.0 schema written",
        f"plan {plan}, schema_version {shown(version)}",
    )
    lab.bootstrap_and_start("(on 2.2.0)")
    time.sleep(lab.steady)
    lab.check_routing("(on 2.2.0, before the upgrade)")
    lines = router_log()
    # Not a check: what Router 9.7 says about 2.2.0 (the reason for 2.3.0), for the record.
    print(
        f"... on 2.2.0, before the upgrade, Router logged {len(troubles(lines))} metadata line(s):",
        flush=True,
    )
    for line in troubles(lines)[:5]:
        print(f"    {line}", flush=True)

    before = snapshot(cursor)
    log_mark = len(lines)
    reset_digests()
    plan, _, actions = write_metadata(cursor)
    version = installed_version(cursor)
    report.check(
        plan == "upgrade" and version == md.SCHEMA_VERSION and not actions,
        "upgrade: converge with the current module upgrades the schema in place",
        f"plan {plan}, schema_version {shown(version)}, {actions} instance action(s)",
    )
    time.sleep(lab.steady)
    lab.check_routing("after the upgrade (Router not restarted)")
    check_guideline_reads(report, "after the upgrade (Router not restarted)")
    changed = changed_keys(before, snapshot(cursor))
    report.check(
        changed == UPGRADE_CHANGES,
        "upgrade: changes only schema_version and adds routing_guidelines among what Router reads",
        ", ".join(sorted(changed)),
    )
    lines = router_log()
    lab.check_log(
        lines[log_mark:],
        f"upgrade: Router log clean {lab.steady:.0f} s after the upgrade (no restart)",
        expect_lines=False,
    )
    plan_again, _, again = write_metadata(cursor)
    report.check(
        plan_again == "current" and not again,
        "upgrade: converging again is a no-op",
        f"plan {plan_again}, {again} instance action(s)",
    )

    restart_mark = len(router_log())
    stop_router()
    start_router()
    lab.wait_routing()
    time.sleep(lab.steady)
    lab.check_routing("after a Router restart on the upgraded schema")
    lab.check_registered(cluster_id, "(upgraded schema)")
    lines = router_log()
    lab.check_log(
        lines[restart_mark:],
        f"upgrade: Router restarted on the upgraded schema: log clean for {lab.steady:.0f} s",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="leave both lab hosts running")
    parser.add_argument("--steady", type=float, default=15.0, help="seconds of steady state per log check")
    parser.add_argument(
        "--scenario", choices=("fresh", "upgrade", "both"), default="both", help="which scenario(s) to run"
    )
    parser.add_argument(
        "--capture-queries",
        type=Path,
        help="write the distinct SQL Router sent (fresh scenario) to this file",
    )
    args = parser.parse_args(argv)
    if args.steady < 10:
        parser.error("--steady must be at least 10 seconds")

    report = Report()
    lab = Lab(report, args.steady)
    admin = None
    try:
        print("... starting lab hosts and installing packages", flush=True)
        start_hosts()
        router_version = on(ROUTER, "mysqlrouter", "--version").strip()
        lab.member_uuid = configure_group()
        server_version = root_sql("SELECT @@version").strip()
        print(f"... {router_version}; mysqld {server_version}; member {lab.member_uuid}", flush=True)

        create_account(
            ADMIN_USER, lab.admin_password, f"GRANT ALL ON *.* TO '{ADMIN_USER}'@'%' WITH GRANT OPTION;"
        )
        create_account(ROUTER_USER, lab.router_password)
        lab.router_ip = hosts.address(ROUTER, NETWORK)
        admin = connect(hosts.address(DB, NETWORK), 3306, ADMIN_USER, lab.admin_password)
        lab.cursor = admin.cursor()
        if args.scenario in ("fresh", "both"):
            scenario_fresh(lab, args.capture_queries)
        if args.scenario in ("upgrade", "both"):
            scenario_upgrade(lab)
    except Exception as error:
        report.check(False, "check run", f"{type(error).__name__}: {error}")
    finally:
        if admin is not None:
            admin.close()
        if args.keep:
            print(f"... --keep: hosts {DB} and {ROUTER} left running", flush=True)
        else:
            for name in (ROUTER, DB):
                hosts.destroy(name)
            hosts.remove_network(NETWORK)
    passed = sum(ok for ok, _, _ in report.rows)
    print(f"\n{'PASS' if report.passed else 'FAIL'}: {passed}/{len(report.rows)} checks")
    return 0 if report.passed else 1


if __name__ == "__main__":
    sys.exit(main())
