"""Reading a `molecule test` log: what Molecule itself does not enforce.

Molecule's `check` step runs the converge playbook with --check and passes whatever it reports.
A role that would change something on a converged host is not idempotent in check mode, so the
scenario runner fails on it; this module finds those hosts in the log.
"""

from __future__ import annotations

import re

_RECAP = re.compile(r"^(?P<host>\S+)\s+:\s+ok=\d+\s+changed=(?P<changed>\d+)\s")
# "[scenario > step] Executing" (plain) or "scenario ➜ step: Executing" (Molecule's rich output).
_STEP = re.compile(r"(?:\[[\w.-]+ > (?P<a>\w+)\]|[\w.-]+ \u279c (?P<b>\w+):) (?P<what>Executing|Executed)")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def step_lines(log: str, step: str) -> list[str]:
    """The lines between '[scenario > step] Executing' and the matching 'Executed' (all runs)."""
    inside, lines = False, []
    for line in _ANSI.sub("", log).splitlines():
        marker = _STEP.search(line)
        if marker and (marker.group("a") or marker.group("b")) == step:
            inside = marker.group("what") == "Executing"
            continue
        if inside:
            lines.append(line)
    return lines


def changed_hosts(log: str, step: str = "check") -> dict[str, int]:
    """Hosts whose PLAY RECAP in `step` reports changes: {host: changed}."""
    changed: dict[str, int] = {}
    for line in step_lines(log, step):
        recap = _RECAP.match(line.strip().lstrip("│").strip())
        if recap and int(recap.group("changed")):
            changed[recap.group("host")] = changed.get(recap.group("host"), 0) + int(recap.group("changed"))
    return changed
