"""What reverting an import needs (the imported model, the history reason, when it started,
who reverted it), and the international office's permission to revert imports."""

import django.db.models.deletion
from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# The group of partners/migrations/0002; core depends on no app of ours, so it is named here.
GROUP = "International office"
CODENAMES = ["revert_importlog"]


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
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0005_import_log"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="importlog",
            options={
                "ordering": ["-imported_at", "-pk"],
                "permissions": [("revert_importlog", "Can revert an import")],
                "verbose_name": "import",
                "verbose_name_plural": "imports",
            },
        ),
        migrations.AddField(
            model_name="importlog",
            name="content_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="content type",
            ),
        ),
        migrations.AddField(
            model_name="importlog",
            name="history_reason",
            field=models.CharField(blank=True, max_length=300, verbose_name="history reason"),
        ),
        migrations.AddField(
            model_name="importlog",
            name="reverted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reverted at"),
        ),
        migrations.AddField(
            model_name="importlog",
            name="reverted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reverted by",
            ),
        ),
        migrations.AddField(
            model_name="importlog",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="started at"),
        ),
        migrations.RunPython(grant, revoke),
    ]
