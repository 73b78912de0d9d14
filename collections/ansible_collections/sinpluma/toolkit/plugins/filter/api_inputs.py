"""`values | sinpluma.toolkit.api_input_errors(groups)` (logic in module_utils/api_inputs.py)."""

from __future__ import annotations

from ansible_collections.sinpluma.toolkit.plugins.module_utils import api_inputs


def api_input_errors(values, groups):
    return api_inputs.errors(dict(values), dict(groups))


class FilterModule:
    def filters(self):
        return {"api_input_errors": api_input_errors}
