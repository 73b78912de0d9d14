"""Offline wheelhouse for a Python application: its own wheel plus every pinned dependency as
binary wheels for the target hosts' Python and platform, with a SHA256SUMS manifest.

Hosts install from it with `pip install --no-index --find-links <dir>/wheels <name>`: no network.
The build is skipped when the inputs (project sources, lock file, target) are unchanged.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_PYTHON = "3.14"  # Debian sid, the lab's host OS
DEFAULT_PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64")
STAMP = ".inputs.sha256"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def inputs_digest(project_dir: Path, lock_file: Path, python_version: str, extra: str = "") -> str:
    """Hash of everything that determines the wheelhouse: tracked sources, lock, target."""
    digest = hashlib.sha256(f"{python_version}|{','.join(DEFAULT_PLATFORMS)}|{extra}".encode())
    for path in sorted(project_dir.rglob("*")):
        if not path.is_file() or _ignored(path.relative_to(project_dir)):
            continue
        digest.update(str(path.relative_to(project_dir)).encode())
        digest.update(sha256_file(path).encode())
    digest.update(sha256_file(lock_file).encode())
    return digest.hexdigest()


def _ignored(rel: Path) -> bool:
    skip = {"__pycache__", ".pytest_cache", "build", "dist", ".venv", "tests", ".ruff_cache"}
    return any(part in skip or part.endswith(".egg-info") for part in rel.parts)


def write_manifest(out_dir: Path) -> Path:
    """SHA256SUMS over every file of the artifact (sha256sum -c compatible)."""
    lines = []
    for path in sorted(out_dir.rglob("*")):
        if path.is_file() and path.name not in {"SHA256SUMS", STAMP}:
            lines.append(f"{sha256_file(path)}  {path.relative_to(out_dir)}")
    manifest = out_dir / "SHA256SUMS"
    manifest.write_text("\n".join(lines) + "\n")
    return manifest


def verify_manifest(out_dir: Path) -> list[str]:
    """Return the files whose hash does not match SHA256SUMS (empty list = intact)."""
    bad = []
    for line in (out_dir / "SHA256SUMS").read_text().splitlines():
        expected, name = line.split("  ", 1)
        path = out_dir / name
        if not path.is_file() or sha256_file(path) != expected:
            bad.append(name)
    return bad


def build_wheelhouse(
    project_dir: Path,
    lock_file: Path,
    out_dir: Path,
    python_version: str = DEFAULT_PYTHON,
    extra_digest: str = "",
) -> bool:
    """Build project wheel + dependency wheels into out_dir/wheels. Returns False when cached."""
    want = inputs_digest(project_dir, lock_file, python_version, extra_digest)
    stamp = out_dir / STAMP
    if stamp.is_file() and stamp.read_text().strip() == want and not verify_manifest(out_dir):
        print(f"[wheelhouse] {out_dir} is up to date")
        return False
    wheels = out_dir / "wheels"
    shutil.rmtree(out_dir, ignore_errors=True)
    wheels.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        # Build from a copy so the source tree gets no build/ or egg-info litter.
        src = Path(tmp) / "src"
        shutil.copytree(
            project_dir, src, ignore=shutil.ignore_patterns("__pycache__", ".venv", "build", "dist")
        )
        _pip("wheel", "--no-deps", "--wheel-dir", str(wheels), str(src))
    platform_args = [arg for plat in DEFAULT_PLATFORMS for arg in ("--platform", plat)]
    _pip(
        "download",
        "--only-binary=:all:",
        "--python-version",
        python_version,
        *platform_args,
        "--dest",
        str(wheels),
        "-r",
        str(lock_file),
    )
    write_manifest(out_dir)
    stamp.write_text(want + "\n")
    print(f"[wheelhouse] built {out_dir} ({len(list(wheels.glob('*.whl')))} wheels)")
    return True


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, required=True, help="directory with pyproject.toml")
    parser.add_argument("--lock", type=Path, required=True, help="pinned runtime requirements")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--python-version", default=DEFAULT_PYTHON)
    args = parser.parse_args(argv)
    build_wheelhouse(args.project, args.lock, args.out, args.python_version)
    return 0


if __name__ == "__main__":
    sys.exit(main())
