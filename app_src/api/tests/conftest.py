"""Fixtures: real MySQL 9, Redis and MinIO on a lab host (see api_test_services), the app, users."""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent
# Hypothesis (under schemathesis) keeps a cache directory; keep it out of the working tree.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "sinpluma-api-hypothesis")
)
for path in (TESTS, TESTS.parent / "src"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import api_test_services as lab_services  # noqa: E402
from alembic import command  # noqa: E402
from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from sinpluma_api import create_app  # noqa: E402
from sinpluma_api.cli import alembic_config  # noqa: E402
from sinpluma_api.config import RateLimit, Settings  # noqa: E402
from sinpluma_api.runtime import Runtime  # noqa: E402

# 1x1 images of each accepted type, made with the formats' own encoders' minimal structure.
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
WEBP_HEAD = b"RIFF\x24\x00\x00\x00WEBPVP8 "


RUN = uuid.uuid4().hex[:8]  # one schema, key prefix and bucket pair per test session: runs never collide
DATABASE = f"sinpluma_test_{RUN}"


@pytest.fixture(scope="session")
def services() -> Iterator[lab_services.Services]:
    found = lab_services.ensure_services()
    lab_services.reset_database(found, DATABASE)
    command.upgrade(
        alembic_config(found.db_url("sinpluma_migrator", found.migrator_password, DATABASE)), "head"
    )
    yield found
    lab_services.drop_database(DATABASE)


@pytest.fixture(scope="session")
def settings(services: lab_services.Services) -> Settings:
    run = RUN
    app_url = services.db_url("sinpluma_app", services.app_password, DATABASE)
    return Settings(
        db_url=app_url,
        db_ro_url=app_url,
        db_migration_url=services.db_url("sinpluma_migrator", services.migrator_password, DATABASE),
        redis_url=services.redis_url,
        minio_endpoint=services.minio_endpoint,
        minio_access_key=services.minio_user,
        minio_secret_key=services.minio_password,
        minio_secure=False,
        jwt_secret=uuid.uuid4().hex + uuid.uuid4().hex,
        bucket_covers=f"covers-{run}",
        bucket_avatars=f"avatars-{run}",
        redis_key_prefix=f"sinpluma-test-{run}:",
        rate_limit_login=RateLimit(10_000, 60),
        rate_limit_register=RateLimit(10_000, 60),
        trusted_proxies=0,
        log_level="WARNING",
    )


@pytest.fixture(scope="session")
def runtime(settings: Settings) -> Iterator[Runtime]:
    rt = Runtime.from_settings(settings)
    rt.objects.ensure_buckets(*rt.buckets)
    yield rt
    rt.db.dispose()
    for bucket in rt.buckets:  # this session's buckets go with its schema
        for stored in rt.objects.list(bucket):
            rt.objects.delete(bucket, stored.key)
        rt.objects.client.remove_bucket(bucket)


@pytest.fixture(scope="session")
def app(runtime: Runtime) -> Flask:
    return create_app(runtime=runtime)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def make_app(settings: Settings, runtime: Runtime) -> Callable[..., Flask]:
    """An app with some settings changed (sharing nothing but the database schema)."""
    made: list[Runtime] = []

    def build(**changes: Any) -> Flask:
        rt = Runtime.from_settings(replace(settings, **changes))
        made.append(rt)
        return create_app(runtime=rt)

    yield build
    for rt in made:
        rt.db.dispose()


@dataclass
class Account:
    id: int
    user_name: str
    password: str
    access: str
    refresh: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}


def unique(prefix: str = "u") -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


@pytest.fixture
def register(client: FlaskClient) -> Callable[..., Account]:
    def create(first_name: str = "Ada", last_name: str = "Writer", user_name: str | None = None) -> Account:
        name = user_name or unique()
        password = "correct horse battery staple"  # noqa: S105 (a throwaway test account)
        body = {
            "user_name": name,
            "email": f"{name}@example.org",
            "first_name": first_name,
            "last_name": last_name,
            "password": password,
        }
        created = client.post("/register", json=body)
        assert created.status_code == 201, created.json
        tokens = client.post("/login", json={"user_name": name, "password": password}).json
        return Account(created.json["id"], name, password, tokens["access_token"], tokens["refresh_token"])

    return create


@pytest.fixture
def writer(register: Callable[..., Account]) -> Account:
    return register()


@pytest.fixture
def reader(register: Callable[..., Account]) -> Account:
    return register(first_name="Rita", last_name="Reader")


@pytest.fixture
def make_notebook(client: FlaskClient) -> Callable[..., dict[str, Any]]:
    def create(owner: Account, **fields: Any) -> dict[str, Any]:
        body = {"title": "A work", "synopsis": "About things", "genre_id": 1, **fields}
        response = client.post("/notebooks", json=body, headers=owner.headers)
        assert response.status_code == 201, response.json
        return response.json

    return create


@pytest.fixture
def make_page(client: FlaskClient) -> Callable[..., dict[str, Any]]:
    def create(owner: Account, notebook_id: int, title: str = "", **fields: Any) -> dict[str, Any]:
        body = {"title": title, **fields}
        response = client.post(f"/notebooks/{notebook_id}/pages", json=body, headers=owner.headers)
        assert response.status_code == 201, response.json
        return response.json

    return create


def document(text: str) -> list[dict[str, Any]]:
    return [{"type": "paragraph", "children": [{"text": text}]}]


@pytest.fixture(name="unique")
def unique_fixture() -> Callable[[str], str]:
    return unique


@pytest.fixture
def doc() -> Callable[[str], list[dict[str, Any]]]:
    return document


@pytest.fixture(scope="session")
def fuzz_schema(app: Flask) -> Any:
    """The served OpenAPI document, loaded by schemathesis against the in-process app (real services)."""
    import schemathesis

    spec = app.test_client().get("/openapi.json").json
    spec.pop("servers", None)  # behind nginx the base is /api; in-process the routes sit at the root
    schema = schemathesis.openapi.from_dict(spec)
    schema.app = app
    schema.location = "/openapi.json"
    return schema


@pytest.fixture(scope="session")
def fuzz_account(app: Flask) -> dict[str, str]:
    """A writer with one work and one page, so generated requests can hit real rows too."""
    client = app.test_client()
    name = unique("fuzz")
    password = "fuzzing-password"  # noqa: S105 (a throwaway test account)
    client.post(
        "/register",
        json={
            "user_name": name,
            "email": f"{name}@example.org",
            "first_name": "Fuzz",
            "last_name": "Er",
            "password": password,
        },
    )

    def login() -> dict[str, str]:
        tokens = client.post("/login", json={"user_name": name, "password": password}).json
        return {"Authorization": f"Bearer {tokens['access_token']}", "_refresh": tokens["refresh_token"]}

    headers = login()
    notebook = client.post("/notebooks", json={"title": "Fuzz", "genre_id": 1}, headers=headers).json
    client.post(f"/notebooks/{notebook['id']}/pages", json={"title": "p"}, headers=headers)
    return {"login": login}  # type: ignore[dict-item]


@pytest.fixture(scope="session")
def lab() -> Any:
    """The services helper module (lab hosts, repository root) for tests that drive lab hosts."""
    return lab_services
