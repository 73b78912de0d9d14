"""Engines for MySQL Router's read-write and read-only ports, sessions, and the read-retry rule."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
T = TypeVar("T")

STRICT_SQL_MODE = (
    "STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,"
    "NO_ENGINE_SUBSTITUTION,ONLY_FULL_GROUP_BY"
)
# Client/server error codes meaning "this connection is gone": lost or refused connection, server
# shutting down, or a former primary that went read-only during a failover.
DUPLICATE_KEY = 1062
DISCONNECT_CODES = frozenset({1053, 1290, 1927, 2003, 2006, 2013, 2055, 3169, 4031})


def mark_disconnects(context: ExceptionContext) -> None:
    """SQLAlchemy event: also treat "read-only now" (a demoted primary) and server shutdown as a lost
    connection, so the pool drops those connections instead of handing them out again."""
    code = error_code(context.sqlalchemy_exception) if context.sqlalchemy_exception is not None else None
    if code is None:
        args = getattr(context.original_exception, "args", ())
        code = args[0] if args and isinstance(args[0], int) else None
    if code in DISCONNECT_CODES:
        context.is_disconnect = True


def make_engine(url: str, pool_size: int, connect_timeout: int) -> Engine:
    engine = create_engine(
        url,
        # Sessions and connections end their own transactions (commit or rollback) before they give
        # the connection back; a second rollback by the pool would only cost another round trip.
        pool_reset_on_return=None,
        pool_pre_ping=True,  # a pooled connection to a failed-over Router backend is replaced, not used
        pool_recycle=1800,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=connect_timeout,
        connect_args={
            "connect_timeout": connect_timeout,
            "read_timeout": 30,
            "write_timeout": 30,
            "charset": "utf8mb4",
            "init_command": f"SET SESSION sql_mode='{STRICT_SQL_MODE}', time_zone='+00:00'",
        },
    )
    event.listen(engine, "handle_error", mark_disconnects)
    return engine


def error_code(exc: BaseException) -> int | None:
    orig = getattr(exc, "orig", None)
    args = getattr(orig, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def is_disconnect(exc: BaseException) -> bool:
    """True when the error says the connection (not the statement) failed."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, DBAPIError) and error_code(exc) in DISCONNECT_CODES


def should_retry(exc: BaseException, attempt: int, idempotent: bool, max_attempts: int = 2) -> bool:
    """Retry only idempotent work, only after a lost connection, and only once by default.

    A write whose connection broke may or may not have committed: retrying it blindly could apply
    it twice, so writes surface as 503 and the client decides.
    """
    return idempotent and attempt < max_attempts and is_disconnect(exc)


class Database:
    def __init__(self, rw: Engine, ro: Engine) -> None:
        self.rw = rw
        self.ro = ro

    @classmethod
    def from_urls(cls, rw_url: str, ro_url: str, pool_size: int = 5, connect_timeout: int = 5) -> Database:
        rw = make_engine(rw_url, pool_size, connect_timeout)
        ro = rw if ro_url == rw_url else make_engine(ro_url, pool_size, connect_timeout)
        return cls(rw, ro)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One all-or-nothing transaction on the read-write port."""
        with Session(self.rw, expire_on_commit=False) as session, session.begin():
            yield session

    def read(self, work: Callable[[Session], T], primary: bool = False) -> T:
        """Run an idempotent read; retried once on a fresh connection if the connection was lost.

        primary=True reads through the read-write port (read-your-own-writes right after a write).
        """
        engine = self.rw if primary else self.ro
        attempt = 1
        while True:
            try:
                with Session(engine, expire_on_commit=False) as session:
                    return work(session)
            except DBAPIError as exc:
                if not should_retry(exc, attempt, idempotent=True):
                    raise
                log.warning("database connection lost during a read; retrying once", exc_info=exc)
                attempt += 1

    def ping(self) -> None:
        for engine in {self.rw, self.ro}:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.rw.dispose()
        self.ro.dispose()
