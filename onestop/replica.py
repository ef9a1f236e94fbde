"""Reads that may come from a PostgreSQL streaming replica: statistics, exports, the dashboard.

A view wrapped in `reads_from_replica` (GET/HEAD only) runs with a flag the database router
(`portal.db_router.ReplicaRouter`, active when DATABASE_REPLICA_URL is set) reads: while it is
up, reads of the domain tables go to the "replica" alias. Everything else stays on the primary:
writes, reads inside a transaction, sessions and accounts (a user who just signed in exists on
the primary first), and every view not wrapped (a citizen's own dossier right after submitting).
A replica lags by a moment: only figures that tolerate that lag are wrapped.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "replica_reads", default=False
)


def replica_reads_active() -> bool:
    return _replica_reads.get()


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads in this block may use the replica (when one is configured)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica(view: Callable) -> Callable:
    """Decorate a function view (or a DRF method) whose GET reads may lag behind the primary."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        request = next((a for a in args if hasattr(a, "method")), None)
        if request is None or request.method not in ("GET", "HEAD"):
            return view(*args, **kwargs)
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped
