"""Search (title, synopsis, author, tag; ranked) and the tag directory."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from sinpluma_api.http.docs import operation
from sinpluma_api.http.requests import query_args
from sinpluma_api.http.schemas import SearchHitSchema, SearchQuery, TagCountSchema, TagListQuery, paged
from sinpluma_api.runtime import runtime
from sinpluma_api.services import notebooks
from sinpluma_api.services.search import search as search_works

blueprint = Blueprint("discovery", __name__)


@blueprint.get("/search")
@operation(
    summary="Works matching `q` in title, synopsis, author or tag, most relevant first",
    tag="search",
    query=SearchQuery,
    responses={200: paged(SearchHitSchema)},
)
def search() -> Response:
    args = query_args(SearchQuery())
    result = search_works(runtime().db, args["q"], args["page"], args["per_page"])
    items = []
    for notebook, score in result.items:
        hit = SearchHitSchema().dump(notebook)
        hit["score"] = round(score, 4)
        items.append(hit)
    return jsonify({"items": items, "page": result.page, "per_page": result.per_page, "total": result.total})


@blueprint.get("/tags")
@operation(
    summary="Tags in use, most used first (optionally by name prefix)",
    tag="tags",
    query=TagListQuery,
    responses={200: paged(TagCountSchema)},
)
def list_tags() -> Response:
    args = query_args(TagListQuery())
    result = notebooks.list_tags(runtime().db, args.get("prefix"), args["page"], args["per_page"])
    items = [{"name": name, "works": works} for name, works in result.items]
    return jsonify({"items": items, "page": result.page, "per_page": result.per_page, "total": result.total})
