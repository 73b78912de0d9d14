import pytest
from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_status import MEMBER_COLUMNS, render


def test_render_aligns_columns_and_shows_missing_values():
    rows = [
        {"member": "db1:3306", "state": "ONLINE", "role": "PRIMARY", "version": "9.7.4",
         "certification queue": 0, "applier queue": 0},
        {"member": "db2:3306", "state": "RECOVERING", "role": "SECONDARY", "version": "9.7.4",
         "certification queue": None, "applier queue": 120},
    ]  # fmt: skip
    lines = render(rows, MEMBER_COLUMNS)
    assert lines[0].split() == [
        "member",
        "state",
        "role",
        "version",
        "certification",
        "queue",
        "applier",
        "queue",
    ]
    assert lines[2].startswith("db1:3306  ONLINE      PRIMARY")
    assert " - " in lines[3] and lines[3].rstrip().endswith("120")
    assert len({len(line.rstrip()) <= len(lines[1]) for line in lines}) == 1


def _view(*rows):
    return [(host, 3306, state, role, "9.7.4", 0, 0) for host, state, role in rows]


class _Cursor:
    def __init__(self, views, host):
        self.views, self.host, self.with_rows = views, host, True

    def execute(self, sql, params=()):
        self.sql = sql

    def fetchall(self):
        if "replication_group_members" in self.sql:
            return self.views[self.host]
        return [("r1", "r1:6446", "9.7.4", "x")]

    def close(self):
        pass


class _Connection:
    def __init__(self, views, host):
        self.views, self.host = views, host

    def cursor(self):
        return _Cursor(self.views, self.host)

    def close(self):
        pass


def _connector(views):
    from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_sql import Connector, Credentials

    def connect(host, **_):
        if views.get(host) is None:
            raise OSError(f"Can't connect to MySQL server on '{host}:3306' (111)\nmore")
        return _Connection(views, host)

    return Connector(Credentials("admin", "pw", "", ""), connect=connect)


def _endpoints(*hosts):
    from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_sql import Endpoint

    return {h: Endpoint(h, h, 3306) for h in hosts}


def test_primary_is_read_from_a_member_that_sees_one_not_from_a_member_outside_the_group():
    from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_status import collect

    group = _view(
        ("db1", "ONLINE", "SECONDARY"), ("db2", "ONLINE", "PRIMARY"), ("db3", "ONLINE", "SECONDARY")
    )
    views = {"db1": None, "db2": _view(("db2", "OFFLINE", "")), "db3": group}
    status = collect(_connector(views), _endpoints("db1", "db2", "db3"))
    assert status["asked"] == "db3"
    assert status["primary"] == "db2"
    assert status["errors"][0].startswith("db1: Can't connect") and "more" not in status["errors"][0]
    assert status["errors"][1] == "db2: sees no ONLINE primary"


def test_no_primary_anywhere_is_reported_with_the_last_view():
    from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_status import collect, primary_host

    views = {"db1": _view(("db1", "RECOVERING", "SECONDARY")), "db2": None}
    status = collect(_connector(views), _endpoints("db1", "db2"))
    assert status["primary"] == "" and status["asked"] == "db1"
    assert status["members"][0]["state"] == "RECOVERING"
    assert len(status["errors"]) == 2
    assert primary_host([{"member": "db9:3307", "state": "ONLINE", "role": "PRIMARY"}]) == "db9"


def test_member_endpoints_take_each_members_own_port_and_report_host():
    from ansible.errors import AnsibleFilterError
    from ansible_collections.sinpluma.toolkit.plugins.filter.innodb import (
        innodb_endpoint_by_report_host,
        innodb_member_by_report_host,
        innodb_member_endpoints,
    )

    hostvars = {"db1": {}, "db2": {"innodb_cluster_port": "3307", "innodb_cluster_report_host": "db2.lan"}}
    assert innodb_member_endpoints(["db1", "db2"], hostvars) == [
        {"name": "db1", "host": "db1", "port": 3306, "address": "db1:3306"},
        {"name": "db2", "host": "db2.lan", "port": 3307, "address": "db2.lan:3307"},
    ]
    assert innodb_member_endpoints(["db1"], hostvars, 3310)[0]["address"] == "db1:3310"
    assert innodb_member_by_report_host(["db1", "db2"], hostvars, "db2.lan") == "db2"
    assert innodb_endpoint_by_report_host(["db1", "db2"], hostvars, "db2.lan")["address"] == "db2.lan:3307"
    with pytest.raises(AnsibleFilterError, match="reports itself as 'db9'"):
        innodb_endpoint_by_report_host(["db1", "db2"], hostvars, "db9")
