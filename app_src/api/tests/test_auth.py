"""Registration, login, token refresh with rotation, logout revocation, expiry, rate limits, Redis outage."""

from __future__ import annotations

import time
from datetime import timedelta

from flask_jwt_extended import create_access_token, decode_token


def test_register_returns_the_account_without_password(client, unique):
    name = unique()
    body = {
        "user_name": name,
        "email": f"{name}@example.info",
        "first_name": "José",
        "last_name": "Núñez",
        "password": "s3cret-pass",
    }
    response = client.post("/register", json=body)
    assert response.status_code == 201
    assert response.json["user_name"] == name
    assert response.json["email"] == f"{name}@example.info"  # long TLDs are fine
    assert "password" not in response.json and "password_hash" not in response.json


def test_register_refuses_mass_assignment_and_bad_fields(client, unique):
    name = unique()
    body = {
        "user_name": name,
        "email": f"{name}@example.org",
        "first_name": "A",
        "last_name": "B",
        "password": "longenough",
    }
    response = client.post("/register", json={**body, "id": 1, "is_admin": True})
    assert response.status_code == 422
    assert set(response.json["error"]["details"]) == {"id", "is_admin"}
    response = client.post("/register", json={**body, "email": "not-an-email", "password": "short"})
    assert response.status_code == 422
    assert set(response.json["error"]["details"]) == {"email", "password"}


def test_duplicate_user_name_or_email_is_409(client, writer, unique):
    body = {
        "user_name": writer.user_name,
        "email": f"{unique()}@example.org",
        "first_name": "A",
        "last_name": "B",
        "password": "longenough",
    }
    assert client.post("/register", json=body).status_code == 409
    body = {
        "user_name": unique(),
        "email": f"{writer.user_name}@example.org",
        "first_name": "A",
        "last_name": "B",
        "password": "longenough",
    }
    response = client.post("/register", json=body)
    assert response.status_code == 409
    assert "email" in response.json["error"]["details"]


def test_login_does_not_tell_unknown_users_from_wrong_passwords(client, writer, unique):
    wrong_password = client.post("/login", json={"user_name": writer.user_name, "password": "nope-nope"})
    unknown_user = client.post("/login", json={"user_name": unique(), "password": "nope-nope"})
    assert wrong_password.status_code == unknown_user.status_code == 401
    assert wrong_password.json == unknown_user.json


def test_access_token_claims_and_me(client, app, writer):
    with app.app_context():
        claims = decode_token(writer.access)
    assert claims["sub"] == str(writer.id)
    assert claims["fname"] == "Ada" and claims["type"] == "access"
    assert claims["exp"] - claims["iat"] == 15 * 60
    me = client.get("/users/me", headers=writer.headers)
    assert me.status_code == 200 and me.json["email"].endswith("@example.org")


def test_missing_malformed_and_wrong_type_tokens_are_401(client, writer):
    assert client.get("/users/me").status_code == 401
    assert client.get("/users/me", headers={"Authorization": "Bearer not.a.jwt"}).status_code == 401
    assert client.get("/users/me", headers={"Authorization": f"Bearer {writer.refresh}"}).status_code == 401
    assert client.post("/refresh", headers=writer.headers).status_code == 401


def test_expired_token_says_token_has_expired(client, app, writer):
    with app.app_context():
        expired = create_access_token(identity=str(writer.id), expires_delta=timedelta(seconds=-5))
    response = client.get("/users/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert response.json["error"]["message"] == "Token has expired"


def test_refresh_rotates_and_refuses_reuse(client, writer):
    first = client.post("/refresh", headers={"Authorization": f"Bearer {writer.refresh}"})
    assert first.status_code == 200
    assert first.json["refresh_token"] != writer.refresh
    assert (
        client.get("/users/me", headers={"Authorization": f"Bearer {first.json['access_token']}"}).status_code
        == 200
    )
    replay = client.post("/refresh", headers={"Authorization": f"Bearer {writer.refresh}"})
    assert replay.status_code == 401
    assert replay.json["error"]["message"] == "Token has been revoked"
    second = client.post("/refresh", headers={"Authorization": f"Bearer {first.json['refresh_token']}"})
    assert second.status_code == 200


def test_logout_revokes_access_and_refresh_with_remaining_lifetime(client, app, runtime, writer):
    assert client.post("/logout", headers=writer.headers).status_code == 200
    assert (
        client.get("/users/me", headers=writer.headers).json["error"]["message"] == "Token has been revoked"
    )
    assert client.post("/refresh", headers={"Authorization": f"Bearer {writer.refresh}"}).status_code == 401
    with app.app_context():
        access, refresh = decode_token(writer.access, allow_expired=True), decode_token(writer.refresh)
    prefix = runtime.settings.redis_key_prefix + "revoked:"
    now = time.time()
    access_ttl = runtime.redis.ttl(prefix + access["jti"])
    refresh_ttl = runtime.redis.ttl(prefix + refresh["jti"])
    assert 0 < access_ttl <= access["exp"] - now + 1
    assert access["exp"] - now - 60 < access_ttl
    assert 0 < refresh_ttl <= refresh["exp"] - now + 1
    assert refresh_ttl > 29 * 24 * 3600


def test_protected_requests_fail_closed_when_redis_is_unreachable(make_app, writer):
    # Port 1 on loopback: nothing listens, so every Redis call fails at once.
    broken = make_app(redis_url="redis://127.0.0.1:1/0").test_client()
    response = broken.get("/users/me", headers=writer.headers)
    assert response.status_code == 503
    assert response.json["error"]["code"] == "service_unavailable"
    assert broken.post("/logout", headers=writer.headers).status_code == 503
    assert broken.get("/genres").status_code == 200  # public reads do not need Redis


def test_login_and_register_are_rate_limited(make_app, writer, unique):
    from sinpluma_api.config import RateLimit

    limited = make_app(
        rate_limit_login=RateLimit(3, 60), redis_key_prefix=f"sinpluma-rl-{unique()}:"
    ).test_client()
    statuses = [
        limited.post("/login", json={"user_name": writer.user_name, "password": "wrong-password"}).status_code
        for _ in range(4)
    ]
    assert statuses == [401, 401, 401, 429]
    blocked = limited.post("/login", json={"user_name": writer.user_name, "password": writer.password})
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) >= 1
    assert int(blocked.headers["Retry-After"]) <= 60
    assert blocked.json["error"]["code"] == "rate_limited"


def test_rate_limit_window_slides_and_lets_the_client_in_after_its_oldest_attempt(runtime, unique):
    from sinpluma_api.config import RateLimit
    from sinpluma_api.services.errors import RateLimited
    from sinpluma_api.services.ratelimit import RateLimiter

    limiter = RateLimiter(runtime.redis, f"sinpluma-rl-{unique()}:")
    limit = RateLimit(2, 2)

    def accepted() -> bool:
        try:
            limiter.hit("login", "192.0.2.1", limit)
        except RateLimited as refused:
            assert 1 <= refused.retry_after <= 2
            return False
        return True

    started = time.monotonic()
    assert accepted()
    time.sleep(1.0)
    assert accepted()
    limiter.hit("login", "192.0.2.2", limit)  # another client has its own window
    assert not accepted()
    # Once the first accepted attempt is 2 s old exactly one slot is free (refused attempts do not
    # count, the second accepted one is still inside the window).
    time.sleep(max(0.0, 2.1 - (time.monotonic() - started)))
    assert [accepted(), accepted()] == [True, False]


def test_concurrent_attempts_never_take_more_slots_than_the_limit(runtime, unique):
    from concurrent.futures import ThreadPoolExecutor

    from sinpluma_api.config import RateLimit
    from sinpluma_api.services.errors import RateLimited
    from sinpluma_api.services.ratelimit import RateLimiter

    limiter = RateLimiter(runtime.redis, f"sinpluma-rl-{unique()}:")

    def attempt(_: int) -> bool:
        try:
            limiter.hit("register", "198.51.100.7", RateLimit(5, 60))
        except RateLimited:
            return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        accepted = list(pool.map(attempt, range(40)))
    assert accepted.count(True) == 5
