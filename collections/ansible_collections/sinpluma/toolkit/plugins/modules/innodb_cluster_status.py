#!/usr/bin/python
"""Ansible module: read-only status of an InnoDB Cluster as tables."""

from __future__ import annotations

DOCUMENTATION = r"""
module: innodb_cluster_status
short_description: Members, roles, states, replication lag and registered routers of an InnoDB Cluster
description:
  - Read-only. Asks the first member that answers; reports which one and any errors.
options:
  members: {description: Members with C(name) C(host) C(port)., type: list, elements: dict, required: true}
  admin_user: {description: Cluster admin account., type: str, required: true}
  admin_password: {description: Its password., type: str, required: true}
  ssl_ca: {description: CA file to verify members with., type: str, default: ""}
author: Sin Pluma toolkit engineers
"""

from ansible.module_utils.basic import AnsibleModule  # noqa: E402
from ansible_collections.sinpluma.toolkit.plugins.module_utils import innodb_sql, innodb_status  # noqa: E402


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "members": {"type": "list", "elements": "dict", "required": True},
            "admin_user": {"type": "str", "required": True},
            "admin_password": {"type": "str", "required": True, "no_log": True},
            "ssl_ca": {"type": "str", "default": ""},
        },
        supports_check_mode=True,
    )
    p = module.params
    endpoints = {
        m["name"]: innodb_sql.Endpoint(m["name"], m["host"], int(m.get("port") or 3306)) for m in p["members"]
    }
    connector = innodb_sql.Connector(
        innodb_sql.Credentials(p["admin_user"], p["admin_password"], "", "", p["ssl_ca"])
    )
    status = innodb_status.collect(connector, endpoints)
    table = innodb_status.render(status["members"], innodb_status.MEMBER_COLUMNS)
    table += ["", *innodb_status.render(status["routers"], innodb_status.ROUTER_COLUMNS)]
    module.exit_json(changed=False, table=table, **status)


if __name__ == "__main__":
    main()
