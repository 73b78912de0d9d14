#!/usr/bin/python
"""Ansible module: the account this member's Group Replication recovery channel logs in with."""

from __future__ import annotations

DOCUMENTATION = r"""
module: mysql_recovery_channel
short_description: Ensure the group_replication_recovery channel's user and password
description:
  - Connects through the local unix socket as the OS user. Compares the credentials stored for the
    C(group_replication_recovery) channel (C(mysql.slave_master_info)) with the wanted ones and
    sets them with C(CHANGE REPLICATION SOURCE TO) when they differ, which MySQL allows while
    Group Replication runs. A member whose stored password is stale would fail its next
    distributed recovery (a rejoin after a restart); this is the second step of a rotation of the
    recovery account's password, after the account itself was changed with the old password retained.
options:
  user: {description: Recovery account user name., type: str, required: true}
  password: {description: Recovery account password., type: str, required: true}
  login_unix_socket: {description: Server socket., type: str, default: /run/mysqld/mysqld.sock}
author: Sin Pluma toolkit engineers
"""

RETURN = r"""
user_changed: {description: The stored user name differed., type: bool, returned: always}
password_changed:
  description: The stored password differed (the value is never returned).
  type: bool
  returned: always
"""

from ansible.module_utils.basic import AnsibleModule  # noqa: E402
from ansible_collections.sinpluma.toolkit.plugins.module_utils.innodb_sql import (  # noqa: E402
    RECOVERY_CHANNEL_CREDENTIALS,
)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "user": {"type": "str", "required": True},
            "password": {"type": "str", "required": True, "no_log": True},
            "login_unix_socket": {"type": "str", "default": "/run/mysqld/mysqld.sock"},
        },
        supports_check_mode=True,
    )
    import os
    import pwd

    import mysql.connector

    p = module.params
    connection = mysql.connector.connect(
        unix_socket=p["login_unix_socket"], user=pwd.getpwuid(os.getuid()).pw_name, autocommit=True
    )
    cursor = connection.cursor()
    cursor.execute(
        "SELECT User_name, User_password FROM mysql.slave_master_info "
        "WHERE Channel_name = 'group_replication_recovery'"
    )
    stored = cursor.fetchall()
    user, password = (stored[0][0], stored[0][1]) if stored else (None, None)
    result = {"user_changed": user != p["user"], "password_changed": password != p["password"]}
    changed = result["user_changed"] or result["password_changed"]
    if changed and not module.check_mode:
        try:
            cursor.execute(RECOVERY_CHANNEL_CREDENTIALS, (p["user"], p["password"]))
        except mysql.connector.Error as error:
            reason = f"MySQL error {error.errno} ({error.msg})"
            module.fail_json(msg=f"cannot set the recovery channel's credentials: {reason}", **result)
    connection.close()
    module.exit_json(changed=changed, **result)


if __name__ == "__main__":
    main()
