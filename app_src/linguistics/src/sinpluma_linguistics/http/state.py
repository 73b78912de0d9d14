"""The model a worker loaded at start-up, or the reason it refused to."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..config import Settings
from ..model.errors import ModelLoadError
from ..model.loader import LoadedModel, load_model_dir


@dataclass(frozen=True)
class ModelState:
    loaded: LoadedModel | None
    error: ModelLoadError | None = None


def load_state(settings: Settings, log: logging.Logger) -> ModelState:
    try:
        loaded = load_model_dir(
            settings.model_dir, expected_manifest_sha256=settings.expected_manifest_sha256
        )
    except ModelLoadError as error:
        log.error("model refused", extra={"error_code": error.code, "reason": str(error)})
        return ModelState(loaded=None, error=error)
    log.info(
        "model loaded",
        extra={
            "model_sha256": loaded.manifest.model_sha256,
            "heldout_accuracy": loaded.manifest.heldout_accuracy,
            "model_dir": str(settings.model_dir),
        },
    )
    return ModelState(loaded=loaded)
