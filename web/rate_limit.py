"""Rate limits on mutations, per token and per client address, in fixed one-minute windows.

With REDIS_URL the counters live in Redis; on PostgreSQL without Redis they live in the
database; both hold across server processes. Otherwise (SQLite, one process) they live in
memory.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

WINDOW_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    retry_after: int


class Counter(Protocol):
    async def hit(self, key: str, window: int) -> int:
        """Count one hit of `key` in `window` and return the window's count."""
        ...


class MemoryCounter:
    def __init__(self) -> None:
        self._counts: dict[tuple[str, int], int] = defaultdict(int)

    async def hit(self, key: str, window: int) -> int:
        if len(self._counts) > 100_000:  # forget old windows
            self._counts = defaultdict(int, {k: v for k, v in self._counts.items() if k[1] >= window})
        self._counts[(key, window)] += 1
        return self._counts[(key, window)]


class RedisCounter:
    def __init__(self, url: str, namespace: str) -> None:
        import redis.asyncio as redis

        self._redis = redis.from_url(url)
        self._namespace = namespace

    async def hit(self, key: str, window: int) -> int:
        name = f"craftway:{self._namespace}:rate:{key}:{window}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, WINDOW_SECONDS * 2)
            count, _ = await pipe.execute()
        return int(count)


class PostgresCounter:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def hit(self, key: str, window: int) -> int:
        async with self._engine.begin() as conn:
            count = (
                await conn.execute(
                    text(
                        "INSERT INTO rate_limit_window (key, window_start, hits) VALUES (:key, :window, 1) "
                        "ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limit_window.hits + 1 RETURNING hits"
                    ),
                    {"key": key, "window": window},
                )
            ).scalar_one()
            if count == 1:  # first hit of a window: drop windows that are over
                await conn.execute(
                    text("DELETE FROM rate_limit_window WHERE window_start < :old"), {"old": window - WINDOW_SECONDS}
                )
        return int(count)


class RateLimiter:
    def __init__(self, counter: Counter, per_minute: int) -> None:
        self.counter = counter
        self.per_minute = per_minute

    async def check(self, keys: list[str], now: float | None = None) -> Verdict:
        moment = time.time() if now is None else now
        window = int(moment // WINDOW_SECONDS) * WINDOW_SECONDS
        counts = [await self.counter.hit(key, window) for key in keys]
        retry_after = max(1, int(window + WINDOW_SECONDS - moment))
        return Verdict(allowed=all(c <= self.per_minute for c in counts), retry_after=retry_after)


def make_rate_limiter(engine: AsyncEngine, redis_url: str | None, per_minute: int) -> RateLimiter:
    if redis_url:
        # Principal ids are per database: deployments sharing one Redis must not share counters.
        database = engine.url.render_as_string(hide_password=True)
        namespace = hashlib.sha256(database.encode()).hexdigest()[:12]
        return RateLimiter(RedisCounter(redis_url, namespace), per_minute)
    if engine.dialect.name == "postgresql":
        return RateLimiter(PostgresCounter(engine), per_minute)
    return RateLimiter(MemoryCounter(), per_minute)
