"""Addresses of inventory hosts, for /etc/hosts and firewall allow-lists. Pure Python, no Ansible."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any


class InventoryAddressError(ValueError):
    """A host's address cannot be known (no facts gathered and no explicit address)."""


def host_addresses(name: str, hostvars: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Every unicast address a host may use as a source: the explicit `common_host_address`
    when set, else all IPv4/IPv6 addresses from its facts (a host on several networks talks
    from a different address on each)."""
    host = hostvars.get(name)
    if host is None:
        raise InventoryAddressError(f"host {name!r} is not in the inventory")
    explicit = host.get("common_host_address")
    if explicit:
        return [str(ipaddress.ip_address(explicit))]
    found = list(host.get("ansible_all_ipv4_addresses") or [])
    found += list(host.get("ansible_all_ipv6_addresses") or [])
    usable = sorted(
        {str(ip) for ip in map(ipaddress.ip_address, found) if not (ip.is_link_local or ip.is_loopback)},
        key=_sort_key,
    )
    if not usable:
        raise InventoryAddressError(
            f"no address known for host {name!r}: gather its facts in this play or set common_host_address"
        )
    return usable


def primary_address(name: str, hostvars: Mapping[str, Mapping[str, Any]]) -> str:
    """The one address other hosts use to reach this host by name."""
    host = hostvars.get(name) or {}
    explicit = host.get("common_host_address")
    if explicit:
        return str(ipaddress.ip_address(explicit))
    default = (host.get("ansible_default_ipv4") or {}).get("address")
    return default or host_addresses(name, hostvars)[0]


def hosts_entries(names: Iterable[str], hostvars: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """`/etc/hosts` lines `<address> <fqdn> <short>` for the given hosts, sorted by name."""
    lines = []
    for name in sorted(set(names)):
        short = name.split(".", 1)[0]
        aliases = name if short == name else f"{name} {short}"
        lines.append(f"{primary_address(name, hostvars)} {aliases}")
    return lines


def subject_alt_names(name: str, addresses: Iterable[str] = (), extra_names: Iterable[str] = ()) -> list[str]:
    """TLS SANs for a host: its name, short name, localhost, `extra_names` (a site name's host,
    more DNS names) and every address; each once, in that order."""
    names = dict.fromkeys([name, name.split(".", 1)[0], "localhost", *extra_names])
    ips = dict.fromkeys(["127.0.0.1", *(str(ipaddress.ip_address(a)) for a in addresses)])
    return [f"DNS:{n}" for n in names] + [f"IP:{ip}" for ip in ips]


def group_sources(
    groups_allowed: Iterable[str],
    groups: Mapping[str, Iterable[str]],
    hostvars: Mapping[str, Mapping[str, Any]],
) -> list[str]:
    """All addresses of every host in the allowed groups; an unknown group is an error."""
    addresses: set[str] = set()
    for group in groups_allowed:
        if group not in groups:
            raise InventoryAddressError(
                f"firewall rule names inventory group {group!r}, which does not exist"
            )
        for name in groups[group]:
            addresses.update(host_addresses(name, hostvars))
    return sorted(addresses, key=_sort_key)


def nft_allow_rules(
    service: str,
    ports: Iterable[int | str],
    sources: Iterable[str],
    table: str = "inet sinpluma",
    chain: str = "input",
) -> list[str]:
    """nftables `add rule` lines that let `sources` (addresses or CIDR networks) reach `ports`
    (tcp unless written "udp/NNN").

    No sources → no rule (an empty set is an nft syntax error, and nobody may connect).
    """
    by_proto: dict[str, list[int]] = {}
    for port in ports:
        proto, _, number = str(port).rpartition("/")
        proto = proto or "tcp"
        if proto not in ("tcp", "udp"):
            raise ValueError(f"{service}: protocol of port {port!r} must be tcp or udp")
        value = int(number)
        if not 0 < value < 65536:
            raise ValueError(f"{service}: port {port!r} is out of range")
        by_proto.setdefault(proto, []).append(value)
    networks = [_network(service, s) for s in sources]
    v4 = [
        str(n) if n.prefixlen < n.max_prefixlen else str(n.network_address)
        for n in networks
        if n.version == 4
    ]
    v6 = [
        str(n) if n.prefixlen < n.max_prefixlen else str(n.network_address)
        for n in networks
        if n.version == 6
    ]
    rules = []
    for proto, numbers in sorted(by_proto.items()):
        port_set = _nft_set(str(n) for n in sorted(set(numbers)))
        for family, addrs in (("ip", v4), ("ip6", v6)):
            if addrs:
                rules.append(
                    f"add rule {table} {chain} {family} saddr {_nft_set(addrs)} "
                    f'{proto} dport {port_set} accept comment "{service}"'
                )
    return rules


def _network(service: str, source: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(source, strict=False)
    except ValueError:
        raise ValueError(
            f"{service}: firewall source {source!r} is not an IP address or CIDR network"
        ) from None


def _nft_set(items: Iterable[str]) -> str:
    values = list(items)
    return values[0] if len(values) == 1 else "{ " + ", ".join(values) + " }"


def _sort_key(address: str) -> tuple[int, int]:
    ip = ipaddress.ip_address(address)
    return (ip.version, int(ip))
