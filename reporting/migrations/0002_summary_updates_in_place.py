"""The summary's updates in place (HOT) on PostgreSQL: no index on `participants` there, room on
each page, and triggers that remove the rows they emptied by id (reporting.models). SQLite's row
triggers keep finding emptied rows by the partial index, now made for SQLite alone."""

from django.db import migrations

from reporting.models import (
    EMPTY_ROWS_INDEX_SQL,
    FILLFACTOR,
    SUMMARY_TABLE,
    install_summary_triggers,
    remove_summary_triggers,
)


def forward(apps, schema_editor):
    remove_summary_triggers(schema_editor)
    install_summary_triggers(schema_editor)
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(EMPTY_ROWS_INDEX_SQL, params=None)
    elif schema_editor.connection.vendor == "postgresql":
        # New pages keep the room; the pages already written get it at the next rewrite
        # (VACUUM FULL, a restore, the generator's rebuild).
        schema_editor.execute(
            f"ALTER TABLE {SUMMARY_TABLE} SET (fillfactor = {FILLFACTOR})", params=None
        )


def backward(apps, schema_editor):
    # The previous migration's triggers read the partial index this one removes; it comes back
    # with RemoveIndex's reverse. The triggers stay as they are: they work with it too.
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS record_summary_empty", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_record_summary"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="recordsummary", name="record_summary_empty"),
        migrations.RunPython(forward, backward),
    ]
