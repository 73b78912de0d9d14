"""Operations of roles/redis over what the role probed: which admin password the running Redis
accepts (password rotation), the restart order (primary last) and the credentials Sentinel holds
at runtime. Pure Python, no Ansible, no secret in any return value or message."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# What a probe of an unreachable or not yet configured Redis looks like: not a refusal.
ROLES = ("master", "slave")


def accepted_password_index(results: Iterable[Mapping[str, Any]]) -> int:
    """Index of the first candidate admin password the running Redis accepted (``ROLE`` answered),
    -1 when no Redis with the role's users answered (first run: use the current password), -2 when
    Redis answered and refused every candidate (an old password is not listed as previous)."""
    refused = False
    for index, result in enumerate(results):
        lines = str(result.get("stdout", "")).splitlines()
        if result.get("rc") == 0 and lines and lines[0].strip() in ROLES:
            return index
        if "WRONGPASS" in str(result.get("stdout", "")) + str(result.get("stderr", "")):
            refused = True
    return -2 if refused else -1


def probed_role(results: Iterable[Mapping[str, Any]]) -> str:
    """The replication role (``master``/``slave``) the accepted probe reported, else ``""``."""
    for result in results:
        lines = str(result.get("stdout", "")).splitlines()
        if result.get("rc") == 0 and lines and lines[0].strip() in ROLES:
            return lines[0].strip()
    return ""


def restart_order(
    hosts: Iterable[str], roles: Mapping[str, str], needs_restart: Mapping[str, bool]
) -> list[str]:
    """The hosts that need a restart in inventory order, replicas first, the primary last (its
    planned stop hands the primary role over once, after every replica is back)."""
    chosen = [host for host in hosts if needs_restart.get(host)]
    return [h for h in chosen if roles.get(h) != "master"] + [h for h in chosen if roles.get(h) == "master"]


def sentinel_runtime_auth(text: str, service: str) -> dict[str, str]:
    """``auth-pass`` (Sentinel on Redis) and ``sentinel-pass`` (Sentinel on Sentinel) as Sentinel
    wrote them into its runtime file (it writes them unquoted, one word each)."""
    found = {}
    for line in str(text).splitlines():
        words = line.split()
        if words[:3] == ["sentinel", "auth-pass", service] and len(words) == 4:
            found["auth-pass"] = words[3]
        elif words[:2] == ["sentinel", "sentinel-pass"] and len(words) == 3:
            found["sentinel-pass"] = words[2]
    return found


def sentinel_auth_changes(text: str, service: str, password: str) -> list[str]:
    """Which of Sentinel's two runtime credentials differ from ``password`` (names only)."""
    current = sentinel_runtime_auth(text, service)
    return [name for name in ("auth-pass", "sentinel-pass") if current.get(name) != password]
