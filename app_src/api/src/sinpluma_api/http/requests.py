"""Reading request bodies and query strings through marshmallow schemas, with the API's error rules."""

from __future__ import annotations

import json
from typing import Any

from flask import request
from marshmallow import Schema, ValidationError

from sinpluma_api.services.errors import (
    InvalidRequest,
    PayloadTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
)

JSON_BODY_LIMIT = 2 * 1024 * 1024  # bytes; page content has its own, smaller, configurable limit


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def json_body(schema: Schema, partial: bool = False) -> dict[str, Any]:
    """A JSON object body validated by `schema`: 415 if not JSON, 400 if malformed, 422 if invalid."""
    if not request.is_json:
        raise UnsupportedMediaType("send the body as application/json")
    if request.content_length is not None and request.content_length > JSON_BODY_LIMIT:
        raise PayloadTooLarge(f"JSON bodies are limited to {JSON_BODY_LIMIT} bytes")
    raw = request.get_data(cache=True)
    if len(raw) > JSON_BODY_LIMIT:
        raise PayloadTooLarge(f"JSON bodies are limited to {JSON_BODY_LIMIT} bytes")
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
        # Lone surrogates decode fine but cannot be stored as UTF-8: refuse them here.
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except (UnicodeError, ValueError, RecursionError):
        raise InvalidRequest("the body is not valid JSON") from None
    try:
        return schema.load(data, partial=partial)
    except ValidationError as exc:
        raise ValidationFailed("the request body is invalid", exc.messages) from None


def query_args(schema: Schema) -> dict[str, Any]:
    try:
        return schema.load(request.args.to_dict(flat=True))
    except ValidationError as exc:
        raise InvalidRequest("invalid query parameters", exc.messages) from None
