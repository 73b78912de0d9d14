"""Filters over MinIO layouts and role inputs; the logic is in module_utils/minio_layout.py."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.sinpluma.toolkit.plugins.module_utils import minio_layout


def layout(drives, nodes=None, port=9000, scheme="http"):
    """`drives | sinpluma.toolkit.minio_layout(nodes, port, scheme)`: MINIO_VOLUMES and the
    erasure layout; `nodes` empty or one name means a single node."""
    try:
        if nodes and len(nodes) > 1:
            return minio_layout.layout(list(nodes), list(drives), int(port), scheme)
        return minio_layout.layout(["localhost"], list(drives), int(port), scheme)
    except minio_layout.MinioLayoutError as error:
        raise AnsibleFilterError(str(error)) from error


def input_errors(values):
    """`{...} | sinpluma.toolkit.minio_input_errors`: list of messages, empty when fine."""
    return minio_layout.input_errors(values)


def restart_refusal(nodes, play_hosts, reasons):
    """`nodes | sinpluma.toolkit.minio_restart_refusal(ansible_play_hosts, reasons)`: the message
    refusing a pool restart with nodes outside the play, or "" when the play may go on."""
    return minio_layout.pool_restart_refusal(list(nodes), list(play_hosts), dict(reasons)) or ""


class FilterModule:
    def filters(self):
        return {
            "minio_layout": layout,
            "minio_input_errors": input_errors,
            "minio_restart_refusal": restart_refusal,
        }
