"""Both endpoints, their limits, and malformed input: every answer is JSON and none is a 5xx.

The session app allows sentences of 200 characters and batches of 50 items.
"""

from __future__ import annotations

import json
import random

import pytest
from flask.testing import FlaskClient

MAX_CHARS, MAX_ITEMS = 200, 50


def error_code(response) -> str:
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    return body["error"]["code"]


def test_get_keeps_the_seed_contract_and_adds_a_score(client: FlaskClient) -> None:
    response = client.get("/sentiment", query_string={"key": "highlight_3", "sentence": "I love this book!"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["key"] == "highlight_3"
    assert body["sentiment"] == "positive"
    assert 0.5 <= body["score"] <= 1.0


def test_get_negative_sentence(client: FlaskClient) -> None:
    body = client.get(
        "/sentiment", query_string={"key": "k", "sentence": "This is terrible, I hate it"}
    ).get_json()
    assert (body["sentiment"], body["score"] < 0.5) == ("negative", True)


def test_get_decodes_url_encoded_text(client: FlaskClient) -> None:
    response = client.get(
        "/sentiment?key=a%26b&sentence=Caf%C3%A9%20was%20wonderful%2C%20%2B%20great%20%26%20cosy"
    )
    assert response.status_code == 200
    assert response.get_json()["key"] == "a&b"


@pytest.mark.parametrize("query", [{}, {"key": "k"}, {"sentence": "hi"}])
def test_get_missing_parameter_is_400(client: FlaskClient, query: dict) -> None:
    response = client.get("/sentiment", query_string=query)
    assert response.status_code == 400
    assert error_code(response) == "missing_parameter"


def test_get_blank_sentence_is_422(client: FlaskClient) -> None:
    response = client.get("/sentiment", query_string={"key": "k", "sentence": "   "})
    assert (response.status_code, error_code(response)) == (422, "empty_sentence")


def test_get_sentence_at_the_limit_is_accepted_and_over_it_is_413(client: FlaskClient) -> None:
    ok = client.get("/sentiment", query_string={"key": "k", "sentence": "a" * MAX_CHARS})
    assert ok.status_code == 200
    too_long = client.get("/sentiment", query_string={"key": "k", "sentence": "a" * (MAX_CHARS + 1)})
    assert (too_long.status_code, error_code(too_long)) == (413, "sentence_too_long")
    assert too_long.get_json()["error"]["details"] == {"max_chars": MAX_CHARS, "length": MAX_CHARS + 1}


def test_get_key_too_long_is_413(client: FlaskClient) -> None:
    response = client.get("/sentiment", query_string={"key": "k" * 257, "sentence": "fine"})
    assert (response.status_code, error_code(response)) == (413, "key_too_long")


def test_batch_returns_one_result_per_item_in_order(client: FlaskClient) -> None:
    items = [
        {"key": "h1", "sentence": "I love this, it is wonderful."},
        {"key": 2, "sentence": "This is terrible, I hate it."},
        {"key": "h1", "sentence": "What a beautiful ending."},
    ]
    response = client.post("/sentiment/batch", json={"items": items})
    assert response.status_code == 200
    results = response.get_json()["items"]
    assert [r["key"] for r in results] == ["h1", 2, "h1"]
    assert [r["sentiment"] for r in results] == ["positive", "negative", "positive"]
    assert all(0.0 <= r["score"] <= 1.0 for r in results)


def test_batch_and_get_agree(client: FlaskClient) -> None:
    sentence = "The plot was slow but the characters were charming."
    single = client.get("/sentiment", query_string={"key": "x", "sentence": sentence}).get_json()
    batch = client.post("/sentiment/batch", json={"items": [{"key": "x", "sentence": sentence}]}).get_json()
    assert batch["items"][0] == single


def test_empty_batch_is_an_empty_answer(client: FlaskClient) -> None:
    response = client.post("/sentiment/batch", json={"items": []})
    assert (response.status_code, response.get_json()) == (200, {"items": []})


def test_batch_at_the_item_limit_is_accepted_and_over_it_is_413(client: FlaskClient) -> None:
    items = [{"key": i, "sentence": "good"} for i in range(MAX_ITEMS)]
    assert client.post("/sentiment/batch", json={"items": items}).status_code == 200
    response = client.post("/sentiment/batch", json={"items": [*items, {"key": "x", "sentence": "one more"}]})
    assert (response.status_code, error_code(response)) == (413, "too_many_items")
    assert response.get_json()["error"]["details"] == {"max_items": MAX_ITEMS, "items": MAX_ITEMS + 1}


def test_batch_sentence_too_long_is_413_with_its_index(client: FlaskClient) -> None:
    items = [{"key": 0, "sentence": "ok"}, {"key": 1, "sentence": "b" * (MAX_CHARS + 1)}]
    response = client.post("/sentiment/batch", json={"items": items})
    assert (response.status_code, error_code(response)) == (413, "sentence_too_long")
    assert response.get_json()["error"]["details"]["index"] == 1


def test_batch_body_over_the_byte_limit_is_413(client: FlaskClient, app) -> None:
    body = b'{"items": [' + b" " * app.config["MAX_CONTENT_LENGTH"] + b"]}"
    response = client.post("/sentiment/batch", data=body, content_type="application/json")
    assert (response.status_code, error_code(response)) == (413, "payload_too_large")


def test_batch_needs_json_content_type(client: FlaskClient) -> None:
    response = client.post("/sentiment/batch", data='{"items": []}', content_type="text/plain")
    assert (response.status_code, error_code(response)) == (415, "unsupported_media_type")


@pytest.mark.parametrize(
    "body",
    [b"", b"{", b"not json", b"\xff\xfe\x00", b'{"items": [}', b"[" * 20_000 + b"]" * 20_000],
)
def test_batch_unparsable_body_is_400(client: FlaskClient, body: bytes) -> None:
    response = client.post("/sentiment/batch", data=body, content_type="application/json")
    assert (response.status_code, error_code(response)) == (400, "malformed_json")


@pytest.mark.parametrize(
    "document", [[], {}, {"items": {}}, {"items": "a"}, {"items": None}, "items", 3, None, {"Items": []}]
)
def test_batch_wrong_shape_is_422(client: FlaskClient, document) -> None:
    response = client.post("/sentiment/batch", data=json.dumps(document), content_type="application/json")
    assert (response.status_code, error_code(response)) == (422, "invalid_batch")


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ("just a string", None),
        ({"sentence": "no key"}, "key"),
        ({"key": None, "sentence": "null key"}, "key"),
        ({"key": True, "sentence": "bool key"}, "key"),
        ({"key": 1.5, "sentence": "float key"}, "key"),
        ({"key": 2**60, "sentence": "unsafe integer key"}, "key"),
        ({"key": ["k"], "sentence": "list key"}, "key"),
        ({"key": "k"}, "sentence"),
        ({"key": "k", "sentence": 42}, "sentence"),
        ({"key": "k", "sentence": " \n\t "}, "sentence"),
    ],
)
def test_batch_invalid_item_is_422_and_says_which(client: FlaskClient, item, field) -> None:
    response = client.post("/sentiment/batch", json={"items": [{"key": 0, "sentence": "fine"}, item]})
    assert (response.status_code, error_code(response)) == (422, "invalid_items")
    problem = response.get_json()["error"]["details"][0]
    assert (problem["index"], problem["field"]) == (1, field)


def test_huge_integer_literal_is_400_not_500(client: FlaskClient) -> None:
    body = b'{"items": [{"key": ' + b"9" * 5000 + b', "sentence": "x"}]}'
    response = client.post("/sentiment/batch", data=body, content_type="application/json")
    assert response.status_code == 400


def test_strange_but_valid_text_is_answered(client: FlaskClient) -> None:
    items = [
        {"key": "surrogate", "sentence": "\ud800 lone surrogate"},
        {"key": "nul", "sentence": "nul \x00 byte"},
        {"key": "emoji", "sentence": "😀😀 great"},
        {"key": "rtl", "sentence": "مرحبا بالعالم"},
        {"key": "", "sentence": "empty key is still a key"},
    ]
    response = client.post("/sentiment/batch", json={"items": items})
    assert response.status_code == 200
    assert [r["key"] for r in response.get_json()["items"]] == [i["key"] for i in items]


def test_unknown_route_and_wrong_method_are_json(client: FlaskClient) -> None:
    missing = client.get("/api/lin/sentiment")
    assert (missing.status_code, error_code(missing)) == (404, "not_found")
    wrong = client.delete("/sentiment")
    assert (wrong.status_code, error_code(wrong)) == (405, "method_not_allowed")
    assert "GET" in wrong.headers["Allow"]
    assert client.get("/sentiment/batch").status_code == 405


def test_health_and_readiness(client: FlaskClient) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["model"]["heldout_accuracy"] >= 0.80


def test_request_id_is_echoed_or_generated(client: FlaskClient) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    generated = client.get(
        "/healthz", headers={"X-Request-ID": "not an acceptable id; " + "x" * 200}
    ).headers["X-Request-ID"]
    assert len(generated) == 32 and all(c in "0123456789abcdef" for c in generated)


def test_random_malformed_input_never_gets_a_5xx(client: FlaskClient) -> None:
    rng = random.Random(7)
    atoms = [None, True, 0, -1, 2**70, 1.5, "", "x", "💥", [], {}, "a" * 300, {"key": "k"}, [[[]]]]
    for _ in range(300):
        item = {rng.choice(["key", "sentence", "other"]): rng.choice(atoms) for _ in range(rng.randint(0, 3))}
        document = rng.choice(
            [item, {"items": [item] * rng.randint(0, 3)}, {"items": rng.choice(atoms)}, atoms]
        )
        body = json.dumps(document).encode()
        if rng.random() < 0.3:
            cut = rng.randint(0, len(body))
            body = body[:cut] + bytes([rng.randint(0, 255)]) + body[cut:]
        response = client.post("/sentiment/batch", data=body, content_type="application/json")
        assert response.status_code < 500, (body, response.get_json())
        assert response.is_json
    for _ in range(100):
        query = "&".join(
            rng.choice(["key", "sentence", "k", "%ZZ", "%00", "sentence[]"])
            + "="
            + rng.choice(["", "%FF", "a", "%E2%82"])
            for _ in range(rng.randint(0, 4))
        )
        response = client.get(f"/sentiment?{query}")
        assert response.status_code < 500 and response.is_json, query
