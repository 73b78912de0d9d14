"""Filters for roles/redis; the logic is in module_utils/redis_acl.py."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible_collections.sinpluma.toolkit.plugins.module_utils import redis_acl


def _wrap(function):
    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except redis_acl.RedisInputError as error:
            raise AnsibleFilterError(str(error)) from error

    return call


def _sentinel_discovery_users(users):
    return [redis_acl.sentinel_discovery_user(u) for u in users]


class FilterModule:
    def filters(self):
        return {
            "redis_acl_lines": _wrap(redis_acl.acl_lines),
            "redis_input_errors": _wrap(redis_acl.input_errors),
            "redis_sentinel_discovery_users": _wrap(_sentinel_discovery_users),
            "redis_pairs": _wrap(redis_acl.reply_pairs),
        }
