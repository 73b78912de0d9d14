"""Small helpers that turn service results into JSON responses."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify
from marshmallow import Schema

from sinpluma_api.persistence.queries import Paged


def page_json(schema: Schema, result: Paged[Any]) -> Response:
    return jsonify(
        {
            "items": schema.dump(result.items, many=True),
            "page": result.page,
            "per_page": result.per_page,
            "total": result.total,
        }
    )


def no_content() -> tuple[str, int]:
    return "", 204
