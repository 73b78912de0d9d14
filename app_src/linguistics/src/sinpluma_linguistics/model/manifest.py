"""manifest.json: what a model is, where it came from, and how good it is."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from .errors import ManifestError
from .fileformat import FORMAT_NAME, MODEL_FILE

MIN_HELDOUT_ACCURACY = 0.80
LABELS = ("negative", "positive")  # index = class value the model predicts
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class CorpusRecord:
    name: str
    source: str
    sha256: str
    items: int


@dataclass(frozen=True)
class Manifest:
    model_sha256: str
    heldout_accuracy: float
    cv_accuracy: float
    training_corpus: CorpusRecord
    heldout_corpus: CorpusRecord
    hyperparameters: dict[str, Any]
    libraries: dict[str, str]
    label_rule: str
    neutral_band: float
    cv_folds: int
    format: str = FORMAT_NAME
    model_file: str = MODEL_FILE
    labels: tuple[str, ...] = LABELS
    search_grid: dict[str, list[Any]] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        try:
            data = json.loads(text)
        except ValueError as error:
            raise ManifestError(f"manifest.json is not valid JSON: {error}") from None
        if not isinstance(data, dict):
            raise ManifestError("manifest.json must hold a JSON object")
        if data.get("format") != FORMAT_NAME:
            raise ManifestError(f"manifest.json format is {data.get('format')!r}, expected {FORMAT_NAME!r}")
        try:
            manifest = cls(
                model_sha256=_sha256(data["model_sha256"], "model_sha256"),
                heldout_accuracy=_fraction(data["heldout_accuracy"], "heldout_accuracy"),
                cv_accuracy=_fraction(data["cv_accuracy"], "cv_accuracy"),
                training_corpus=_corpus(data["training_corpus"], "training_corpus"),
                heldout_corpus=_corpus(data["heldout_corpus"], "heldout_corpus"),
                hyperparameters=_mapping(data["hyperparameters"], "hyperparameters"),
                libraries={str(k): str(v) for k, v in _mapping(data["libraries"], "libraries").items()},
                label_rule=str(data["label_rule"]),
                neutral_band=float(data["neutral_band"]),
                cv_folds=int(data["cv_folds"]),
                format=data["format"],
                model_file=str(data["model_file"]),
                labels=tuple(data["labels"]),
                search_grid=_mapping(data.get("search_grid", {}), "search_grid"),
            )
        except KeyError as missing:
            raise ManifestError(f"manifest.json lacks the field {missing}") from None
        except (TypeError, ValueError) as error:
            raise ManifestError(f"manifest.json has a field of the wrong type: {error}") from None
        if manifest.model_file != MODEL_FILE:
            raise ManifestError(
                f"manifest.json names model file {manifest.model_file!r}, expected {MODEL_FILE!r}"
            )
        if manifest.labels != LABELS:
            raise ManifestError(f"manifest.json labels are {list(manifest.labels)}, expected {list(LABELS)}")
        return manifest


def _sha256(value: Any, name: str) -> str:
    if not isinstance(value, str) or not _SHA256.match(value):
        raise ManifestError(f"manifest.json {name} is not a lowercase sha256 hex digest")
    return value


def _fraction(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ManifestError(f"manifest.json {name} must be a number between 0 and 1")
    return float(value)


def _mapping(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ManifestError(f"manifest.json {name} must be an object")
    return value


def _corpus(value: Any, name: str) -> CorpusRecord:
    data = _mapping(value, name)
    return CorpusRecord(
        name=str(data["name"]),
        source=str(data["source"]),
        sha256=_sha256(data["sha256"], f"{name}.sha256"),
        items=int(data["items"]),
    )
