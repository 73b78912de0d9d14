"""Alembic environment: runs online against the migration account's URL given in the config."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine, pool, text

from sinpluma_api.migrations import LOCK_NAME, LOCK_WAIT_DEFAULT, LOCK_WAIT_ENV, MigrationLockTimeout
from sinpluma_api.persistence.database import STRICT_SQL_MODE
from sinpluma_api.persistence.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = create_engine(
        config.get_main_option("sqlalchemy.url"),
        poolclass=pool.NullPool,
        connect_args={"charset": "utf8mb4", "init_command": f"SET SESSION sql_mode='{STRICT_SQL_MODE}'"},
    )
    wait = int(os.environ.get(LOCK_WAIT_ENV, "") or LOCK_WAIT_DEFAULT)
    with engine.connect() as connection:
        locked = connection.execute(
            text("SELECT GET_LOCK(:name, :wait)"), {"name": LOCK_NAME, "wait": wait}
        ).scalar()
        connection.commit()  # the lock is the session's; Alembic starts its own transaction
        if locked != 1:
            raise MigrationLockTimeout(f"another migration run held the lock {LOCK_NAME!r} for over {wait} s")
        try:
            context.configure(connection=connection, target_metadata=target_metadata)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            connection.execute(text("SELECT RELEASE_LOCK(:name)"), {"name": LOCK_NAME})
            connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported: run `sinpluma-api db upgrade`")
run_migrations_online()
