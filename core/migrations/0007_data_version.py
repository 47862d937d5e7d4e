"""The data version that cached pages are keyed by (core/dataversion.py).

The table and its one row, and on PostgreSQL the function the tables' triggers call. The triggers
themselves are installed after every migrate (core.dataversion.install_triggers), so that the
tables of later migrations get theirs too.
"""

import secrets

from django.db import migrations, models

FUNCTION = """
CREATE OR REPLACE FUNCTION core_bump_data_version() RETURNS trigger AS $$
BEGIN
    UPDATE core_dataversion SET value = md5(random()::text || clock_timestamp()::text)
    WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def first_version(apps, schema_editor):
    apps.get_model("core", "DataVersion").objects.create(pk=1, value=secrets.token_hex(16))


def function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS core_bump_data_version() CASCADE")


class Migration(migrations.Migration):
    dependencies = [("core", "0006_import_log_revert")]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.CharField(max_length=32)),
            ],
            options={"default_permissions": ()},
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
        migrations.RunPython(function, drop_function),
    ]
