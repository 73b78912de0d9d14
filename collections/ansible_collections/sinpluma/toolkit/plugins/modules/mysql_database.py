#!/usr/bin/python
"""Ansible module: a MySQL database with utf8mb4, through the local socket (replicated)."""

from __future__ import annotations

DOCUMENTATION = r"""
module: mysql_database
short_description: Ensure a MySQL database exists with the wanted character set
description:
  - Connects through the local unix socket as the OS user. Run it on the primary, so that the
    statement is replicated to every member.
options:
  name: {description: Database name (letters, digits, underscore)., type: str, required: true}
  charset: {description: Default character set., type: str, default: utf8mb4}
  collation: {description: Default collation., type: str, default: utf8mb4_0900_ai_ci}
  login_unix_socket: {description: Server socket., type: str, default: /run/mysqld/mysqld.sock}
author: Sin Pluma toolkit engineers
"""

import re  # noqa: E402

from ansible.module_utils.basic import AnsibleModule  # noqa: E402


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "name": {"type": "str", "required": True},
            "charset": {"type": "str", "default": "utf8mb4"},
            "collation": {"type": "str", "default": "utf8mb4_0900_ai_ci"},
            "login_unix_socket": {"type": "str", "default": "/run/mysqld/mysqld.sock"},
        },
        supports_check_mode=True,
    )
    p = module.params
    for key in ("name", "charset", "collation"):
        if not re.match(r"^[A-Za-z0-9_]{1,64}$", p[key]):
            module.fail_json(msg=f"{key} {p[key]!r} must be 1-64 letters, digits or underscores")
    import os
    import pwd

    import mysql.connector

    connection = mysql.connector.connect(
        unix_socket=p["login_unix_socket"], user=pwd.getpwuid(os.getuid()).pw_name, autocommit=True
    )
    cursor = connection.cursor()
    cursor.execute(
        "SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.schemata "
        "WHERE SCHEMA_NAME = %s",
        (p["name"],),
    )
    found = cursor.fetchall()
    if found == [(p["charset"], p["collation"])]:
        module.exit_json(changed=False)
    verb = "ALTER" if found else "CREATE"
    if not module.check_mode:
        cursor.execute(f"{verb} DATABASE `{p['name']}` CHARACTER SET {p['charset']} COLLATE {p['collation']}")
    connection.close()
    module.exit_json(changed=True, statement=f"{verb} DATABASE {p['name']}")


if __name__ == "__main__":
    main()
