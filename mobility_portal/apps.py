from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Settings, root URLs and middleware; each app connects its own receivers."""

    name = "mobility_portal"
    verbose_name = "Academic mobility portal"
