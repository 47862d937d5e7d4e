"""The log of imports; the international office reads it (who imported which file, when)."""

import django.db.models.deletion
import django.utils.timezone
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# The group of partners/migrations/0002; core depends on no app of ours, so it is named here.
GROUP = "International office"
CODENAMES = ["view_importlog"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    create_permissions(global_apps.get_app_config("core"), verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="core", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="core", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_office_manages_accounts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ImportLog",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=100, verbose_name="kind")),
                ("file_name", models.CharField(max_length=255, verbose_name="file name")),
                ("sha256", models.CharField(blank=True, max_length=64, verbose_name="SHA-256")),
                (
                    "imported_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="imported at"
                    ),
                ),
                ("new", models.PositiveIntegerField(default=0, verbose_name="new")),
                ("updated", models.PositiveIntegerField(default=0, verbose_name="updated")),
                ("unchanged", models.PositiveIntegerField(default=0, verbose_name="unchanged")),
                (
                    "imported_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="imported by",
                    ),
                ),
            ],
            options={
                "verbose_name": "import",
                "verbose_name_plural": "imports",
                "ordering": ["-imported_at", "-pk"],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
