"""Genres: public reads, administrator-only writes."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from flask_jwt_extended import jwt_required

from sinpluma_api.http.docs import operation
from sinpluma_api.http.requests import json_body, query_args
from sinpluma_api.http.responses import no_content, page_json
from sinpluma_api.http.schemas import GenreSchema, PaginationQuery, paged
from sinpluma_api.http.security import current_user_id
from sinpluma_api.runtime import runtime
from sinpluma_api.services import genres

blueprint = Blueprint("genres", __name__)


@blueprint.get("/genres")
@operation(
    summary="All genres by name", tag="genres", query=PaginationQuery, responses={200: paged(GenreSchema)}
)
def list_genres() -> Response:
    args = query_args(PaginationQuery())
    return page_json(GenreSchema(), genres.list_genres(runtime().db, args["page"], args["per_page"]))


@blueprint.post("/genres")
@operation(
    summary="Create a genre (administrators)",
    tag="genres",
    auth="access",
    body=GenreSchema,
    responses={201: GenreSchema},
    errors=(403, 409),
)
@jwt_required()
def create_genre() -> tuple[Response, int]:
    data = json_body(GenreSchema())
    genre = genres.create(runtime().db, current_user_id(), data["name"].strip())
    return jsonify(GenreSchema().dump(genre)), 201


@blueprint.get("/genres/<id:genre_id>")
@operation(summary="One genre", tag="genres", responses={200: GenreSchema})
def get_genre(genre_id: int) -> Response:
    return jsonify(GenreSchema().dump(genres.get(runtime().db, genre_id)))


@blueprint.put("/genres/<id:genre_id>")
@operation(
    summary="Rename a genre (administrators)",
    tag="genres",
    auth="access",
    body=GenreSchema,
    responses={200: GenreSchema},
    errors=(403, 409),
)
@jwt_required()
def rename_genre(genre_id: int) -> Response:
    data = json_body(GenreSchema())
    return jsonify(
        GenreSchema().dump(genres.rename(runtime().db, current_user_id(), genre_id, data["name"].strip()))
    )


@blueprint.delete("/genres/<id:genre_id>")
@operation(
    summary="Delete an unused genre (administrators)",
    tag="genres",
    auth="access",
    responses={204: None},
    errors=(403, 409),
)
@jwt_required()
def delete_genre(genre_id: int) -> tuple[str, int]:
    genres.delete(runtime().db, current_user_id(), genre_id)
    return no_content()
