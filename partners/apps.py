from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and agreements")

    def ready(self):
        from django.db.models.signals import post_save, pre_save

        from core.audit import audit_history_of
        from partners.models import Agreement, Partner
        from partners.models.institutions import (
            fill_search_text,
            refresh_search_text_after_partial_save,
        )

        audit_history_of(Agreement, Partner)
        pre_save.connect(fill_search_text, sender=Partner, dispatch_uid="partner_search_text")
        post_save.connect(
            refresh_search_text_after_partial_save,
            sender=Partner,
            dispatch_uid="partner_search_text_partial",
        )
