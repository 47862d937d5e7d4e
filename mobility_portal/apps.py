from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "mobility_portal"
    verbose_name = "Academic mobility portal"

    def ready(self):
        from mobility_portal import audit

        audit.connect_signals()
