"""Values for files systemd reads with EnvironmentFile=, quoted so systemd reads them back exactly.

systemd parses such a file line by line: a value in double quotes keeps spaces, `#` and `'`;
inside double quotes a backslash escapes `"`, `\\`, `` ` `` and `$` (any other backslash is kept as
is); `$` is never expanded. A newline or carriage return ends a value (a backslash before one joins
lines), so no quoting carries them: such values are refused.
"""

from __future__ import annotations

from typing import Any

_ESCAPED = '"\\`$'
_IMPOSSIBLE = {"\n": "a newline", "\r": "a carriage return", "\x00": "a NUL character"}


class SystemdEnvError(ValueError):
    """A value an EnvironmentFile= cannot carry."""


def value_problem(value: Any) -> str | None:
    """Why `value` cannot be written to an environment file (None when it can). Never quotes the
    value: it may be a secret."""
    text = str(value)
    found = [name for char, name in _IMPOSSIBLE.items() if char in text]
    return f"contains {' and '.join(found)}, which systemd's EnvironmentFile= cannot carry" if found else None


def quote(value: Any) -> str:
    """`value` as a double-quoted EnvironmentFile= value that systemd reads back unchanged."""
    problem = value_problem(value)
    if problem:
        raise SystemdEnvError(f"the value {problem}")
    return '"' + "".join("\\" + c if c in _ESCAPED else c for c in str(value)) + '"'


def unquote(text: str) -> str:
    """systemd's reading of a double-quoted value (the inverse of `quote`, for tests)."""
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise SystemdEnvError("not a double-quoted value")
    out, chars = [], iter(text[1:-1])
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append(following if following in _ESCAPED else char + following)
        else:
            out.append(char)
    return "".join(out)


def errors(values: dict[str, Any]) -> list[str]:
    """One message per variable whose value an environment file cannot carry (names, no values)."""
    return [f"{name} {problem}" for name, value in values.items() if (problem := value_problem(value))]
