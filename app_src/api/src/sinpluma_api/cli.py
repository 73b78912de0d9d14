"""`sinpluma-api` command: database migrations, storage set-up, image cleanup, admin grants."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig

from sinpluma_api.config import ConfigError, Settings
from sinpluma_api.migrations import MigrationLockTimeout
from sinpluma_api.services.errors import ApiError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> AlembicConfig:
    config = AlembicConfig(stdout=sys.stdout)  # the current stdout, not the one at import time
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migration_url() -> str:
    """Migrations need only the migration account's URL, not the whole app configuration."""
    import os

    url = os.environ.get("SINPLUMA_DB_MIGRATION_URL") or os.environ.get("SINPLUMA_DB_URL")
    if not url:
        raise ConfigError("SINPLUMA_DB_MIGRATION_URL (or SINPLUMA_DB_URL) is required")
    return url


def db_upgrade(args: argparse.Namespace) -> int:
    command.upgrade(alembic_config(migration_url()), args.revision)
    return 0


def db_current(_args: argparse.Namespace) -> int:
    command.current(alembic_config(migration_url()))
    return 0


def _runtime():
    from sinpluma_api.runtime import Runtime

    return Runtime.from_settings(Settings.from_env())


def storage_init(_args: argparse.Namespace) -> int:
    rt = _runtime()
    created = rt.objects.ensure_buckets(*rt.buckets)
    print(json.dumps({"buckets": rt.buckets, "created": created}))
    return 0


def images_cleanup(args: argparse.Namespace) -> int:
    from sinpluma_api.services import images

    rt = _runtime()
    grace = timedelta(seconds=args.grace if args.grace is not None else rt.settings.orphan_grace_seconds)
    report = images.cleanup(rt.db, rt.objects, rt.buckets, grace)
    print(json.dumps(asdict(report)))
    return 0


def users_admin(args: argparse.Namespace) -> int:
    from sinpluma_api.services import accounts

    rt = _runtime()
    user = accounts.set_admin(rt.db, args.user_name, not args.revoke)
    print(json.dumps({"user_name": user.user_name, "is_admin": user.is_admin}))
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="sinpluma-api", description="Sin Pluma API administration")
    groups = root.add_subparsers(dest="group", required=True)

    db = groups.add_parser("db", help="database schema (Alembic migrations)").add_subparsers(
        dest="action", required=True
    )
    upgrade = db.add_parser("upgrade", help="apply migrations (uses SINPLUMA_DB_MIGRATION_URL)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(handler=db_upgrade)
    db.add_parser("current", help="show the applied revision").set_defaults(handler=db_current)

    storage = groups.add_parser("storage", help="object storage").add_subparsers(dest="action", required=True)
    storage.add_parser("init", help="create the image buckets if missing").set_defaults(handler=storage_init)

    imgs = groups.add_parser("images", help="image objects").add_subparsers(dest="action", required=True)
    cleanup = imgs.add_parser("cleanup", help="delete marked, orphaned and retired image objects")
    cleanup.add_argument(
        "--grace", type=int, help="seconds an unreferenced object is left alone (default: env)"
    )
    cleanup.set_defaults(handler=images_cleanup)

    users = groups.add_parser("users", help="accounts").add_subparsers(dest="action", required=True)
    admin = users.add_parser("admin", help="grant (or --revoke) administrator rights")
    admin.add_argument("user_name")
    admin.add_argument("--revoke", action="store_true")
    admin.set_defaults(handler=users_admin)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except (ConfigError, ApiError, MigrationLockTimeout) as exc:
        print(f"sinpluma-api: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
