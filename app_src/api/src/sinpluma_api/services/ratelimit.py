"""Fixed-window rate limits per client address, counted in Redis (shared by all API workers)."""

from __future__ import annotations

import time

import redis

from sinpluma_api.config import RateLimit
from sinpluma_api.services.errors import RateLimited, Unavailable


class RateLimiter:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix + "ratelimit:"

    def hit(self, action: str, client_id: str, limit: RateLimit) -> None:
        window = int(time.time()) // limit.seconds
        key = f"{self.prefix}{action}:{client_id}:{window}"
        try:
            pipe = self.client.pipeline()
            pipe.incr(key)
            pipe.expire(key, limit.seconds)
            count, _ = pipe.execute()
        except redis.RedisError as exc:
            raise Unavailable("rate limit store unavailable") from exc
        if count > limit.count:
            retry_after = limit.seconds - int(time.time()) % limit.seconds
            raise RateLimited(f"too many {action} attempts; try again later", retry_after)
