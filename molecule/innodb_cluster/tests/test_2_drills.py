"""Failure drills on the converged cluster, in order; each leaves the cluster healthy for the next.

Numbers (seconds without a successful write, rejoin times) are printed and saved to
.cache/drills/innodb_cluster.json in the repository.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(os.environ.get("MOLECULE_PROJECT_DIRECTORY", Path(__file__).resolve().parents[3]))
sys.path.insert(0, str(ROOT))

from lab import innodb_drills as drills  # noqa: E402

SCENARIO = Path(__file__).resolve().parents[1]
MEMBERS = ["idb-db1", "idb-db2", "idb-db3"]
ROUTER = "idb-router"
SECRETS = Path.home() / ".cache" / "sinpluma-lab" / "secrets" / "molecule-innodb"
RESULTS = ROOT / ".cache" / "drills" / "innodb_cluster.json"
NUMBERS: dict[str, float] = {}


def record(name, value):
    NUMBERS[name] = round(value, 2)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(NUMBERS, indent=2) + "\n")
    print(f"[drill] {name} = {value:.2f}", file=sys.stderr)


def playbook(name, *extra):
    """Run a scenario playbook with the repository's Ansible settings; returns (rc, output)."""
    inventory = Path(os.environ["MOLECULE_INVENTORY_FILE"]).parent
    env = {**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"), "ANSIBLE_NOCOLOR": "1"}
    result = subprocess.run(
        ["ansible-playbook", "-i", str(inventory), str(SCENARIO / name), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


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
    assert result["longest_gap_s"] < 30, result
    rejoin = drills.wait_online(MEMBERS, set(MEMBERS), timeout=240)
    record("primary_kill9_rejoin_s", rejoin)
    assert_every_acknowledged_write_is_stored(result)
    # The restarted old primary came up super_read_only and rejoined: no transaction under its own uuid.
    for host in MEMBERS:
        assert not drills.own_gtids(host, old.server_uuid), f"errant GTID of {old.host} on {host}"


@pytest.mark.usefixtures("router_log_stays_routed")
def test_clean_stop_of_the_primary():
    old = drills.primary(MEMBERS)
    drills.start_writer(ROUTER, "cleanstop", seconds=25)
    time.sleep(5)
    drills.run(old.host, "systemctl stop mysql")
    result = drills.wait_writer(ROUTER, "cleanstop", timeout=90)
    record("primary_clean_stop_write_gap_s", result["longest_gap_s"])
    assert result["longest_gap_s"] < 15, result
    assert drills.primary(MEMBERS).host != old.host
    drills.run(old.host, "systemctl start mysql")
    record("clean_stop_rejoin_s", drills.wait_online(MEMBERS, set(MEMBERS)))
    assert_every_acknowledged_write_is_stored(result)


@pytest.mark.usefixtures("router_log_stays_routed")
def test_restarted_secondary_rejoins_by_itself():
    secondary = next(m for m in drills.group(MEMBERS) if m.role == "SECONDARY")
    drills.run(secondary.host, "systemctl restart mysql")
    record("secondary_restart_rejoin_s", drills.wait_online(MEMBERS, set(MEMBERS)))


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
    assert sorted(r[0] for r in rows) == [f"{h}:3306" for h in MEMBERS]
