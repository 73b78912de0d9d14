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
  - With C(replicate=true) the server must be the ONLINE primary of its group; with
    C(replicate=false) a server in a group is never changed locally. Both refusals name the
    account and the statements it needs (never the password).
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
author: Sin Pluma toolkit engineers
"""

from ansible.module_utils.basic import AnsibleModule  # noqa: E402
from ansible_collections.sinpluma.toolkit.plugins.module_utils import mysql_grants  # noqa: E402


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


def _describe(statements: list[tuple[str, tuple]]) -> list[str]:
    """The planned statements without their secrets (password values are parameters)."""
    return [
        sql.split(" IDENTIFIED")[0] + (" (password)" if " IDENTIFIED" in sql else "") for sql, _ in statements
    ]


def _membership(cursor) -> tuple[str, str]:
    """(state, role) of this server in its group; ("", "") when it is in none."""
    rows = _rows(
        cursor,
        "SELECT MEMBER_STATE, MEMBER_ROLE FROM performance_schema.replication_group_members "
        "WHERE MEMBER_ID = @@server_uuid AND MEMBER_STATE IN ('ONLINE', 'RECOVERING')",
    )
    return (rows[0][0], rows[0][1]) if rows else ("", "")


def run(module: AnsibleModule) -> dict:
    p = module.params
    account = mysql_grants.quote_account(p["name"], p["host"])
    wanted = mysql_grants.wanted_grants(p["privileges"])
    connection = _connect(module)
    cursor = connection.cursor()
    exists = bool(
        _rows(cursor, "SELECT 1 FROM mysql.user WHERE user = %s AND host = %s", (p["name"], p["host"]))
    )
    statements: list[tuple[str, tuple]] = []
    ssl_clause = "REQUIRE SSL" if p["require_ssl"] else "REQUIRE NONE"
    if not exists:
        statements.append(
            (
                f"CREATE USER {account} IDENTIFIED WITH caching_sha2_password BY %s {ssl_clause}",
                (p["password"],),
            )
        )
        current: mysql_grants.Grants = {}
    else:
        if not _password_works(module):
            statements.append((f"ALTER USER {account} IDENTIFIED BY %s", (p["password"],)))
        ssl_type = _rows(
            cursor, "SELECT ssl_type FROM mysql.user WHERE user = %s AND host = %s", (p["name"], p["host"])
        )
        if (ssl_type[0][0] in ("ANY", "X509", "SPECIFIED")) != p["require_ssl"]:
            statements.append((f"ALTER USER {account} {ssl_clause}", ()))
        current = mysql_grants.parse_show_grants(r[0] for r in _rows(cursor, f"SHOW GRANTS FOR {account}"))
    statements += [(sql, ()) for sql in mysql_grants.grant_changes(current, wanted, account)]
    shown = _describe(statements)
    if statements and not module.check_mode:
        state, role = _membership(cursor)
        if not p["replicate"] and state:
            module.fail_json(
                msg=f"{account} on this member differs from the inventory ({'; '.join(shown)}), and "
                "the member is in a group: a local change would make it differ from the others. "
                "Make the change on the primary (replicated) or re-provision the member.",
                statements=shown,
            )
        if p["replicate"] and not (state == "ONLINE" and role == "PRIMARY"):
            module.fail_json(
                msg=f"{account} needs {'; '.join(shown)}, but this server is not the group's ONLINE "
                f"primary (state {state or 'not in a group'}, role {role or '-'}): a change here would "
                "not reach the other members, or would be a transaction of this server's own.",
                statements=shown,
            )
        lifted = False
        if not p["replicate"]:
            cursor.execute("SET SESSION sql_log_bin = 0")
            if _rows(cursor, "SELECT @@global.super_read_only")[0][0]:
                cursor.execute("SET GLOBAL super_read_only = OFF")
                lifted = True
        try:
            for sql, params in statements:
                cursor.execute(sql, params)
        finally:
            if lifted:
                cursor.execute("SET GLOBAL super_read_only = ON")
    connection.close()
    return {"changed": bool(statements), "statements": shown}


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
        },
        supports_check_mode=True,
    )
    try:
        module.exit_json(**run(module))
    except mysql_grants.GrantSpecError as error:
        module.fail_json(msg=str(error))


if __name__ == "__main__":
    main()
