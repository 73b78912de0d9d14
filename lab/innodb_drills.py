"""Failure drills on a lab InnoDB Cluster: shared by the Molecule drills and bench/innodb_failover.py.

Everything goes through `docker exec` into the lab hosts (the project's own test hosts); the write
load comes from bench/innodb_writer.py running on the router host against Router on loopback.
"""

from __future__ import annotations

import json
import shlex
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITER = ROOT / "bench" / "innodb_writer.py"
DRILL_TABLE = "sinpluma.drill_writes"


def run(
    host: str, command: str, check: bool = True, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ["docker", "exec", host, "bash", "-c", command], capture_output=True, text=True, timeout=timeout
    )
    if check and result.returncode != 0:
        raise RuntimeError(f"{host}: {command!r} failed ({result.returncode}): {result.stderr.strip()}")
    return result


def sql(host: str, statement: str, check: bool = True) -> list[list[str]]:
    """Run SQL as root over the member's socket; rows as lists of strings."""
    result = run(host, f"mysql -NBe {shlex.quote(statement)}", check=check, timeout=60)
    return [line.split("\t") for line in result.stdout.splitlines() if line]


@dataclass(frozen=True)
class Member:
    host: str
    state: str
    role: str
    server_uuid: str


def group(members: list[str]) -> list[Member]:
    """The group as seen from the first member that answers and is in it (empty if none)."""
    for host in members:
        try:
            rows = sql(
                host,
                "SELECT MEMBER_HOST, MEMBER_STATE, MEMBER_ROLE, MEMBER_ID "
                "FROM performance_schema.replication_group_members",
            )
        except (RuntimeError, subprocess.TimeoutExpired):
            continue
        found = [Member(*row) for row in rows if len(row) == 4 and row[1] in ("ONLINE", "RECOVERING")]
        if found:
            return found
    return []


def primary(members: list[str]) -> Member:
    for member in group(members):
        if member.role == "PRIMARY" and member.state == "ONLINE":
            return member
    raise RuntimeError(f"no ONLINE primary among {members}")


def wait_online(members: list[str], expected: set[str], timeout: float = 180) -> float:
    """Wait until exactly `expected` hosts are ONLINE; returns the seconds it took."""
    started = time.monotonic()
    seen: list[Member] = []
    while time.monotonic() - started < timeout:
        seen = group(members)
        if {m.host for m in seen if m.state == "ONLINE"} == expected and len(seen) == len(expected):
            return time.monotonic() - started
        time.sleep(1)
    raise RuntimeError(f"group did not reach ONLINE {sorted(expected)} in {timeout:.0f} s; last view: {seen}")


def prepare_writer(router: str, password: str, members: list[str]) -> None:
    """Copy the writer and the application password to the router host; create the drill table."""
    subprocess.run(["docker", "cp", str(WRITER), f"{router}:/root/innodb_writer.py"], check=True)
    run(
        router,
        "python3 -c 'import mysql.connector' 2>/dev/null || apt-get install -y -qq python3-mysql.connector",
    )
    run(router, f"umask 077; printf %s {shlex.quote(password)} > /root/drill-app.pw")
    sql(
        primary(members).host,
        f"CREATE TABLE IF NOT EXISTS {DRILL_TABLE} (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
        "run VARCHAR(40) NOT NULL, seq INT NOT NULL, UNIQUE KEY run_seq (run, seq))",
    )


def start_writer(router: str, label: str, seconds: float, user: str = "sinpluma_app") -> None:
    run(
        router,
        f"nohup python3 /root/innodb_writer.py --user {user} --password-file /root/drill-app.pw "
        f"--run {label} --seconds {seconds} --table {DRILL_TABLE} --out /root/{label}.json "
        f">/root/{label}.log 2>&1 &",
    )


def stop_writer(router: str, label: str, timeout: float = 30) -> dict:
    """End a writer before its --seconds (SIGTERM) and return its result."""
    run(router, f"pkill -TERM -f 'innodb_writer[.]py .*--run {label} '", check=False)  # [.]: not this shell
    return wait_writer(router, label, timeout)


def wait_writer(router: str, label: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = run(router, f"cat /root/{label}.json", check=False)
        if result.returncode == 0 and result.stdout.strip():
            return json.loads(result.stdout)
        time.sleep(1)
    log = run(router, f"cat /root/{label}.log", check=False).stdout
    raise RuntimeError(f"writer {label} gave no result in {timeout:.0f} s: {log[-2000:]}")


def stored_sequences(host: str, label: str) -> set[int]:
    return {int(row[0]) for row in sql(host, f"SELECT seq FROM {DRILL_TABLE} WHERE run = '{label}'")}


def own_gtids(host: str, server_uuid: str) -> bool:
    """True when the member executed transactions under `server_uuid` (writes outside the group)."""
    executed = sql(host, "SELECT @@gtid_executed")[0][0].replace("\\n", "")
    return server_uuid.lower() in executed.lower()


def kill_mysqld(host: str) -> None:
    run(host, "pkill -9 -x mysqld")


def switchover(members: list[str], to_host: str) -> None:
    target = next(m for m in group(members) if m.host == to_host)
    sql(primary(members).host, f"SELECT group_replication_set_as_primary('{target.server_uuid}')")


ROUTER_LOG = "/var/lib/mysqlrouter/sinpluma/log/mysqlrouter.log"


def router_log_size(router: str) -> int:
    return int(run(router, f"stat -c %s {ROUTER_LOG}").stdout.strip())


def router_log_since(router: str, offset: int) -> str:
    return run(router, f"tail -c +{offset + 1} {ROUTER_LOG}").stdout
