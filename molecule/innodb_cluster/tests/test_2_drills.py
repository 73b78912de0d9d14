"""Failure drills on the converged cluster, in order; each leaves the cluster healthy for the next.

Numbers (seconds without a successful write, rejoin times) are printed and saved to
.cache/drills/innodb_cluster.json in the repository.
"""

import json
import os
import secrets
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
sys.path.insert(0, str(ROOT))

from lab import innodb_drills as drills  # noqa: E402
from lab.molecule_play import run_playbook  # noqa: E402

SCENARIO = Path(__file__).resolve().parents[1]
MEMBERS = ["idb-db1", "idb-db2", "idb-db3"]
ROUTER = "idb-router"
MYSQL_PORT = 3307  # the scenario's innodb_cluster_port
SECRETS = Path.home() / ".cache" / "sinpluma-lab" / "secrets" / "molecule-innodb"
RESULTS = ROOT / ".cache" / "drills" / "innodb_cluster.json"
NUMBERS: dict[str, float] = {}


def record(name, value):
    NUMBERS[name] = round(value, 2)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(NUMBERS, indent=2) + "\n")
    print(f"[drill] {name} = {value:.2f}", file=sys.stderr)


def playbook(name, *extra):
    """A playbook (a name in this scenario, or a path) against the scenario's hosts; results as
    one-line JSON, so messages are matched as MySQL and the role wrote them."""
    return run_playbook(SCENARIO / name, *extra, json_results=True)


def gap_report(result):
    """A writer's result without its list of acknowledged sequences: where the gap was, and the
    first errors with their offsets."""
    return {key: value for key, value in result.items() if key != "acknowledged"}


def stop_after_tail(router, label, tail=5):
    """End a writer a few seconds after the playbook under test returned: a gap that the last
    handler opened is still measured, and no drill waits out a fixed writer duration."""
    time.sleep(tail)
    return drills.stop_writer(router, label)


@pytest.fixture(scope="module", autouse=True)
def writer_ready():
    drills.wait_online(MEMBERS, set(MEMBERS))
    drills.prepare_writer(ROUTER, (SECRETS / "app").read_text().split()[0], MEMBERS)


def assert_every_acknowledged_write_is_stored(result):
    acked = set(result["acknowledged"])
    assert acked, "the writer never succeeded"
    stored = drills.stored_sequences(drills.primary(MEMBERS).host, result["run"])
    assert acked <= stored, f"{len(acked - stored)} acknowledged writes are missing"


@pytest.fixture
def router_log_stays_routed():
    """Router may log the failover, but must never be left without any route."""
    offset = drills.router_log_size(ROUTER)
    yield
    written = drills.router_log_since(ROUTER, offset)
    assert "cleared current routing table" not in written.lower(), written[-3000:]


@pytest.mark.usefixtures("router_log_stays_routed")
def test_kill_9_of_the_primary_under_write_load():
    old = drills.primary(MEMBERS)
    drills.start_writer(ROUTER, "kill9", seconds=45)
    time.sleep(8)
    drills.kill_mysqld(old.host)
    result = drills.wait_writer(ROUTER, "kill9", timeout=120)
    record("primary_kill9_write_gap_s", result["longest_gap_s"])
    assert result["longest_gap_s"] < 30, gap_report(result)
    rejoin = drills.wait_online(MEMBERS, set(MEMBERS), timeout=240)
    record("primary_kill9_rejoin_s", rejoin)
    assert_every_acknowledged_write_is_stored(result)
    # The restarted old primary came up super_read_only and rejoined: no transaction under its own uuid.
    for host in MEMBERS:
        assert not drills.own_gtids(host, old.server_uuid), f"errant GTID of {old.host} on {host}"


@pytest.mark.usefixtures("router_log_stays_routed")
def test_planned_stop_of_the_primary_hands_over_first():
    old = drills.primary(MEMBERS)
    drills.start_writer(ROUTER, "plannedstop", seconds=25)
    time.sleep(5)
    started = time.monotonic()
    drills.run(old.host, "systemctl stop mysql")
    record("primary_planned_stop_s", time.monotonic() - started)
    result = drills.wait_writer(ROUTER, "plannedstop", timeout=90)
    record("primary_planned_stop_write_gap_s", result["longest_gap_s"])
    assert time.monotonic() - started < 60
    assert NUMBERS["primary_planned_stop_s"] <= 15, NUMBERS
    assert result["longest_gap_s"] <= 2, gap_report(result)
    journal = drills.run(old.host, "journalctl -u mysql --since '-2min' --no-pager").stdout
    assert "primary handed over to" in journal, journal[-2000:]
    assert drills.primary(MEMBERS).host != old.host
    drills.run(old.host, "systemctl start mysql")
    record("planned_stop_rejoin_s", drills.wait_online(MEMBERS, set(MEMBERS)))
    assert_every_acknowledged_write_is_stored(result)


ADDRESS = ["docker", "inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}"]


@pytest.mark.usefixtures("router_log_stays_routed")
def test_reboot_of_the_primary_hands_over_first():
    """The whole host goes down as at shutdown (systemd stops every unit), then boots again."""
    old = drills.primary(MEMBERS)
    drills.start_writer(ROUTER, "reboot", seconds=30)
    time.sleep(5)
    address = subprocess.run([*ADDRESS, old.host], check=True, capture_output=True, text=True).stdout
    subprocess.run(["docker", "stop", "--time", "60", old.host], check=True, capture_output=True)
    result = drills.wait_writer(ROUTER, "reboot", timeout=90)
    record("primary_reboot_write_gap_s", result["longest_gap_s"])
    subprocess.run(["docker", "start", old.host], check=True, capture_output=True)
    # The firewall rules of the other hosts name this address: the lab host must keep it.
    assert subprocess.run([*ADDRESS, old.host], check=True, capture_output=True, text=True).stdout == address
    record("reboot_rejoin_s", drills.wait_online(MEMBERS, set(MEMBERS), timeout=240))
    assert result["longest_gap_s"] <= 2, gap_report(result)
    assert drills.primary(MEMBERS).host != old.host
    assert_every_acknowledged_write_is_stored(result)


@pytest.mark.usefixtures("router_log_stays_routed")
def test_restarted_secondary_rejoins_by_itself():
    secondary = next(m for m in drills.group(MEMBERS) if m.role == "SECONDARY")
    drills.run(secondary.host, "systemctl restart mysql")
    record("secondary_restart_rejoin_s", drills.wait_online(MEMBERS, set(MEMBERS)))


def handovers_since(since: str) -> int:
    """How many planned handovers the members' journals show since `since` (journalctl time)."""
    return sum(
        drills.run(host, f"journalctl -u mysql --since '{since}' --no-pager -o cat").stdout.count(
            "primary handed over to"
        )
        for host in MEMBERS
    )


def journal_now(host: str) -> str:
    return drills.run(host, "date '+%Y-%m-%d %H:%M:%S'").stdout.strip()


def uptimes() -> dict[str, int]:
    return {
        host: int(drills.sql(host, "SELECT VARIABLE_VALUE FROM performance_schema.global_status "
                                   "WHERE VARIABLE_NAME = 'Uptime'")[0][0])
        for host in MEMBERS
    }  # fmt: skip


SETTINGS = "innodb_cluster_extra_settings"
CNF = "/etc/mysql/mysql.conf.d/zz-sinpluma-cluster.cnf"


@pytest.mark.usefixtures("router_log_stays_routed")
def test_static_setting_rolls_through_with_one_handover():
    since = journal_now(MEMBERS[0])
    drills.start_writer(ROUTER, "static", seconds=900)
    time.sleep(3)
    rc, output = playbook("converge.yml", "-e", json.dumps({SETTINGS: {"innodb_read_io_threads": 8}}))
    result = stop_after_tail(ROUTER, "static")
    assert rc == 0, output[-4000:]
    record("static_setting_rolling_write_gap_s", result["longest_gap_s"])
    assert result["longest_gap_s"] <= 2, gap_report(result)
    assert handovers_since(since) == 1
    for host in MEMBERS:
        assert drills.sql(host, "SELECT @@innodb_read_io_threads")[0][0] == "8", host
    assert_every_acknowledged_write_is_stored(result)


def test_invalid_setting_is_refused_before_any_member_restarts():
    before = uptimes()
    files = {host: drills.run(host, f"cat {CNF}").stdout for host in MEMBERS}
    rc, output = playbook("converge.yml", "-e", json.dumps({SETTINGS: {"innodb_read_io_threads": "lots"}}))
    assert rc != 0
    assert "innodb-read-io-threads" in output or "innodb_read_io_threads" in output, output[-3000:]
    after = uptimes()
    assert all(after[host] >= before[host] for host in MEMBERS), (before, after)
    assert {host: drills.run(host, f"cat {CNF}").stdout for host in MEMBERS} == files


def test_live_setting_changes_without_a_restart():
    before = uptimes()
    extra = {SETTINGS: {"innodb_read_io_threads": 8}, "innodb_cluster_max_connections": 321}
    rc, output = playbook("converge.yml", "-e", json.dumps(extra))
    assert rc == 0, output[-4000:]
    after = uptimes()
    for host in MEMBERS:
        assert drills.sql(host, "SELECT @@max_connections")[0][0] == "321", host
        assert after[host] > before[host], f"{host} restarted for a setting MySQL changes live"
    # Back to the role's defaults for the drills that follow (a restart: the extra setting goes).
    rc, output = playbook("converge.yml")
    assert rc == 0, output[-4000:]


@pytest.mark.usefixtures("router_log_stays_routed")
def test_rolling_restart_playbook_under_writes():
    drills.start_writer(ROUTER, "rolling", seconds=900)
    time.sleep(3)
    rc, output = playbook(str(ROOT / "playbooks" / "innodb_rolling_restart.yml"))
    result = stop_after_tail(ROUTER, "rolling")
    assert rc == 0, output[-4000:]
    record("rolling_restart_write_gap_s", result["longest_gap_s"])
    assert result["longest_gap_s"] <= 2, gap_report(result)
    drills.wait_online(MEMBERS, set(MEMBERS))
    assert_every_acknowledged_write_is_stored(result)


def test_drifted_cluster_account_is_refused_with_the_difference():
    """An extra grant and another password on the cluster admin account (changed on the primary,
    so on every member): the run stops and says which account differs and how, no secret shown."""
    primary = drills.primary(MEMBERS).host
    password = (SECRETS / "admin").read_text().split()[0]
    drills.sql(
        primary,
        "GRANT CREATE ON *.* TO 'clusteradmin'@'%'; "
        "ALTER USER 'clusteradmin'@'%' IDENTIFIED BY 'Drifted-Passw0rd'",
    )
    try:
        rc, output = playbook("converge.yml")
        assert rc != 0
        assert "'clusteradmin'@'%' on this member differs from the inventory" in output, output[-4000:]
        assert "REVOKE CREATE ON *.* FROM 'clusteradmin'@'%'" in output
        assert "ALTER USER 'clusteradmin'@'%' (password)" in output
        assert "Drifted-Passw0rd" not in output and password not in output
    finally:
        drills.sql(primary, f"REVOKE CREATE ON *.* FROM 'clusteradmin'@'%'; "
                            f"ALTER USER 'clusteradmin'@'%' IDENTIFIED BY '{password}'")  # fmt: skip
    # The next drill's converge (rc == 0 asserted) shows the repaired account is accepted again.


# Secret file (the vault value in this scenario) → account.
ROTATED_ACCOUNTS = {
    "admin": "clusteradmin",
    "recovery": "gr_recovery",
    "router-idb-router": "router_idb_router",
}


def logs_in(host, user, password):
    """A TLS login over TCP loopback on the member, as MySQL checks any client."""
    login = f"mysql -h 127.0.0.1 -P {MYSQL_PORT} -u {user} --ssl-mode=REQUIRED -N -e 'SELECT 1'"
    command = f"MYSQL_PWD={shlex.quote(password)} {login}"
    return drills.run(host, command, check=False).returncode == 0


@pytest.mark.usefixtures("router_log_stays_routed")
def test_rotation_of_the_cluster_and_router_passwords_under_writes():
    """New vault values for the admin, recovery and router accounts, one playbook run: every member
    takes them with no restart, each recovery channel uses the new recovery password, Router
    restarts once with its new one, writes never stop for more than 2 s, the old passwords stop
    working, and a restarted member recovers from a donor with the new recovery password."""
    old = {name: (SECRETS / name).read_text().split()[0] for name in ROTATED_ACCOUNTS}
    new = {name: "R0t" + secrets.token_hex(12) for name in ROTATED_ACCOUNTS}
    before = uptimes()
    for name, password in new.items():
        (SECRETS / name).write_text(password)
    drills.start_writer(ROUTER, "rotation", seconds=900)
    time.sleep(3)
    rc, output = playbook("converge.yml")
    result = stop_after_tail(ROUTER, "rotation")
    assert rc == 0, output[-4000:]
    record("password_rotation_write_gap_s", result["longest_gap_s"])
    assert result["longest_gap_s"] <= 2, gap_report(result)
    assert_every_acknowledged_write_is_stored(result)
    assert "R0t" not in output, "a new password reached the playbook output"
    after = uptimes()
    for host in MEMBERS:
        assert after[host] > before[host], f"{host} restarted for a password rotation"
        for name, user in ROTATED_ACCOUNTS.items():
            assert logs_in(host, user, new[name]), f"{host}: the new {name} password is refused"
            assert not logs_in(host, user, old[name]), f"{host}: the old {name} password still works"
        stored = drills.sql(
            host,
            "SELECT User_name, User_password = '" + new["recovery"] + "' FROM mysql.slave_master_info "
            "WHERE Channel_name = 'group_replication_recovery'",
        )
        assert stored == [["gr_recovery", "1"]], f"{host}: the recovery channel does not use the new password"
    # Distributed recovery logs in to a donor with the stored (new) credentials.
    secondary = next(m for m in drills.group(MEMBERS) if m.role == "SECONDARY").host
    drills.run(secondary, "systemctl stop mysql")
    row = f"INSERT INTO {drills.DRILL_TABLE} (run, seq) VALUES ('rotated', 1)"
    drills.sql(drills.primary(MEMBERS).host, row)
    drills.run(secondary, "systemctl start mysql")
    record("rotation_rejoin_s", drills.wait_online(MEMBERS, set(MEMBERS), timeout=120))
    assert drills.stored_sequences(secondary, "rotated") == {1}


def test_complete_outage_then_playbook_brings_every_write_back():
    before = drills.sql(drills.primary(MEMBERS).host, f"SELECT COUNT(*) FROM {drills.DRILL_TABLE}")[0][0]
    for host in MEMBERS:
        drills.run(host, "systemctl stop mysql")
    for host in MEMBERS:
        drills.run(host, "systemctl start mysql")
    rc, output = playbook("converge.yml")
    assert rc == 0, output[-4000:]
    assert "reboot" in output
    drills.wait_online(MEMBERS, set(MEMBERS))
    after = drills.sql(drills.primary(MEMBERS).host, f"SELECT COUNT(*) FROM {drills.DRILL_TABLE}")[0][0]
    assert after == before


def test_errant_member_is_refused_then_repaired_by_forced_clone():
    victim = next(m for m in drills.group(MEMBERS) if m.role == "SECONDARY")
    drills.sql(
        victim.host,
        "STOP GROUP_REPLICATION; SET GLOBAL super_read_only = OFF; "
        "INSERT INTO sinpluma.verify (note) VALUES ('errant'); SET GLOBAL super_read_only = ON",
    )
    assert drills.own_gtids(victim.host, victim.server_uuid)
    rc, output = playbook("converge.yml")
    assert rc != 0
    assert f"{victim.host} has errant transactions" in output
    rc, output = playbook("converge.yml", "-e", json.dumps({"innodb_cluster_force_clone": [victim.host]}))
    assert rc == 0, output[-4000:]
    drills.wait_online(MEMBERS, set(MEMBERS))
    assert not drills.own_gtids(victim.host, victim.server_uuid)
    clone = drills.sql(victim.host, "SELECT STATE FROM performance_schema.clone_status")
    assert clone and clone[0][0] == "Completed"


def test_fourth_member_joins_by_clone_and_leaves_with_the_inventory():
    grown = [*MEMBERS, "idb-db4"]
    for host in MEMBERS:  # no binary log left to recover from: the new member must be cloned
        drills.sql(host, "FLUSH BINARY LOGS; PURGE BINARY LOGS BEFORE NOW()")
    rc, output = playbook("grow.yml")
    assert rc == 0, output[-4000:]
    assert "even count" in output
    drills.wait_online(grown, set(grown))
    clone = drills.sql("idb-db4", "SELECT STATE FROM performance_schema.clone_status")
    assert clone and clone[0][0] == "Completed"
    rc, output = playbook("converge.yml")
    assert rc == 0, output[-4000:]
    drills.wait_online(MEMBERS, set(MEMBERS))
    rows = drills.sql(
        drills.primary(MEMBERS).host, "SELECT address FROM mysql_innodb_cluster_metadata.instances"
    )
    assert sorted(r[0] for r in rows) == [f"{h}:{MYSQL_PORT}" for h in MEMBERS]


def primary_uuid_through(port):
    """@@server_uuid of the member Router's port `port` leads to, as the application account."""
    password = (SECRETS / "app").read_text().split()[0]
    command = (
        f"MYSQL_PWD={shlex.quote(password)} mysql -h 127.0.0.1 -P {port} -u sinpluma_app "
        "--ssl-mode=REQUIRED -NBe 'SELECT @@server_uuid'"
    )
    return drills.run(ROUTER, command).stdout.strip()


def test_router_refuses_a_port_change_until_asked_to_bootstrap_again():
    moved = {"mysql_router_rw_port": 7446}
    rc, output = playbook("converge.yml", "--limit", ROUTER, "-e", json.dumps(moved))
    assert rc != 0
    assert "[routing:bootstrap_rw] bind_port is 6446 (inventory: 7446)" in output, output[-3000:]
    assert "mysql_router_rebootstrap=true" in output
    assert primary_uuid_through(6446) == drills.primary(MEMBERS).server_uuid  # still serving as before
    assert "7446" not in drills.run(ROUTER, "nft list ruleset").stdout  # the firewall did not move either

    rc, output = playbook(
        "converge.yml", "--limit", ROUTER, "-e", json.dumps({**moved, "mysql_router_rebootstrap": True})
    )
    assert rc == 0, output[-4000:]
    assert primary_uuid_through(7446) == drills.primary(MEMBERS).server_uuid
    assert drills.run(ROUTER, "ss -Htln 'sport = :6446'").stdout.strip() == ""

    rc, output = playbook(
        "converge.yml", "--limit", ROUTER, "-e", json.dumps({"mysql_router_rebootstrap": True})
    )
    assert rc == 0, output[-4000:]
    assert primary_uuid_through(6446) == drills.primary(MEMBERS).server_uuid
    rows = drills.sql(
        drills.primary(MEMBERS).host, "SELECT COUNT(*) FROM mysql_innodb_cluster_metadata.v2_routers"
    )
    assert rows == [["1"]], "bootstrapping again registered a second router"
