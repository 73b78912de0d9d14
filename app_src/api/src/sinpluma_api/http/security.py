"""JWT set-up: every token error is rendered in the API's error format, and every protected request
checks the revocation store (one Redis round trip; fail closed)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, Response, request
from flask_jwt_extended import JWTManager, get_jwt, get_jwt_identity

from sinpluma_api.http.errors import error_response
from sinpluma_api.runtime import runtime

EXPIRED_MESSAGE = "Token has expired"  # the SPA's refresh interceptor matches this exact text


def init_jwt(app: Flask, secret: str, access_seconds: int, refresh_seconds: int) -> JWTManager:
    app.config.update(
        JWT_SECRET_KEY=secret,
        JWT_ALGORITHM="HS256",
        JWT_TOKEN_LOCATION=["headers"],
        JWT_ACCESS_TOKEN_EXPIRES=timedelta(seconds=access_seconds),
        JWT_REFRESH_TOKEN_EXPIRES=timedelta(seconds=refresh_seconds),
        JWT_ERROR_MESSAGE_KEY="message",
    )
    jwt = JWTManager(app)

    def unauthorized(message: str) -> tuple[Response, int]:
        return error_response(401, "unauthorized", message)

    @jwt.token_in_blocklist_loader
    def is_revoked(_header: dict[str, Any], payload: dict[str, Any]) -> bool:
        return runtime().revocations.is_revoked(payload["jti"])

    @jwt.expired_token_loader
    def expired(_header: dict[str, Any], _payload: dict[str, Any]) -> tuple[Response, int]:
        return error_response(401, "token_expired", EXPIRED_MESSAGE)

    @jwt.revoked_token_loader
    def revoked(_header: dict[str, Any], _payload: dict[str, Any]) -> tuple[Response, int]:
        return error_response(401, "token_revoked", "Token has been revoked")

    @jwt.invalid_token_loader
    def invalid(message: str) -> tuple[Response, int]:
        return error_response(401, "token_invalid", f"Invalid token: {message}")

    @jwt.unauthorized_loader
    def missing(message: str) -> tuple[Response, int]:
        return unauthorized(message)

    @jwt.needs_fresh_token_loader
    def needs_fresh(_header: dict[str, Any], _payload: dict[str, Any]) -> tuple[Response, int]:
        return unauthorized("a fresh login is required")

    @jwt.user_lookup_error_loader
    def lookup_failed(_header: dict[str, Any], _payload: dict[str, Any]) -> tuple[Response, int]:
        return unauthorized("unknown user")

    @jwt.token_verification_failed_loader
    def verification_failed(_header: dict[str, Any], _payload: dict[str, Any]) -> tuple[Response, int]:
        return unauthorized("token verification failed")

    return jwt


def current_user_id() -> int:
    """The caller's user id, from the verified token (never from the request body)."""
    return int(get_jwt_identity())


def current_claims() -> dict[str, Any]:
    return get_jwt()


def client_address() -> str:
    return request.remote_addr or "unknown"
