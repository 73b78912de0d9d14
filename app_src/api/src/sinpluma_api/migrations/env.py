"""Alembic environment: runs online against the migration account's URL given in the config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

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
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported: run `sinpluma-api db upgrade`")
run_migrations_online()
