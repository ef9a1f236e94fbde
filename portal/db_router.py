"""Database router: statistics, exports and the dashboard read from the replica (see
onestop.replica); everything else, and every write, uses the primary ("default")."""

from __future__ import annotations

from django.db import connections

from onestop.replica import replica_reads_active

# Read on the primary even in a replica view: a session or account written a moment ago.
PRIMARY_ONLY_APPS = frozenset({"sessions", "accounts", "auth", "authtoken", "contenttypes"})
REPLICA = "replica"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            replica_reads_active()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
