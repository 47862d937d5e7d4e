from django.apps import AppConfig


class DevdataConfig(AppConfig):
    """Demo and generated data for development: installed only when settings.DEVDATA is on."""

    name = "devdata"
    verbose_name = "Development data"
