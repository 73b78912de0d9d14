"""Sentiment and health routes, served at the app root (nginx strips /api/lin/)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request

from ..config import Settings
from ..errors import ModelUnavailable, UnsupportedMediaType
from ..model.predictor import SentimentModel
from .state import ModelState
from .validation import SentenceItem, batch_items, parse_json_body, query_item

blueprint = Blueprint("sentiment", __name__)


def _settings() -> Settings:
    return current_app.extensions["linguistics.settings"]


def _state() -> ModelState:
    return current_app.extensions["linguistics.model"]


def _model() -> SentimentModel:
    loaded = _state().loaded
    if loaded is None:
        raise ModelUnavailable("the sentiment model is not loaded; see /readyz")
    return loaded.model


def _results(items: list[SentenceItem]) -> list[dict[str, Any]]:
    predictions = _model().predict([item.sentence for item in items])
    return [
        {"key": item.key, "sentiment": prediction.sentiment, "score": prediction.score}
        for item, prediction in zip(items, predictions, strict=True)
    ]


@blueprint.get("/sentiment")
def sentiment() -> Response:
    item = query_item(request.args, _settings())
    return jsonify(_results([item])[0])


@blueprint.post("/sentiment/batch")
def sentiment_batch() -> Response:
    if request.mimetype != "application/json":
        raise UnsupportedMediaType("send the batch as Content-Type: application/json")
    items = batch_items(parse_json_body(request.get_data(cache=False)), _settings())
    g.items = len(items)
    return jsonify({"items": _results(items)})


@blueprint.get("/healthz")
def healthz() -> Response:
    return jsonify({"status": "ok"})


@blueprint.get("/readyz")
def readyz() -> tuple[Response, int]:
    state = _state()
    if state.loaded is None:
        error = state.error
        code = getattr(error, "code", "model_unavailable")
        return jsonify({"error": {"code": code, "message": str(error), "details": None}}), 503
    manifest = state.loaded.manifest
    return jsonify(
        {
            "status": "ready",
            "model": {
                "sha256": manifest.model_sha256,
                "manifest_sha256": state.loaded.manifest_sha256,
                "heldout_accuracy": manifest.heldout_accuracy,
                "cv_accuracy": manifest.cv_accuracy,
            },
        }
    ), 200
