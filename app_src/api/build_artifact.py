"""Build the API's offline artifact: the sinpluma-api wheel plus every pinned dependency as wheels
for the hosts' Python (Debian sid: CPython 3.14, manylinux x86_64), with a SHA256SUMS manifest.

Run from the repository root:  python app_src/api/build_artifact.py --out dist/api
Hosts install with:  pip install --no-index --find-links <out>/wheels sinpluma-api
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent
REPO_ROOT = PROJECT.parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from buildtools.wheelhouse import build_wheelhouse  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "dist" / "api")
    parser.add_argument("--python-version", default="3.14")
    args = parser.parse_args(argv)
    build_wheelhouse(
        PROJECT, PROJECT / "requirements.lock", args.out.resolve(), python_version=args.python_version
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
