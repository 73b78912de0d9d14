"""The error contract (JSON body, right status, never 500), health endpoints and the OpenAPI document."""

from __future__ import annotations

from sinpluma_api.http.docs import build_spec


def assert_error(response, status, code=None):
    assert response.status_code == status, response.data[:300]
    body = response.json
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    if code:
        assert body["error"]["code"] == code


def test_http_errors_are_json(client, writer):
    assert_error(client.get("/nowhere"), 404, "not_found")
    assert_error(client.delete("/genres"), 405, "method_not_allowed")
    assert_error(client.get("/notebooks/"), 404)  # one trailing-slash policy: none, and no redirects
    assert_error(client.get("/notebooks/0"), 404)
    assert_error(client.get(f"/notebooks/{2**64}"), 404)


def test_bodies_malformed_wrong_type_or_invalid(client, writer):
    headers = writer.headers
    assert_error(
        client.post("/notebooks", data="{", content_type="application/json", headers=headers),
        400,
        "bad_request",
    )
    assert_error(
        client.post("/notebooks", data=b"\xff\xfe", content_type="application/json", headers=headers), 400
    )
    nan = '{"title": "x", "genre_id": 1, "synopsis": NaN}'
    assert_error(client.post("/notebooks", data=nan, content_type="application/json", headers=headers), 400)
    surrogate = '{"title": "\\ud800", "genre_id": 1}'
    assert_error(
        client.post("/notebooks", data=surrogate, content_type="application/json", headers=headers), 400
    )
    assert_error(
        client.post(
            "/notebooks", data="title=x", content_type="application/x-www-form-urlencoded", headers=headers
        ),
        415,
    )
    assert_error(client.post("/notebooks", json=[1, 2], headers=headers), 422, "validation_failed")
    assert_error(
        client.post("/notebooks", data="null", content_type="application/json", headers=headers), 422
    )
    deep = "[" * 5000 + "]" * 5000
    assert_error(client.post("/notebooks", data=deep, content_type="application/json", headers=headers), 400)
    big = '{"title": "' + "x" * (3 * 1024 * 1024) + '"}'
    assert_error(client.post("/notebooks", data=big, content_type="application/json", headers=headers), 413)


def test_request_ids_are_echoed_or_made(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    assert len(client.get("/healthz", headers={"X-Request-ID": "bad id!"}).headers["X-Request-ID"]) == 32


def test_healthz_and_readyz(client, make_app):
    assert client.get("/healthz").json == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json["checks"] == {"database": "ok", "redis": "ok", "objects": "ok"}
    broken = make_app(redis_url="redis://127.0.0.1:1/0", bucket_covers="no-such-bucket-here").test_client()
    not_ready = broken.get("/readyz")
    assert not_ready.status_code == 503
    assert not_ready.json["checks"] == {"database": "ok", "redis": "unavailable", "objects": "unavailable"}
    assert broken.get("/healthz").status_code == 200


def test_database_outage_is_503_not_500(make_app, writer):
    down = make_app(
        db_url="mysql+pymysql://nobody:x@127.0.0.1:1/none",
        db_ro_url="mysql+pymysql://nobody:x@127.0.0.1:1/none",
    )
    client = down.test_client()
    assert_error(client.get("/notebooks"), 503, "database_unavailable")
    assert_error(client.post("/notebooks", json={"title": "x", "genre_id": 1}, headers=writer.headers), 503)


def test_every_route_is_in_the_openapi_document(app, client):
    spec = client.get("/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    routed = {
        (rule.rule.replace("<id:", "{").replace(">", "}"), method.lower())
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routed == documented
    assert build_spec(app, "t", "1")["paths"] == spec["paths"]
    assert "email" not in spec["components"]["schemas"]["UserPublic"]["properties"]
