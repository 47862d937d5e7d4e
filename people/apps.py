from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People and accounts")

    def ready(self):
        from people import receivers

        receivers.connect()
