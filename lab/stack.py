"""The full-stack local lab: lab hosts from inventories/lab/hosts.yml, then playbooks/site.yml.

`python -m lab.stack up` creates every inventory host as a lab host (image from `lab_image`,
networks from `lab_networks`), deploys the platform and prints where to reach it.
`python -m lab.stack down` removes the hosts and networks again.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from lab import hosts

ROOT = Path(__file__).resolve().parent.parent
INVENTORY = ROOT / "inventories" / "lab" / "hosts.yml"
STACK_LABEL = "sinpluma.lab.stack"


def inventory_specs(inventory: Path = INVENTORY) -> list[hosts.HostSpec]:
    """Lab host specs from the inventory's host variables."""
    listing = subprocess.run(
        ["ansible-inventory", "-i", str(inventory), "--list"], capture_output=True, text=True, check=True
    )
    return specs_from_hostvars(json.loads(listing.stdout)["_meta"]["hostvars"])


def specs_from_hostvars(hostvars: dict[str, dict]) -> list[hosts.HostSpec]:
    specs = []
    for name, variables in sorted(hostvars.items()):
        networks = tuple(variables.get("lab_networks") or ["sinpluma-lab"])
        specs.append(hosts.HostSpec(name, variables.get("lab_image", "sid"), networks, {STACK_LABEL: "1"}))
    return specs


def up(inventory: Path) -> None:
    specs = inventory_specs(inventory)
    for spec in specs:
        print(f"[lab] host {spec.name} ({spec.image}) on {', '.join(spec.networks)}")
        hosts.create(spec)
    subprocess.run(
        ["ansible-playbook", "-i", str(inventory), str(ROOT / "playbooks" / "site.yml")],
        cwd=ROOT,
        check=True,
        env={**os.environ, "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")},
    )
    print(f"[lab] {len(specs)} lab hosts are up and configured: {', '.join(s.name for s in specs)}")
    print("[lab] deployed: base configuration and the database layer (InnoDB Cluster on lab-db1..3,")
    print("[lab] MySQL Router on lab-router: 6446 read-write, 6447 read-only, reachable from the api hosts).")
    print("[lab] the edge, API and SPA roles are not deployed yet, so there is no web URL to open yet")


def down(inventory: Path) -> None:
    specs = inventory_specs(inventory)
    for spec in specs:
        hosts.destroy(spec.name)
    for network in sorted({n for spec in specs for n in spec.networks}):
        hosts.remove_network(network)
    print(f"[lab] removed {len(specs)} lab hosts")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["up", "down"])
    parser.add_argument("--inventory", type=Path, default=INVENTORY)
    args = parser.parse_args(argv)
    try:
        (up if args.action == "up" else down)(args.inventory)
    except subprocess.CalledProcessError as error:
        print(f"[lab] failed: {' '.join(map(str, error.cmd))} exited {error.returncode}", file=sys.stderr)
        return 1
    except RuntimeError as error:
        print(f"[lab] failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
