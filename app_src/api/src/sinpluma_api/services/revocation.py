"""Revoked token ids (JTIs) in Redis, each kept exactly as long as the token would still be valid."""

from __future__ import annotations

import time

import redis

from sinpluma_api.services.errors import Unavailable


class RevocationStore:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix + "revoked:"

    def revoke(self, jti: str, expires_at: int) -> bool:
        """Mark `jti` revoked until its expiry. False if it was already revoked (single use)."""
        remaining = max(1, int(expires_at - time.time()))
        try:
            return bool(self.client.set(self.prefix + jti, "1", ex=remaining, nx=True))
        except redis.RedisError as exc:
            raise Unavailable("token store unavailable") from exc

    def is_revoked(self, jti: str) -> bool:
        """Fail closed: an unreachable store raises Unavailable (503), never 'not revoked'."""
        try:
            return bool(self.client.exists(self.prefix + jti))
        except redis.RedisError as exc:
            raise Unavailable("token store unavailable") from exc
