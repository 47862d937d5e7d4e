"""A small limiter over the settings' cache: at most `limit` events per key within a window.

For requests that cost something whoever sends them (a password-reset e-mail), where django-axes,
which counts failed sign-ins, does not apply. The counts live in the cache (CACHES): with the
default local-memory cache each server process counts on its own; several servers share one
count through a shared cache (CACHE_URL, docs/deploy.md).
"""

import hashlib

from django.core.cache import cache


def cache_key(scope: str, value: str) -> str:
    # Hashed: the value may be an e-mail address, which a cache key should neither show nor
    # be broken by (memcached refuses spaces and control characters).
    digest = hashlib.sha256(value.casefold().encode()).hexdigest()
    return f"ratelimit:{scope}:{digest}"


def allow(scope: str, value: str, *, limit: int, window_seconds: int) -> bool:
    """Count one event for `value`; False once there have been more than `limit` in the window.

    The window starts with the first event and is not extended by later ones.
    """
    key = cache_key(scope, value)
    if cache.add(key, 1, timeout=window_seconds):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
