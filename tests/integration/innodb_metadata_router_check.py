#!/usr/bin/env python3
"""Real-Router check of the hand-written InnoDB Cluster metadata (module_utils/innodb_metadata.py).

Not a pytest test (slow, needs Docker and the sid lab image). Run from the repository root:

    PYTHONPATH=/work/main .venv/bin/python tests/integration/innodb_metadata_router_check.py [--keep]

It starts two lab hosts on their own network (metadata-check-db, metadata-check-router), installs
Debian's mysql-server and mysql-router, bootstraps a one-member Group Replication group over SQL,
writes the metadata with innodb_metadata.py, bootstraps MySQL Router against it with a pre-made
account (--account-create never), and asserts: 6446 lands on the member, Router's log holds no
metadata warning or error after a steady period, and re-running the schema DDL changes nothing
Router reads. Prints PASS/FAIL per check and exits 1 on any failure. Only the lab hosts' own
addresses (docker bridge) and `docker exec` are used.
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
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
METADATA_TROUBLE = re.compile(
    r"metadata|missing|cleared current routing table|privilege|v2_|schema_version|doesn't exist|denied",
    re.IGNORECASE,
)
# Router 9.x reads routing guidelines only from schema 2.3.0; on 2.2.0 it says so ONCE per process
# (EventStateTracker). Expected with the contract's 2.2.0: reported as KNOWN, tolerated once, never later.
KNOWN_ONCE = (
    re.compile(
        r"metadata_cache WARNING \[\w+\] "
        r"Could not fetch routing guidelines: metadata schema version not supported$"
    ),
)
LOG_LINE = re.compile(r"^\S+ \S+ (?P<module>\S+) (?P<level>[A-Z]+) \[[^\]]*\] (?P<text>.*)$")
# Columns Router itself rewrites while it runs: not part of "what the DDL re-run changed".
VOLATILE_COLUMNS = {"last_check_in"}
ROUTER_VIEWS = (
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
)


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


def write_metadata(cursor: Any) -> tuple[str, int]:
    """Schema, cluster row and instance rows as the role would write them; returns (cluster_id, actions)."""
    cursor.execute(*md.SCHEMA_PRESENT_QUERY)
    installed = None
    if cursor.fetchone()[0]:
        cursor.execute(*md.SCHEMA_VERSION_QUERY)
        installed = cursor.fetchone()
    md.schema_plan(installed)
    for statement in md.schema_statements():
        run(cursor, statement)
    cluster_id = md.cluster_id_for_group(GROUP_NAME)
    run(cursor, md.register_cluster_statement(cluster_id, CLUSTER_NAME, GROUP_NAME, "metadata check"))
    actions = md.reconcile_instances(current_rows(cursor, cluster_id), live_members(cursor))
    for action in actions:
        print(f"... metadata: {action.kind} {action.address} ({action.reason})", flush=True)
        run(cursor, action.statement(cluster_id))
    return cluster_id, len(actions)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes | bytearray) else str(value)


def snapshot(cursor: Any) -> dict[str, Any]:
    """Everything Router reads: each view's rows (minus columns Router rewrites) and every definition."""
    found: dict[str, Any] = {}
    for view in ROUTER_VIEWS:
        cursor.execute(f"SELECT * FROM {md.SCHEMA}.{view}")  # noqa: S608 (names are constants above)
        names = [c[0] for c in cursor.description]
        rows = [
            {n: _text(v) for n, v in zip(names, row, strict=True) if n not in VOLATILE_COLUMNS}
            for row in cursor.fetchall()
        ]  # fmt: skip
        found[f"rows:{view}"] = sorted(json.dumps(r, sort_keys=True) for r in rows)
    cursor.execute(
        "SELECT table_name, view_definition, security_type, is_updatable FROM information_schema.views"
        " WHERE table_schema = %s ORDER BY table_name",
        (md.SCHEMA,),
    )
    found["views"] = [list(map(str, row)) for row in cursor.fetchall()]
    cursor.execute(
        "SELECT table_name, column_name, column_type, is_nullable, column_default"
        " FROM information_schema.columns WHERE table_schema = %s ORDER BY table_name, ordinal_position",
        (md.SCHEMA,),
    )
    found["columns"] = [list(map(str, row)) for row in cursor.fetchall()]
    return found


def bootstrap_router(admin_password: str, router_password: str) -> str:
    on(ROUTER, "systemctl", "stop", ROUTER_UNIT, check=False)
    on(ROUTER, "systemctl", "reset-failed", ROUTER_UNIT, check=False)
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


def router_log() -> list[str]:
    return on(ROUTER, "cat", ROUTER_LOG, check=False).splitlines()


def known_once(line: str) -> bool:
    return any(pattern.search(line) for pattern in KNOWN_ONCE)


def troubles(lines: list[str], tolerate_known: bool = True) -> list[str]:
    """Warnings/errors about the metadata or its account, and any routing-table clear.

    A KNOWN_ONCE line counts as trouble from its second occurrence on.
    """
    bad = []
    seen: set[str] = set()
    for line in lines:
        if tolerate_known and known_once(line):
            key = LOG_LINE.sub(r"\g<text>", line)
            if key not in seen:
                seen.add(key)
                continue
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
        if (
            match
            and match["level"] in ("WARNING", "ERROR", "FATAL")
            and not troubles([line])
            and not known_once(line)
        ):
            out.append(line)
    return out


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="leave both lab hosts running")
    parser.add_argument("--steady", type=float, default=15.0, help="seconds of steady state per log check")
    parser.add_argument(
        "--capture-queries", type=Path, help="write the distinct SQL Router sent to this file"
    )
    args = parser.parse_args(argv)
    if args.steady < 10:
        parser.error("--steady must be at least 10 seconds")

    report = Report()
    admin_password = secrets.token_urlsafe(18)
    router_password = secrets.token_urlsafe(18)
    try:
        print("... starting lab hosts and installing packages", flush=True)
        start_hosts()
        router_version = on(ROUTER, "mysqlrouter", "--version").strip()
        member_uuid = configure_group()
        server_version = root_sql("SELECT @@version").strip()
        print(f"... {router_version}; mysqld {server_version}; member {member_uuid}", flush=True)

        create_account(
            ADMIN_USER, admin_password, f"GRANT ALL ON *.* TO '{ADMIN_USER}'@'%' WITH GRANT OPTION;"
        )
        db_ip = hosts.address(DB, NETWORK)
        router_ip = hosts.address(ROUTER, NETWORK)
        admin = connect(db_ip, 3306, ADMIN_USER, admin_password)
        cursor = admin.cursor()
        cluster_id, first_actions = write_metadata(cursor)
        create_account(ROUTER_USER, router_password)
        for grant in md.router_account_grants(ROUTER_USER, "%"):
            run(cursor, grant)
        report.check(True, "metadata written", f"cluster_id {cluster_id}, {first_actions} instance action(s)")

        if args.capture_queries:
            capture_start()
        output = bootstrap_router(admin_password, router_password)
        report.check(
            f"configured for the InnoDB Cluster '{CLUSTER_NAME}'" in output,
            "mysqlrouter --bootstrap --account-create never",
            " | ".join(line.strip() for line in output.splitlines() if "password" not in line.lower())[:400],
        )
        start_router()
        wait_for(
            "Router port 6446",
            lambda: server_uuid_via(router_ip, 6446, ADMIN_USER, admin_password) == member_uuid,
            timeout=60,
        )
        time.sleep(args.steady)
        landed = server_uuid_via(router_ip, 6446, ADMIN_USER, admin_password)
        report.check(landed == member_uuid, "6446 lands on the member", f"@@server_uuid {landed}")
        landed_ro = server_uuid_via(router_ip, 6447, ADMIN_USER, admin_password)
        report.check(
            landed_ro == member_uuid, "6447 falls back to the only member", f"@@server_uuid {landed_ro}"
        )
        cursor.execute(
            "SELECT router_name, address, cluster_id, last_check_in IS NOT NULL, version"
            " FROM mysql_innodb_cluster_metadata.v2_routers"
        )
        routers = cursor.fetchall()
        report.check(
            len(routers) == 1 and routers[0][:4] == ("check", ROUTER, cluster_id, 1),
            "Router registered itself and checks in (v2_routers)",
            repr(routers),
        )
        lines = router_log()
        bad = troubles(lines)
        known = [line for line in lines if known_once(line)]
        report.check(
            not bad and bool(lines),
            f"Router log: no metadata warning/error after {args.steady:.0f} s",
            f"{len(lines)} lines, {len(bad)} problem(s)"
            + "".join(f"\n    {b}" for b in bad[:20])
            + "".join(f"\n    KNOWN (once, schema 2.2.0): {k}" for k in known[:1]),
        )
        before = snapshot(cursor)

        for statement in md.schema_statements():
            run(cursor, statement)
        again = md.reconcile_instances(current_rows(cursor, cluster_id), live_members(cursor))
        report.check(not again, "reconcile after writing proposes nothing", ", ".join(a.kind for a in again))
        log_mark = len(router_log())
        time.sleep(args.steady)
        after = snapshot(cursor)
        changed = [key for key in before if before[key] != after.get(key)]
        report.check(not changed, "schema DDL re-run changes nothing Router reads", ", ".join(changed))
        lines = router_log()
        bad = troubles(lines[log_mark:], tolerate_known=False)
        report.check(
            not bad,
            f"Router log clean {args.steady:.0f} s after the re-run",
            f"{len(lines) - log_mark} new lines" + "".join(f"\n    {b}" for b in bad[:20]),
        )
        landed = server_uuid_via(router_ip, 6446, ADMIN_USER, admin_password)
        report.check(landed == member_uuid, "6446 still lands on the member after the re-run", landed)
        others = other_warnings(lines)
        print(f"... other Router warnings (not metadata related): {len(others)}", flush=True)
        for line in others[:10]:
            print(f"    {line}", flush=True)
        print("... Router log excerpt (last 12 lines):", flush=True)
        for line in lines[-12:]:
            print(f"    {line}", flush=True)
        if args.capture_queries:
            count = capture_write(args.capture_queries, router_ip)
            print(f"... {count} distinct statements written to {args.capture_queries}", flush=True)
        admin.close()
    except Exception as error:
        report.check(False, "check run", f"{type(error).__name__}: {error}")
    finally:
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
