"""Filters over registered task results."""

from __future__ import annotations


def loop_failures(registered):
    """The messages of the failed items of a looped task registered with `ignore_errors` (a
    no_log loop shows no reason; its modules' messages carry no secret)."""
    return [
        str(item.get("msg") or "failed without a message")
        for item in (registered or {}).get("results", [])
        if item.get("failed")
    ]


class FilterModule:
    def filters(self):
        return {"loop_failures": loop_failures}
