"""Alembic migrations: the only way the schema is created or changed (`sinpluma-api db upgrade`)."""

# MySQL advisory lock every migration run holds (GET_LOCK, on the primary through Router's
# read-write port): two rollouts started at once never both migrate; the second waits, then finds
# the schema at head.
LOCK_NAME = "sinpluma_api.migrations"
LOCK_WAIT_ENV = "SINPLUMA_MIGRATION_LOCK_WAIT"
LOCK_WAIT_DEFAULT = 300


class MigrationLockTimeout(RuntimeError):
    """Another migration run held the lock for longer than the wait."""
