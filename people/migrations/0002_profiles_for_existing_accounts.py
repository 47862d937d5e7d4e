"""Every account that existed before profiles gets its (empty) profile."""

from django.conf import settings
from django.db import migrations


def create_missing_profiles(apps, schema_editor):
    User = apps.get_model(settings.AUTH_USER_MODEL)
    Profile = apps.get_model("people", "Profile")
    missing = User.objects.filter(profile__isnull=True).values_list("pk", flat=True)
    Profile.objects.bulk_create([Profile(user_id=pk) for pk in missing.iterator()], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_profile"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Backwards: the profiles go with the table when 0001 is reversed.
    operations = [migrations.RunPython(create_missing_profiles, migrations.RunPython.noop)]
