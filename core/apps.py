from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Portal")

    def ready(self):
        from core import dataversion

        # Once per migrate (sent for each app; core's is enough): every table, the new ones
        # included, gets its trigger that bumps the data version.
        post_migrate.connect(dataversion.after_migrate, sender=self)
