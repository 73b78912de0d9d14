"""Turn untrusted request data into checked sentences, or raise the error the client should see."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..config import Settings
from ..errors import InvalidInput, LimitExceeded, MalformedRequest

MAX_REPORTED_PROBLEMS = 20
_SAFE_INTEGER = 2**53 - 1  # keys must survive a round trip through JavaScript numbers


@dataclass(frozen=True)
class SentenceItem:
    key: str | int
    sentence: str


def query_item(args: Any, settings: Settings) -> SentenceItem:
    missing = [name for name in ("key", "sentence") if args.get(name) is None]
    if missing:
        raise MalformedRequest(
            "query parameters 'key' and 'sentence' are required",
            {"missing": missing},
            code="missing_parameter",
        )
    key, sentence = args.get("key"), args.get("sentence")
    if len(key) > settings.max_key_chars:
        raise LimitExceeded(
            f"key is longer than {settings.max_key_chars} characters",
            {"max_chars": settings.max_key_chars, "length": len(key)},
            code="key_too_long",
        )
    _check_sentence_length(sentence, settings, index=None)
    if not sentence.strip():
        raise InvalidInput("sentence must contain some text", code="empty_sentence")
    return SentenceItem(key=key, sentence=sentence)


def parse_json_body(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError too
        raise MalformedRequest(
            "request body is not valid JSON", str(error)[:200], code="malformed_json"
        ) from None


def batch_items(document: Any, settings: Settings) -> list[SentenceItem]:
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise InvalidInput(
            'body must be a JSON object {"items": [{"key": ..., "sentence": ...}, ...]}', code="invalid_batch"
        )
    raw_items: list[Any] = document["items"]
    if len(raw_items) > settings.max_batch_items:
        raise LimitExceeded(
            f"a batch holds at most {settings.max_batch_items} items",
            {"max_items": settings.max_batch_items, "items": len(raw_items)},
            code="too_many_items",
        )
    problems = [p for index, raw in enumerate(raw_items) for p in _item_problems(index, raw, settings)]
    if problems:
        raise InvalidInput(
            f"{len(problems)} invalid item field(s)", problems[:MAX_REPORTED_PROBLEMS], code="invalid_items"
        )
    for index, raw in enumerate(raw_items):
        _check_sentence_length(raw["sentence"], settings, index=index)
        if isinstance(raw["key"], str) and len(raw["key"]) > settings.max_key_chars:
            raise LimitExceeded(
                f"item {index}: key is longer than {settings.max_key_chars} characters",
                {"index": index, "max_chars": settings.max_key_chars, "length": len(raw["key"])},
                code="key_too_long",
            )
    return [SentenceItem(key=raw["key"], sentence=raw["sentence"]) for raw in raw_items]


def _item_problems(index: int, raw: Any, settings: Settings) -> list[dict[str, Any]]:
    if not isinstance(raw, dict):
        return [{"index": index, "field": None, "problem": "item must be an object with key and sentence"}]
    problems = []
    key = raw.get("key")
    key_is_int = isinstance(key, int) and not isinstance(key, bool) and abs(key) <= _SAFE_INTEGER
    if not (isinstance(key, str) or key_is_int):
        problems.append({"index": index, "field": "key", "problem": "must be a string or a safe integer"})
    sentence = raw.get("sentence")
    if not isinstance(sentence, str):
        problems.append({"index": index, "field": "sentence", "problem": "must be a string"})
    elif not sentence.strip():
        problems.append({"index": index, "field": "sentence", "problem": "must contain some text"})
    return problems


def _check_sentence_length(sentence: str, settings: Settings, index: int | None) -> None:
    if len(sentence) <= settings.max_sentence_chars:
        return
    where = "" if index is None else f"item {index}: "
    details: dict[str, Any] = {"max_chars": settings.max_sentence_chars, "length": len(sentence)}
    if index is not None:
        details["index"] = index
    raise LimitExceeded(
        f"{where}sentence is longer than {settings.max_sentence_chars} characters",
        details,
        code="sentence_too_long",
    )
