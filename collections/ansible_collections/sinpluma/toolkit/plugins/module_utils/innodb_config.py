"""mysqld configuration changes as data: which settings a running member takes live, which need a
restart, and in which order the members restart.

Pure Python. The role renders one option file; when it changes, the settings MySQL changes at run
time are applied with SET GLOBAL (the option file stays the one place they are kept: no SET
PERSIST, which would override it), and only the others restart mysqld, one member at a time,
secondaries first and the primary last (its planned stop hands the primary role over once).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# Settings of the rendered file that a running member changes with SET GLOBAL, Group Replication
# running. Anything not listed here restarts mysqld when it changes (the safe default).
LIVE_SETTINGS = frozenset(
    {
        "binlog_expire_logs_seconds",
        "group_replication_autorejoin_tries",
        "group_replication_consistency",
        "group_replication_exit_state_action",
        "group_replication_group_seeds",
        "group_replication_member_expel_timeout",
        "group_replication_member_weight",
        "group_replication_unreachable_majority_timeout",
        "innodb_buffer_pool_size",
        "max_connections",
    }
)

_SIZE = re.compile(r"^(\d+)([KMGT]?)$", re.IGNORECASE)
_NUMBER = re.compile(r"^-?\d+$")
_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MULTIPLIERS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


class ConfigError(ValueError):
    """A setting that cannot be applied safely."""


def parse_mysqld_section(text: str) -> dict[str, str]:
    """The [mysqld] settings of an option file: {name: value}; names with '_', repeated keys joined
    with ',' (plugin_load_add), flags without a value as "ON"."""
    settings: dict[str, str] = {}
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";", "!")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().lower()
            continue
        if section != "mysqld":
            continue
        name, sep, value = line.partition("=")
        name = name.strip().lower().replace("-", "_")
        value = value.strip().strip('"').strip("'") if sep else "ON"
        if name in settings and name.endswith("_add"):
            settings[name] = f"{settings[name]},{value}"
        else:
            settings[name] = value
    return settings


def plan_changes(old_text: str, new_text: str) -> dict[str, object]:
    """{"live": {name: value}, "restart": [names]} between two versions of the file. A first
    rendering (no old file) is a restart: the server has not run with any of it yet."""
    new = parse_mysqld_section(new_text)
    if not old_text.strip():
        return {"live": {}, "restart": sorted(new)}
    old = parse_mysqld_section(old_text)
    changed = sorted(name for name in set(old) | set(new) if old.get(name) != new.get(name))
    live = {name: new[name] for name in changed if name in LIVE_SETTINGS and name in new}
    return {"live": live, "restart": [name for name in changed if name not in live]}


def sql_literal(value: str) -> str:
    """An option-file value as a SET GLOBAL literal: sizes (256M) as bytes, numbers and words
    (ON, OFFLINE_MODE) as they are, anything else as a quoted string."""
    size = _SIZE.match(value)
    if size:
        return str(int(size.group(1)) * _MULTIPLIERS[size.group(2).upper()])
    if _NUMBER.match(value) or _WORD.match(value):
        return value
    if "\\" in value or "\n" in value:
        raise ConfigError(f"value {value!r} cannot be set live")
    return "'" + value.replace("'", "''") + "'"


def set_global_statements(live: Mapping[str, str]) -> list[str]:
    statements = []
    for name, value in sorted(live.items()):
        if not _WORD.match(name):
            raise ConfigError(f"setting name {name!r} is not a plain name")
        statements.append(f"SET GLOBAL {name} = {sql_literal(value)}")
    return statements


def restart_order(
    hosts: Iterable[str], roles: Mapping[str, str], needs_restart: Mapping[str, bool]
) -> list[str]:
    """The hosts that need a restart, in inventory order, the group's PRIMARY last."""
    chosen = [host for host in hosts if needs_restart.get(host)]
    return [h for h in chosen if roles.get(h) != "PRIMARY"] + [h for h in chosen if roles.get(h) == "PRIMARY"]


_SETTING_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


def extra_settings_errors(settings: Mapping[str, object]) -> list[str]:
    """Why extra [mysqld] settings from the inventory cannot be written into the option file."""
    errors = []
    for name, value in (settings or {}).items():
        if not _SETTING_NAME.match(str(name)):
            errors.append(f"innodb_cluster_extra_settings: {name!r} is not a mysqld setting name")
        elif not isinstance(value, (str, int, float, bool)) or any(c in str(value) for c in "\n\r"):
            errors.append(f"innodb_cluster_extra_settings: the value of {name} must be one line of text")
    return errors
