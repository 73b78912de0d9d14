"""Molecule's create/destroy steps for lab hosts (Molecule's `default` driver, managed).

Called by molecule/_shared/create.yml and destroy.yml. Reads the scenario's platforms from
MOLECULE_FILE, creates each as a lab host (lab.hosts), and writes Molecule's instance config so
Ansible and testinfra connect with `docker` (the short name Mitogen intercepts).

Platform keys: name, image (lab image short name: sid, debian12, debian13), networks
(list of {name: ...}; names are prefixed with the scenario name so scenarios never share one),
groups (Ansible groups, used by Molecule's inventory).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml

from lab import hosts


def network_name(scenario: str, network: str) -> str:
    return f"molecule-{scenario}-{network}"


def host_specs(molecule_file: Path, scenario: str) -> list[hosts.HostSpec]:
    config = yaml.safe_load(molecule_file.read_text())
    specs = []
    for platform in config.get("platforms", []):
        if "name" not in platform:
            raise ValueError(f"{molecule_file}: every platform needs a name")
        networks = [n["name"] for n in platform.get("networks", [])] or ["default"]
        specs.append(
            hosts.HostSpec(
                name=platform["name"],
                image=platform.get("image", "sid"),
                networks=tuple(network_name(scenario, n) for n in networks),
                labels={"sinpluma.molecule.scenario": scenario},
            )
        )
    return specs


def instance_config(specs: list[hosts.HostSpec]) -> list[dict[str, str]]:
    # Plays run with become: true; on lab hosts Ansible is root already, and su (util-linux, in
    # every image) needs no sudo package.
    return [
        {"instance": s.name, "address": s.name, "connection": "docker", "become_method": "su"} for s in specs
    ]


def _env_path(name: str) -> Path:
    try:
        return Path(os.environ[name])
    except KeyError:
        raise SystemExit(f"{name} is not set: run this through molecule") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["create", "destroy"])
    args = parser.parse_args(argv)
    scenario = os.environ.get("MOLECULE_SCENARIO_NAME", "default")
    specs = host_specs(_env_path("MOLECULE_FILE"), scenario)
    config_path = _env_path("MOLECULE_INSTANCE_CONFIG")
    if args.action == "create":
        for spec in specs:
            hosts.create(spec)
        config_path.write_text(yaml.safe_dump(instance_config(specs)))
    else:
        for spec in specs:
            hosts.destroy(spec.name)
        for network in sorted({n for spec in specs for n in spec.networks}):
            hosts.remove_network(network)
        config_path.write_text("[]\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
