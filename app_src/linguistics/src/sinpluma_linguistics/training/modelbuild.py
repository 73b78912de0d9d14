"""Build a sealed model directory (model.skops + manifest.json + SHA256SUMS), cached by its inputs."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import platform
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from ..model.errors import ModelLoadError
from ..model.fileformat import MANIFEST_FILE, MODEL_FILE, SUMS_FILE, dump_canonical
from ..model.loader import load_model_dir, sha256_hex
from ..model.manifest import MIN_HELDOUT_ACCURACY, CorpusRecord, Manifest
from . import corpora, learning

STAMP_FILE = ".inputs.sha256"
LIBRARIES = ("scikit-learn", "numpy", "scipy", "skops", "joblib", "threadpoolctl")


class TrainingError(RuntimeError):
    """The pipeline ran but its result must not ship (too inaccurate, not reproducible)."""


@dataclass(frozen=True)
class BuildOutcome:
    model_dir: Path
    manifest: Manifest
    trained: bool  # False when the cached model was reused
    seconds: float


def default_cache_dir() -> Path:
    root = os.environ.get("SINPLUMA_CACHE_DIR") or os.path.join(Path.home(), ".cache", "sinpluma")
    return Path(root) / "linguistics"


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    versions.update({name: metadata.version(name) for name in LIBRARIES})
    return versions


def inputs_digest() -> str:
    """Everything that determines the model: pinned corpora, training/format code, library versions."""
    digest = hashlib.sha256()
    digest.update(f"{corpora.VADER.sha256}|{corpora.UCI.sha256}|".encode())
    digest.update(repr(sorted(library_versions().items())).encode())
    package_root = Path(__file__).resolve().parent.parent
    for folder in ("training", "model"):
        for path in sorted((package_root / folder).glob("*.py")):
            digest.update(path.name.encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def ensure_model(
    cache_dir: Path | None = None,
    *,
    jobs: int = 1,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> BuildOutcome:
    """Return a verified model directory, training only when its inputs changed since the last build."""
    cache_dir = cache_dir or default_cache_dir()
    model_dir = cache_dir / "model"
    want = inputs_digest()
    stamp = model_dir / STAMP_FILE
    with _exclusive(cache_dir):
        if not force and stamp.is_file() and stamp.read_text().strip() == want:
            try:
                loaded = load_model_dir(model_dir)
                log(f"[linguistics] reusing cached model {model_dir} (inputs unchanged)")
                return BuildOutcome(model_dir, loaded.manifest, trained=False, seconds=0.0)
            except ModelLoadError as error:
                log(f"[linguistics] cached model refused ({error}); retraining")
        return train_model_dir(cache_dir, model_dir, want, jobs=jobs, log=log)


@contextlib.contextmanager
def _exclusive(cache_dir: Path) -> Iterator[None]:
    """One builder at a time per cache: a build and a test run started together train once."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with (cache_dir / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def train_model_dir(
    cache_dir: Path, model_dir: Path, inputs: str, *, jobs: int, log: Callable[[str], None]
) -> BuildOutcome:
    started = time.perf_counter()
    downloads = cache_dir / "downloads"
    vader_path = corpora.fetch(corpora.VADER, downloads)
    uci_path = corpora.fetch(corpora.UCI, downloads)
    rated = corpora.load_vader(vader_path)
    heldout = corpora.load_uci(uci_path)
    log(f"[linguistics] corpora verified: {len(rated)} VADER items, {len(heldout)} UCI sentences")

    result = learning.train(rated, heldout, jobs=jobs)
    log(
        f"[linguistics] grid search ({learning.CV_FOLDS}-fold CV on {result.train_items} VADER items, "
        f"{result.search_seconds:.1f} s): best {result.best_params}, CV accuracy {result.cv_accuracy:.4f}"
    )
    log(
        f"[linguistics] held-out accuracy on {result.heldout_items} UCI sentences: "
        f"{result.heldout_accuracy:.4f} (minimum {MIN_HELDOUT_ACCURACY:.2f})"
    )
    if result.heldout_accuracy < MIN_HELDOUT_ACCURACY:
        raise TrainingError(
            f"held-out accuracy {result.heldout_accuracy:.4f} < {MIN_HELDOUT_ACCURACY}; no model written"
        )

    model_bytes = dump_canonical(result.pipeline)
    # Reproducibility is checked, not assumed: a fresh fit with the same parameters must match byte for byte.
    refit = learning.fit_with_params(learning.binary_training_set(rated), result.best_params)
    if sha256_hex(dump_canonical(refit)) != sha256_hex(model_bytes):
        raise TrainingError("a second fit with the same data and parameters gave a different model file")

    manifest = Manifest(
        model_sha256=sha256_hex(model_bytes),
        heldout_accuracy=round(result.heldout_accuracy, 6),
        cv_accuracy=round(result.cv_accuracy, 6),
        training_corpus=CorpusRecord(
            corpora.VADER.name, corpora.VADER.source, corpora.VADER.sha256, result.train_items
        ),
        heldout_corpus=CorpusRecord(corpora.UCI.name, corpora.UCI.source, corpora.UCI.sha256, len(heldout)),
        hyperparameters=json_friendly(result.best_params),
        libraries=library_versions(),
        label_rule=learning.LABEL_RULE,
        neutral_band=learning.NEUTRAL_BAND,
        cv_folds=learning.CV_FOLDS,
        search_grid={name: json_friendly(values) for name, values in learning.SEARCH_GRID.items()},
    )
    write_model_dir(model_dir, model_bytes, manifest, inputs)
    seconds = time.perf_counter() - started
    log(f"[linguistics] model {manifest.model_sha256[:16]}… written to {model_dir} in {seconds:.1f} s")
    return BuildOutcome(model_dir, manifest, trained=True, seconds=seconds)


def write_model_dir(model_dir: Path, model_bytes: bytes, manifest: Manifest, inputs: str = "") -> None:
    """Write the three files into a fresh directory, then swap it in, so readers never see half a model."""
    model_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".model-", dir=model_dir.parent))
    manifest_bytes = manifest.to_json().encode()
    (staging / MODEL_FILE).write_bytes(model_bytes)
    (staging / MANIFEST_FILE).write_bytes(manifest_bytes)
    (staging / SUMS_FILE).write_text(
        f"{sha256_hex(manifest_bytes)}  {MANIFEST_FILE}\n{sha256_hex(model_bytes)}  {MODEL_FILE}\n"
    )
    if inputs:
        (staging / STAMP_FILE).write_text(inputs + "\n")
    staging.chmod(0o755)
    retired = model_dir.with_name(model_dir.name + ".old")
    shutil.rmtree(retired, ignore_errors=True)
    if model_dir.exists():
        model_dir.rename(retired)
    staging.rename(model_dir)
    shutil.rmtree(retired, ignore_errors=True)


def params_from_manifest(manifest: Manifest) -> dict[str, Any]:
    return {
        name: tuple(value) if isinstance(value, list) else value
        for name, value in manifest.hyperparameters.items()
    }


def json_friendly(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [json_friendly(item) for item in value]
    if isinstance(value, dict):
        return {key: json_friendly(item) for key, item in value.items()}
    return value
