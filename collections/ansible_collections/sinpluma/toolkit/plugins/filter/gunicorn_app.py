"""Filters of roles/gunicorn_app (logic in module_utils/gunicorn_app.py)."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.sinpluma.toolkit.plugins.module_utils import gunicorn_app


def gunicorn_app_workers(cpus, memory_mb, per_worker_mb, reserve_mb=256, per_cpu=2, cap=16):
    """`cpus | sinpluma.toolkit.gunicorn_app_workers(memory_mb, per_worker_mb, ...)`."""
    try:
        return gunicorn_app.workers(
            int(cpus), int(memory_mb), int(per_worker_mb), int(reserve_mb), int(per_cpu), int(cap)
        )
    except ValueError as error:
        raise AnsibleFilterError(str(error)) from None


def gunicorn_app_prunable(find_files, keep, protected):
    """`find_result.files | sinpluma.toolkit.gunicorn_app_prunable(keep, [current, previous])`."""
    try:
        return gunicorn_app.prunable(list(find_files), int(keep), list(protected))
    except ValueError as error:
        raise AnsibleFilterError(str(error)) from None


class FilterModule:
    def filters(self):
        return {"gunicorn_app_workers": gunicorn_app_workers, "gunicorn_app_prunable": gunicorn_app_prunable}
