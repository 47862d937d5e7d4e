"""The people who use the portal: one profile per account, beside Django's user.

Roles (the office, coordinators) are in `core.roles` and `people.roles`; signing in with the
roles attached is `people.auth`.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProfileQuerySet(models.QuerySet):
    def for_user(self, user) -> "Profile":
        """The person's profile, created on the spot if their account has none yet.

        Accounts written in bulk (COPY, bulk_create, raw SQL) bypass the post_save receiver
        that gives every new account its profile; asking here is never an error.
        """
        profile, _created = self.get_or_create(user=user)
        return profile

    def create_missing(self) -> int:
        """Give a profile to every account without one, in two queries; returns how many."""
        User = self.model._meta.get_field("user").related_model
        missing = User._default_manager.filter(profile__isnull=True).values_list("pk", flat=True)
        created = self.bulk_create(
            [self.model(user_id=pk) for pk in missing], batch_size=1000, ignore_conflicts=True
        )
        return len(created)


class Profile(models.Model):
    """What the portal knows about a person beyond their account; more fields follow."""

    # DB_CASCADE: a profile is part of its account. Accounts are deactivated, not deleted, but
    # where rows are removed without the ORM (the test-data generator's clean-up, a flush) the
    # database itself must take the profile along.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.DB_CASCADE,
        related_name="profile",
        verbose_name=_("account"),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: the language the browser asks for."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        ordering = ["user__username"]

    def __str__(self):
        return str(self.user)


class ExternalIdentity(models.Model):
    """A person's account at an OpenID provider (issuer and subject), linked to their account.

    The subject never changes and is never reused by the provider, unlike an e-mail address:
    after the first single sign-on, the person is found by it (people.oidc).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DB_CASCADE,
        related_name="external_identities",
        verbose_name=_("account"),
    )
    issuer = models.CharField(_("identity provider"), max_length=255)
    subject = models.CharField(_("subject identifier"), max_length=255)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_external_identity")
        ]

    def __str__(self):
        return f"{self.issuer} {self.subject}"
