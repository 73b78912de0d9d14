"""Build the SPA's artifact: Vite's hashed static files as a reproducible tarball plus its sha256.

Run from the repository root:  python app_src/web/build_artifact.py --out dist/web
Needs the toolchain of scripts/setup_web.sh (Node >= 20.19, node_modules from the lockfile).
Prints the gzipped size of the JavaScript, and fails when the first screen (the entry chunk and the
chunks it imports statically) needs more than the budget (250 KiB gzipped by default).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html.parser
import io
import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent
REPO_ROOT = PROJECT.parents[1]
BUILD_DIR = PROJECT / "dist"
TOOLCHAIN_BIN = PROJECT / ".toolchain" / "bin"
FIRST_SCREEN_BUDGET = 250 * 1024
EPOCH = 946684800  # 2000-01-01: every archive member gets this mtime, so equal inputs give equal bytes


def node_env() -> dict[str, str]:
    """The environment with the pinned toolchain (if setup_web.sh installed one) first on PATH."""
    env = dict(os.environ)
    if (TOOLCHAIN_BIN / "node").exists():
        env["PATH"] = f"{TOOLCHAIN_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["SOURCE_DATE_EPOCH"] = str(EPOCH)
    return env


def version() -> str:
    return json.loads((PROJECT / "package.json").read_text())["version"]


def run_vite_build() -> None:
    if not (PROJECT / "node_modules" / "vite").is_dir():
        raise SystemExit("app_src/web/node_modules is missing: run scripts/setup_web.sh first")
    subprocess.run(
        ["npx", "--no-install", "vite", "build", "--logLevel", "warn"],
        cwd=PROJECT,
        env=node_env(),
        check=True,
    )


class _EntryScripts(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and values.get("type") == "module" and values.get("src"):
            self.scripts.append(values["src"] or "")
        if tag == "link" and values.get("rel") == "modulepreload" and values.get("href"):
            self.scripts.append(values["href"] or "")


STATIC_IMPORT = re.compile(r"""(?:^|[;}\s])import\s*(?:[\w*{}\s,$]+from\s*)?["']\.\/([\w.\-]+\.js)["']""")


def gzipped_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def first_screen_chunks(build: Path) -> list[Path]:
    """Entry scripts of index.html plus everything they import statically (not dynamic import())."""
    parser = _EntryScripts()
    parser.feed((build / "index.html").read_text())
    todo = [build / src.lstrip("/") for src in parser.scripts]
    seen: list[Path] = []
    while todo:
        chunk = todo.pop()
        if chunk in seen:
            continue
        seen.append(chunk)
        for name in STATIC_IMPORT.findall(chunk.read_text()):
            todo.append(chunk.parent / name)
    return sorted(seen)


def report_sizes(build: Path, budget: int) -> tuple[int, int]:
    chunks = sorted((build / "assets").glob("*.js"))
    first = first_screen_chunks(build)
    total = 0
    print("JavaScript (gzipped):")
    for chunk in chunks:
        size = gzipped_size(chunk)
        total += size
        marker = " (first screen)" if chunk in first else " (loaded on demand)"
        print(f"  {chunk.relative_to(build)}  {size / 1024:8.1f} KiB{marker}")
    first_total = sum(gzipped_size(c) for c in first)
    print(
        f"  all JavaScript: {total / 1024:.1f} KiB; "
        f"first screen: {first_total / 1024:.1f} KiB (budget {budget / 1024:.0f} KiB)"
    )
    return total, first_total


def write_tarball(build: Path, target: Path, prefix: str) -> None:
    """A deterministic tar.gz: sorted members, fixed mtime/owner/mode, gzip header without a date."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(build.rglob("*")):
            info = tarfile.TarInfo(f"{prefix}/{path.relative_to(build).as_posix()}")
            info.mtime = EPOCH
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            if path.is_dir():
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tar.addfile(info)
            else:
                data = path.read_bytes()
                info.size = len(data)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
    with (
        open(target, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "dist" / "web")
    parser.add_argument("--budget-kib", type=float, default=FIRST_SCREEN_BUDGET / 1024)
    parser.add_argument("--skip-build", action="store_true", help="package the existing app_src/web/dist")
    args = parser.parse_args(argv)
    budget = int(args.budget_kib * 1024)
    if not args.skip_build:
        run_vite_build()
    _, first_total = report_sizes(BUILD_DIR, budget)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    name = f"sinpluma-web-{version()}"
    tarball = out / f"{name}.tar.gz"
    write_tarball(BUILD_DIR, tarball, name)
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    (out / f"{tarball.name}.sha256").write_text(f"{digest}  {tarball.name}\n")
    print(f"{tarball} ({tarball.stat().st_size / 1024:.1f} KiB) sha256 {digest}")
    if first_total > budget:
        print(
            f"ERROR: the first screen needs {first_total / 1024:.1f} KiB of gzipped JavaScript,"
            " over the budget",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
