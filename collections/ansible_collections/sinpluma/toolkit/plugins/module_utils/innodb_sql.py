"""The InnoDB Cluster lifecycle over SQL: probe members, and carry out the actions innodb_plan chose.

Runs on one member host (the module is delegated there) and talks to every member over TCP with
the cluster admin account, as MySQL Shell's AdminAPI would. Needs mysql-connector-python.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_gtid import GtidSet
from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_plan import (
    Action,
    MemberProbe,
    ViewMember,
)

METADATA_SCHEMA = "mysql_innodb_cluster_metadata"


# Client errors that mean "the server went away": after CLONE INSTANCE, the recipient restarting.
# CR_SERVER_GONE_ERROR, CR_SERVER_LOST, CR_SERVER_LOST_EXTENDED.
RESTARTED_ERRNOS = frozenset({2006, 2013, 2055})
# ER_ACCESS_DENIED_ERROR: a wrong password, told apart from "cannot connect" (2003, 2005...).
ACCESS_DENIED = 1045

# The distributed recovery account this member logs in to donors with (stored in
# mysql.slave_master_info); parameters: user, password.
RECOVERY_CHANNEL_CREDENTIALS = (
    "CHANGE REPLICATION SOURCE TO SOURCE_USER = %s, SOURCE_PASSWORD = %s "
    "FOR CHANNEL 'group_replication_recovery'"
)


def errno_of(error: BaseException) -> int | None:
    """MySQL's error number of a driver exception (None for anything else)."""
    number = getattr(error, "errno", None)
    return number if isinstance(number, int) and number > 0 else None


class ClusterOperationError(Exception):
    """An action failed; the message says which member and what MySQL answered."""


@dataclass(frozen=True)
class Endpoint:
    name: str  # inventory name
    host: str  # address other members use (report_host)
    port: int = 3306


@dataclass(frozen=True)
class Credentials:
    admin_user: str
    admin_password: str
    recovery_user: str
    recovery_password: str
    ssl_ca: str = ""  # CA file to verify servers with; empty = encrypt without verifying
    connect_timeout: int = 5


class Connector:
    """Opens connections to members; one place for TLS and timeouts."""

    def __init__(self, credentials: Credentials, connect: Callable[..., Any] | None = None) -> None:
        self.credentials = credentials
        if connect is None:
            import mysql.connector  # imported here so pure callers need no driver

            connect = mysql.connector.connect
        self._connect = connect

    def open(self, endpoint: Endpoint) -> Any:
        options: dict[str, Any] = {
            "host": endpoint.host,
            "port": endpoint.port,
            "user": self.credentials.admin_user,
            "password": self.credentials.admin_password,
            "connection_timeout": self.credentials.connect_timeout,
            "autocommit": True,
            "ssl_disabled": False,
        }
        if self.credentials.ssl_ca:
            options.update(ssl_ca=self.credentials.ssl_ca, ssl_verify_cert=True)
        return self._connect(**options)

    @contextmanager
    def session(self, endpoint: Endpoint) -> Iterator[Any]:
        connection = self.open(endpoint)
        try:
            yield connection
        finally:
            with suppress(Exception):  # the server may already be gone (restart, clone)
                connection.close()


def query(connection: Any, sql: str, params: tuple = ()) -> list[tuple]:
    cursor = connection.cursor()
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall()) if cursor.with_rows else []
    finally:
        cursor.close()


def execute(connection: Any, sql: str, params: tuple = ()) -> None:
    cursor = connection.cursor()
    try:
        cursor.execute(sql, params)
        if cursor.with_rows:
            cursor.fetchall()
    finally:
        cursor.close()


def scalar(connection: Any, sql: str, params: tuple = ()) -> Any:
    rows = query(connection, sql, params)
    return rows[0][0] if rows else None


def probe(connector: Connector, endpoint: Endpoint, group_name: str) -> MemberProbe:
    """Everything the decisions need about one member; an unreachable member is reported, not raised."""
    try:
        with connector.session(endpoint) as connection:
            return _probe(connection, endpoint, group_name)
    except Exception as error:
        if errno_of(error) == ACCESS_DENIED:
            # The server answered: it is up, but the admin account differs there. Guessing it
            # "unreachable" would let the plan go on without it.
            raise ClusterOperationError(
                f"{endpoint.name} refused the cluster admin account {connector.credentials.admin_user} "
                "(MySQL error 1045, access denied): its password or host part there differs from "
                "the inventory's. Fix the account on that member (or re-provision it) and re-run."
            ) from error
        # Any other driver or network failure means "unreachable" to the planner.
        return MemberProbe(name=endpoint.name, reachable=False, error=str(error).splitlines()[0][:200])


def _probe(connection: Any, endpoint: Endpoint, group_name: str) -> MemberProbe:
    server_uuid, executed, purged = query(connection, "SELECT @@server_uuid, @@gtid_executed, @@gtid_purged")[
        0
    ]
    received = scalar(
        connection,
        "SELECT RECEIVED_TRANSACTION_SET FROM performance_schema.replication_connection_status "
        "WHERE CHANNEL_NAME = 'group_replication_applier'",
    )
    rows = query(
        connection,
        "SELECT MEMBER_ID, MEMBER_HOST, MEMBER_PORT, MEMBER_STATE, MEMBER_ROLE "
        "FROM performance_schema.replication_group_members",
    )
    own = next((row for row in rows if row[0] == server_uuid), None)
    state = own[3] if own and own[3] not in ("OFFLINE", None) else ""
    view = tuple(
        ViewMember(row[0], row[1], int(row[2] or 0), row[3], row[4] or "") for row in rows if row[0] and state
    )
    start_on_boot = scalar(
        connection,
        "SELECT VARIABLE_VALUE FROM performance_schema.persisted_variables "
        "WHERE VARIABLE_NAME = 'group_replication_start_on_boot'",
    )
    metadata = bool(
        scalar(
            connection,
            "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = %s",
            (METADATA_SCHEMA,),
        )
    )
    executed_set = GtidSet.parse(executed)
    group_uuid_seen = group_name.lower() in str(executed_set)
    return MemberProbe(
        name=endpoint.name,
        reachable=True,
        server_uuid=server_uuid,
        gtid_executed=executed_set,
        gtid_purged=GtidSet.parse(purged),
        received=GtidSet.parse(received),
        state=state,
        role=(own[4] or "") if own and state else "",
        view=view,
        has_history=(str(start_on_boot).upper() == "ON") or metadata or group_uuid_seen,
        metadata_present=metadata,
    )


class ClusterOperator:
    """Carries out planned actions against live members, waiting for each to take effect."""

    def __init__(
        self,
        connector: Connector,
        endpoints: dict[str, Endpoint],
        member_timeout: float = 300.0,
        log: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.connector = connector
        self.endpoints = endpoints
        self.member_timeout = member_timeout
        self.log = log

    def run(self, action: Action, donor: str) -> None:
        handler = {
            "create": self.bootstrap,
            "reboot": self.bootstrap,
            "stop": self.stop,
            "join": lambda host: self.join(host, action.method, donor),
            "remove": self.remove,
        }.get(action.kind)
        if handler is None:
            raise ClusterOperationError(f"no handler for action {action.kind}")
        self.log(f"{action.kind} {action.host} {action.method} ({action.reason})")
        try:
            handler(action.host)
        except ClusterOperationError:
            raise
        except Exception as error:
            raise ClusterOperationError(f"{action.kind} of {action.host} failed: {error}") from error

    def _endpoint(self, host: str) -> Endpoint:
        if host in self.endpoints:
            return self.endpoints[host]
        address, _, port = host.rpartition(":")
        return Endpoint(host, address, int(port or 3306))

    def _prepare_start(self, connection: Any) -> None:
        """Stop Group Replication if it runs in any state (ERROR, or a start_on_boot attempt still
        looking for the group), then set the recovery channel's credentials (needs GR stopped)."""
        execute(connection, "STOP GROUP_REPLICATION")
        credentials = self.connector.credentials
        account = (credentials.recovery_user, credentials.recovery_password)
        execute(connection, RECOVERY_CHANNEL_CREDENTIALS, account)

    def bootstrap(self, host: str) -> None:
        """Start the group on this member alone (create, or reboot after a complete outage)."""
        with self.connector.session(self._endpoint(host)) as connection:
            self._prepare_start(connection)
            execute(connection, "SET GLOBAL group_replication_bootstrap_group = ON")
            try:
                execute(connection, "START GROUP_REPLICATION")
            finally:
                execute(connection, "SET GLOBAL group_replication_bootstrap_group = OFF")
            self._wait_state(connection, host, "ONLINE")
            execute(connection, "SET PERSIST group_replication_start_on_boot = ON")

    def join(self, host: str, method: str, donor: str) -> None:
        endpoint = self._endpoint(host)
        if method == "clone":
            self._clone(endpoint, self._endpoint(donor))
        with self.connector.session(endpoint) as connection:
            self._prepare_start(connection)
            execute(connection, "START GROUP_REPLICATION")
            self._wait_state(connection, host, "ONLINE")
            execute(connection, "SET PERSIST group_replication_start_on_boot = ON")

    def _clone(self, recipient: Endpoint, donor: Endpoint) -> None:
        """Replace the recipient's data with the donor's; mysqld restarts under systemd afterwards."""
        credentials = self.connector.credentials
        with self.connector.session(recipient) as connection:
            execute(connection, "STOP GROUP_REPLICATION")
            # Clone rewrites the data dictionary; the option file turns super_read_only on again
            # when mysqld restarts with the cloned data. Until then only this session may write.
            execute(connection, "SET GLOBAL super_read_only = OFF")
            try:
                execute(connection, "SET GLOBAL clone_valid_donor_list = %s", (f"{donor.host}:{donor.port}",))
                execute(
                    connection,
                    f"CLONE INSTANCE FROM %s@%s:{int(donor.port)} IDENTIFIED BY %s REQUIRE SSL",
                    (credentials.admin_user, donor.host, credentials.admin_password),
                )
            except Exception as error:
                # The recipient restarts itself when the clone is done: a lost connection is success.
                if errno_of(error) in RESTARTED_ERRNOS:
                    self._wait_reachable(recipient)
                    return
                # A clone that failed leaves the old data: never leave it writable outside the group.
                with suppress(Exception):
                    execute(connection, "SET GLOBAL super_read_only = ON")
                raise ClusterOperationError(
                    f"clone of {recipient.name} from {donor.name} failed "
                    f"(MySQL error {errno_of(error)}): {error}"
                ) from error
        self._wait_reachable(recipient)

    def stop(self, host: str) -> None:
        with self.connector.session(self._endpoint(host)) as connection:
            execute(connection, "STOP GROUP_REPLICATION")

    def remove(self, host: str) -> None:
        """Take a member that left the inventory out of the group for good."""
        with self.connector.session(self._endpoint(host)) as connection:
            execute(connection, "STOP GROUP_REPLICATION")
            execute(connection, "SET PERSIST group_replication_start_on_boot = OFF")

    def _wait_state(self, connection: Any, host: str, wanted: str) -> None:
        deadline = time.monotonic() + self.member_timeout
        state = ""
        while time.monotonic() < deadline:
            state = scalar(
                connection,
                "SELECT MEMBER_STATE FROM performance_schema.replication_group_members "
                "WHERE MEMBER_ID = @@server_uuid",
            )
            if state == wanted:
                return
            if state == "ERROR":
                break
            time.sleep(1)
        raise ClusterOperationError(
            f"{host} did not become {wanted} within {self.member_timeout:.0f} s (state {state!r}); "
            "see its error log (journalctl -u mysql, /var/log/mysql/error.log)"
        )

    def _wait_reachable(self, endpoint: Endpoint) -> None:
        deadline = time.monotonic() + self.member_timeout
        time.sleep(2)
        last = ""
        while time.monotonic() < deadline:
            try:
                with self.connector.session(endpoint) as connection:
                    scalar(connection, "SELECT 1")
                    return
            except Exception as error:
                last = str(error)
                time.sleep(2)
        raise ClusterOperationError(f"{endpoint.name} did not come back after clone: {last}")
