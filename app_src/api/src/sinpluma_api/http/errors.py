"""Every failure becomes {"error": {"code", "message", "details"}} with the right status; never a 500 body
that leaks internals."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify
from minio.error import MinioException
from redis import RedisError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError, SQLAlchemyError
from urllib3.exceptions import HTTPError as Urllib3Error
from werkzeug.exceptions import HTTPException

from sinpluma_api.persistence.database import is_disconnect
from sinpluma_api.services.errors import ApiError, RateLimited

log = logging.getLogger(__name__)

HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    411: "length_required",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    416: "range_not_satisfiable",
    422: "validation_failed",
    429: "rate_limited",
    431: "request_header_fields_too_large",
    503: "service_unavailable",
}


def error_response(status: int, code: str, message: str, details: Any = None) -> tuple[Response, int]:
    return jsonify({"error": {"code": code, "message": message, "details": details}}), status


def render_api_error(error: ApiError) -> tuple[Response, int]:
    response, status = error_response(error.status, error.code, error.message, error.details)
    if isinstance(error, RateLimited):
        response.headers["Retry-After"] = str(error.retry_after)
    if error.status == 503:
        response.headers["Retry-After"] = "5"
    return response, status


def render_http_exception(error: HTTPException) -> tuple[Response, int]:
    status = error.code or 500
    if status >= 500:
        return render_unexpected(error)
    response, status = error_response(
        status, HTTP_CODES.get(status, "http_error"), error.description or error.name
    )
    if status == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response, status


def render_database_error(error: SQLAlchemyError) -> tuple[Response, int]:
    if isinstance(error, IntegrityError):
        return error_response(409, "conflict", "the change conflicts with existing data")
    if isinstance(error, OperationalError) or (isinstance(error, DBAPIError) and is_disconnect(error)):
        log.warning("database unavailable: %s", error.__class__.__name__)
        response, status = error_response(
            503, "database_unavailable", "the database is unavailable; retry later"
        )
        response.headers["Retry-After"] = "5"
        return response, status
    return render_unexpected(error)


def render_redis_error(error: RedisError) -> tuple[Response, int]:
    log.warning("redis unavailable: %s", error.__class__.__name__)
    return error_response(503, "service_unavailable", "a backing service is unavailable; retry later")


def render_storage_error(error: Exception) -> tuple[Response, int]:
    log.warning("object storage unavailable: %s", error.__class__.__name__)
    return error_response(503, "service_unavailable", "object storage is unavailable; retry later")


def render_unexpected(error: BaseException) -> tuple[Response, int]:
    log.error("unhandled error", exc_info=error)
    return error_response(500, "internal_error", "internal error")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ApiError, render_api_error)
    app.register_error_handler(HTTPException, render_http_exception)
    app.register_error_handler(SQLAlchemyError, render_database_error)
    app.register_error_handler(RedisError, render_redis_error)
    app.register_error_handler(MinioException, render_storage_error)
    app.register_error_handler(Urllib3Error, render_storage_error)
    app.register_error_handler(Exception, render_unexpected)
