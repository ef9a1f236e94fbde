"""Fixed-window counters in the cache, shared by the HTML pages' limits.

When the cache (Redis) is down a limit lets the request through and logs it: a kiosk or a
lookup page must never answer 500 because a counter could not be read.
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

try:  # the redis client is a dependency in production; keep the local cache usable without it
    from redis.exceptions import RedisError

    CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, ConnectionError, OSError)
except ImportError:  # pragma: no cover
    CACHE_ERRORS = (ConnectionError, OSError)


def rate_hit(key: str, *, window: int) -> int | None:
    """Count one hit in the key's window; the count so far, or None when the cache is down."""
    try:
        cache.add(key, 0, timeout=window)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window)
            return 1
    except CACHE_ERRORS as exc:
        logger.warning("rate limit %s not counted, cache unavailable: %s", key, exc)
        return None


def rate_count(key: str) -> int | None:
    """The key's count in its window; None when the cache is down."""
    try:
        return cache.get(key, 0)
    except CACHE_ERRORS as exc:
        logger.warning("rate limit %s not read, cache unavailable: %s", key, exc)
        return None


def rate_within(key: str, *, limit: int, window: int) -> bool:
    """Count a hit; True while at most `limit` hits fell in the window (or the cache is down)."""
    count = rate_hit(key, window=window)
    return count is None or count <= limit
