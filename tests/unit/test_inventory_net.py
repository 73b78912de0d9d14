import pytest
from ansible_collections.sinpluma.toolkit.plugins.module_utils.inventory_net import (
    InventoryAddressError,
    group_sources,
    host_addresses,
    hosts_entries,
    nft_allow_rules,
    subject_alt_names,
)

HOSTVARS = {
    "db1": {
        "ansible_default_ipv4": {"address": "10.0.0.11"},
        "ansible_all_ipv4_addresses": ["10.0.0.11", "10.1.0.11"],
        "ansible_all_ipv6_addresses": ["fe80::1", "fd00::11"],
    },
    "api1.example.org": {"common_host_address": "10.0.0.21"},
    "nofacts": {},
}
GROUPS = {"db": ["db1"], "api": ["api1.example.org"], "empty": [], "all": list(HOSTVARS)}


def test_host_addresses_takes_every_address_but_link_local():
    assert host_addresses("db1", HOSTVARS) == ["10.0.0.11", "10.1.0.11", "fd00::11"]


def test_explicit_address_wins_over_facts():
    assert host_addresses("api1.example.org", HOSTVARS) == ["10.0.0.21"]


def test_host_without_facts_is_a_clear_error():
    with pytest.raises(InventoryAddressError, match=r"nofacts.*gather its facts"):
        host_addresses("nofacts", HOSTVARS)


def test_hosts_entries_use_default_address_and_short_alias():
    assert hosts_entries(["db1", "api1.example.org"], HOSTVARS) == [
        "10.0.0.21 api1.example.org api1",
        "10.0.0.11 db1",
    ]


def test_group_sources_unknown_group_is_an_error():
    with pytest.raises(InventoryAddressError, match="'cache'"):
        group_sources(["cache"], GROUPS, HOSTVARS)


def test_group_sources_merges_groups():
    assert group_sources(["db", "api"], GROUPS, HOSTVARS) == [
        "10.0.0.11",
        "10.0.0.21",
        "10.1.0.11",
        "fd00::11",
    ]


def test_nft_rules_split_families_and_protocols():
    rules = nft_allow_rules("redis", [6379, "udp/53", 26379], ["10.0.0.11", "fd00::11"])
    assert rules == [
        'add rule inet sinpluma input ip saddr 10.0.0.11 tcp dport { 6379, 26379 } accept comment "redis"',
        'add rule inet sinpluma input ip6 saddr fd00::11 tcp dport { 6379, 26379 } accept comment "redis"',
        'add rule inet sinpluma input ip saddr 10.0.0.11 udp dport 53 accept comment "redis"',
        'add rule inet sinpluma input ip6 saddr fd00::11 udp dport 53 accept comment "redis"',
    ]


def test_nft_rules_accept_networks():
    rules = nft_allow_rules("admin", [22], ["0.0.0.0/0", "::/0"])
    assert rules[0].startswith("add rule inet sinpluma input ip saddr 0.0.0.0/0 tcp dport 22")
    assert "ip6 saddr ::/0" in rules[1]


def test_no_sources_opens_nothing():
    assert nft_allow_rules("minio", [9000], []) == []


@pytest.mark.parametrize(
    ("port", "message"), [(0, "out of range"), (70000, "out of range"), ("sctp/5", "tcp or udp")]
)
def test_bad_ports_are_refused(port, message):
    with pytest.raises(ValueError, match=message):
        nft_allow_rules("svc", [port], ["10.0.0.1"])


def test_bad_source_is_refused():
    with pytest.raises(ValueError, match="not an IP address"):
        nft_allow_rules("svc", [80], ["db1"])


def test_subject_alt_names_take_extra_names_once():
    assert subject_alt_names(
        "sinpluma.example", ["10.0.0.5"], ["edge-1", "sinpluma.example", "www.example"]
    ) == [
        "DNS:sinpluma.example",
        "DNS:sinpluma",
        "DNS:localhost",
        "DNS:edge-1",
        "DNS:www.example",
        "IP:127.0.0.1",
        "IP:10.0.0.5",
    ]


def test_subject_alt_names_cover_names_and_addresses():
    assert subject_alt_names("db1.lab.example", ["10.0.0.11", "127.0.0.1"]) == [
        "DNS:db1.lab.example",
        "DNS:db1",
        "DNS:localhost",
        "IP:127.0.0.1",
        "IP:10.0.0.11",
    ]
