"""GTID sets in pure Python: parse MySQL's text form, union, subtract, subset.

MySQL prints sets as `uuid:1-5:7,uuid2:1-3` (with newlines after commas) and, since 8.3, tagged
GTIDs as `uuid:tag:1-5`. The cluster decisions (errant transactions, which member has the most
data after an outage) are set arithmetic on these; doing it here keeps it testable without a server.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_TAG = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]{0,31}$")
_INTERVAL = re.compile(r"^(\d+)(?:-(\d+))?$")

Interval = tuple[int, int]
Key = tuple[str, str]  # (source uuid, tag); tag "" when untagged


class GtidSetError(ValueError):
    """Text that is not a GTID set."""


class GtidSet:
    """An immutable set of GTIDs, normalised to sorted, merged closed intervals per (uuid, tag)."""

    __slots__ = ("_sets",)

    def __init__(self, sets: dict[Key, list[Interval]] | None = None) -> None:
        self._sets: dict[Key, tuple[Interval, ...]] = {}
        for key, intervals in (sets or {}).items():
            merged = _merge(intervals)
            if merged:
                self._sets[key] = merged

    @classmethod
    def parse(cls, text: str | None) -> GtidSet:
        sets: dict[Key, list[Interval]] = {}
        for element in (text or "").replace("\n", "").split(","):
            element = element.strip()
            if not element:
                continue
            uuid, *parts = element.split(":")
            if not _UUID.match(uuid):
                raise GtidSetError(f"not a GTID set element: {element!r}")
            tag = ""
            for part in parts:
                interval = _INTERVAL.match(part)
                if interval:
                    start = int(interval.group(1))
                    end = int(interval.group(2) or start)
                    if start < 1 or end < start:
                        raise GtidSetError(f"bad interval {part!r} in {element!r}")
                    sets.setdefault((uuid.lower(), tag), []).append((start, end))
                elif _TAG.match(part):
                    tag = part.lower()
                else:
                    raise GtidSetError(f"bad part {part!r} in {element!r}")
        return cls(sets)

    def __str__(self) -> str:
        elements = []
        by_uuid: dict[str, list[str]] = {}
        for (uuid, tag), intervals in sorted(self._sets.items()):
            text = ":".join(f"{a}" if a == b else f"{a}-{b}" for a, b in intervals)
            by_uuid.setdefault(uuid, []).append(f"{tag}:{text}" if tag else text)
        for uuid, parts in by_uuid.items():
            elements.append(f"{uuid}:{':'.join(parts)}")
        return ",".join(elements)

    def __repr__(self) -> str:
        return f"GtidSet({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GtidSet) and self._sets == other._sets

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._sets.items())))

    def __bool__(self) -> bool:
        return bool(self._sets)

    def __or__(self, other: GtidSet) -> GtidSet:
        sets: dict[Key, list[Interval]] = {k: list(v) for k, v in self._sets.items()}
        for key, intervals in other._sets.items():
            sets.setdefault(key, []).extend(intervals)
        return GtidSet(sets)

    def __sub__(self, other: GtidSet) -> GtidSet:
        sets: dict[Key, list[Interval]] = {}
        for key, intervals in self._sets.items():
            remaining = list(intervals)
            for cut in other._sets.get(key, ()):
                remaining = [piece for interval in remaining for piece in _cut(interval, cut)]
            sets[key] = remaining
        return GtidSet(sets)

    def issubset(self, other: GtidSet) -> bool:
        return not (self - other)

    def count(self) -> int:
        return sum(b - a + 1 for intervals in self._sets.values() for a, b in intervals)

    @classmethod
    def union(cls, sets: Iterable[GtidSet]) -> GtidSet:
        result = cls()
        for item in sets:
            result = result | item
        return result


def _merge(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


def _cut(interval: Interval, cut: Interval) -> list[Interval]:
    start, end = interval
    if cut[1] < start or cut[0] > end:
        return [interval]
    pieces = []
    if cut[0] > start:
        pieces.append((start, cut[0] - 1))
    if cut[1] < end:
        pieces.append((cut[1] + 1, end))
    return pieces
