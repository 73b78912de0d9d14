"""python -m sinpluma_linguistics.training [--cache-dir DIR] [--out DIR] [--jobs N] [--force]"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from .corpora import CorpusError
from .modelbuild import TrainingError, default_cache_dir, ensure_model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train (or reuse) the sentiment model and verify it.")
    parser.add_argument("--cache-dir", type=Path, default=None, help=f"default {default_cache_dir()}")
    parser.add_argument("--out", type=Path, help="also copy model.skops, manifest.json, SHA256SUMS here")
    parser.add_argument("--jobs", type=int, default=1, help="parallel CV fits (default 1)")
    parser.add_argument("--force", action="store_true", help="retrain even if the inputs are unchanged")
    args = parser.parse_args(argv)
    try:
        outcome = ensure_model(args.cache_dir, jobs=args.jobs, force=args.force)
    except (CorpusError, TrainingError) as error:
        print(f"[linguistics] ERROR: {error}", file=sys.stderr)
        return 1
    manifest = outcome.manifest
    print(
        f"[linguistics] held-out accuracy {manifest.heldout_accuracy:.4f} on {manifest.heldout_corpus.items} "
        f"UCI sentences; CV accuracy {manifest.cv_accuracy:.4f}; model sha256 {manifest.model_sha256}"
    )
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for path in sorted(outcome.model_dir.iterdir()):
            if path.is_file() and not path.name.startswith("."):
                shutil.copy2(path, args.out / path.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
