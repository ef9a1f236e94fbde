"""Versioned read caches: a value is cached under a version that any change bumps after commit.

The catalog changes rarely: its hot reads (facets, procedure detail, sectors, pages) are cached
under the catalog version (admin edits bump it through the model signals, imports and catalog
decisions explicitly, as they write in bulk). The statistics app keeps its own version, bumped
by every rollup refresh (stats.cache). The class lives here, in the lowest app that caches.

With Redis (REDIS_URL) every process sees a bump at once. With the in-process cache (no Redis,
e.g. `make run`), each process keeps its own copy for at most the configured seconds.
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


class VersionedCache:
    """Values cached per (version, name, params) for at most the `seconds_setting` seconds."""

    def __init__(self, namespace: str, seconds_setting: str) -> None:
        self.namespace = namespace
        self.seconds_setting = seconds_setting
        self.version_key = f"{namespace}:version"

    def version(self) -> str:
        version = cache.get(self.version_key)
        if version is None:
            cache.add(self.version_key, str(time.time_ns()), None)
            version = cache.get(self.version_key) or "0"
        return version

    def changed(self) -> None:
        """Call inside the change's transaction: the cached values expire after commit."""
        transaction.on_commit(
            lambda: cache.set(self.version_key, str(time.time_ns()), None), robust=True
        )

    def cached(self, name: str, params: object, compute: Callable[[], T]) -> T:
        """`compute()`'s value for (name, params) under the current version."""
        seconds = getattr(settings, self.seconds_setting)
        if seconds <= 0:
            return compute()
        digest = hashlib.blake2b(repr(params).encode(), digest_size=12).hexdigest()
        key = f"{self.namespace}:{self.version()}:{name}:{digest}"
        value = cache.get(key)
        if value is None:
            value = compute()
            cache.set(key, value, seconds)
        return value


catalog_cache = VersionedCache("catalog", "CATALOG_CACHE_SECONDS")
catalog_changed = catalog_cache.changed
catalog_cached = catalog_cache.cached


def on_catalog_row_changed(sender, **kwargs) -> None:
    """post_save/post_delete of a catalog model (admin edits, single saves)."""
    catalog_changed()
