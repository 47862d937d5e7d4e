import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models


def analyze(apps, schema_editor):
    """PostgreSQL keeps statistics of an index's expression only after an ANALYZE: without them
    the planner takes a list of names for a third of the table and reads all of it."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE exchanges_mobilityrecord", params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0008_profiles_from_latest_applications"),
        ("partners", "0009_partner_name_forms"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="mobilityrecord",
            index=models.Index(
                django.db.models.functions.text.Upper("full_name"),
                models.F("start_date"),
                name="record_name_start",
            ),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
