"""Works (notebooks), their ordered pages, tags and follows."""

from __future__ import annotations

import json

from flask import Blueprint, Response, jsonify
from flask_jwt_extended import jwt_required

from sinpluma_api.http.docs import operation
from sinpluma_api.http.requests import json_body, query_args
from sinpluma_api.http.responses import no_content, page_json
from sinpluma_api.http.schemas import (
    FollowStatusSchema,
    NotebookCreateSchema,
    NotebookDetailSchema,
    NotebookListQuery,
    NotebookSchema,
    NotebookUpdateSchema,
    PageCreateSchema,
    PageListSchema,
    PageSchema,
    PageSummarySchema,
    PaginationQuery,
    ReorderSchema,
    TagsSchema,
    paged,
)
from sinpluma_api.http.security import current_user_id
from sinpluma_api.runtime import runtime
from sinpluma_api.services import follows, notebooks, pages
from sinpluma_api.services.errors import PayloadTooLarge

blueprint = Blueprint("notebooks", __name__)


def check_content_size(data: dict) -> None:
    if "content" in data:
        limit = runtime().settings.page_content_max_bytes
        if len(json.dumps(data["content"], ensure_ascii=False).encode("utf-8")) > limit:
            raise PayloadTooLarge(f"page content is limited to {limit} bytes", {"limit": limit})


def detail_json(notebook_id: int) -> Response:
    view = notebooks.get(runtime().db, notebook_id)
    body = NotebookDetailSchema().dump(view.notebook)
    body.update(page_count=view.page_count, follower_count=view.follower_count)
    return jsonify(body)


@blueprint.get("/notebooks")
@operation(
    summary="Browse works, newest first (filter by genre, author or tag)",
    tag="notebooks",
    query=NotebookListQuery,
    responses={200: paged(NotebookSchema)},
)
def list_notebooks() -> Response:
    args = query_args(NotebookListQuery())
    result = notebooks.list_notebooks(
        runtime().db,
        args["page"],
        args["per_page"],
        genre_id=args.get("genre_id"),
        user_id=args.get("user_id"),
        tag=args.get("tag"),
    )
    return page_json(NotebookSchema(), result)


@blueprint.post("/notebooks")
@operation(
    summary="Create a work owned by the caller",
    tag="notebooks",
    auth="access",
    body=NotebookCreateSchema,
    responses={201: NotebookDetailSchema},
)
@jwt_required()
def create_notebook() -> tuple[Response, int]:
    data = json_body(NotebookCreateSchema())
    notebook = notebooks.create(runtime().db, current_user_id(), data)
    return detail_json(notebook.id), 201


@blueprint.get("/notebooks/<id:notebook_id>")
@operation(
    summary="One work with author, genre, tags, cover and counts",
    tag="notebooks",
    responses={200: NotebookDetailSchema},
)
def get_notebook(notebook_id: int) -> Response:
    return detail_json(notebook_id)


@blueprint.patch("/notebooks/<id:notebook_id>")
@operation(
    summary="Change a work's title, synopsis, genre or tags (owner only)",
    tag="notebooks",
    auth="access",
    body=NotebookUpdateSchema,
    responses={200: NotebookDetailSchema},
    errors=(403,),
)
@jwt_required()
def update_notebook(notebook_id: int) -> Response:
    changes = json_body(NotebookUpdateSchema(), partial=True)
    notebooks.update(runtime().db, current_user_id(), notebook_id, changes)
    return detail_json(notebook_id)


@blueprint.delete("/notebooks/<id:notebook_id>")
@operation(
    summary="Delete a work with its pages, follows and cover (owner only)",
    tag="notebooks",
    auth="access",
    responses={204: None},
    errors=(403,),
)
@jwt_required()
def delete_notebook(notebook_id: int) -> tuple[str, int]:
    notebooks.delete(runtime().db, current_user_id(), notebook_id)
    return no_content()


@blueprint.get("/notebooks/<id:notebook_id>/pages")
@operation(
    summary="A work's table of contents, in reading order (no content)",
    tag="pages",
    query=PaginationQuery,
    responses={200: paged(PageSummarySchema)},
)
def list_pages(notebook_id: int) -> Response:
    args = query_args(PaginationQuery())
    return page_json(
        PageSummarySchema(), pages.list_pages(runtime().db, notebook_id, args["page"], args["per_page"])
    )


@blueprint.post("/notebooks/<id:notebook_id>/pages")
@operation(
    summary="Add a page at the end, or at `position` shifting later pages (owner only)",
    tag="pages",
    auth="access",
    body=PageCreateSchema,
    responses={201: PageSchema},
    errors=(403, 409),
)
@jwt_required()
def create_page(notebook_id: int) -> tuple[Response, int]:
    data = json_body(PageCreateSchema())
    check_content_size(data)
    page = pages.create(runtime().db, current_user_id(), notebook_id, data)
    return jsonify(PageSchema().dump(page)), 201


@blueprint.put("/notebooks/<id:notebook_id>/pages/order")
@operation(
    summary="Reorder all pages of a work: `page_ids` in the new reading order (owner only)",
    tag="pages",
    auth="access",
    body=ReorderSchema,
    responses={200: PageListSchema},
    errors=(403,),
)
@jwt_required()
def reorder_pages(notebook_id: int) -> Response:
    data = json_body(ReorderSchema())
    ordered = pages.reorder(runtime().db, current_user_id(), notebook_id, data["page_ids"])
    return jsonify({"items": PageSummarySchema().dump(ordered, many=True)})


@blueprint.put("/notebooks/<id:notebook_id>/tags")
@operation(
    summary="Replace a work's tags (owner only)",
    tag="tags",
    auth="access",
    body=TagsSchema,
    responses={200: TagsSchema},
    errors=(403,),
)
@jwt_required()
def set_tags(notebook_id: int) -> Response:
    data = json_body(TagsSchema())
    return jsonify({"tags": notebooks.set_tags(runtime().db, current_user_id(), notebook_id, data["tags"])})


@blueprint.get("/notebooks/<id:notebook_id>/follow")
@operation(
    summary="Whether the caller follows this work",
    tag="follows",
    auth="access",
    responses={200: FollowStatusSchema},
)
@jwt_required()
def follow_status(notebook_id: int) -> Response:
    return jsonify({"following": follows.is_following(runtime().db, current_user_id(), notebook_id)})


@blueprint.put("/notebooks/<id:notebook_id>/follow")
@operation(
    summary="Follow a work (idempotent; not your own)",
    tag="follows",
    auth="access",
    responses={200: FollowStatusSchema, 201: FollowStatusSchema},
    errors=(409,),
)
@jwt_required()
def follow(notebook_id: int) -> tuple[Response, int]:
    created = follows.follow(runtime().db, current_user_id(), notebook_id)
    return jsonify({"following": True}), 201 if created else 200


@blueprint.delete("/notebooks/<id:notebook_id>/follow")
@operation(summary="Stop following a work", tag="follows", auth="access", responses={204: None})
@jwt_required()
def unfollow(notebook_id: int) -> tuple[str, int]:
    follows.unfollow(runtime().db, current_user_id(), notebook_id)
    return no_content()
