"""The process-wide handles one app instance uses: settings, database, Redis, object storage."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from flask import current_app

from sinpluma_api.config import Settings
from sinpluma_api.persistence.database import Database
from sinpluma_api.persistence.objects import ObjectStore, make_client
from sinpluma_api.services.ratelimit import RateLimiter
from sinpluma_api.services.revocation import RevocationStore

EXTENSION = "sinpluma"


@dataclass
class Runtime:
    settings: Settings
    db: Database
    redis: redis.Redis
    revocations: RevocationStore
    limiter: RateLimiter
    objects: ObjectStore

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        db = Database.from_urls(
            settings.db_url, settings.db_ro_url, settings.db_pool_size, settings.db_connect_timeout
        )
        client = redis.Redis.from_url(
            settings.redis_url, socket_connect_timeout=2, socket_timeout=2, health_check_interval=30
        )
        objects = ObjectStore(
            make_client(
                settings.minio_endpoint,
                settings.minio_access_key,
                settings.minio_secret_key,
                settings.minio_secure,
                settings.minio_region,
                settings.minio_ca_file,
            )
        )
        return cls(
            settings=settings,
            db=db,
            redis=client,
            revocations=RevocationStore(client, settings.redis_key_prefix),
            limiter=RateLimiter(client, settings.redis_key_prefix),
            objects=objects,
        )

    @property
    def buckets(self) -> list[str]:
        return [self.settings.bucket_covers, self.settings.bucket_avatars]


def runtime() -> Runtime:
    return current_app.extensions[EXTENSION]
