"""The statistics answers, cached until the next rollup refresh (or STATS_CACHE_SECONDS).

Every dossier change refreshes its rollup cells through the outbox, and the refresh bumps this
version: a leader sees a change as soon as its rollup is written. Figures that move with the
clock alone (dossiers becoming overdue) lag by at most STATS_CACHE_SECONDS.
"""

from procedures.cache import VersionedCache

stats_cache = VersionedCache("stats", "STATS_CACHE_SECONDS")
stats_cached = stats_cache.cached
stats_changed = stats_cache.changed
