"""Service settings, read from environment variables only (names and defaults in README.md)."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL_DIR = "/opt/sinpluma-linguistics/model"
_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class ConfigError(ValueError):
    """An environment variable holds a value the service cannot use."""


@dataclass(frozen=True)
class Settings:
    model_dir: Path
    max_sentence_chars: int = 2000
    max_batch_items: int = 500
    max_key_chars: int = 256
    log_level: str = "INFO"
    # Optional pin of manifest.json's sha256, set by the deployment from the artifact's SHA256SUMS.
    expected_manifest_sha256: str | None = None

    @property
    def max_body_bytes(self) -> int:
        """Largest batch body that can hold max_batch_items valid items, even fully \\u-escaped."""
        per_item = 6 * (self.max_sentence_chars + self.max_key_chars) + 64
        return self.max_batch_items * per_item + 1024

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        log_level = env.get("LINGUISTICS_LOG_LEVEL", "INFO").strip().upper()
        if log_level not in logging.getLevelNamesMapping():
            raise ConfigError(f"LINGUISTICS_LOG_LEVEL: unknown level {log_level!r}")
        pin = env.get("LINGUISTICS_MANIFEST_SHA256", "").strip().lower() or None
        if pin is not None and not _SHA256_HEX.match(pin):
            raise ConfigError("LINGUISTICS_MANIFEST_SHA256 must be 64 hexadecimal characters")
        return cls(
            model_dir=Path(env.get("LINGUISTICS_MODEL_DIR", DEFAULT_MODEL_DIR)),
            max_sentence_chars=_positive_int(env, "LINGUISTICS_MAX_SENTENCE_CHARS", 2000, upper=100_000),
            max_batch_items=_positive_int(env, "LINGUISTICS_MAX_BATCH_ITEMS", 500, upper=10_000),
            max_key_chars=_positive_int(env, "LINGUISTICS_MAX_KEY_CHARS", 256, upper=10_000),
            log_level=log_level,
            expected_manifest_sha256=pin,
        )


def _positive_int(env: Mapping[str, str], name: str, default: int, upper: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if not 1 <= value <= upper:
        raise ConfigError(f"{name} must be between 1 and {upper}, got {value}")
    return value
