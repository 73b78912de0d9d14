"""Sliding-window rate limits per client address, counted in Redis (shared by all API workers).

At most `count` accepted requests in any `seconds`-long interval: a fixed window (one counter per
minute) lets a client send twice the count across a window boundary and makes "the 4th attempt is
refused" depend on when the attempts started. Each accepted request is one member of a sorted set
scored by Redis's own clock (one clock for every API host, whatever their skew); refused requests
are not recorded, so a client that keeps trying is let in again `seconds` after its oldest
accepted request. The check and the insert are one Lua script, so concurrent workers cannot both
take the last slot.
"""

from __future__ import annotations

import math

import redis

from sinpluma_api.config import RateLimit
from sinpluma_api.services.errors import RateLimited, Unavailable

# KEYS[1] = the client's set, KEYS[2] = its member counter; ARGV = count, window in microseconds.
# Returns 0 when accepted, else the microseconds until the oldest accepted request leaves the window.
_SLIDING_WINDOW = """
local now_s, now_us = unpack(redis.call('TIME'))
local now = tonumber(now_s) * 1000000 + tonumber(now_us)
local count, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= count then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
local seq = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], now, now .. '-' .. seq)
local ttl = math.ceil(window / 1000)
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 0
"""


class RateLimiter:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix + "ratelimit:"
        self._script = client.register_script(_SLIDING_WINDOW)

    def hit(self, action: str, client_id: str, limit: RateLimit) -> None:
        key = f"{self.prefix}{action}:{{{client_id}}}"
        try:
            reply = self._script(keys=[key, key + ":seq"], args=[limit.count, limit.seconds * 1_000_000])
            wait_us = int(reply)
        except redis.RedisError as exc:
            raise Unavailable("rate limit store unavailable") from exc
        if wait_us > 0:
            retry_after = max(1, math.ceil(wait_us / 1_000_000))
            raise RateLimited(f"too many {action} attempts; try again later", retry_after)
