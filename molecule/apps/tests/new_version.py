"""A copy of an application artifact whose application wheel carries another version: what a
rollout drill needs to roll (the same code, a new version and therefore a new release)."""

from __future__ import annotations

import base64
import hashlib
import shutil
import zipfile
from pathlib import Path

from buildtools.wheelhouse import write_manifest


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def with_version(artifact: Path, dest: Path, dist_name: str, version: str) -> Path:
    """Copy `artifact` to `dest` with the wheel of `dist_name` (e.g. sinpluma_api) re-versioned to
    `version` (its dist-info, METADATA and RECORD rewritten), and a new SHA256SUMS."""
    shutil.copytree(artifact, dest)
    (old,) = (dest / "wheels").glob(f"{dist_name}-*.whl")
    old_version = old.name.split("-")[1]
    old_info, new_info = f"{dist_name}-{old_version}.dist-info/", f"{dist_name}-{version}.dist-info/"
    files = {}
    with zipfile.ZipFile(old) as wheel:
        for name in wheel.namelist():
            data = wheel.read(name)
            if name.startswith(old_info):
                name = new_info + name[len(old_info) :]
                if name.endswith("/METADATA"):
                    data = data.replace(
                        f"\nVersion: {old_version}\n".encode(), f"\nVersion: {version}\n".encode()
                    )
            files[name] = data
    record = new_info + "RECORD"
    files[record] = (
        "".join(
            f"{name},{_record_hash(data)},{len(data)}\n" for name, data in files.items() if name != record
        ).encode()
        + f"{record},,\n".encode()
    )
    new = old.with_name(old.name.replace(f"-{old_version}-", f"-{version}-"))
    with zipfile.ZipFile(new, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files.items():
            wheel.writestr(name, data)
    old.unlink()
    write_manifest(dest)
    return dest
