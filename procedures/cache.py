"""The catalog changes rarely: its hot reads (facets, procedure detail, sectors) are cached
under a catalog version that any change bumps after commit (admin edits through the model
signals, imports and catalog decisions explicitly, as they write in bulk).

With Redis (REDIS_URL) every process sees a bump at once. With the in-process cache (no Redis,
e.g. `make run`), each process keeps its own copy for at most CATALOG_CACHE_SECONDS.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")
VERSION_KEY = "catalog:version"


def catalog_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, str(time.time_ns()), None)
        version = cache.get(VERSION_KEY) or "0"
    return version


def catalog_changed() -> None:
    """Call inside the change's transaction: the cached catalog reads expire after commit."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, str(time.time_ns()), None), robust=True)


def catalog_cached(name: str, params: object, compute: Callable[[], T]) -> T:
    """`compute()`'s value for (name, params) under the current catalog version."""
    if settings.CATALOG_CACHE_SECONDS <= 0:
        return compute()
    digest = hashlib.blake2b(repr(params).encode(), digest_size=12).hexdigest()
    key = f"catalog:{catalog_version()}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.CATALOG_CACHE_SECONDS)
    return value


def on_catalog_row_changed(sender, **kwargs) -> None:
    """post_save/post_delete of a catalog model (admin edits, single saves)."""
    catalog_changed()
