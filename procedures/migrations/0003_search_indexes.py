"""Vendor-specific search indexes (no model state: the model is the same on every database).

SQLite: procedure rows are wide (steps, legal basis...) and spill to overflow pages, so a scan
of `search_text` reads the whole table. A covering index holding the filter, search and list
columns lets the catalog list and its counts scan the index only.
PostgreSQL: big texts are TOASTed out of line; a trigram GIN index serves LIKE '% word%'.
"""
from django.db import migrations

SQLITE_COLUMNS = (
    "is_published, is_active, level, online_level, sector_id, agency_name, applicant_kinds, "
    "search_name, search_text, code, name, processing_time_text, processing_time_amount, "
    "processing_time_unit, same_day_cutoff"
)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS procedure_catalog_cover "
            f"ON procedures_procedure ({SQLITE_COLUMNS})"
        )
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS procedure_search_text_trgm "
            "ON procedures_procedure USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS procedure_catalog_cover")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS procedure_search_text_trgm")


class Migration(migrations.Migration):
    dependencies = [("procedures", "0002_catalog_search")]

    operations = [migrations.RunPython(create, drop)]
