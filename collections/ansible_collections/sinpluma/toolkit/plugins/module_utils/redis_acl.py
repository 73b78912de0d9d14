"""Redis ACL users and the checks roles/redis runs before it touches a host. Pure Python, no Ansible.

A user is a mapping ``{name, password, keys, channels, commands}``: ``keys`` and ``channels`` are
glob patterns (written ``~pattern`` and ``&pattern`` in the ACL file), ``commands`` are rules such
as ``+get``, ``-@dangerous`` or ``+client|setname``. Passwords are written to the ACL file only
as SHA-256 hashes (``#<hex>``), never in clear.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Any

USER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")
# +cmd, -cmd, +cmd|subcommand, +@category, -@category
COMMAND_RULE = re.compile(
    r"^[+-](?:@(?P<category>[a-z]+)|[a-z][a-z0-9_-]*(?:\|[a-z][a-z0-9_-]*)?)$", re.IGNORECASE
)
# Redis 7.0 categories (the oldest Redis the role supports); `ACL CAT` on a server lists them.
CATEGORIES = frozenset(
    {
        *("keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap"),
        *("hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking", "dangerous"),
        *("connection", "transaction", "scripting", "all"),
    }
)
# The role owns passwords and on/off; a rule that changes them would bypass the vault.
AUTH_RULES = frozenset({"on", "off", "nopass", "resetpass", "reset"})
# What a client needs from Sentinel to find the primary (redis-py's Sentinel uses MASTERS/REPLICAS).
SENTINEL_DISCOVERY_COMMANDS = (
    "+ping",
    "+hello",
    "+client|setname",
    "+sentinel|get-master-addr-by-name",
    "+sentinel|masters",
    "+sentinel|master",
    "+sentinel|replicas",
    "+sentinel|slaves",
    "+sentinel|sentinels",
)
PATTERN = re.compile(r"^\S+$")
MEMORY = re.compile(r"^[1-9][0-9]*(?:[kmg]b?)?$", re.IGNORECASE)
MIN_PASSWORD_LENGTH = 16


USER_FIELDS = frozenset(
    {"name", "password", "password_variable", "previous_passwords", "previous_passwords_variable"}
    | {"keys", "channels", "commands"}
)
# Characters Redis' config parser (sdssplitargs) treats as separators, quotes or escapes. Sentinel
# rewrites auth-pass and sentinel-pass into its runtime file unquoted, so a password holding one
# of them would break that file at Sentinel's next start: refused, for every password alike.
PASSWORD_FORBIDDEN = frozenset("\"'\\")


class RedisInputError(ValueError):
    """An input of roles/redis that must be fixed before anything runs."""


def password_hash(password: str) -> str:
    """The ``#<sha256 hex>`` form Redis accepts in ACL files instead of a clear password."""
    return "#" + hashlib.sha256(password.encode("utf-8")).hexdigest()


def password_errors(password: Any, variable: str) -> list[str]:
    """Why a password cannot be used (never showing it); an empty list means usable."""
    if not isinstance(password, str):
        return [f"{variable} must be a string"]
    if len(password) < MIN_PASSWORD_LENGTH:
        return [f"{variable} is shorter than {MIN_PASSWORD_LENGTH} characters"]
    if any(c.isspace() or not c.isprintable() or c in PASSWORD_FORBIDDEN for c in password):
        return [
            f"{variable} must not contain whitespace, control characters, quotes or backslashes "
            "(Redis and Sentinel configuration files split on them)"
        ]
    return []


def user_passwords(user: Mapping[str, Any]) -> list[str]:
    """The passwords a user may log in with: the current one, then the previous ones still
    accepted during a rotation (duplicates dropped)."""
    passwords = [user["password"], *user.get("previous_passwords", [])]
    return list(dict.fromkeys(passwords))


def user_errors(user: Any, where: str = "redis_users") -> list[str]:
    """Everything wrong with one user definition; an empty list means valid."""
    if not isinstance(user, Mapping):
        return [f"{where}: every user must be a mapping with name, password, keys, commands"]
    name = user.get("name")
    label = f"{where}: user {name!r}"
    errors = []
    if not isinstance(name, str) or not USER_NAME.match(name):
        errors.append(f"{label}: name must match {USER_NAME.pattern}")
    password = user.get("password")
    password_variable = user.get("password_variable", "its password variable")
    if password is None or (isinstance(password, str) and not password.strip()):
        errors.append(f"{label}: password is missing (set {password_variable}, from the vault)")
    else:
        errors.extend(f"{label}: {problem}" for problem in password_errors(password, password_variable))
    previous = user.get("previous_passwords", [])
    previous_variable = user.get(
        "previous_passwords_variable", f"the previous passwords of {password_variable}"
    )
    if not isinstance(previous, list):
        errors.append(f"{label}: {previous_variable} must be a list of passwords")
        previous = []
    for index, old in enumerate(previous):
        errors.extend(
            f"{label}: {problem}" for problem in password_errors(old, f"{previous_variable}[{index}]")
        )
    unknown = sorted(set(user) - USER_FIELDS)
    if unknown:
        errors.append(f"{label}: unknown fields {', '.join(unknown)}")
    for field, sigil in (("keys", "~"), ("channels", "&")):
        patterns = user.get(field, [])
        if not isinstance(patterns, list):
            errors.append(f"{label}: {field} must be a list of patterns")
            continue
        for pattern in patterns:
            if not isinstance(pattern, str) or not PATTERN.match(pattern) or pattern[0] in "~&%":
                errors.append(
                    f"{label}: {field} pattern {pattern!r} must be a glob without spaces "
                    f"(written without the leading {sigil})"
                )
    commands = user.get("commands", [])
    if not isinstance(commands, list) or not commands:
        errors.append(f"{label}: commands must be a non-empty list of rules such as +get or -@all")
        commands = []
    for rule in commands:
        errors.extend(f"{label}: {problem}" for problem in command_rule_errors(rule))
    return errors


def command_rule_errors(rule: Any) -> list[str]:
    """Why a command rule is invalid: syntax, unknown category, or a rule the role owns."""
    if not isinstance(rule, str):
        return [f"ACL rule {rule!r} must be a string"]
    if rule.lower() in AUTH_RULES or rule[:1] in (">", "<", "#", "!"):
        return [f"ACL rule {rule!r} changes passwords or on/off, which the role owns"]
    match = COMMAND_RULE.match(rule)
    if not match:
        return [
            f"ACL rule {rule!r} is not a command rule "
            "(+command, -command, +command|sub, +@category, -@category)"
        ]
    category = match.group("category")
    if category is not None and category.lower() not in CATEGORIES:
        return [f"ACL rule {rule!r} names an unknown category (known: {', '.join(sorted(CATEGORIES))})"]
    return []


def acl_line(user: Mapping[str, Any]) -> str:
    """One ``user`` line of an ACL file: reset everything, then grant exactly what is listed."""
    errors = user_errors(user)
    if errors:
        raise RedisInputError("; ".join(errors))
    parts = ["user", user["name"], "on", *(password_hash(p) for p in user_passwords(user))]
    parts += ["resetkeys", "resetchannels"]
    parts += [f"~{p}" for p in user.get("keys", [])]
    parts += [f"&{p}" for p in user.get("channels", [])]
    parts += ["-@all", *user["commands"]]
    return " ".join(parts)


def acl_lines(users: Iterable[Mapping[str, Any]]) -> list[str]:
    """The whole ACL file: the default user disabled with no rights, then every user by name."""
    users = list(users)
    errors = users_errors(users)
    if errors:
        raise RedisInputError("; ".join(errors))
    lines = ["user default off resetpass resetkeys resetchannels -@all"]
    lines += [acl_line(u) for u in sorted(users, key=lambda u: u["name"])]
    return lines


def sentinel_discovery_user(user: Mapping[str, Any]) -> dict[str, Any]:
    """The same client on the Sentinels: it may only ask where the primary and replicas are."""
    return {
        "name": user["name"],
        "password": user.get("password"),
        "password_variable": user.get("password_variable", "its password variable"),
        "previous_passwords": list(user.get("previous_passwords", [])),
        "keys": [],
        "channels": [],
        "commands": list(SENTINEL_DISCOVERY_COMMANDS),
    }


def users_errors(users: Iterable[Any], reserved: Iterable[str] = ("default",)) -> list[str]:
    errors = []
    seen: set[str] = set()
    reserved = set(reserved)
    for user in users:
        errors.extend(user_errors(user))
        name = user.get("name") if isinstance(user, Mapping) else None
        if not isinstance(name, str):
            continue
        if name in reserved:
            errors.append(f"redis_users: user name {name!r} is reserved for the role")
        if name in seen:
            errors.append(f"redis_users: user {name!r} is defined twice")
        seen.add(name)
    return errors


def input_errors(config: Mapping[str, Any]) -> list[str]:
    """Every problem with the role's inputs, checked before the role installs or changes anything.

    ``config`` keys: users (client users), internal_users (admin, replication, sentinel),
    bind_addresses, maxmemory, port, ha_enabled, ha_hosts, sentinel_quorum, tls_enabled.
    """
    errors = []
    client_users = list(config.get("users") or [])
    internal = list(config.get("internal_users") or [])
    internal_names = {u.get("name") for u in internal if isinstance(u, Mapping)}
    errors += users_errors(client_users, reserved={"default"} | internal_names)
    errors += [e.replace("redis_users:", "role user:", 1) for e in users_errors(internal)]
    if not client_users:
        errors.append("redis_users: at least one client user is needed (the API's)")

    bind = config.get("bind_addresses") or []
    if not bind:
        errors.append("redis_bind_addresses: at least one address is needed")
    for address in bind:
        try:
            ip = ipaddress.ip_address(str(address))
        except ValueError:
            errors.append(f"redis_bind_addresses: {address!r} is not an IP address")
            continue
        if ip.is_unspecified or not (ip.is_private or ip.is_loopback):
            errors.append(
                f"redis_bind_addresses: {address} is not a private or loopback address; "
                "Redis must listen on the host's private network only"
            )

    if not MEMORY.match(str(config.get("maxmemory", ""))):
        errors.append(
            f"redis_maxmemory: {config.get('maxmemory')!r} must be a size such as 256mb or 1gb "
            "(0, unlimited, is refused: the limit is what makes noeviction safe)"
        )
    for name in ("port", "sentinel_port"):
        port = config.get(name)
        if port is not None and not (isinstance(port, int) and 0 < port < 65536):
            errors.append(f"redis_{name}: {port!r} is not a TCP port")

    if config.get("ha_enabled"):
        hosts = list(config.get("ha_hosts") or [])
        quorum = config.get("sentinel_quorum")
        if len(hosts) < 3:
            errors.append(
                f"redis_ha_group: Sentinel HA needs at least 3 hosts (found {len(hosts)}): "
                "one primary, replicas and three Sentinels"
            )
        majority = len(hosts) // 2 + 1
        if not isinstance(quorum, int) or not majority <= quorum <= max(len(hosts), majority):
            errors.append(
                f"redis_sentinel_quorum: {quorum!r} must be a majority of the Sentinels "
                f"({majority} to {len(hosts)})"
            )
        primary = config.get("ha_primary")
        if primary not in hosts:
            errors.append(f"redis_ha_primary: {primary!r} is not a host of redis_ha_group")
    return errors


def reply_pairs(lines: Iterable[str]) -> dict[str, str]:
    """A flat reply of redis-cli (``key``, ``value``, ``key``, ``value``...) as a mapping; anything
    else (an error line) is an empty mapping, so callers that retry simply retry."""
    values = [str(line).strip() for line in lines]
    if len(values) % 2:
        return {}
    return dict(zip(values[::2], values[1::2], strict=True))
