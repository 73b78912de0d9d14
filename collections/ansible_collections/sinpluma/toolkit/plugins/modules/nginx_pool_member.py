#!/usr/bin/python
"""Ansible module: take one upstream server out of an nginx pool of roles/nginx, or put it back."""

from __future__ import annotations

DOCUMENTATION = r"""
module: nginx_pool_member
short_description: Drain or restore one upstream server of a roles/nginx pool
description:
  - Runs on an edge host converged by roles/nginx. Marks the server's line in the pool's upstream
    block C(down) (drained) or not (active) in a copy of the live tree, checks that tree with
    C(nginx -t) and swaps it in with the role's swap script (an atomic rename and a reload, never
    a restart), then records the state in drained.json, which later converges keep.
  - Needs no inventory variables of the edge host, so a rollout play on the application hosts can
    delegate it to each edge host.
  - Refuses an unknown pool, state or server, and draining the last active server of a pool.
    Idempotent; supports check mode.
options:
  pool:
    description: The pool.
    type: str
    required: true
    choices: [api, linguistics]
  server:
    description: The inventory name of the upstream server.
    type: str
    required: true
  state:
    description: drained (no new request reaches it) or active.
    type: str
    required: true
    choices: [drained, active]
  members:
    description: Every server of the pool (the inventory group).
    type: list
    elements: str
    required: true
  base:
    description: roles/nginx's configuration base (live/, staging/, drained.json).
    type: path
    default: /etc/nginx/sinpluma
  swap:
    description: roles/nginx's swap script.
    type: path
    default: /usr/local/sbin/sinpluma-nginx-swap
"""

EXAMPLES = r"""
- name: Drain this API host on every edge host
  sinpluma.toolkit.nginx_pool_member:
    pool: api
    server: "{{ inventory_hostname }}"
    state: drained
    members: "{{ groups['api'] }}"
  delegate_to: "{{ item }}"
  loop: "{{ groups['edge'] }}"
"""

RETURN = r"""
drained:
  description: The drained servers of every pool after the change.
  type: dict
  returned: success
"""

import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402

from ansible.module_utils.basic import AnsibleModule  # noqa: E402
from ansible_collections.sinpluma.toolkit.plugins.module_utils import nginx_drain  # noqa: E402

UPSTREAMS_FILE = os.path.join("conf.d", "20-upstreams.conf")


def _write_atomically(path: str, text: str) -> None:
    handle, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".drained-")
    with os.fdopen(handle, "w") as out:
        out.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "pool": {"type": "str", "required": True, "choices": list(nginx_drain.POOLS)},
            "server": {"type": "str", "required": True},
            "state": {"type": "str", "required": True, "choices": ["drained", "active"]},
            "members": {"type": "list", "elements": "str", "required": True},
            "base": {"type": "path", "default": "/etc/nginx/sinpluma"},
            "swap": {"type": "path", "default": "/usr/local/sbin/sinpluma-nginx-swap"},
        },
        supports_check_mode=True,
    )
    p = module.params
    state_file = os.path.join(p["base"], "drained.json")
    live = os.path.realpath(os.path.join(p["base"], "live"))
    if not os.path.isfile(os.path.join(live, UPSTREAMS_FILE)):
        module.fail_json(msg=f"no live roles/nginx tree under {p['base']}: converge the edge first")
    try:
        with open(state_file) if os.path.exists(state_file) else open(os.devnull) as handle:
            before = nginx_drain.parse(handle.read())
        after = nginx_drain.update(before, p["members"], p["pool"], p["server"], p["state"])
        with open(os.path.join(live, UPSTREAMS_FILE)) as handle:
            live_upstreams = handle.read()
        upstreams = nginx_drain.mark(live_upstreams, p["pool"], p["server"], p["state"] == "drained")
    except (nginx_drain.DrainError, ValueError) as error:
        module.fail_json(msg=str(error))
    if after == before and upstreams == live_upstreams:
        module.exit_json(changed=False, drained=after)
    if module.check_mode:
        module.exit_json(changed=True, drained=after)
    staging = os.path.join(p["base"], "staging")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(live, staging, symlinks=True)
    with open(os.path.join(staging, UPSTREAMS_FILE), "w") as handle:
        handle.write(upstreams)
    swapped = subprocess.run([p["swap"]], capture_output=True, text=True, check=False)
    if swapped.returncode != 0:
        module.fail_json(msg=swapped.stderr.strip() or swapped.stdout.strip(), rc=swapped.returncode)
    _write_atomically(state_file, nginx_drain.dumps(after))
    module.exit_json(changed=True, drained=after)


if __name__ == "__main__":
    main()
