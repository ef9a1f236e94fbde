"""Indexes on the dossier table that the statistics and reminders rely on.

They live here (raw SQL, valid on PostgreSQL and SQLite) because the statistics code owns the
queries they serve: the reminder scan (open dossiers by appointment, a partial index whose size
follows the open dossiers, not all of them) and the per-cell rollup refresh.
"""
from django.db import migrations

OPEN_STATUSES = "('received', 'processing', 'supplement_requested', 'awaiting_payment', " \
    "'withdrawal_requested')"


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
        ("dossiers", "0002_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX dossier_open_due_idx ON dossiers_dossier (due_at) "
            f"WHERE status IN {OPEN_STATUSES}",
            "DROP INDEX dossier_open_due_idx",
        ),
        migrations.RunSQL(
            "CREATE INDEX dossier_desk_procedure_received_idx "
            "ON dossiers_dossier (desk_id, procedure_id, received_at)",
            "DROP INDEX dossier_desk_procedure_received_idx",
        ),
    ]
