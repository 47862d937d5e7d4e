"""A folded search column on partners, filled for existing rows, with a trigram index on
PostgreSQL so that LIKE '%word%' stays fast however many partners there are."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from core.search import fold_for_search

# The fields as they are at this migration; a later one that adds a name form refreshes again.
SEARCHED_FIELDS = ("name", "name_original", "acronym", "city", "erasmus_code")
INDEX_NAME = "partner_search_text_trgm"


def fill_search_text(apps, schema_editor):
    Partner = apps.get_model("partners", "Partner")
    partners = [
        Partner(pk=pk, search_text=fold_for_search(" ".join(v or "" for v in values)))
        for pk, *values in Partner.objects.using(schema_editor.connection.alias).values_list(
            "pk", *SEARCHED_FIELDS
        )
    ]
    Partner.objects.using(schema_editor.connection.alias).bulk_update(
        partners, ["search_text"], batch_size=500
    )


def trigram_index():
    # Not in Partner.Meta.indexes: SQLite has no GIN. Kept out of the migration state, so the
    # model and the state agree on both databases and makemigrations sees nothing to do.
    return GinIndex(fields=["search_text"], opclasses=["gin_trgm_ops"], name=INDEX_NAME)


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("partners", "Partner"), trigram_index())


def remove_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("partners", "Partner"), trigram_index())


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0007_archive_agreement_documents"),
    ]

    operations = [
        migrations.AddField(
            model_name="partner",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search text"
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
        # Does nothing on databases other than PostgreSQL.
        TrigramExtension(),
        migrations.RunPython(add_trigram_index, remove_trigram_index),
    ]
