"""Liveness (/healthz), readiness (/readyz: database ports, Redis, MinIO buckets) and /openapi.json."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify

from sinpluma_api.http.docs import build_spec, operation
from sinpluma_api.http.schemas import HealthSchema
from sinpluma_api.runtime import runtime

blueprint = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@blueprint.get("/healthz")
@operation(summary="The process is alive", tag="health", responses={200: HealthSchema})
def healthz() -> Response:
    return jsonify({"status": "ok"})


@blueprint.get("/readyz")
@operation(summary="Database, Redis and MinIO are reachable", tag="health", responses={200: HealthSchema})
def readyz() -> tuple[Response, int]:
    rt = runtime()
    checks = {
        "database": lambda: rt.db.ping(),
        "redis": lambda: rt.redis.ping(),
        "objects": lambda: rt.objects.check(*rt.buckets),
    }
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # readiness reports every failure instead of raising
            log.warning("readiness check %s failed: %s", name, exc.__class__.__name__)
            results[name] = "unavailable"
    ready = all(value == "ok" for value in results.values())
    return jsonify({"status": "ok" if ready else "unavailable", "checks": results}), 200 if ready else 503


@blueprint.get("/openapi.json")
@operation(summary="This OpenAPI 3 document", tag="health", responses={200: "The OpenAPI document"})
def openapi() -> Response:
    spec = current_app.extensions.get("sinpluma_openapi")
    if spec is None:
        spec = build_spec(current_app, "Sin Pluma API", current_app.config["API_VERSION"])
        current_app.extensions["sinpluma_openapi"] = spec
    return jsonify(spec)
