"""The `sinpluma-api` command against the real services, and the least-privilege database account."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from sinpluma_api import cli


@pytest.fixture
def api_env(monkeypatch, settings):
    values = {
        "SINPLUMA_DB_URL": settings.db_url,
        "SINPLUMA_DB_MIGRATION_URL": settings.db_migration_url,
        "SINPLUMA_REDIS_URL": settings.redis_url,
        "SINPLUMA_MINIO_ENDPOINT": settings.minio_endpoint,
        "SINPLUMA_MINIO_ACCESS_KEY": settings.minio_access_key,
        "SINPLUMA_MINIO_SECRET_KEY": settings.minio_secret_key,
        "SINPLUMA_MINIO_SECURE": "false",
        "SINPLUMA_BUCKET_COVERS": settings.bucket_covers,
        "SINPLUMA_BUCKET_AVATARS": settings.bucket_avatars,
        "SINPLUMA_JWT_SECRET": settings.jwt_secret,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_db_upgrade_is_idempotent_and_reports_head(api_env, capsys):
    assert cli.main(["db", "upgrade"]) == 0
    assert cli.main(["db", "current"]) == 0
    assert "0001 (head)" in capsys.readouterr().out


def test_storage_init_and_images_cleanup_print_json(api_env, capsys, settings):
    assert cli.main(["storage", "init"]) == 0
    capsys.readouterr()
    assert cli.main(["storage", "init"]) == 0  # idempotent
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["created"] == []
    assert cli.main(["images", "cleanup", "--grace", "3600"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(report) == {"deleted_marked", "deleted_orphans", "deleted_retired", "kept_recent_orphans"}


def test_users_admin_grants_and_revokes(api_env, capsys, writer):
    assert cli.main(["users", "admin", writer.user_name]) == 0
    assert json.loads(capsys.readouterr().out)["is_admin"] is True
    assert cli.main(["users", "admin", writer.user_name, "--revoke"]) == 0
    assert json.loads(capsys.readouterr().out)["is_admin"] is False
    assert cli.main(["users", "admin", "no-such-user-xyz"]) == 2


def test_a_migration_waits_for_the_lock_another_run_holds(api_env, monkeypatch, capsys, settings):
    holder = create_engine(settings.db_migration_url).connect()
    try:
        assert holder.execute(text("SELECT GET_LOCK('sinpluma_api.migrations', 0)")).scalar() == 1
        monkeypatch.setenv("SINPLUMA_MIGRATION_LOCK_WAIT", "1")
        assert cli.main(["db", "upgrade"]) == 2
        assert (
            "another migration run held the lock 'sinpluma_api.migrations' for over 1 s"
            in capsys.readouterr().err
        )
        holder.execute(text("SELECT RELEASE_LOCK('sinpluma_api.migrations')"))
        assert cli.main(["db", "upgrade"]) == 0  # free again: runs, and releases the lock itself
        assert holder.execute(text("SELECT IS_FREE_LOCK('sinpluma_api.migrations')")).scalar() == 1
    finally:
        holder.close()


def test_missing_configuration_is_a_clear_error(monkeypatch, capsys):
    for name in ("SINPLUMA_DB_URL", "SINPLUMA_DB_MIGRATION_URL"):
        monkeypatch.delenv(name, raising=False)
    assert cli.main(["db", "upgrade"]) == 2
    assert "SINPLUMA_DB_MIGRATION_URL" in capsys.readouterr().err


def test_the_app_account_has_no_ddl_rights(settings):
    engine = create_engine(settings.db_url)
    try:
        with engine.connect() as connection, pytest.raises((OperationalError, ProgrammingError)) as refused:
            connection.execute(text("CREATE TABLE app_may_not_create (id INT)"))
        assert refused.value.orig.args[0] == 1142  # command denied
        with engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM genres")).scalar() >= 10
    finally:
        engine.dispose()


def test_migrations_go_down_and_up_again(lab, services, unique):
    from alembic import command

    database = unique("sinpluma_mig_")
    lab.reset_database(services, database)
    url = services.db_url("sinpluma_migrator", services.migrator_password, database)
    config = cli.alembic_config(url)
    engine = create_engine(url)

    def tables() -> set[str]:
        with engine.connect() as connection:
            return set(connection.execute(text("SHOW TABLES")).scalars())

    try:
        command.upgrade(config, "head")
        command.downgrade(config, "base")
        assert tables() == {"alembic_version"}
        command.upgrade(config, "head")
        assert {
            "users",
            "notebooks",
            "pages",
            "follows",
            "tags",
            "notebook_tags",
            "images",
            "genres",
        } <= tables()
        with engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM genres")).scalar() == 10
    finally:
        engine.dispose()
        lab.drop_database(database)
