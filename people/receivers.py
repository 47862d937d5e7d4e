"""Every account gets its profile, whichever way it is created.

A receiver rather than a call in each creating path: accounts are created by the admin's add
form, `createsuperuser`, the demo loader, factories and, later, single sign-on, most of which are
Django's code, not ours. The profile is derived data (an empty row beside the account), not a
domain rule, so this is the kind of signal the house style allows.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save


def create_profile(sender, instance, created, raw=False, **kwargs):
    # Fixtures (raw) bring their own profiles; rows loaded in bulk never reach here and get
    # theirs from Profile.objects.for_user() or create_missing().
    if created and not raw:
        from people.models import Profile

        Profile.objects.create(user=instance)


def connect() -> None:
    post_save.connect(create_profile, sender=get_user_model(), dispatch_uid="people.create_profile")
