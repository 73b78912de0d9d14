"""The one-line description of the machine every bench script prints with its figures."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def describe() -> str:
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    gib = memory_kib // 1024 // 1024
    return f"{platform.node()}: {os.cpu_count()} CPUs, {gib} GiB, {platform.platform()}"
