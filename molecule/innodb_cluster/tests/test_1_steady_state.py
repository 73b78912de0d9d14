"""The converged cluster, checked through the real members and the real Router."""

import os
from pathlib import Path

import pytest
import testinfra

SECRETS = Path.home() / ".cache" / "sinpluma-lab" / "secrets" / "molecule-innodb"
MEMBERS = ["idb-db1", "idb-db2", "idb-db3"]
INVENTORY = os.environ["MOLECULE_INVENTORY_FILE"]


def host(name):
    return testinfra.get_host(f"ansible://{name}?ansible_inventory={INVENTORY}")


def secret(name):
    return (SECRETS / name).read_text().split()[0]


def sql(node, statement, port=None, user=None, password=None):
    """Run SQL; through Router (port) as an account, or as root over the local socket."""
    if port:
        command = (
            f"MYSQL_PWD='{password}' mysql -h127.0.0.1 -P{port} -u{user} --ssl-mode=REQUIRED "
            f'-NBe "{statement}"'
        )
    else:
        command = f'mysql -NBe "{statement}"'
    return node.run(command)


@pytest.fixture(scope="module")
def members():
    return {name: host(name) for name in MEMBERS}


@pytest.fixture(scope="module")
def router():
    return host("idb-router")


@pytest.fixture(scope="module")
def group(members):
    rows = sql(members["idb-db1"], "SELECT MEMBER_HOST, MEMBER_STATE, MEMBER_ROLE, MEMBER_ID "
               "FROM performance_schema.replication_group_members").stdout.split("\n")  # fmt: skip
    return [row.split("\t") for row in rows if row]


def app(router, statement, port=6446):
    return sql(router, statement, port=port, user="sinpluma_app", password=secret("app"))


def test_three_members_online_one_primary(group):
    assert sorted(r[0] for r in group) == MEMBERS
    assert {r[1] for r in group} == {"ONLINE"}
    assert [r[2] for r in group].count("PRIMARY") == 1


def test_the_seed_recovered_from_a_failed_first_initialisation(members):
    # prepare.yml made the seed's first datadir initialisation fail; the role must have started
    # again from an empty datadir (a second initialisation), not retried on the half-made one.
    seed = members["idb-db1"]
    assert seed.file("/root/mysqld-init-failed-once").exists
    initialisations = seed.run("grep -c 'initializing of server in progress' /var/log/mysql/error.log")
    assert initialisations.stdout.strip() == "2", initialisations.stdout
    for name, node in members.items():
        schemas = sql(node, "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = 'sys'")
        assert schemas.stdout.strip() == "1", name


def test_no_member_has_transactions_of_its_own(members, group):
    """Every transaction came through the group: none carries a member's own server_uuid."""
    uuids = {row[3].lower() for row in group}
    for name, node in members.items():
        executed = sql(node, "SELECT @@gtid_executed").stdout.replace("\\n", "").lower()
        assert not any(uuid in executed for uuid in uuids), f"{name}: {executed}"


def test_super_read_only_everywhere_but_the_primary(members, group):
    primary = next(r[0] for r in group if r[2] == "PRIMARY")
    for name, node in members.items():
        value = sql(node, "SELECT @@global.super_read_only").stdout.strip()
        assert value == ("0" if name == primary else "1"), name


def test_write_through_6446_lands_on_the_primary(members, router, group):
    primary = next(r for r in group if r[2] == "PRIMARY")
    created = sql(members[primary[0]], "CREATE TABLE IF NOT EXISTS sinpluma.verify (id INT AUTO_INCREMENT "
                  "PRIMARY KEY, note VARCHAR(40))")  # fmt: skip
    assert created.rc == 0, created.stderr
    result = app(router, "INSERT INTO sinpluma.verify (note) VALUES ('through-router'); SELECT @@server_uuid")
    assert result.rc == 0, result.stderr
    assert result.stdout.strip() == primary[3]


def test_reads_through_6447_reach_secondaries(router, group):
    secondaries = {r[3] for r in group if r[2] == "SECONDARY"}
    seen = {app(router, "SELECT @@server_uuid", port=6447).stdout.strip() for _ in range(6)}
    assert seen == secondaries


def test_writes_replicate_to_every_member(members):
    for name, node in members.items():
        count = sql(node, "SELECT COUNT(*) FROM sinpluma.verify WHERE note = 'through-router'").stdout.strip()
        assert int(count) >= 1, name


@pytest.mark.parametrize(
    "statement",
    ["CREATE USER intruder IDENTIFIED BY 'x1x2x3x4x5'", "SET GLOBAL max_connections = 5",
     "DROP DATABASE sinpluma", "CREATE TABLE sinpluma.not_allowed (id INT)", "STOP GROUP_REPLICATION"],
)  # fmt: skip
def test_application_account_cannot_administer(router, statement):
    result = app(router, statement)
    assert result.rc != 0
    assert "denied" in result.stderr.lower() or "privilege" in result.stderr.lower()


def test_router_log_has_no_metadata_errors(router):
    log = router.file("/var/lib/mysqlrouter/sinpluma/log/mysqlrouter.log").content_string
    bad = [
        line for line in log.splitlines()
        if any(level in line for level in (" ERROR ", " WARNING ", " SYSTEM ERROR"))
        and any(word in line.lower() for word in ("metadata", "missing", "cleared current routing table"))
    ]  # fmt: skip
    assert not bad, "\n".join(bad[:10])


def test_router_is_registered_in_the_metadata(members):
    names = sql(members["idb-db1"], "SELECT router_name FROM mysql_innodb_cluster_metadata.v2_routers").stdout
    assert "idb-router" in names


MYSQL_PORT = 3307  # the scenario's innodb_cluster_port (not MySQL's default)


def test_members_listen_on_the_inventory_port_only(members):
    for name, node in members.items():
        # Every listening TCP port, whatever the address (testinfra's "tcp://PORT" means IPv4 and IPv6).
        ports = {line.split()[3].rsplit(":", 1)[1] for line in node.check_output("ss -Htln").splitlines()}
        assert str(MYSQL_PORT) in ports and "3306" not in ports, (name, ports)
        assert sql(node, "SELECT @@port").stdout.strip() == str(MYSQL_PORT), name


def test_metadata_and_router_use_the_inventory_port(members, router):
    rows = sql(
        members["idb-db1"], "SELECT address FROM mysql_innodb_cluster_metadata.instances"
    ).stdout.split()
    assert sorted(rows) == [f"{name}:{MYSQL_PORT}" for name in MEMBERS]
    # Router's metadata servers (state.json) were learnt at bootstrap on that port.
    state = router.file("/var/lib/mysqlrouter/sinpluma/data/state.json").content_string
    assert f":{MYSQL_PORT}" in state and ":3306" not in state, state
