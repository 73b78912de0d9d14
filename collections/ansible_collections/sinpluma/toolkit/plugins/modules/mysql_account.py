#!/usr/bin/python
"""Ansible module: a MySQL account with exact privileges, locally (not replicated) or replicated."""

from __future__ import annotations

DOCUMENTATION = r"""
module: mysql_account
short_description: Ensure a MySQL account, its password and exactly its privileges
description:
  - Connects through the local server's unix socket as the OS user (Debian's root uses auth_socket).
  - With C(replicate=false) the statements are not written to the binary log (sql_log_bin=0), which
    is how cluster accounts are created on every member before it joins a group. super_read_only
    is lifted for the duration only on a server that is not in a group.
  - The password is checked by logging in with it over TCP loopback; it is changed only when the
    server answers "access denied" (1045); any other error fails with MySQL's error number.
  - With C(replicate=true) the server must be the ONLINE primary of its group. With
    C(replicate=false) a server in a group is never changed locally; the one change made to such
    an account is a password rotation, once, on the ONLINE primary and replicated (the account is
    identical on every member), while the secondaries wait until it has reached them. Every other
    difference is refused; refusals name the account and the statements it needs (never the
    password). The decisions are the table in module_utils/mysql_account_plan.py.
options:
  name: {description: Account user name., type: str, required: true}
  host: {description: Account host part., type: str, default: "%"}
  password: {description: Password (caching_sha2_password)., type: str, required: true}
  privileges:
    description: Mapping of object (C(db.*), C(*.*), C(db.table)) to the list of privileges. Exact.
    type: dict
    default: {}
  require_ssl: {description: Require TLS for this account., type: bool, default: true}
  replicate: {description: Write the changes to the binary log., type: bool, default: false}
  login_unix_socket: {description: Server socket., type: str, default: /run/mysqld/mysqld.sock}
  login_port: {description: TCP port used to check the password on loopback., type: int, default: 3306}
  retain_old_password:
    description:
      - A password change keeps the old password valid too (C(RETAIN CURRENT PASSWORD)), for the
        rotation of an account that other servers still log in with. With C(false), a password
        retained by an earlier rotation is discarded.
    type: bool
    default: false
  rotation_timeout:
    description: Seconds a secondary waits for the primary's replicated password rotation to arrive.
    type: int
    default: 30
author: Sin Pluma toolkit engineers
"""

from ansible.module_utils.basic import AnsibleModule  # noqa: E402
from ansible_collections.sinpluma.toolkit.plugins.module_utils import mysql_account_plan, mysql_grants  # noqa: E402


def _connect(module):
    """As the OS user over the socket (auth_socket)."""
    import os
    import pwd

    import mysql.connector

    user = pwd.getpwuid(os.getuid()).pw_name
    return mysql.connector.connect(unix_socket=module.params["login_unix_socket"], user=user, autocommit=True)


def _rows(cursor, sql, params=()):
    cursor.execute(sql, params)
    return cursor.fetchall()


ACCESS_DENIED = 1045  # ER_ACCESS_DENIED_ERROR: the password is wrong (anything else: cannot tell)


def _password_works(module) -> bool:
    """Log in with the password over TCP loopback (Connector/Python's caching_sha2 login over the
    socket is refused by the server; TCP with TLS works and matches '%' accounts). Only "access
    denied" means a wrong password; a server that cannot be reached is an error, not a change."""
    import mysql.connector

    try:
        connection = mysql.connector.connect(
            host="127.0.0.1",
            port=module.params["login_port"],
            user=module.params["name"],
            password=module.params["password"],
            connection_timeout=10,
        )
    except mysql.connector.Error as error:
        if error.errno == ACCESS_DENIED:
            return False
        module.fail_json(
            msg=f"cannot check the password of {module.params['name']}: logging in to 127.0.0.1:"
            f"{module.params['login_port']} failed with MySQL error {error.errno} ({error.msg})"
        )
    connection.close()
    return True


def _membership(cursor) -> mysql_account_plan.Membership:
    """This server's state and role in its group (empty strings when it is in none)."""
    rows = _rows(
        cursor,
        "SELECT MEMBER_STATE, MEMBER_ROLE FROM performance_schema.replication_group_members "
        "WHERE MEMBER_ID = @@server_uuid AND MEMBER_STATE IN ('ONLINE', 'RECOVERING')",
    )
    return mysql_account_plan.Membership(*(rows[0] if rows else ("", "")))


def _has_old_password(cursor, name: str, host: str) -> bool:
    """A password retained by an earlier rotation (MySQL's dual passwords)."""
    rows = _rows(
        cursor,
        "SELECT JSON_CONTAINS_PATH(User_attributes, 'one', '$.additional_password') "
        "FROM mysql.user WHERE user = %s AND host = %s",
        (name, host),
    )
    return bool(rows and rows[0][0])


def _plan(module, cursor, account: str) -> list[tuple[str, str, tuple]]:
    """(kind, statement, parameters) that make the account as wanted, on this server's view."""
    p = module.params
    plan = mysql_account_plan
    ssl_clause = "REQUIRE SSL" if p["require_ssl"] else "REQUIRE NONE"
    exists = bool(
        _rows(cursor, "SELECT 1 FROM mysql.user WHERE user = %s AND host = %s", (p["name"], p["host"]))
    )
    if not exists:
        create = f"CREATE USER {account} IDENTIFIED WITH caching_sha2_password BY %s {ssl_clause}"
        statements = [(plan.CREATE, create, (p["password"],))]
        current: mysql_grants.Grants = {}
    else:
        statements = []
        if not _password_works(module):
            alter = plan.password_statement(account, p["retain_old_password"])
            statements.append((plan.PASSWORD, alter, (p["password"],)))
        elif not p["retain_old_password"] and _has_old_password(cursor, p["name"], p["host"]):
            statements.append((plan.DISCARD, f"ALTER USER {account} DISCARD OLD PASSWORD", ()))
        ssl_type = _rows(
            cursor, "SELECT ssl_type FROM mysql.user WHERE user = %s AND host = %s", (p["name"], p["host"])
        )
        if (ssl_type[0][0] in ("ANY", "X509", "SPECIFIED")) != p["require_ssl"]:
            statements.append((plan.SSL, f"ALTER USER {account} {ssl_clause}", ()))
        current = mysql_grants.parse_show_grants(r[0] for r in _rows(cursor, f"SHOW GRANTS FOR {account}"))
    wanted = mysql_grants.wanted_grants(p["privileges"])
    statements += [(plan.GRANT, sql, ()) for sql in mysql_grants.grant_changes(current, wanted, account)]
    return statements


def _await_rotation(module, account: str, shown: list[str]) -> None:
    """A secondary: the primary's replicated rotation reaches this member within a moment."""
    import time

    deadline = time.monotonic() + module.params["rotation_timeout"]
    while time.monotonic() < deadline:
        if _password_works(module):
            return
        time.sleep(1)
    module.fail_json(
        msg=f"the password of {account} on this member differs from the inventory, and it did not "
        f"change within {module.params['rotation_timeout']} s. In a group it is rotated once, on the "
        "ONLINE primary (replicated): run with the primary in the play. If only this member differs, "
        "it drifted: re-provision it.",
        statements=shown,
    )


def _execute(cursor, statements, local: bool) -> None:
    """Run the statements; local = not written to the binary log, super_read_only lifted meanwhile."""
    lifted = False
    if local:
        cursor.execute("SET SESSION sql_log_bin = 0")
        if _rows(cursor, "SELECT @@global.super_read_only")[0][0]:
            cursor.execute("SET GLOBAL super_read_only = OFF")
            lifted = True
    try:
        for _, sql, params in statements:
            cursor.execute(sql, params)
    finally:
        if lifted:
            cursor.execute("SET GLOBAL super_read_only = ON")


def run(module: AnsibleModule) -> dict:
    p = module.params
    plan = mysql_account_plan
    account = mysql_grants.quote_account(p["name"], p["host"])
    connection = _connect(module)
    cursor = connection.cursor()
    statements = _plan(module, cursor, account)
    shown = plan.describe([(sql, params) for _, sql, params in statements])
    membership = _membership(cursor)
    decision = plan.decide({kind for kind, _, _ in statements}, membership, p["replicate"])
    if decision == plan.REFUSE_DRIFT:
        module.fail_json(
            msg=f"{account} on this member differs from the inventory ({'; '.join(shown)}), and "
            "the member is in a group: a local change would make it differ from the others. "
            "Make the change on the primary (replicated) or re-provision the member.",
            statements=shown,
        )
    if decision == plan.REFUSE_NOT_PRIMARY:
        module.fail_json(
            msg=f"{account} needs {'; '.join(shown)}, but this server is not the group's ONLINE "
            f"primary (state {membership.state or 'not in a group'}, role {membership.role or '-'}): a "
            "change here would not reach the other members, or would be a transaction of this server's own.",
            statements=shown,
        )
    if decision == plan.AWAIT_ROTATION:
        if not module.check_mode:
            _await_rotation(module, account, shown)
        connection.close()
        return {"changed": False, "statements": shown, "decision": decision}
    if statements and not module.check_mode:
        _execute(cursor, statements, local=decision == plan.LOCAL)
    connection.close()
    return {"changed": bool(statements), "statements": shown, "decision": decision}


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "host": {"type": "str", "default": "%"},
            "password": {"type": "str", "required": True, "no_log": True},
            "privileges": {"type": "dict", "default": {}},
            "require_ssl": {"type": "bool", "default": True},
            "replicate": {"type": "bool", "default": False},
            "login_unix_socket": {"type": "str", "default": "/run/mysqld/mysqld.sock"},
            "login_port": {"type": "int", "default": 3306},
            "retain_old_password": {"type": "bool", "default": False},
            "rotation_timeout": {"type": "int", "default": 30},
        },
        supports_check_mode=True,
    )
    try:
        module.exit_json(**run(module))
    except mysql_grants.GrantSpecError as error:
        module.fail_json(msg=str(error))


if __name__ == "__main__":
    main()
