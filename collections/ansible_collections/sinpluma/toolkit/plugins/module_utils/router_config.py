"""What a bootstrapped Router's own configuration says against what the inventory asks for.

Router writes mysqlrouter.conf once, at bootstrap; later runs must notice when the inventory
moved a port or the bind address (otherwise the firewall opens the new port while Router keeps
listening on the old one).
"""

from __future__ import annotations

import configparser
from collections.abc import Mapping

# Router's own defaults for options a bootstrap may leave out.
ROUTER_DEFAULTS = {"bind_address": "0.0.0.0"}  # noqa: S104 (Router's documented default, not a choice)


class RouterConfigError(ValueError):
    """The file is not a configuration Router could have written."""


def differences(conf_text: str, expected: Mapping[str, Mapping[str, object]]) -> list[str]:
    """One line per setting whose value in `conf_text` differs from `expected`
    ({section: {option: value}}); a missing option takes Router's default, a missing section or an
    option with no default counts as a difference."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(conf_text)
    except configparser.Error as error:
        raise RouterConfigError(f"mysqlrouter.conf cannot be read: {str(error).splitlines()[0]}") from None
    lines = []
    for section, options in expected.items():
        for option, wanted in options.items():
            if not parser.has_section(section):
                lines.append(f"[{section}] is missing (inventory: {option}={wanted})")
                continue
            actual = parser.get(section, option, fallback=ROUTER_DEFAULTS.get(option))
            if actual is None:
                lines.append(f"[{section}] has no {option} (inventory: {wanted})")
            elif actual.strip() != str(wanted):
                lines.append(f"[{section}] {option} is {actual.strip()} (inventory: {wanted})")
    return lines
