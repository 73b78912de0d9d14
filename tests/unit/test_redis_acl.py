"""roles/redis input checks and ACL rendering (module_utils/redis_acl.py), without a server."""

import hashlib

import pytest
from ansible_collections.sinpluma.toolkit.plugins.module_utils.redis_acl import (
    RedisInputError,
    acl_lines,
    command_rule_errors,
    input_errors,
    reply_pairs,
    sentinel_discovery_user,
)

PASSWORD = "Zx9" * 8
API = {
    "name": "api",
    "password": PASSWORD,
    "password_variable": "redis_api_password",
    "keys": ["revoked:*"],
    "commands": ["+ping", "+set", "+get", "+exists", "+ttl"],
}
ADMIN = {"name": "admin", "password": "A" * 20, "keys": ["*"], "channels": ["*"], "commands": ["+@all"]}


def config(**overrides):
    base = {
        "users": [API],
        "internal_users": [ADMIN],
        "bind_addresses": ["127.0.0.1", "172.18.0.5"],
        "maxmemory": "256mb",
        "port": 6379,
        "sentinel_port": 26379,
        "ha_enabled": False,
        "ha_hosts": [],
        "ha_primary": "",
        "sentinel_quorum": 2,
        "tls_enabled": False,
    }
    return {**base, **overrides}


def test_valid_inputs_have_no_errors():
    assert input_errors(config()) == []


def test_acl_file_disables_default_user_and_hashes_passwords():
    lines = acl_lines([API, ADMIN])
    assert lines[0] == "user default off resetpass resetkeys resetchannels -@all"
    api = next(line for line in lines if line.startswith("user api "))
    digest = hashlib.sha256(PASSWORD.encode()).hexdigest()
    assert api == (
        f"user api on #{digest} resetkeys resetchannels ~revoked:* -@all +ping +set +get +exists +ttl"
    )
    assert PASSWORD not in "\n".join(lines)


@pytest.mark.parametrize("password", [None, "", "   "])
def test_missing_password_names_the_variable(password):
    errors = input_errors(config(users=[{**API, "password": password}]))
    assert errors == ["redis_users: user 'api': password is missing (set redis_api_password, from the vault)"]


def test_short_password_is_refused():
    assert "shorter than 16" in input_errors(config(users=[{**API, "password": "short"}]))[0]


def test_missing_admin_password_is_reported_for_role_users():
    errors = input_errors(config(internal_users=[{**ADMIN, "password": "", "password_variable": "x_pw"}]))
    assert errors == ["role user: user 'admin': password is missing (set x_pw, from the vault)"]


@pytest.mark.parametrize(
    "rule",
    ["get", "+get key", "+@nosuchcategory", "allcommands", "on", ">secret", "#abc", "nopass", "+g et", "~*"],
)
def test_invalid_acl_rules_are_refused(rule):
    assert command_rule_errors(rule), rule
    errors = input_errors(config(users=[{**API, "commands": ["+get", rule]}]))
    assert len(errors) == 1 and repr(rule) in errors[0]


@pytest.mark.parametrize(
    "rule", ["+get", "-flushall", "+client|setname", "-@dangerous", "+@read", "+config|get", "+GET"]
)
def test_valid_acl_rules(rule):
    assert command_rule_errors(rule) == []


def test_acl_lines_raise_on_invalid_user():
    with pytest.raises(RedisInputError, match="not a command rule"):
        acl_lines([{**API, "commands": ["+get foo"]}])


@pytest.mark.parametrize("pattern", ["~revoked:*", "has space", ""])
def test_key_patterns_are_plain_globs(pattern):
    assert input_errors(config(users=[{**API, "keys": [pattern]}]))


def test_reserved_and_duplicate_names():
    errors = input_errors(config(users=[API, API, {**API, "name": "admin"}, {**API, "name": "default"}]))
    assert "redis_users: user 'api' is defined twice" in errors
    assert "redis_users: user name 'admin' is reserved for the role" in errors
    assert "redis_users: user name 'default' is reserved for the role" in errors


def test_unknown_user_field_is_refused():
    assert "unknown fields kyes" in input_errors(config(users=[{**API, "kyes": ["x*"]}]))[0]


@pytest.mark.parametrize("address", ["0.0.0.0", "8.8.8.8", "redis.example", "::"])  # noqa: S104
def test_public_or_bad_bind_addresses_are_refused(address):
    assert input_errors(config(bind_addresses=["127.0.0.1", address]))


@pytest.mark.parametrize("size", ["0", "", "lots", "-1mb"])
def test_maxmemory_must_be_a_limit(size):
    assert input_errors(config(maxmemory=size))


def test_ha_needs_three_hosts_a_majority_quorum_and_a_known_primary():
    good = config(ha_enabled=True, ha_hosts=["r1", "r2", "r3"], ha_primary="r1", sentinel_quorum=2)
    assert input_errors(good) == []
    assert input_errors({**good, "ha_hosts": ["r1", "r2"]})
    assert input_errors({**good, "sentinel_quorum": 1})
    assert input_errors({**good, "sentinel_quorum": 4})
    assert input_errors({**good, "ha_primary": "r9"})


def test_sentinel_discovery_user_may_only_discover():
    user = sentinel_discovery_user(API)
    assert user["keys"] == [] and user["password"] == PASSWORD
    assert "+sentinel|get-master-addr-by-name" in user["commands"]
    assert not any(c.startswith("+sentinel|failover") or c == "+@all" for c in user["commands"])
    assert "+sentinel|get-master-addr-by-name" in acl_lines([user])[1]


def test_reply_pairs():
    assert reply_pairs(["name", "sinpluma", "quorum", "2"]) == {"name": "sinpluma", "quorum": "2"}
    assert reply_pairs(["NOAUTH Authentication required."]) == {}


@pytest.mark.parametrize(
    "bad",
    ['with"quote' + "x" * 16, "with space" + "x" * 16, "back\\slash" + "x" * 16, "new\nline" + "x" * 16,
     "single'quote" + "x" * 16, "tab\there" + "x" * 16, "bell\x07" + "x" * 16],
)  # fmt: skip
def test_passwords_the_config_parsers_would_split_are_refused_without_showing_them(bad):
    admin = {**ADMIN, "password_variable": "redis_admin_password"}
    cases = [
        (config(users=[{**API, "password": bad}]), "redis_api_password"),
        (config(internal_users=[{**admin, "password": bad}]), "redis_admin_password"),
    ]
    for inputs, variable in cases:
        errors = input_errors(inputs)
        assert len(errors) == 1, errors
        assert variable in errors[0] and "quotes or backslashes" in errors[0]
        assert bad not in errors[0] and bad.strip("x") not in errors[0]


def test_previous_passwords_are_accepted_too_and_checked_by_their_variable():
    old = "Old9" * 5
    user = {
        **API,
        "previous_passwords": [old, PASSWORD],
        "previous_passwords_variable": "redis_api_previous_passwords",
    }
    line = acl_lines([user])[1]
    hashes = [word for word in line.split() if word.startswith("#")]
    assert hashes == [
        "#" + hashlib.sha256(PASSWORD.encode()).hexdigest(),
        "#" + hashlib.sha256(old.encode()).hexdigest(),
    ]
    assert old not in line
    errors = input_errors(config(users=[{**user, "previous_passwords": ["short"]}]))
    assert errors == [
        "redis_users: user 'api': redis_api_previous_passwords[0] is shorter than 16 characters"
    ]
    bad = input_errors(config(users=[{**user, "previous_passwords": ['quo"te' * 4]}]))
    assert len(bad) == 1 and "redis_api_previous_passwords[0] must not contain" in bad[0]


def test_sentinel_discovery_user_keeps_the_previous_passwords():
    old = "Old9" * 5
    user = sentinel_discovery_user({**API, "previous_passwords": [old]})
    assert acl_lines([user])[1].count(" #") == 2
