"""Reasons a model directory is refused. Each carries a stable code for logs and /readyz."""

from __future__ import annotations


class ModelLoadError(Exception):
    code = "model_load_failed"


class ManifestError(ModelLoadError):
    """manifest.json or SHA256SUMS is missing, unreadable, malformed or does not match its pin."""

    code = "manifest_invalid"


class IntegrityError(ModelLoadError):
    """A file's sha256 differs from the one recorded for it."""

    code = "integrity_mismatch"


class QualityError(ModelLoadError):
    """The model is intact but not good enough (accuracy, label sanity) or built for other libraries."""

    code = "model_rejected"


class UntrustedContentError(ModelLoadError):
    """The model file declares a type outside the trusted list; it is never deserialised."""

    code = "untrusted_content"
