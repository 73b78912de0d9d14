"""Filters of the innodb_cluster role; the logic is in module_utils/innodb_validate.py."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.sinpluma.toolkit.plugins.module_utils import innodb_config, innodb_validate, slurp


def innodb_validate_inputs(members, seed, hostvars, passwords, allow_fewer_than_three=False):
    """{"errors": [...], "warnings": [...]} for the role's assert task."""
    report_hosts = {m: hostvars[m].get("innodb_cluster_report_host", m) for m in members}
    server_ids = {
        m: hostvars[m]["innodb_cluster_server_id"]
        for m in members
        if "innodb_cluster_server_id" in hostvars[m]
    }
    errors, warnings = innodb_validate.validate(
        members, seed, report_hosts, passwords, bool(allow_fewer_than_three), server_ids
    )
    return {"errors": errors, "warnings": warnings}


def innodb_member_endpoints(members, hostvars, port=3306):
    """[{name, host, port, address}] of the members, host being what other hosts use (report_host)
    and port each member's innodb_cluster_port (`port` where the inventory does not set one)."""
    endpoints = []
    for name in members:
        host = hostvars[name].get("innodb_cluster_report_host", name)
        member_port = int(hostvars[name].get("innodb_cluster_port", port))
        address = f"{host}:{member_port}"
        endpoints.append({"name": name, "host": host, "port": member_port, "address": address})
    return endpoints


def innodb_uuid_copies(members, hostvars):
    """Members whose server_uuid duplicates another member's and that never joined a group."""
    identities = {}
    for name in members:
        result = hostvars[name].get("__innodb_cluster_identity") or {}
        server_uuid, _, history = (result.get("stdout") or "").partition("\t")
        if server_uuid:
            identities[name] = (server_uuid.strip(), history.strip() not in ("", "0"))
    return innodb_validate.uuid_copies(identities, members)


def innodb_member_by_report_host(members, hostvars, report_host):
    """The inventory name of the member that reports itself as `report_host`."""
    for name in members:
        if hostvars[name].get("innodb_cluster_report_host", name) == report_host:
            return name
    raise AnsibleFilterError(f"no member of {list(members)} reports itself as {report_host!r}")


def innodb_endpoint_by_report_host(members, hostvars, report_host):
    """The endpoint ({name, host, port, address}) of the member that reports itself as
    `report_host`; an unknown one is an error naming the members."""
    name = innodb_member_by_report_host(members, hostvars, report_host)
    return innodb_member_endpoints([name], hostvars)[0]


def innodb_config_changes(before, after):
    """{"live": {...}, "restart": [...]} between two slurp results of the option file."""
    return innodb_config.plan_changes(slurp.text(before), slurp.text(after))


def innodb_set_global(live):
    try:
        return innodb_config.set_global_statements(live)
    except innodb_config.ConfigError as error:
        raise AnsibleFilterError(str(error)) from error


def _group_roles(hosts, hostvars):
    """{host: "PRIMARY" | "SECONDARY" | ""} as the role read them (__innodb_cluster_role)."""
    return {h: (hostvars[h].get("__innodb_cluster_role") or {}).get("stdout", "").strip() for h in hosts}


def innodb_restart_order(hosts, hostvars):
    """Hosts flagged __innodb_cluster_needs_restart, the PRIMARY last."""
    needs = {h: bool(hostvars[h].get("__innodb_cluster_needs_restart")) for h in hosts}
    return innodb_config.restart_order(hosts, _group_roles(hosts, hostvars), needs)


def innodb_online_count(hosts, hostvars):
    """How many of the hosts were ONLINE group members when the role read their role."""
    return sum(1 for role in _group_roles(hosts, hostvars).values() if role)


class FilterModule:
    def filters(self):
        return {
            "mysql_server_id": innodb_validate.server_id,
            "innodb_validate_inputs": innodb_validate_inputs,
            "innodb_member_endpoints": innodb_member_endpoints,
            "innodb_uuid_copies": innodb_uuid_copies,
            "innodb_member_by_report_host": innodb_member_by_report_host,
            "innodb_endpoint_by_report_host": innodb_endpoint_by_report_host,
            "innodb_config_changes": innodb_config_changes,
            "innodb_set_global": innodb_set_global,
            "innodb_restart_order": innodb_restart_order,
            "innodb_online_count": innodb_online_count,
            "innodb_extra_settings_errors": innodb_config.extra_settings_errors,
        }
