"""Single pages: read with content, save with optimistic version check, delete (renumbers the work)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from flask_jwt_extended import jwt_required

from sinpluma_api.http.docs import operation
from sinpluma_api.http.requests import json_body
from sinpluma_api.http.responses import no_content
from sinpluma_api.http.routes.notebooks import check_content_size
from sinpluma_api.http.schemas import PageSchema, PageUpdateSchema
from sinpluma_api.http.security import current_user_id
from sinpluma_api.runtime import runtime
from sinpluma_api.services import pages

blueprint = Blueprint("pages", __name__)


@blueprint.get("/pages/<id:page_id>")
@operation(summary="One page with its editor document", tag="pages", responses={200: PageSchema})
def get_page(page_id: int) -> Response:
    return jsonify(PageSchema().dump(pages.get(runtime().db, page_id)))


@blueprint.patch("/pages/<id:page_id>")
@operation(
    summary="Save a page's title and/or content; `version` must be the version last read (else 409)",
    tag="pages",
    auth="access",
    body=PageUpdateSchema,
    responses={200: PageSchema},
    errors=(403, 409),
)
@jwt_required()
def update_page(page_id: int) -> Response:
    data = json_body(PageUpdateSchema())
    check_content_size(data)
    return jsonify(PageSchema().dump(pages.update(runtime().db, current_user_id(), page_id, data)))


@blueprint.delete("/pages/<id:page_id>")
@operation(
    summary="Delete a page; later pages move up (owner only)",
    tag="pages",
    auth="access",
    responses={204: None},
    errors=(403,),
)
@jwt_required()
def delete_page(page_id: int) -> tuple[str, int]:
    pages.delete(runtime().db, current_user_id(), page_id)
    return no_content()
