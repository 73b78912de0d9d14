#!/usr/bin/python
"""Ansible module: converge an InnoDB Cluster (Group Replication + Router metadata) over SQL."""

from __future__ import annotations

DOCUMENTATION = r"""
module: innodb_cluster
short_description: Create, grow, heal and reboot a MySQL InnoDB Cluster without MySQL Shell
description:
  - Probes every member over SQL, decides what to do (create, join by incremental recovery or
    clone, rejoin, reboot after a complete outage, remove members that left the inventory) and
    keeps the Router metadata in sync with the group. Refuses unsafe situations with an
    explanation instead of guessing.
  - Runs on one member host and connects to every member with the cluster admin account.
options:
  members:
    description: Inventory members, each with C(name), C(host) (the address others use) and C(port).
    type: list
    elements: dict
    required: true
  seed:
    description: Member that creates the group when no member has ever been in one.
    type: str
    required: true
  group_name:
    description: Group Replication group name (a UUID chosen once and kept in the inventory).
    type: str
    required: true
  cluster_name:
    description: Cluster name in the Router metadata.
    type: str
    required: true
  admin_user:
    description: Cluster admin account.
    type: str
    required: true
  admin_password:
    description: Its password.
    type: str
    required: true
  recovery_user:
    description: Account of the group_replication_recovery channel.
    type: str
    required: true
  recovery_password:
    description: Its password.
    type: str
    required: true
  ssl_ca:
    description: CA file to verify members' certificates; empty encrypts without verifying.
    type: str
    default: ""
  force_primary:
    description: After a complete outage with unreachable members, the member to reboot from.
    type: str
    default: ""
  force_clone:
    description: Members whose errant transactions may be discarded by re-provisioning them by clone.
    type: list
    elements: str
    default: []
  member_timeout:
    description: Seconds to wait for a member to become ONLINE (clone of a large data set takes longer).
    type: int
    default: 600
  adopt_seed_transactions:
    description:
      - When creating the cluster, accept transactions the seed executed before (its data becomes the
        cluster's first data). Without it, creation refuses any member with a GTID history.
    type: bool
    default: false
author: Sin Pluma toolkit engineers
"""

RETURN = r"""
actions:
  description: What was done (or, in check mode, would be done).
  type: list
  returned: always
members:
  description: Member name, state and role after the run.
  type: list
  returned: always
warnings_text:
  description: Situations worth an operator's look (unreachable members, even member count...).
  type: list
  returned: always
"""

from ansible.module_utils.basic import AnsibleModule  # noqa: E402
from ansible_collections.sinpluma.toolkit.plugins.module_utils import (  # noqa: E402
    innodb_metadata_sync,
    innodb_plan,
    innodb_sql,
)


def run(module: AnsibleModule) -> dict:
    params = module.params
    endpoints = {
        m["name"]: innodb_sql.Endpoint(m["name"], m["host"], int(m.get("port") or 3306))
        for m in params["members"]
    }
    names = list(endpoints)
    credentials = innodb_sql.Credentials(
        params["admin_user"],
        params["admin_password"],
        params["recovery_user"],
        params["recovery_password"],
        params["ssl_ca"],
    )
    connector = innodb_sql.Connector(credentials)
    probes = {name: innodb_sql.probe(connector, endpoints[name], params["group_name"]) for name in names}
    innodb_plan.refuse_duplicate_uuids(probes)
    try:
        decided = innodb_plan.plan(
            names,
            params["seed"],
            probes,
            params["force_primary"],
            params["force_clone"],
            params["adopt_seed_transactions"],
        )
    except innodb_plan.PlanRefused as refused:
        module.fail_json(msg=str(refused), members=_describe(probes))
    actions = [f"{a.kind} {a.host} {a.method}".strip() + f" ({a.reason})" for a in decided.actions]
    metadata_changes: list[str] = []
    if module.check_mode:
        return {"changed": decided.changes, "actions": actions, "members": _describe(probes),
                "warnings_text": decided.warnings}  # fmt: skip
    operator = innodb_sql.ClusterOperator(connector, endpoints, params["member_timeout"])
    for action in decided.actions:
        if action.kind == "metadata":
            continue
        operator.run(action, donor=decided.primary)
        if action.kind in ("create", "reboot"):
            probes[action.host] = innodb_sql.probe(connector, endpoints[action.host], params["group_name"])
    after = {name: innodb_sql.probe(connector, endpoints[name], params["group_name"]) for name in names}
    primary = next((p for p in after.values() if p.reachable and p.role == "PRIMARY"), None)
    if primary is not None:
        with connector.session(endpoints[primary.name]) as connection:
            metadata_changes = innodb_metadata_sync.sync(
                connection, params["cluster_name"], params["group_name"], endpoints, after
            )
    return {
        "changed": decided.changes or bool(metadata_changes),
        "actions": actions + metadata_changes,
        "members": _describe(after),
        "warnings_text": decided.warnings,
    }


def _describe(probes: dict) -> list[dict]:
    return [
        {
            "name": p.name,
            "reachable": p.reachable,
            "state": p.state or "OFFLINE",
            "role": p.role,
            "error": p.error,
        }
        for p in probes.values()
    ]


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "members": {"type": "list", "elements": "dict", "required": True},
            "seed": {"type": "str", "required": True},
            "group_name": {"type": "str", "required": True},
            "cluster_name": {"type": "str", "required": True},
            "admin_user": {"type": "str", "required": True},
            "admin_password": {"type": "str", "required": True, "no_log": True},
            "recovery_user": {"type": "str", "required": True},
            "recovery_password": {"type": "str", "required": True, "no_log": True},
            "ssl_ca": {"type": "str", "default": ""},
            "force_primary": {"type": "str", "default": ""},
            "force_clone": {"type": "list", "elements": "str", "default": []},
            "member_timeout": {"type": "int", "default": 600},
            "adopt_seed_transactions": {"type": "bool", "default": False},
        },
        supports_check_mode=True,
    )
    try:
        result = run(module)
    except (innodb_sql.ClusterOperationError, innodb_plan.PlanRefused) as error:
        module.fail_json(msg=str(error))
    for warning in result["warnings_text"]:
        module.warn(warning)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
