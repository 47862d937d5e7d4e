"""Existing people get the category (and department) of their latest application.

The office accepted those applications, so the category counts as confirmed. Profiles that
already say who their person is are left alone.
"""

from django.db import migrations


def fill_profiles(apps, schema_editor):
    Application = apps.get_model("exchanges", "Application")
    Profile = apps.get_model("people", "Profile")
    latest = {}
    rows = Application.objects.order_by("applicant_id", "created_at", "pk").values_list(
        "applicant_id", "category", "department_id"
    )
    for applicant_id, category, department_id in rows.iterator(chunk_size=5000):
        latest[applicant_id] = (category, department_id)
    if not latest:
        return
    Profile.objects.bulk_create(
        [Profile(user_id=pk) for pk in latest], batch_size=1000, ignore_conflicts=True
    )
    profiles = list(Profile.objects.filter(user_id__in=latest, category=""))
    for profile in profiles:
        profile.category, department_id = latest[profile.user_id]
        profile.category_confirmed = True
        profile.department_id = profile.department_id or department_id
    Profile.objects.bulk_update(
        profiles, ["category", "category_confirmed", "department"], batch_size=1000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0007_other_staff_category"),
        ("people", "0006_profile_category_department_studies"),
    ]

    operations = [migrations.RunPython(fill_profiles, migrations.RunPython.noop)]
