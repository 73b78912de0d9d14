"""Settings read from the environment only (the role writes them into an env file from vault variables)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

PREFIX = "SINPLUMA_"


class ConfigError(RuntimeError):
    """A required variable is missing or a value cannot be parsed."""


@dataclass(frozen=True)
class RateLimit:
    """At most `count` requests per `seconds` from one client address."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> RateLimit:
        try:
            count, seconds = (int(part) for part in text.split("/", 1))
        except ValueError:
            raise ConfigError(f"rate limit {text!r} is not COUNT/SECONDS") from None
        if count < 1 or seconds < 1:
            raise ConfigError(f"rate limit {text!r} must be positive")
        return cls(count, seconds)


@dataclass(frozen=True)
class Settings:
    db_url: str
    db_ro_url: str
    db_migration_url: str
    redis_url: str
    minio_endpoint: str
    minio_access_key: str
    minio_secret_key: str
    jwt_secret: str
    minio_secure: bool = True
    minio_ca_file: str | None = None
    minio_region: str = "us-east-1"
    bucket_covers: str = "works"
    bucket_avatars: str = "profile"
    access_token_seconds: int = 15 * 60
    refresh_token_seconds: int = 30 * 24 * 3600
    upload_max_bytes: int = 5 * 1024 * 1024
    page_content_max_bytes: int = 1024 * 1024
    rate_limit_login: RateLimit = field(default_factory=lambda: RateLimit(10, 60))
    rate_limit_register: RateLimit = field(default_factory=lambda: RateLimit(5, 60))
    redis_key_prefix: str = "sinpluma:"
    trusted_proxies: int = 1
    orphan_grace_seconds: int = 3600
    db_pool_size: int = 5
    db_connect_timeout: int = 5
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def required(name: str) -> str:
            value = env.get(PREFIX + name, "")
            if not value:
                raise ConfigError(f"{PREFIX}{name} is required")
            return value

        def optional(name: str, default: str) -> str:
            return env.get(PREFIX + name, "") or default

        def integer(name: str, default: int) -> int:
            text = optional(name, str(default))
            try:
                return int(text)
            except ValueError:
                raise ConfigError(f"{PREFIX}{name}={text!r} is not an integer") from None

        def boolean(name: str, default: bool) -> bool:
            text = optional(name, "true" if default else "false").lower()
            if text not in {"true", "false", "1", "0", "yes", "no"}:
                raise ConfigError(f"{PREFIX}{name}={text!r} is not a boolean")
            return text in {"true", "1", "yes"}

        db_url = required("DB_URL")
        jwt_secret = required("JWT_SECRET")
        if len(jwt_secret) < 32:
            raise ConfigError(f"{PREFIX}JWT_SECRET must be at least 32 characters")
        return cls(
            db_url=db_url,
            db_ro_url=optional("DB_RO_URL", db_url),
            db_migration_url=optional("DB_MIGRATION_URL", db_url),
            redis_url=required("REDIS_URL"),
            minio_endpoint=required("MINIO_ENDPOINT"),
            minio_access_key=required("MINIO_ACCESS_KEY"),
            minio_secret_key=required("MINIO_SECRET_KEY"),
            jwt_secret=jwt_secret,
            minio_secure=boolean("MINIO_SECURE", True),
            minio_ca_file=optional("MINIO_CA_FILE", "") or None,
            minio_region=optional("MINIO_REGION", "us-east-1"),
            bucket_covers=optional("BUCKET_COVERS", "works"),
            bucket_avatars=optional("BUCKET_AVATARS", "profile"),
            access_token_seconds=integer("ACCESS_TOKEN_SECONDS", 15 * 60),
            refresh_token_seconds=integer("REFRESH_TOKEN_SECONDS", 30 * 24 * 3600),
            upload_max_bytes=integer("UPLOAD_MAX_BYTES", 5 * 1024 * 1024),
            page_content_max_bytes=integer("PAGE_CONTENT_MAX_BYTES", 1024 * 1024),
            rate_limit_login=RateLimit.parse(optional("RATE_LIMIT_LOGIN", "10/60")),
            rate_limit_register=RateLimit.parse(optional("RATE_LIMIT_REGISTER", "5/60")),
            redis_key_prefix=optional("REDIS_KEY_PREFIX", "sinpluma:"),
            trusted_proxies=integer("TRUSTED_PROXIES", 1),
            orphan_grace_seconds=integer("ORPHAN_GRACE_SECONDS", 3600),
            db_pool_size=integer("DB_POOL_SIZE", 5),
            db_connect_timeout=integer("DB_CONNECT_TIMEOUT", 5),
            log_level=optional("LOG_LEVEL", "INFO").upper(),
        )
