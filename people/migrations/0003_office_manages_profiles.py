"""The international office sees and edits people's profiles (not their accounts)."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "International office"
CODENAMES = ["view_profile", "change_profile"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    create_permissions(global_apps.get_app_config("people"), verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="people", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="people", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_profiles_for_existing_accounts"),
        ("partners", "0002_international_office_group"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
