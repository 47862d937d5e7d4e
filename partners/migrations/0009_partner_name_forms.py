"""Russian and Belarusian names of partners, and the search column refreshed so that existing
partners are found by them as soon as someone fills them in (and by their current fields now)."""

from django.db import migrations, models

from core.search import fold_for_search

# The fields as they are at this migration (Partner.SEARCHED_FIELDS may grow later).
SEARCHED_FIELDS = ("name", "name_original", "name_ru", "name_be", "acronym", "city", "erasmus_code")


def refresh_search_text(apps, schema_editor):
    Partner = apps.get_model("partners", "Partner")
    partners = Partner.objects.using(schema_editor.connection.alias)
    refreshed = [
        Partner(pk=pk, search_text=fold_for_search(" ".join(v or "" for v in values)))
        for pk, *values in partners.values_list("pk", *SEARCHED_FIELDS)
    ]
    partners.bulk_update(refreshed, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0008_partner_search_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpartner",
            name="name_be",
            field=models.CharField(
                blank=True, default="", max_length=255, verbose_name="name (Belarusian)"
            ),
        ),
        migrations.AddField(
            model_name="historicalpartner",
            name="name_ru",
            field=models.CharField(
                blank=True, default="", max_length=255, verbose_name="name (Russian)"
            ),
        ),
        migrations.AddField(
            model_name="partner",
            name="name_be",
            field=models.CharField(
                blank=True, default="", max_length=255, verbose_name="name (Belarusian)"
            ),
        ),
        migrations.AddField(
            model_name="partner",
            name="name_ru",
            field=models.CharField(
                blank=True, default="", max_length=255, verbose_name="name (Russian)"
            ),
        ),
        migrations.RunPython(refresh_search_text, migrations.RunPython.noop, elidable=True),
    ]
