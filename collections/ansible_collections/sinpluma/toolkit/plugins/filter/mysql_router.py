"""Filters of the mysql_router role; the logic is in module_utils/router_config.py."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.sinpluma.toolkit.plugins.module_utils import router_config, slurp


def mysql_router_config_drift(slurped, expected):
    """`slurp_result | sinpluma.toolkit.mysql_router_config_drift({section: {option: value}})`:
    lines naming each bootstrapped setting that differs from the inventory; [] when there is no
    configuration yet (nothing bootstrapped) or it agrees."""
    conf = slurp.text(slurped)
    if not conf:
        return []
    try:
        return router_config.differences(conf, expected)
    except router_config.RouterConfigError as error:
        raise AnsibleFilterError(str(error)) from None


class FilterModule:
    def filters(self):
        return {"mysql_router_config_drift": mysql_router_config_drift}
