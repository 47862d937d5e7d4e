from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and agreements")

    def ready(self):
        from core.audit import audit_history_of
        from partners.models import Agreement, Partner

        audit_history_of(Agreement, Partner)
