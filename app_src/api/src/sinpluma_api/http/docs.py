"""The OpenAPI 3 document, built from the routes themselves: each view declares its operation with
@operation, and a route without one fails the build (so every route is documented)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask
from marshmallow import Schema

from sinpluma_api.http.schemas import MAX_ID, ErrorSchema

F = TypeVar("F", bound=Callable[..., Any])
ATTRIBUTE = "__openapi_operation__"
ERROR_TEXT = {
    400: "Malformed request",
    401: "Missing, invalid, expired or revoked token",
    403: "Not allowed for this user",
    404: "Not found",
    409: "Conflict with the current state",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Validation failed",
    429: "Rate limited",
    503: "A backing service is unavailable",
}
IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")


@dataclass(frozen=True)
class Operation:
    summary: str
    tag: str
    auth: str | None = None  # "access", "refresh" or None
    body: type[Schema] | None = None
    body_content: dict[str, Any] | None = None
    query: type[Schema] | None = None
    responses: dict[int, type[Schema] | str | dict[str, Any] | None] = field(default_factory=dict)
    errors: tuple[int, ...] = ()


def operation(**kwargs: Any) -> Callable[[F], F]:
    op = Operation(**kwargs)

    def decorate(view: F) -> F:
        setattr(view, ATTRIBUTE, op)
        return view

    return decorate


def image_upload_body() -> dict[str, Any]:
    binary = {"type": "string", "format": "binary"}
    content: dict[str, Any] = {mime: {"schema": binary} for mime in IMAGE_TYPES}
    content["multipart/form-data"] = {
        "schema": {"type": "object", "required": ["image"], "properties": {"image": binary}}
    }
    return {"required": True, "content": content}


def image_response() -> dict[str, Any]:
    return {
        "description": "The image, inline",
        "headers": {"ETag": {"schema": {"type": "string"}}, "Cache-Control": {"schema": {"type": "string"}}},
        "content": {mime: {"schema": {"type": "string", "format": "binary"}} for mime in IMAGE_TYPES},
    }


PATH_ARGUMENT = re.compile(r"<(?:(?P<converter>[a-z]+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def _path_and_parameters(rule: str) -> tuple[str, list[dict[str, Any]]]:
    parameters = []
    for match in PATH_ARGUMENT.finditer(rule):
        converter, name = match.group("converter") or "string", match.group("name")
        if converter in {"id", "int"}:
            schema: dict[str, Any] = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}
        else:
            schema = {"type": "string", "minLength": 1}
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema})
    return PATH_ARGUMENT.sub(lambda m: "{" + m.group("name") + "}", rule), parameters


def _response(value: type[Schema] | str | dict[str, Any] | None) -> dict[str, Any]:
    if value is None:
        return {"description": "No content"}
    if isinstance(value, str):
        return {"description": value}
    if isinstance(value, dict):
        return value
    return {"description": "Success", "content": {"application/json": {"schema": value}}}


def build_spec(app: Flask, title: str, version: str) -> dict[str, Any]:
    spec = APISpec(
        title=title,
        version=version,
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Sin Pluma REST API. Behind nginx every path is prefixed with /api."},
        servers=[{"url": "/api"}],
    )
    spec.components.security_scheme("access", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    spec.components.security_scheme("refresh", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    spec.components.schema("Error", schema=ErrorSchema)
    paths: dict[str, dict[str, Any]] = {}
    undocumented = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        op: Operation | None = getattr(view, ATTRIBUTE, None)
        if op is None:
            undocumented.append(rule.rule)
            continue
        path, parameters = _path_and_parameters(rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            operation_doc: dict[str, Any] = {
                "summary": op.summary,
                "tags": [op.tag],
                "operationId": f"{rule.endpoint}.{method.lower()}".replace(".", "_"),
                "responses": {str(code): _response(value) for code, value in op.responses.items()},
            }
            all_parameters = list(parameters)
            if op.query is not None:
                all_parameters.append({"in": "query", "schema": op.query})
            if all_parameters:
                operation_doc["parameters"] = all_parameters
            if op.body is not None:
                operation_doc["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": op.body}},
                }
            elif op.body_content is not None:
                operation_doc["requestBody"] = op.body_content
            if op.auth:
                operation_doc["security"] = [{op.auth: []}]
            errors = set(op.errors) | {503} | ({401} if op.auth else set())
            if op.body is not None:
                errors |= {400, 413, 415, 422}
            if op.query is not None:
                errors |= {400}
            if parameters:
                errors |= {404}
            for code in sorted(errors):
                operation_doc["responses"][str(code)] = {
                    "description": ERROR_TEXT[code],
                    "content": {"application/json": {"schema": "Error"}},
                }
            paths.setdefault(path, {})[method.lower()] = operation_doc
    if undocumented:
        raise RuntimeError(f"routes without an OpenAPI operation: {', '.join(sorted(undocumented))}")
    for path, operations in sorted(paths.items()):
        spec.path(path=path, operations=operations)
    return spec.to_dict()
