"""Filters of the nginx role; the logic is in module_utils/nginx_tls.py and nginx_drain.py."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.sinpluma.toolkit.plugins.module_utils import nginx_drain, nginx_tls, slurp


def nginx_tls_settings(nginx_version_text, openssl_version_text):
    """`nginx -v` output | sinpluma.toolkit.nginx_tls_settings(`openssl version` output)."""
    try:
        return nginx_tls.settings(nginx_version_text, openssl_version_text)
    except nginx_tls.VersionError as error:
        raise AnsibleFilterError(str(error)) from None


def nginx_drained(slurped):
    """`slurp_result | sinpluma.toolkit.nginx_drained`: {"api": [...], "linguistics": [...]}."""
    try:
        return nginx_drain.parse(slurp.text(slurped))
    except (ValueError, nginx_drain.DrainError) as error:
        raise AnsibleFilterError(f"nginx drain: cannot read the drained-servers file: {error}") from None


class FilterModule:
    def filters(self):
        return {
            "nginx_tls_settings": nginx_tls_settings,
            "nginx_drained": nginx_drained,
        }
