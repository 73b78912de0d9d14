"""MinIO server binary built from its Go module at a pinned version, cached, with its sha256.

No registry reachable here ships a MinIO server binary; MinIO's documented way to build it is
`go install github.com/minio/minio@<version>`. The result is cached per version under the cache
directory, so later runs (and fresh clones on the same machine) do not rebuild.
Output: <out>/minio and <out>/minio.json {"version", "sha256", "go"}.
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
DEFAULT_CACHE = Path(os.environ.get("SINPLUMA_CACHE_DIR", Path.home() / ".cache" / "sinpluma")) / "minio"


def go_binary() -> str:
    go = shutil.which("go") or ("/usr/local/go/bin/go" if Path("/usr/local/go/bin/go").exists() else None)
    if go is None:
        raise SystemExit("Go is not installed: run `make setup` (it installs golang-go) or install Go >= 1.21")
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
        env = {**os.environ, "GOBIN": gobin, "CGO_ENABLED": "0", "GOTOOLCHAIN": "auto", "GOFLAGS": "-buildvcs=false"}
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=DEFAULT_VERSION)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--out", type=Path, default=Path("dist/minio"), help="where to place minio + minio.json")
    args = parser.parse_args(argv)
    source = build(args.version, args.cache)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in ("minio", "minio.json"):
        if not (args.out / name).exists() or sha256_file(args.out / name) != sha256_file(source / name):
            shutil.copy2(source / name, args.out / name)
    print(f"[minio] {args.out / 'minio'} sha256 {json.loads((source / 'minio.json').read_text())['sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
