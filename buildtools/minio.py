"""MinIO server binary built from its Go module at a pinned version, cached, with its sha256.

No registry reachable here ships a MinIO server binary; MinIO's documented way to build it is
`go install github.com/minio/minio@<version>`. The result is cached per version under the cache
directory, so later runs (and fresh clones on the same machine) do not rebuild.
Output: <out>/minio and <out>/minio.json {"version", "sha256", "go", "sdk"}.

The MinIO hosts also get the `minio` Python SDK (roles/minio's access module runs there): its
wheel, urllib3's (Debian 12's urllib3 is too old for the SDK) and pycryptodome's, at the versions
pinned in requirements/controller.lock, go to <out>/sdk/ and are listed under "sdk". The SDK's
other dependencies (argon2-cffi, certifi, typing-extensions) come from Debian on the hosts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from buildtools.wheelhouse import sha256_file

MODULE = "github.com/minio/minio"
# MinIO's release tags are not semver, so the module proxy serves pseudo-versions.
DEFAULT_VERSION = "v0.0.0-20260212201848-7aac2a2c5b7c"
LOCK = Path(__file__).resolve().parent.parent / "requirements" / "controller.lock"
SDK_PACKAGES = ("minio", "pycryptodome", "urllib3")
# pycryptodome is compiled (one abi3 wheel per architecture serves every CPython >= 3.9); Debian
# ships it only under the other import name (Cryptodome), which the SDK does not use.
SDK_BINARY_PLATFORMS = ("manylinux2014_x86_64", "manylinux2014_aarch64")
DEFAULT_CACHE = Path(os.environ.get("SINPLUMA_CACHE_DIR", Path.home() / ".cache" / "sinpluma")) / "minio"


def go_binary() -> str:
    go = shutil.which("go") or ("/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None)
    if go is None:
        raise SystemExit(
            "Go is not installed: run `make setup` (it installs golang-go) or install Go >= 1.21"
        )
    return go


def build(version: str, cache: Path) -> Path:
    """Build (or reuse) the binary for `version`; returns the cache directory holding it."""
    target = cache / version
    meta = target / "minio.json"
    if meta.is_file() and (target / "minio").is_file():
        recorded = json.loads(meta.read_text())["sha256"]
        if sha256_file(target / "minio") == recorded:
            print(f"[minio] {version} is cached ({recorded[:12]}…)")
            return target
        print(f"[minio] cached binary for {version} does not match its sha256: rebuilding")
    go = go_binary()
    started = time.monotonic()
    print(f"[minio] building {MODULE}@{version} with Go; this takes several minutes")
    with tempfile.TemporaryDirectory(prefix="minio-build-") as gobin:
        env = {
            **os.environ,
            "GOBIN": gobin,
            "CGO_ENABLED": "0",
            "GOTOOLCHAIN": "auto",
            "GOFLAGS": "-buildvcs=false",
        }
        result = subprocess.run(
            [go, "install", "-trimpath", "-ldflags=-s -w", f"{MODULE}@{version}"],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise SystemExit(f"[minio] go install failed:\n{result.stderr[-4000:]}")
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(Path(gobin) / "minio", target / "minio")
    go_version = subprocess.run([go, "version"], capture_output=True, text=True, check=True).stdout.strip()
    meta.write_text(
        json.dumps({"version": version, "sha256": sha256_file(target / "minio"), "go": go_version}, indent=2)
        + "\n"
    )
    print(f"[minio] built in {time.monotonic() - started:.0f} s")
    return target


def pinned(lock: Path, names: tuple[str, ...]) -> dict[str, str]:
    """`name==version` pins of `names` in a requirements lock file."""
    found = {}
    for line in lock.read_text().splitlines():
        name, sep, version = line.split("#", 1)[0].split(";", 1)[0].strip().partition("==")
        if sep and name.lower() in names:
            found[name.lower()] = version.split()[0]  # drops a continuation "\\" or "--hash"
    missing = sorted(set(names) - set(found))
    if missing:
        raise SystemExit(f"[minio] {lock} pins no version of {missing}")
    return found


def sdk_wheels(cache: Path, lock: Path = LOCK) -> list[dict[str, str]]:
    """Download (once) the pure-Python wheels of the SDK for the hosts; returns their records."""
    records = []
    for name, version in sorted(pinned(lock, SDK_PACKAGES).items()):
        target = cache / "sdk" / f"{name}-{version}"
        wheels = sorted(target.glob("*.whl"))
        if not wheels:
            target.mkdir(parents=True, exist_ok=True)
            pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", "download"]
            pip += ["--no-deps", "--only-binary=:all:", "--dest", str(target), f"{name}=={version}"]
            if name == "pycryptodome":
                for platform in SDK_BINARY_PLATFORMS:
                    target_args = ["--platform", platform, "--python-version", "3.11", "--abi", "abi3"]
                    subprocess.run([*pip, *target_args, "--implementation", "cp"], check=True)
            else:
                subprocess.run(pip, check=True)
            wheels = sorted(target.glob("*.whl"))
        for wheel in wheels:
            records.append(
                {"name": name, "version": version, "file": wheel.name, "sha256": sha256_file(wheel)}
            )
    return records


def _copy_if_changed(source: Path, dest: Path) -> None:
    if not dest.exists() or sha256_file(dest) != sha256_file(source):
        shutil.copy2(source, dest)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=DEFAULT_VERSION)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument(
        "--out", type=Path, default=Path("dist/minio"), help="where to place minio + minio.json"
    )
    args = parser.parse_args(argv)
    source = build(args.version, args.cache)
    args.out.mkdir(parents=True, exist_ok=True)
    _copy_if_changed(source / "minio", args.out / "minio")
    meta = json.loads((source / "minio.json").read_text())
    meta["sdk"] = sdk_wheels(args.cache)
    (args.out / "sdk").mkdir(exist_ok=True)
    for wheel in meta["sdk"]:
        _copy_if_changed(
            args.cache / "sdk" / f"{wheel['name']}-{wheel['version']}" / wheel["file"],
            args.out / "sdk" / wheel["file"],
        )
    text = json.dumps(meta, indent=2) + "\n"
    if not (args.out / "minio.json").exists() or (args.out / "minio.json").read_text() != text:
        (args.out / "minio.json").write_text(text)
    print(f"[minio] {args.out / 'minio'} sha256 {json.loads((source / 'minio.json').read_text())['sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
