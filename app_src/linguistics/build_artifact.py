#!/usr/bin/env python3
"""Build the linguistics artifact: the model (trained only when its inputs changed), the app wheel and
every dependency wheel for the target hosts, all listed with their sha256 in OUT/SHA256SUMS.

Run from the repository root:  python app_src/linguistics/build_artifact.py --out dist/linguistics

Layout of OUT:  wheels/*.whl   model/{model.skops,manifest.json,SHA256SUMS}   SHA256SUMS
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent
REPO_ROOT = PROJECT_DIR.parent.parent
sys.path[:0] = [str(PROJECT_DIR / "src"), str(REPO_ROOT)]

from buildtools.wheelhouse import build_wheelhouse, verify_manifest, write_manifest  # noqa: E402

from sinpluma_linguistics.model.errors import ModelLoadError  # noqa: E402
from sinpluma_linguistics.model.fileformat import MANIFEST_FILE, MODEL_FILE, SUMS_FILE  # noqa: E402
from sinpluma_linguistics.model.loader import load_model_dir, sha256_hex  # noqa: E402
from sinpluma_linguistics.training.corpora import CorpusError  # noqa: E402
from sinpluma_linguistics.training.modelbuild import TrainingError, default_cache_dir, ensure_model  # noqa: E402

MODEL_FILES = (MODEL_FILE, MANIFEST_FILE, SUMS_FILE)


def copy_model(model_dir: Path, target: Path) -> bool:
    """Make target hold exactly the model files of model_dir; True when something changed."""
    target.mkdir(parents=True, exist_ok=True)
    changed = False
    for name in MODEL_FILES:
        source, destination = model_dir / name, target / name
        if not destination.is_file() or sha256_hex(destination.read_bytes()) != sha256_hex(
            source.read_bytes()
        ):
            shutil.copyfile(source, destination)
            changed = True
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="artifact directory, e.g. dist/linguistics")
    parser.add_argument(
        "--cache-dir", type=Path, default=None, help=f"model cache (default {default_cache_dir()})"
    )
    parser.add_argument("--python-version", default="3.14", help="Python of the target hosts")
    parser.add_argument("--jobs", type=int, default=1, help="parallel CV fits while training")
    parser.add_argument("--force-train", action="store_true", help="retrain even if the inputs are unchanged")
    args = parser.parse_args(argv)

    try:
        outcome = ensure_model(args.cache_dir, jobs=args.jobs, force=args.force_train)
    except (CorpusError, TrainingError) as error:
        print(f"[linguistics] ERROR: {error}", file=sys.stderr)
        return 1
    out = args.out.resolve()
    build_wheelhouse(PROJECT_DIR, PROJECT_DIR / "requirements.lock", out, python_version=args.python_version)
    copy_model(outcome.model_dir, out / "model")
    write_manifest(out)

    try:
        loaded = load_model_dir(out / "model")
    except ModelLoadError as error:
        print(f"[linguistics] ERROR: the model in {out / 'model'} does not verify: {error}", file=sys.stderr)
        return 1
    bad = verify_manifest(out)
    if bad:
        print(f"[linguistics] ERROR: {out / 'SHA256SUMS'} does not match {bad}", file=sys.stderr)
        return 1
    manifest = loaded.manifest
    print(
        f"[linguistics] artifact {out}: {len(list((out / 'wheels').glob('*.whl')))} wheels, model "
        f"{manifest.model_sha256[:16]}…, held-out accuracy {manifest.heldout_accuracy:.4f}, "
        f"CV accuracy {manifest.cv_accuracy:.4f}"
    )
    print(f"[linguistics] pin for the hosts: LINGUISTICS_MANIFEST_SHA256={loaded.manifest_sha256}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
