#!/usr/bin/python
"""Ansible module: check a Python application artifact before anything is installed from it."""

from __future__ import annotations

DOCUMENTATION = r"""
module: app_artifact
short_description: Check a Python application artifact (wheelhouse with SHA256SUMS)
description:
  - Verifies every file against the artifact's SHA256SUMS, refuses files the manifest does not
    list, finds the one wheel of the application's package (its version) and checks pinned
    files (SHA256SUMS itself, a model manifest) against their pinned sha256.
  - Reads only; never changes anything. Runs where the artifact is (the controller).
options:
  path:
    description: The artifact directory (holds SHA256SUMS and wheels/).
    type: path
    required: true
  package:
    description: The application's distribution name (its wheel names the version).
    type: str
    required: true
  pins:
    description: Relative path to the sha256 that file must have.
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Check the API artifact
  sinpluma.toolkit.app_artifact:
    path: dist/api
    package: sinpluma-api
    pins:
      SHA256SUMS: "{{ api_artifact_sha256 }}"
  delegate_to: localhost
"""

RETURN = r"""
version:
  description: The application's version (from its wheel).
  type: str
  returned: success
release:
  description: The release id, <version>-<12 hex of SHA256SUMS' sha256>.
  type: str
  returned: success
manifest_sha256:
  description: The sha256 of SHA256SUMS.
  type: str
  returned: success
problems:
  description: Everything wrong with the artifact (the module fails when there is any).
  type: list
  elements: str
  returned: always
"""

from pathlib import Path  # noqa: E402

from ansible.module_utils.basic import AnsibleModule  # noqa: E402
from ansible_collections.sinpluma.toolkit.plugins.module_utils import app_artifact  # noqa: E402


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "required": True},
            "package": {"type": "str", "required": True},
            "pins": {"type": "dict", "default": {}},
        },
        supports_check_mode=True,
    )
    report = app_artifact.check(Path(module.params["path"]), module.params["package"], module.params["pins"])
    if report.problems:
        module.fail_json(
            msg=f"the artifact in {module.params['path']} is refused: " + "; ".join(report.problems),
            problems=report.problems,
        )
    module.exit_json(
        changed=False,
        version=report.version,
        release=report.release,
        manifest_sha256=report.manifest_sha256,
        problems=[],
    )


if __name__ == "__main__":
    main()
