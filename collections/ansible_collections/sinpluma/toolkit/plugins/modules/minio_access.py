#!/usr/bin/python
"""Ansible module: buckets, least-privilege policies and users of a MinIO server."""

from __future__ import annotations

DOCUMENTATION = r"""
module: minio_access
short_description: Buckets, per-user bucket policies and users of a MinIO server
description:
  - Creates the declared buckets, sets their versioning and lifecycle rules, writes for every
    declared user a policy limited to that user's buckets (named C(<access_key>-buckets)),
    creates the user and attaches that policy (and only it).
  - Nothing undeclared is removed. Idempotent; supports check mode (reports what would change).
  - Needs the C(minio) Python SDK on the host it runs on.
options:
  endpoint:
    description: host:port of the MinIO S3 API.
    type: str
    default: 127.0.0.1:9000
  secure:
    description: Use HTTPS.
    type: bool
    default: false
  ca_file:
    description: CA bundle that signed the server certificate (HTTPS).
    type: path
  access_key:
    description: Root (or admin) user.
    type: str
    required: true
  secret_key:
    description: Root (or admin) password.
    type: str
    required: true
  buckets:
    description: Buckets to create.
    type: list
    elements: dict
    default: []
    suboptions:
      name:
        description: Bucket name.
        type: str
        required: true
      versioning:
        description: Enable (true) or suspend (false) versioning; omitted leaves it as it is.
        type: bool
      lifecycle:
        description: Lifecycle rules (the whole set); omitted leaves the bucket's rules alone.
        type: list
        elements: dict
  users:
    description: Users, each with a policy limited to its buckets.
    type: list
    elements: dict
    default: []
    suboptions:
      access_key:
        description: The user's access key.
        type: str
        required: true
      secret_key:
        description: The user's secret key.
        type: str
        required: true
        no_log: true
      buckets:
        description: Buckets the user may use.
        type: list
        elements: str
        required: true
      access:
        description: read_write (objects get/put/delete) or read_only (objects get).
        type: str
        choices: [read_write, read_only]
        default: read_write
author: Sin Pluma toolkit engineers
"""

EXAMPLES = r"""
- name: Image bucket and the API's user
  sinpluma.toolkit.minio_access:
    access_key: "{{ minio_root_user }}"
    secret_key: "{{ minio_root_password }}"
    buckets:
      - name: sinpluma-images
        lifecycle:
          - {id: tmp, prefix: tmp/, expiration_days: 1}
    users:
      - access_key: sinpluma-api
        secret_key: "{{ vault_minio_api_secret_key }}"
        buckets: [sinpluma-images]
  no_log: true
"""

RETURN = r"""
changes:
  description: What was (or, in check mode, would be) changed.
  type: list
  elements: str
  returned: always
"""

import traceback  # noqa: E402

from ansible.module_utils.basic import AnsibleModule, missing_required_lib  # noqa: E402
from ansible_collections.sinpluma.toolkit.plugins.module_utils.minio_access import (  # noqa: E402
    MinioAccessError,
    reconcile,
)

try:
    from ansible_collections.sinpluma.toolkit.plugins.module_utils.minio_sdk import SdkClient
except ImportError:
    SDK_IMPORT_ERROR = traceback.format_exc()
else:
    SDK_IMPORT_ERROR = None


def main():
    module = AnsibleModule(
        argument_spec={
            "endpoint": {"type": "str", "default": "127.0.0.1:9000"},
            "secure": {"type": "bool", "default": False},
            "ca_file": {"type": "path"},
            "access_key": {"type": "str", "required": True},
            "secret_key": {"type": "str", "required": True, "no_log": True},
            "buckets": {
                "type": "list",
                "elements": "dict",
                "default": [],
                "options": {
                    "name": {"type": "str", "required": True},
                    "versioning": {"type": "bool"},
                    "lifecycle": {"type": "list", "elements": "dict"},
                },
            },
            "users": {
                "type": "list",
                "elements": "dict",
                "default": [],
                "options": {
                    "access_key": {"type": "str", "required": True},
                    "secret_key": {"type": "str", "required": True, "no_log": True},
                    "buckets": {"type": "list", "elements": "str", "required": True},
                    "access": {
                        "type": "str",
                        "choices": ["read_write", "read_only"],
                        "default": "read_write",
                    },
                },
            },
        },
        supports_check_mode=True,
    )
    if SDK_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("minio"), exception=SDK_IMPORT_ERROR)
    params = module.params
    client = SdkClient(
        params["endpoint"], params["access_key"], params["secret_key"], params["secure"], params["ca_file"]
    )
    try:
        result = reconcile(client, params["buckets"], params["users"], check_mode=module.check_mode)
    except MinioAccessError as error:
        module.fail_json(msg=str(error))
    except Exception as error:  # the SDK's errors carry the server's answer
        module.fail_json(
            msg=f"MinIO at {params['endpoint']} refused: {error}", exception=traceback.format_exc()
        )
    module.exit_json(changed=result.changed, changes=result.changes)


if __name__ == "__main__":
    main()
