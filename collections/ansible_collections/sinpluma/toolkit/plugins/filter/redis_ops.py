"""Filters for roles/redis operations; the logic is in module_utils/redis_ops.py."""

from __future__ import annotations

from ansible_collections.sinpluma.toolkit.plugins.module_utils import redis_ops


def _results(registered):
    return (registered or {}).get("results", [])


def redis_accepted_password_index(registered):
    """Index of the admin password the running Redis accepted (see redis_ops)."""
    return redis_ops.accepted_password_index(_results(registered))


def redis_probed_role(registered):
    return redis_ops.probed_role(_results(registered))


def redis_restart_order(hosts, hostvars):
    """Hosts flagged __redis_needs_restart, replicas first, the primary last."""
    roles = {h: hostvars[h].get("__redis_role", "") for h in hosts}
    needs = {h: bool(hostvars[h].get("__redis_needs_restart")) for h in hosts}
    return redis_ops.restart_order(hosts, roles, needs)


class FilterModule:
    def filters(self):
        return {
            "redis_accepted_password_index": redis_accepted_password_index,
            "redis_probed_role": redis_probed_role,
            "redis_restart_order": redis_restart_order,
            "redis_sentinel_auth_changes": redis_ops.sentinel_auth_changes,
        }
