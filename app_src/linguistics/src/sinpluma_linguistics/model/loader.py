"""Load a model directory only after proving it is the one the manifest describes.

Order matters: hashes are checked on the bytes in memory before anything is deserialised, and the
same bytes are then deserialised, so a file swapped after the check is never used.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy
import sklearn
import skops.io
from sklearn.pipeline import Pipeline

from .errors import IntegrityError, ManifestError, ModelLoadError, QualityError, UntrustedContentError
from .fileformat import MANIFEST_FILE, MODEL_FILE, SUMS_FILE, TRUSTED_TYPES, schema_types
from .manifest import MIN_HELDOUT_ACCURACY, Manifest
from .predictor import SentimentModel

MAX_MODEL_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class LoadedModel:
    model: SentimentModel
    manifest: Manifest
    manifest_sha256: str


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_sums(model_dir: Path) -> dict[str, str]:
    path = model_dir / SUMS_FILE
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise ManifestError(f"{path} is missing: the model directory is not sealed") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(f"{path} cannot be read: {error}") from None
    sums: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        digest, separator, name = line.partition("  ")
        if not separator or len(digest) != 64:
            raise ManifestError(f"{path} line {number} is not '<sha256>  <file>'")
        sums[name] = digest
    for required in (MANIFEST_FILE, MODEL_FILE):
        if required not in sums:
            raise ManifestError(f"{path} does not list {required}")
    return sums


def load_model_dir(
    model_dir: Path,
    *,
    expected_manifest_sha256: str | None = None,
    min_accuracy: float = MIN_HELDOUT_ACCURACY,
) -> LoadedModel:
    sums = read_sums(model_dir)
    manifest_bytes = _read(model_dir / MANIFEST_FILE, ManifestError)
    manifest_digest = sha256_hex(manifest_bytes)
    if expected_manifest_sha256 is not None and manifest_digest != expected_manifest_sha256:
        raise IntegrityError(
            f"manifest.json sha256 {manifest_digest} differs from the pinned LINGUISTICS_MANIFEST_SHA256 "
            f"{expected_manifest_sha256}"
        )
    if manifest_digest != sums[MANIFEST_FILE]:
        raise IntegrityError(
            f"manifest.json was changed: sha256 {manifest_digest}, {SUMS_FILE} says {sums[MANIFEST_FILE]}"
        )
    try:
        manifest = Manifest.from_json(manifest_bytes.decode("utf-8"))
    except UnicodeDecodeError:
        raise ManifestError("manifest.json is not UTF-8") from None
    if manifest.heldout_accuracy < min_accuracy:
        raise QualityError(
            f"manifest declares held-out accuracy {manifest.heldout_accuracy:.4f}, below the minimum "
            f"{min_accuracy:.2f}"
        )
    _check_libraries(manifest)

    model_bytes = _read(model_dir / MODEL_FILE, IntegrityError)
    model_digest = sha256_hex(model_bytes)
    if model_digest != manifest.model_sha256 or model_digest != sums[MODEL_FILE]:
        raise IntegrityError(
            f"{MODEL_FILE} sha256 {model_digest} does not match the manifest ({manifest.model_sha256}); "
            "refusing to load it"
        )
    model = SentimentModel(_deserialise(model_bytes))
    wrong = model.mislabelled_obvious_sentences()
    if wrong:
        raise QualityError("model fails the label sanity check: " + "; ".join(wrong))
    return LoadedModel(model=model, manifest=manifest, manifest_sha256=manifest_digest)


def _read(path: Path, error: type[ModelLoadError]) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_MODEL_BYTES + 1)
    except FileNotFoundError:
        raise error(f"{path} is missing") from None
    except OSError as problem:
        raise error(f"{path} cannot be read: {problem}") from None
    if len(data) > MAX_MODEL_BYTES:
        raise error(f"{path} is larger than {MAX_MODEL_BYTES} bytes")
    return data


def _check_libraries(manifest: Manifest) -> None:
    # A model fitted by another scikit-learn/numpy may load yet predict differently.
    running = {"scikit-learn": sklearn.__version__, "numpy": numpy.__version__}
    for name, version in running.items():
        built = manifest.libraries.get(name)
        if built != version:
            raise QualityError(f"model was built with {name} {built}, this service runs {name} {version}")


def _deserialise(model_bytes: bytes) -> Pipeline:
    try:
        declared = schema_types(model_bytes)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as error:
        raise ModelLoadError(f"{MODEL_FILE} is not a readable skops file: {error}") from None
    untrusted = sorted(declared - TRUSTED_TYPES)
    if untrusted:
        raise UntrustedContentError(f"{MODEL_FILE} declares untrusted types {untrusted}; not loading it")
    try:
        estimator = skops.io.loads(model_bytes, trusted=sorted(TRUSTED_TYPES))
    except Exception as error:  # skops raises many kinds; every one means "unusable model"
        raise ModelLoadError(
            f"{MODEL_FILE} could not be deserialised: {type(error).__name__}: {error}"
        ) from None
    if not isinstance(estimator, Pipeline) or list(getattr(estimator, "classes_", [])) != [0, 1]:
        raise ModelLoadError(f"{MODEL_FILE} does not hold a binary scikit-learn Pipeline")
    return estimator
