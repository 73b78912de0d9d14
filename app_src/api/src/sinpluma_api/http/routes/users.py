"""Users: public profiles (no email), the caller's own account, a user's works and followed works."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from flask_jwt_extended import jwt_required

from sinpluma_api.http.docs import operation
from sinpluma_api.http.requests import query_args
from sinpluma_api.http.responses import page_json
from sinpluma_api.http.schemas import (
    NotebookSchema,
    PaginationQuery,
    UserPrivateSchema,
    UserPublicSchema,
    paged,
)
from sinpluma_api.http.security import current_user_id
from sinpluma_api.runtime import runtime
from sinpluma_api.services import accounts, follows, notebooks

blueprint = Blueprint("users", __name__)


@blueprint.get("/users/me")
@operation(
    summary="The caller's own account (with email)",
    tag="users",
    auth="access",
    responses={200: UserPrivateSchema},
)
@jwt_required()
def me() -> Response:
    return jsonify(UserPrivateSchema().dump(accounts.get_user(runtime().db, current_user_id(), primary=True)))


@blueprint.get("/users/<id:user_id>")
@operation(summary="A user's public profile", tag="users", responses={200: UserPublicSchema})
def profile(user_id: int) -> Response:
    return jsonify(UserPublicSchema().dump(accounts.get_user(runtime().db, user_id, primary=True)))


@blueprint.get("/users/<id:user_id>/notebooks")
@operation(
    summary="A user's works, newest first",
    tag="users",
    query=PaginationQuery,
    responses={200: paged(NotebookSchema)},
)
def user_notebooks(user_id: int) -> Response:
    args = query_args(PaginationQuery())
    db = runtime().db
    accounts.get_user(db, user_id)
    return page_json(
        NotebookSchema(), notebooks.list_notebooks(db, args["page"], args["per_page"], user_id=user_id)
    )


@blueprint.get("/users/<id:user_id>/follows")
@operation(
    summary="Works a user follows, most recently followed first",
    tag="users",
    query=PaginationQuery,
    responses={200: paged(NotebookSchema)},
)
def user_follows(user_id: int) -> Response:
    args = query_args(PaginationQuery())
    return page_json(
        NotebookSchema(), follows.followed_works(runtime().db, user_id, args["page"], args["per_page"])
    )
