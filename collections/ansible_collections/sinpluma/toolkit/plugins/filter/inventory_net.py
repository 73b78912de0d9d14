"""Filters over inventory addresses; the logic is in module_utils/inventory_net.py."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.sinpluma.toolkit.plugins.module_utils import inventory_net


def _wrap(function):
    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (inventory_net.InventoryAddressError, ValueError) as error:
            raise AnsibleFilterError(str(error)) from error

    return call


class FilterModule:
    def filters(self):
        return {
            "inventory_hosts_entries": _wrap(inventory_net.hosts_entries),
            "firewall_sources": _wrap(inventory_net.group_sources),
            "nft_allow_rules": _wrap(inventory_net.nft_allow_rules),
            "subject_alt_names": _wrap(inventory_net.subject_alt_names),
        }
