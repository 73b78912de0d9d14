"""Marshmallow schemas: what clients may send (load) and what the API returns (dump)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from functools import cache
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

MAX_ID = 2**63 - 1
MAX_TAGS = 20
MAX_DOCUMENT_DEPTH = 64
MAX_DOCUMENT_NODES = 100_000

NAME_PATTERN = r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$"  # letters of any script, single separators
USER_NAME_PATTERN = r"^[\w.]{3,32}$"


def identifier(**kwargs: Any) -> fields.Integer:
    return fields.Integer(strict=True, validate=validate.Range(1, MAX_ID), **kwargs)


def not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("must not be blank")


class UtcDateTime(fields.DateTime):
    """Stored as naive UTC; sent with an explicit offset."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class EditorDocument(fields.Field):
    """The rich-text editor's JSON document: a list of element nodes ({type, children, ...attrs})
    whose leaves are text nodes ({text, ...marks}). Attribute and mark values are scalars."""

    default_error_messages = {"invalid": "not a valid editor document: {reason}"}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, list) or not value:
            raise self.make_error("invalid", reason="expected a non-empty list of nodes")
        budget = [MAX_DOCUMENT_NODES]
        for node in value:
            self._check_node(node, 1, budget)
        return value

    def _check_node(self, node: Any, depth: int, budget: list[int]) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            raise self.make_error("invalid", reason=f"more than {MAX_DOCUMENT_NODES} nodes")
        if depth > MAX_DOCUMENT_DEPTH:
            raise self.make_error("invalid", reason=f"nested deeper than {MAX_DOCUMENT_DEPTH}")
        if not isinstance(node, dict):
            raise self.make_error("invalid", reason="every node must be an object")
        if "text" in node:
            if not isinstance(node["text"], str) or "children" in node:
                raise self.make_error("invalid", reason="a text node has a string 'text' and no children")
        else:
            children = node.get("children")
            if not isinstance(children, list) or not children:
                raise self.make_error("invalid", reason="an element node needs a non-empty 'children' list")
            if not isinstance(node.get("type", ""), str):
                raise self.make_error("invalid", reason="'type' must be a string")
            for child in children:
                self._check_node(child, depth + 1, budget)
        for key, item in node.items():
            if key in {"text", "children"}:
                continue
            scalar = (
                item is None
                or isinstance(item, str | bool | int)
                or (isinstance(item, float) and math.isfinite(item))
            )
            if not scalar:
                raise self.make_error("invalid", reason=f"attribute {key!r} must be a scalar")


# ---- errors ---------------------------------------------------------------------------------------


class ErrorBodySchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)
    details = fields.Raw(allow_none=True)


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


# ---- query strings ---------------------------------------------------------------------------------


class PaginationQuery(Schema):
    class Meta:
        unknown = EXCLUDE

    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(1, 100))


class NotebookListQuery(PaginationQuery):
    genre_id = fields.Integer(validate=validate.Range(1, MAX_ID))
    user_id = fields.Integer(validate=validate.Range(1, MAX_ID))
    tag = fields.String(validate=validate.Length(1, 90))


class SearchQuery(PaginationQuery):
    q = fields.String(required=True, validate=[validate.Length(1, 100), not_blank])


class TagListQuery(PaginationQuery):
    prefix = fields.String(validate=validate.Length(1, 90))


@cache
def paged(item: type[Schema]) -> type[Schema]:
    """The list envelope used by every endpoint whose list can grow."""
    return type(
        f"{item.__name__.removesuffix('Schema')}PageSchema",
        (Schema,),
        {
            "items": fields.List(fields.Nested(item), required=True),
            "page": fields.Integer(required=True),
            "per_page": fields.Integer(required=True),
            "total": fields.Integer(required=True),
        },
    )


# ---- auth and users --------------------------------------------------------------------------------


class RegisterSchema(Schema):
    user_name = fields.String(
        required=True, validate=validate.Regexp(USER_NAME_PATTERN, error="3-32 letters, digits, '_' or '.'")
    )
    email = fields.Email(required=True, validate=validate.Length(max=254))
    first_name = fields.String(
        required=True, validate=[validate.Length(1, 60), validate.Regexp(NAME_PATTERN)]
    )
    last_name = fields.String(required=True, validate=[validate.Length(1, 60), validate.Regexp(NAME_PATTERN)])
    password = fields.String(required=True, load_only=True, validate=validate.Length(8, 1024))


class LoginSchema(Schema):
    user_name = fields.String(required=True, validate=validate.Length(1, 64))
    password = fields.String(required=True, load_only=True, validate=validate.Length(1, 1024))


class TokenPairSchema(Schema):
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True)


class MessageSchema(Schema):
    message = fields.String(required=True)


def _avatar_url(user: Any) -> str | None:
    return f"/users/{user.id}/avatar?v={user.avatar.sha256[:16]}" if user.avatar is not None else None


class UserPublicSchema(Schema):
    id = fields.Integer(required=True)
    user_name = fields.String(required=True)
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)
    created_at = UtcDateTime(required=True)
    avatar_url = fields.Function(_avatar_url, allow_none=True)


class UserPrivateSchema(UserPublicSchema):
    email = fields.String(required=True)
    is_admin = fields.Boolean(required=True)


class AuthorSchema(Schema):
    id = fields.Integer(required=True)
    user_name = fields.String(required=True)
    first_name = fields.String(required=True)
    last_name = fields.String(required=True)


# ---- genres and tags -------------------------------------------------------------------------------


class GenreSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=[validate.Length(1, 45), not_blank])


class TagsSchema(Schema):
    tags = fields.List(
        fields.String(validate=[validate.Length(1, 90), not_blank]),
        required=True,
        validate=validate.Length(max=MAX_TAGS),
    )


class TagCountSchema(Schema):
    name = fields.String(required=True)
    works = fields.Integer(required=True)


# ---- notebooks (works) ---------------------------------------------------------------------------------


def _cover_url(notebook: Any) -> str | None:
    return (
        f"/notebooks/{notebook.id}/cover?v={notebook.cover.sha256[:16]}"
        if notebook.cover is not None
        else None
    )


class NotebookCreateSchema(Schema):
    title = fields.String(required=True, validate=[validate.Length(1, 80), not_blank])
    synopsis = fields.String(load_default="", validate=validate.Length(max=600))
    genre_id = identifier(required=True)
    tags = fields.List(
        fields.String(validate=[validate.Length(1, 90), not_blank]), validate=validate.Length(max=MAX_TAGS)
    )


class NotebookUpdateSchema(NotebookCreateSchema):
    """Loaded with partial=True: only the fields sent are changed."""

    synopsis = fields.String(validate=validate.Length(max=600))


class NotebookSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    synopsis = fields.String(required=True)
    genre = fields.Nested(GenreSchema, required=True)
    author = fields.Nested(AuthorSchema, required=True)
    tags = fields.Function(lambda nb: [tag.name for tag in nb.tags], required=True)
    cover_url = fields.Function(_cover_url, allow_none=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class NotebookDetailSchema(NotebookSchema):
    page_count = fields.Integer(required=True)
    follower_count = fields.Integer(required=True)


class SearchHitSchema(NotebookSchema):
    score = fields.Float(required=True)


class FollowStatusSchema(Schema):
    following = fields.Boolean(required=True)


# ---- pages ---------------------------------------------------------------------------------------------


class PageCreateSchema(Schema):
    title = fields.String(load_default="", validate=validate.Length(max=80))
    content = EditorDocument()
    position = fields.Integer(strict=True, validate=validate.Range(1, 10_000))


class PageUpdateSchema(Schema):
    title = fields.String(validate=validate.Length(max=80))
    content = EditorDocument()
    version = fields.Integer(strict=True, required=True, validate=validate.Range(1, 2**31 - 1))


class PageSummarySchema(Schema):
    id = fields.Integer(required=True)
    notebook_id = fields.Integer(required=True)
    position = fields.Integer(required=True)
    title = fields.String(required=True)
    version = fields.Integer(required=True)
    updated_at = UtcDateTime(required=True)


class PageSchema(PageSummarySchema):
    content = fields.Raw(required=True)


class ReorderSchema(Schema):
    page_ids = fields.List(identifier(), required=True, validate=validate.Length(1, 10_000))


class PageListSchema(Schema):
    items = fields.List(fields.Nested(PageSummarySchema), required=True)


# ---- images and health ------------------------------------------------------------------------------


class ImageSchema(Schema):
    url = fields.String(required=True)
    mime_type = fields.String(required=True)
    size = fields.Integer(required=True)
    sha256 = fields.String(required=True)


class HealthSchema(Schema):
    status = fields.String(required=True)
    checks = fields.Dict(keys=fields.String(), values=fields.String())
