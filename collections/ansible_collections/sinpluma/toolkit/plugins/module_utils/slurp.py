"""The text of an ansible.builtin.slurp result, for the filters that read files from hosts."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any


def text(result: Mapping[str, Any] | None) -> str:
    """The decoded file content; "" when the slurp found no file (failed_when: false) or none ran."""
    content = (result or {}).get("content") or ""
    return base64.b64decode(content).decode() if content else ""
