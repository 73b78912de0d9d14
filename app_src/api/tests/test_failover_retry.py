"""The reconnect rule: idempotent reads are retried once after a lost connection; writes never are."""

from __future__ import annotations

import pymysql
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from sinpluma_api.persistence.database import Database, is_disconnect, should_retry


def mysql_error(code: int, cls=OperationalError):
    return cls("SELECT 1", {}, pymysql.err.OperationalError(code, "boom"))


@pytest.mark.parametrize("code", [2006, 2013, 2003, 1053, 1290, 4031])
def test_lost_connections_are_retried_once_for_reads(code):
    error = mysql_error(code)
    assert is_disconnect(error)
    assert should_retry(error, attempt=1, idempotent=True)
    assert not should_retry(error, attempt=2, idempotent=True)


@pytest.mark.parametrize("code", [2006, 2013])
def test_writes_are_never_retried(code):
    assert not should_retry(mysql_error(code), attempt=1, idempotent=False)


def test_statement_errors_are_not_retried():
    assert not should_retry(mysql_error(1062, IntegrityError), attempt=1, idempotent=True)
    assert not should_retry(mysql_error(1064), attempt=1, idempotent=True)


def test_a_read_survives_its_connection_being_killed(runtime, settings):
    """A real lost connection: the server kills the session between two reads of one unit of work."""
    db = Database.from_urls(settings.db_url, settings.db_url, pool_size=1)
    calls = []

    def work(session):
        calls.append(1)
        connection_id = session.execute(text("SELECT CONNECTION_ID()")).scalar()
        if len(calls) == 1:
            with runtime.db.rw.connect() as other:  # the app account may kill its own sessions
                other.execute(text(f"KILL {int(connection_id)}"))
        return session.execute(text("SELECT 42")).scalar()

    try:
        assert db.read(work) == 42
        assert len(calls) == 2
    finally:
        db.dispose()


def test_read_only_and_shutdown_errors_invalidate_the_connection():
    from types import SimpleNamespace

    from sinpluma_api.persistence.database import mark_disconnects

    for code, expected in ((1290, True), (1053, True), (1062, False)):
        context = SimpleNamespace(
            sqlalchemy_exception=None,
            original_exception=pymysql.err.OperationalError(code, "x"),
            is_disconnect=False,
        )
        mark_disconnects(context)
        assert context.is_disconnect is expected


def test_pooled_connections_come_back_without_an_open_transaction(settings, runtime, unique):
    """A read must never see an old snapshot because a previous user of its connection left a
    transaction open (the pool does not roll back on return: sessions end their own)."""
    db = Database.from_urls(settings.db_url, settings.db_url, pool_size=1)
    tag = unique("snapshot-")

    def count_and_connection(session):
        found = session.execute(text("SELECT COUNT(*) FROM tags WHERE name = :n"), {"n": tag}).scalar()
        return found, session.execute(text("SELECT CONNECTION_ID()")).scalar()

    try:
        before, first_connection = db.read(count_and_connection)
        with runtime.db.transaction() as session:
            session.execute(text("INSERT INTO tags (name) VALUES (:n)"), {"n": tag})
        after, second_connection = db.read(count_and_connection)
        assert first_connection == second_connection  # the same pooled connection, reused
        assert (before, after) == (0, 1)
    finally:
        db.dispose()
