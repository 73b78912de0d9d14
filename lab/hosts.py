"""Lab hosts: systemd containers that behave like small VMs.

This module is the ONE place that knows how to run systemd in a container (cgroup layout,
capabilities, tmpfs, security options). Molecule scenarios (through lab.molecule_driver) and the
full-stack lab (through lab.stack) both create their hosts here.
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from lab.images import image_exists, image_tag

LABEL = "sinpluma.lab"
# ansible.cfg's fact cache (fact_caching_connection).
FACT_CACHE = Path(__file__).resolve().parent.parent / ".cache" / "ansible-facts"

# Linux capability names by bit number (include/uapi/linux/capability.h).
CAPABILITY_NAMES = (
    "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
    "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
    "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
    "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
    "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
    "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
)  # fmt: skip
# Newer than Docker 20.10 (Debian 12's engine rejects them) and not needed by systemd.
NOT_LISTED = frozenset({"PERFMON", "BPF", "CHECKPOINT_RESTORE"})


@dataclass(frozen=True)
class HostSpec:
    """One lab host: a container name, a lab image short name and the networks it sits on."""

    name: str
    image: str = "sid"
    networks: tuple[str, ...] = ("sinpluma-lab",)
    labels: dict[str, str] = field(default_factory=dict)


def cgroup_mount(sys_fs_cgroup: Path = Path("/sys/fs/cgroup")) -> str:
    """The cgroup2 hierarchy to give the container as its /sys/fs/cgroup.

    Pure cgroup v2 hosts expose cgroup.controllers at the root; "hybrid" v1 hosts mount cgroup2 at
    /sys/fs/cgroup/unified. systemd >= 258 refuses v1, so a v1-only host is an error.
    """
    if (sys_fs_cgroup / "cgroup.controllers").exists():
        return str(sys_fs_cgroup)
    if (sys_fs_cgroup / "unified" / "cgroup.controllers").exists():
        return str(sys_fs_cgroup / "unified")
    raise RuntimeError(
        f"{sys_fs_cgroup} has no cgroup2 hierarchy (neither pure v2 nor hybrid 'unified'); "
        "systemd in the lab hosts needs cgroup v2: boot the machine with systemd.unified_cgroup_hierarchy=1"
    )


def bounding_capabilities(status_text: str) -> list[str]:
    """Capability names present in the CapBnd line of a /proc/<pid>/status text."""
    for line in status_text.splitlines():
        if line.startswith("CapBnd:"):
            mask = int(line.split()[1], 16)
            return [name for bit, name in enumerate(CAPABILITY_NAMES) if mask >> bit & 1]
    raise ValueError("no CapBnd line in the status text")


def privilege_args(status_text: str) -> list[str]:
    """--privileged when the machine may grant every capability, else the explicit list.

    --privileged fails ("unable to apply caps") where the machine's bounding set lacks one
    (seen: CAP_SYS_RESOURCE); listing what the set has gives systemd everything it can get.
    """
    present = bounding_capabilities(status_text)
    if len(present) == len(CAPABILITY_NAMES):
        return ["--privileged"]
    return [arg for cap in present if cap not in NOT_LISTED for arg in ("--cap-add", cap)]


def run_args(spec: HostSpec, cgroup: str, privileges: list[str]) -> list[str]:
    """The `docker run` arguments that make systemd boot as PID 1 in the container."""
    args = [
        "docker", "run", "--detach",
        "--name", spec.name,
        "--hostname", spec.name,
        "--label", f"{LABEL}=1",
        "--network", spec.networks[0],
        "--network-alias", spec.name,
        "--cgroupns", "host",
        "--volume", f"{cgroup}:/sys/fs/cgroup:rw",
        "--tmpfs", "/run", "--tmpfs", "/run/lock", "--tmpfs", "/tmp",  # noqa: S108 (the container's own /tmp)
        "--security-opt", "seccomp=unconfined",
        "--security-opt", "apparmor=unconfined",
        "--stop-signal", "SIGRTMIN+3",
        "--env", "container=docker",
        *privileges,
    ]  # fmt: skip
    for key, value in sorted(spec.labels.items()):
        args += ["--label", f"{key}={value}"]
    return [*args, image_tag(spec.image), "/lib/systemd/systemd"]


def _docker(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *args], capture_output=True, text=True, check=check)


def ensure_network(name: str) -> None:
    if _docker("network", "inspect", name, check=False).returncode != 0:
        _docker("network", "create", "--label", f"{LABEL}=1", name)


def exists(name: str) -> bool:
    return _docker("container", "inspect", name, check=False).returncode == 0


def create(spec: HostSpec) -> None:
    """Start the host unless it already runs; wait until systemd says the system is up."""
    if exists(spec.name):
        state = json.loads(_docker("container", "inspect", spec.name).stdout)[0]["State"]
        if not state["Running"]:
            _docker("start", spec.name)
    else:
        if not image_exists(image_tag(spec.image)):
            raise RuntimeError(f"lab image {spec.image!r} is not built: run `make images` first")
        for network in spec.networks:
            ensure_network(network)
        status = Path("/proc/self/status").read_text()
        result = subprocess.run(
            run_args(spec, cgroup_mount(), privilege_args(status)), capture_output=True, text=True
        )
        if result.returncode != 0:
            raise RuntimeError(f"docker run {spec.name} failed: {result.stderr.strip()}")
        for network in spec.networks[1:]:
            _docker("network", "connect", "--alias", spec.name, network, spec.name)
    wait_running(spec.name)


def system_state(name: str) -> str:
    result = _docker("exec", name, "systemctl", "is-system-running", check=False)
    return result.stdout.strip() or result.stderr.strip()


def wait_running(name: str, timeout: float = 90.0) -> None:
    """Wait until `systemctl is-system-running` says running; 'degraded' is an error with the unit list."""
    deadline = time.monotonic() + timeout
    state = ""
    while time.monotonic() < deadline:
        state = system_state(name)
        if state == "running":
            return
        if state == "degraded":
            failed = _docker("exec", name, "systemctl", "--failed", "--no-legend", check=False).stdout
            raise RuntimeError(f"lab host {name} booted degraded; failed units:\n{failed}")
        time.sleep(0.5)
    raise RuntimeError(f"lab host {name} did not reach 'running' in {timeout:.0f} s (last state: {state!r})")


def destroy(name: str) -> None:
    _docker("rm", "--force", "--volumes", name, check=False)
    # A host created again under this name gets new addresses: forget the cached facts of this one.
    (FACT_CACHE / name).unlink(missing_ok=True)


def remove_network(name: str) -> None:
    _docker("network", "rm", name, check=False)


def address(name: str, network: str) -> str:
    """The host's IP address on one network (the project's own test hosts: safe traffic targets)."""
    info = json.loads(_docker("container", "inspect", name).stdout)[0]
    return info["NetworkSettings"]["Networks"][network]["IPAddress"]
