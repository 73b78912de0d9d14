import base64

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.sinpluma.toolkit.plugins.filter.mysql_router import mysql_router_config_drift
from ansible_collections.sinpluma.toolkit.plugins.module_utils.router_config import differences

# The shape Router 9.7's bootstrap writes (abridged).
CONF = """# File automatically generated during MySQL Router bootstrap
[DEFAULT]
name=idb-router
user=mysqlrouter
unknown_config_option=error

[routing:bootstrap_rw]
bind_address=0.0.0.0
bind_port=6446
destinations=metadata-cache://sinpluma/?role=PRIMARY
routing_strategy=first-available
protocol=classic

[routing:bootstrap_ro]
bind_address=0.0.0.0
bind_port=6447
destinations=metadata-cache://sinpluma/?role=SECONDARY
"""
ANY = "0.0.0.0"  # noqa: S104 (a configured value under test)
EXPECTED = {
    "routing:bootstrap_rw": {"bind_port": 6446, "bind_address": ANY},
    "routing:bootstrap_ro": {"bind_port": 6447, "bind_address": ANY},
}


def slurped(text):
    return {"content": base64.b64encode(text.encode()).decode()}


def test_a_configuration_that_agrees_has_no_differences():
    assert differences(CONF, EXPECTED) == []
    assert mysql_router_config_drift(slurped(CONF), EXPECTED) == []


def test_a_moved_port_and_address_are_named_with_both_values():
    expected = {**EXPECTED, "routing:bootstrap_rw": {"bind_port": 7446, "bind_address": "10.0.0.5"}}
    assert differences(CONF, expected) == [
        "[routing:bootstrap_rw] bind_port is 6446 (inventory: 7446)",
        "[routing:bootstrap_rw] bind_address is 0.0.0.0 (inventory: 10.0.0.5)",
    ]


def test_missing_sections_and_options_count_as_differences_unless_router_has_a_default():
    assert differences("[DEFAULT]\nname=x\n", {"routing:bootstrap_rw": {"bind_port": 6446}}) == [
        "[routing:bootstrap_rw] is missing (inventory: bind_port=6446)"
    ]
    no_address = "[routing:bootstrap_rw]\nbind_port=6446\n"
    assert differences(no_address, {"routing:bootstrap_rw": {"bind_port": 6446, "bind_address": ANY}}) == []
    assert differences(no_address, {"routing:bootstrap_rw": {"routing_strategy": "first-available"}}) == [
        "[routing:bootstrap_rw] has no routing_strategy (inventory: first-available)"
    ]


def test_no_configuration_yet_is_not_drift_and_garbage_is_refused():
    assert mysql_router_config_drift({}, EXPECTED) == []
    assert mysql_router_config_drift({"content": ""}, EXPECTED) == []
    with pytest.raises(AnsibleFilterError, match="cannot be read"):
        mysql_router_config_drift(slurped("bind_port=6446\n"), EXPECTED)
