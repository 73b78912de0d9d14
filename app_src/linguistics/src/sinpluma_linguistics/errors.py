"""Errors a client can cause or observe; rendered once as {"error": {code, message, details}}."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str, details: Any = None, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        if code is not None:
            self.code = code


class MalformedRequest(ApiError):
    status = 400
    code = "malformed_request"


class UnsupportedMediaType(ApiError):
    status = 415
    code = "unsupported_media_type"


class LimitExceeded(ApiError):
    status = 413
    code = "limit_exceeded"


class InvalidInput(ApiError):
    status = 422
    code = "invalid_input"


class ModelUnavailable(ApiError):
    status = 503
    code = "model_unavailable"
