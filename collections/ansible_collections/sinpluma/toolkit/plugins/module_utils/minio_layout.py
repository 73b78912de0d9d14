"""MinIO deployment layout: the volume expression every node is started with, the erasure set
MinIO will build from it, and the checks of the role's inputs that must fail before any host is
touched. Pure Python, no Ansible, no server.

The erasure-set arithmetic mirrors MinIO's own (cmd/endpoint-ellipses.go, getSetIndexes and
commonSetDriveCount; internal/config/storageclass DefaultParityBlocks) so that a layout MinIO
would refuse is refused here first, with a message that says what to change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ansible_collections.sinpluma.toolkit.plugins.module_utils import systemd_env

# MinIO builds erasure sets of 2 to 16 drives (cmd/endpoint-ellipses.go, setSizes).
SET_SIZES = tuple(range(2, 17))
_NUMBERED = re.compile(r"^(.*?)(\d+)(\D*)$")
# S3 bucket names: 3-63 characters, lowercase letters, digits, dots and hyphens.
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_ACCESS_KEY = re.compile(r"^[A-Za-z0-9._@+=-]{3,128}$")


class MinioLayoutError(ValueError):
    """The drives and nodes given cannot form a MinIO deployment."""


def default_parity(set_size: int) -> int:
    """Parity drives of the STANDARD storage class when none is configured (MinIO's default)."""
    if set_size == 1:
        return 0
    if set_size <= 3:
        return 1
    if set_size <= 5:
        return 2
    if set_size <= 7:
        return 3
    return 4


def sequence(names: Sequence[str]) -> tuple[str, str, str, str] | None:
    """(prefix, first, last, suffix) when `names` are prefix+N+suffix with consecutive N
    (MinIO's `{first...last}` notation), else None."""
    if len(names) < 2:
        return None
    parts = [_NUMBERED.match(name) for name in names]
    if not all(parts):
        return None
    prefixes = {p.group(1) for p in parts}
    suffixes = {p.group(3) for p in parts}
    widths = {len(p.group(2)) for p in parts}
    if len(prefixes) != 1 or len(suffixes) != 1:
        return None
    ordered = sorted(parts, key=lambda p: int(p.group(2)))
    numbers = [int(p.group(2)) for p in ordered]
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        return None
    padded = any(p.group(2).startswith("0") and len(p.group(2)) > 1 for p in ordered)
    if padded and len(widths) != 1:
        return None
    return prefixes.pop(), ordered[0].group(2), ordered[-1].group(2), suffixes.pop()


def _ellipses(names: Sequence[str]) -> str | None:
    found = sequence(names)
    if found is None:
        return None
    prefix, first, last, suffix = found
    return f"{prefix}{{{first}...{last}}}{suffix}"


def set_size(total: int, symmetry_with: int | None = None) -> int:
    """The erasure set size MinIO picks for `total` drives (the largest supported divisor).

    `symmetry_with` is the count of the first `{...}` range of an ellipses expression (the
    nodes): MinIO keeps only set sizes that divide it or that it divides."""
    if total < SET_SIZES[0]:
        raise MinioLayoutError(f"{total} drive(s) cannot form an erasure set: MinIO needs at least 2")
    candidates = [s for s in SET_SIZES if total % s == 0]
    if not candidates:
        raise MinioLayoutError(
            f"{total} drives in total cannot be split into erasure sets: the total must be divisible "
            f"by a set size between 2 and 16 (for example {_nearest_usable(total)} drives)"
        )
    if symmetry_with:
        candidates = [
            s for s in candidates if (symmetry_with % s == 0 if symmetry_with > s else s % symmetry_with == 0)
        ]
        if not candidates:
            raise MinioLayoutError(
                f"{total} drives on {symmetry_with} nodes cannot be spread symmetrically over erasure "
                "sets of 2 to 16 drives: change the number of drives per node"
            )
    return max(candidates)


def _nearest_usable(total: int) -> str:
    lower = next(n for n in range(total, 1, -1) if any(n % s == 0 for s in SET_SIZES))
    upper = next(n for n in range(total, total + 17) if any(n % s == 0 for s in SET_SIZES))
    return f"{lower} or {upper}" if lower != upper else str(lower)


def layout(
    nodes: Sequence[str],
    drives: Sequence[str],
    port: int = 9000,
    scheme: str = "http",
) -> dict[str, Any]:
    """The MINIO_VOLUMES value and the erasure layout for `drives` on each of `nodes`.

    One node: local paths (one drive = single-drive mode, no erasure coding). Several nodes:
    URLs, in MinIO's `{a...b}` notation when node names and drive paths are numbered
    consecutively (MinIO's documented form), else the explicit list ordered drive by drive so
    that every erasure set spans all nodes."""
    nodes = list(nodes)
    drives = list(drives)
    _check_drives(drives)
    if not nodes:
        raise MinioLayoutError("no MinIO node: the cluster group has no hosts")
    if len(set(nodes)) != len(nodes):
        raise MinioLayoutError(f"MinIO nodes are listed twice: {nodes}")
    total = len(nodes) * len(drives)
    drive_range = _ellipses(drives) if len(drives) > 1 else drives[0]
    if len(nodes) == 1:
        if len(drives) == 1:
            return _result("single-drive", drives[0], 1, 1, 1)
        size = set_size(total)
        volumes = drive_range or " ".join(drives)
        return _result("multi-drive", volumes, total, size, total // size)
    node_range = _ellipses(nodes)
    if node_range and drive_range:
        size = set_size(total, symmetry_with=len(nodes))
        volumes = f"{scheme}://{node_range}:{port}{drive_range}"
    else:
        size = set_size(total)
        ordered = sorted(nodes)
        volumes = " ".join(f"{scheme}://{node}:{port}{drive}" for drive in drives for node in ordered)
    return _result("distributed", volumes, total, size, total // size)


def _result(mode: str, volumes: str, total: int, size: int, sets: int) -> dict[str, Any]:
    parity = default_parity(size)
    return {
        "mode": mode,
        "volumes": volumes,
        "drives_total": total,
        "set_size": size,
        "sets": sets,
        "parity": parity,
        # Read quorum is the data drives; write quorum adds one when data == parity.
        "write_quorum": size - parity + (1 if size - parity == parity else 0),
    }


def _check_drives(drives: Sequence[str]) -> None:
    if not drives:
        raise MinioLayoutError("minio_drives is empty: give at least one data directory")
    for drive in drives:
        if not isinstance(drive, str) or not drive.startswith("/"):
            raise MinioLayoutError(f"drive {drive!r} is not an absolute path")
        if drive.rstrip("/") == "" or " " in drive:
            raise MinioLayoutError(f"drive {drive!r} cannot hold MinIO data (root or contains a space)")
    if len(set(drives)) != len(drives):
        raise MinioLayoutError(f"minio_drives lists a directory twice: {list(drives)}")


def cluster_layout(
    nodes: Sequence[str],
    drives_by_node: Mapping[str, Sequence[str]],
    port: int = 9000,
    scheme: str = "http",
) -> dict[str, Any]:
    """`layout` for a distributed cluster whose nodes each declare their drives: MinIO needs
    the same drives on every node."""
    if not nodes:
        raise MinioLayoutError("no MinIO node: the cluster group has no hosts")
    if len(nodes) == 1:
        raise MinioLayoutError(
            f"distributed MinIO needs at least 2 nodes; the cluster group has only {nodes[0]}: "
            "leave minio_cluster_group empty for a single node"
        )
    reference = list(drives_by_node[nodes[0]])
    for node in nodes[1:]:
        if list(drives_by_node[node]) != reference:
            raise MinioLayoutError(
                f"every MinIO node needs the same drives: {nodes[0]} has {reference}, "
                f"{node} has {list(drives_by_node[node])}"
            )
    return layout(nodes, reference, port, scheme)


def input_errors(values: Mapping[str, Any]) -> list[str]:
    """Everything wrong with the role's inputs, as messages a user can act on (empty = fine).

    `values` holds the role variables without the `minio_` prefix: root_user, root_password,
    buckets, users, extra_env, and for a cluster nodes plus drives_by_node (else drives)."""
    errors = []
    user = values.get("root_user") or ""
    password = values.get("root_password")
    if len(user) < 3:
        errors.append("minio_root_user must have at least 3 characters")
    if not password:
        errors.append(
            "minio_root_password is not set: define it in the vault "
            "(inventories/<env>/group_vars/<group>/vault.yml); the role has no default secret"
        )
    elif len(str(password)) < 8:
        errors.append("minio_root_password must have at least 8 characters (MinIO refuses shorter)")
    environment = {"minio_root_user": user, "minio_root_password": password or ""}
    environment.update({f"minio_extra_env.{k}": v for k, v in (values.get("extra_env") or {}).items()})
    errors.extend(systemd_env.errors(environment))
    try:
        if values.get("nodes"):
            cluster_layout(values["nodes"], values.get("drives_by_node") or {}, values.get("port", 9000))
        else:
            layout(["localhost"], values.get("drives") or [], values.get("port", 9000))
    except MinioLayoutError as error:
        errors.append(str(error))
    except KeyError as error:
        errors.append(f"no minio_drives known for node {error.args[0]}")
    buckets = [b.get("name", "") for b in values.get("buckets") or []]
    for name in buckets:
        if not _BUCKET.match(name or "") or ".." in name:
            errors.append(f"bucket name {name!r} is not a valid S3 bucket name (3-63 of a-z, 0-9, '.', '-')")
    for entry in values.get("users") or []:
        key = entry.get("access_key") or ""
        if not _ACCESS_KEY.match(key):
            errors.append(f"user access key {key!r} must be 3-128 letters, digits or ._@+=-")
        secret = entry.get("secret_key")
        if not secret:
            errors.append(f"user {key!r} has no secret_key: define it in the vault")
        elif len(str(secret)) < 8:
            errors.append(f"the secret_key of user {key!r} must have at least 8 characters")
        unknown = sorted(set(entry.get("buckets") or []) - set(buckets))
        if unknown:
            errors.append(f"user {key!r} is granted buckets that minio_buckets does not declare: {unknown}")
        if not entry.get("buckets"):
            errors.append(f"user {key!r} is granted no bucket")
    return errors


def drives_by_node(nodes: Iterable[str], hostvars: Mapping[str, Mapping[str, Any]], default: Sequence[str]):
    """Each node's `minio_drives` (a host may override the group's list)."""
    return {node: list((hostvars.get(node) or {}).get("minio_drives", default)) for node in nodes}


def pool_restart_refusal(
    nodes: Sequence[str], play_hosts: Iterable[str], reasons: Mapping[str, Sequence[str]]
) -> str | None:
    """Why a play must not go on (None when it may): it would restart nodes of a distributed pool
    (`reasons`: node -> what changes on it, e.g. the binary) while other nodes of the pool are not
    in the play. MinIO refuses peers of another version or other root credentials, so such a
    change must reach every node in one play and restart them together."""
    in_play = set(play_hosts)
    missing = [node for node in nodes if node not in in_play]
    changing = {node: list(why) for node, why in reasons.items() if why and node in in_play}
    if len(nodes) < 2 or not missing or not changing:
        return None
    what = sorted({item for why in changing.values() for item in why})
    return (
        f"refusing to change {' and '.join(what)} of the MinIO pool on {', '.join(sorted(changing))} "
        f"while {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} not in the play: every "
        "node restarts together (MinIO refuses mixed versions and credentials); run the play on "
        "the whole pool (no --limit to part of it), with every node reachable"
    )
