"""register, login, refresh (rotation), logout (revokes access and refresh token)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from flask_jwt_extended import jwt_required

from sinpluma_api.http.docs import operation
from sinpluma_api.http.requests import json_body
from sinpluma_api.http.schemas import (
    LoginSchema,
    MessageSchema,
    RegisterSchema,
    TokenPairSchema,
    UserPrivateSchema,
)
from sinpluma_api.http.security import client_address, current_claims, current_user_id
from sinpluma_api.runtime import runtime
from sinpluma_api.services import accounts, sessions

blueprint = Blueprint("auth", __name__)


@blueprint.post("/register")
@operation(
    summary="Create an account",
    tag="auth",
    body=RegisterSchema,
    responses={201: UserPrivateSchema},
    errors=(409, 429),
)
def register() -> tuple[Response, int]:
    rt = runtime()
    rt.limiter.hit("register", client_address(), rt.settings.rate_limit_register)
    data = json_body(RegisterSchema())
    user = accounts.register(rt.db, **data)
    return jsonify(UserPrivateSchema().dump(user)), 201


@blueprint.post("/login")
@operation(
    summary="Exchange credentials for an access and a refresh token",
    tag="auth",
    body=LoginSchema,
    responses={200: TokenPairSchema},
    errors=(401, 429),
)
def login() -> Response:
    rt = runtime()
    rt.limiter.hit("login", client_address(), rt.settings.rate_limit_login)
    data = json_body(LoginSchema())
    user = accounts.authenticate(rt.db, data["user_name"], data["password"])
    return jsonify(
        sessions.issue_pair(user, rt.settings.access_token_seconds, rt.settings.refresh_token_seconds)
    )


@blueprint.post("/refresh")
@operation(
    summary="Spend a refresh token (sent as the bearer token) for a new token pair",
    tag="auth",
    auth="refresh",
    responses={200: TokenPairSchema},
)
@jwt_required(refresh=True)
def refresh() -> Response:
    rt = runtime()
    sessions.rotate(rt.revocations, current_claims())
    user = accounts.get_user(rt.db, current_user_id(), primary=True)
    return jsonify(
        sessions.issue_pair(user, rt.settings.access_token_seconds, rt.settings.refresh_token_seconds)
    )


@blueprint.post("/logout")
@operation(
    summary="Revoke the access token and the refresh token issued with it",
    tag="auth",
    auth="access",
    responses={200: MessageSchema},
)
@jwt_required()
def logout() -> Response:
    sessions.logout(runtime().revocations, current_claims())
    return jsonify({"message": "logged out"})
