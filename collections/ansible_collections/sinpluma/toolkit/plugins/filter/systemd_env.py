"""Filters for systemd EnvironmentFile= values; the logic is in module_utils/systemd_env.py."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.sinpluma.toolkit.plugins.module_utils import systemd_env


def systemd_env_value(value):
    """`value | sinpluma.toolkit.systemd_env_value`: the value double-quoted and escaped for
    EnvironmentFile=; a value systemd cannot carry (newline) fails without showing it."""
    try:
        return systemd_env.quote(value)
    except systemd_env.SystemdEnvError as error:
        raise AnsibleFilterError(str(error)) from None


def systemd_env_errors(values):
    """`{name: value} | sinpluma.toolkit.systemd_env_errors`: messages naming each variable whose
    value an environment file cannot carry; empty when all can."""
    return systemd_env.errors(dict(values))


class FilterModule:
    def filters(self):
        return {"systemd_env_value": systemd_env_value, "systemd_env_errors": systemd_env_errors}
