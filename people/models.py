"""The people who use the portal: one profile per account, beside Django's user.

Roles (the office, coordinators) are in `core.roles` and `people.roles`; signing in with the
roles attached is `people.auth`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partners.models import Department
from people.choices import CONFIRMED_BY_OFFICE, STUDYING, Category

NO_CATEGORY = _("Your profile does not say who you are yet: choose your category in your profile.")
STUDIES_MISSING = _("Your profile lacks your faculty and year of study: add them in your profile.")
AWAITING_CONFIRMATION = _(
    "The international office has not yet confirmed your category: you may apply once it has."
)


class ProfileQuerySet(models.QuerySet):
    def for_user(self, user) -> "Profile":
        """The person's profile, created on the spot if their account has none yet.

        Accounts written in bulk (COPY, bulk_create, raw SQL) bypass the post_save receiver
        that gives every new account its profile; asking here is never an error.
        """
        try:
            return user.profile  # signing in loads it with the account (people.auth): no query
        except self.model.DoesNotExist:
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

    def awaiting_confirmation(self):
        """Profiles whose category grants rights the office has not confirmed yet."""
        return self.filter(category__in=CONFIRMED_BY_OFFICE, category_confirmed=False)


class Profile(models.Model):
    """What the portal knows about a person beyond their account: who they are decides what
    they may apply to (eligibility is read here, never from an application form)."""

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
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    category_confirmed = models.BooleanField(
        _("category confirmed"),
        default=False,
        help_text=_("The international office checked the category: staff categories need it."),
    )
    # DB_SET_NULL (Django refuses Python-level PROTECT beside the user's DB_CASCADE): a removed
    # department leaves the person without one; applications and records keep their own copy.
    department = models.ForeignKey(
        Department,
        on_delete=models.DB_SET_NULL,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("department"),
        help_text=_("Staff: the department you work in."),
    )
    faculty = models.CharField(
        _("faculty"), max_length=255, blank=True, help_text=_("Students: the faculty you study at.")
    )
    year_of_study = models.PositiveSmallIntegerField(
        _("year of study"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
    )
    position = models.CharField(_("position"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        ordering = ["user__username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_of_study__isnull=True)
                | models.Q(year_of_study__gte=1, year_of_study__lte=7),
                name="profile_year_of_study_1_to_7",
            )
        ]

    def __str__(self):
        return str(self.user)

    @property
    def needs_confirmation(self) -> bool:
        return self.category in CONFIRMED_BY_OFFICE

    @property
    def is_awaiting_confirmation(self) -> bool:
        return self.needs_confirmation and not self.category_confirmed

    @property
    def is_studying(self) -> bool:
        return self.category in STUDYING

    def missing_for(self, program) -> str | None:
        """What this profile lacks before its person may apply to `program`, or None.

        `program` is anything with `eligible_categories` (an exchange program); a category the
        program is not open to is the program's refusal, not something the profile lacks.
        """
        if not self.category:
            return str(NO_CATEGORY)
        if self.category not in program.eligible_categories:
            return None
        if self.is_studying and not (self.faculty and self.year_of_study):
            return str(STUDIES_MISSING)
        if self.is_awaiting_confirmation:
            return str(AWAITING_CONFIRMATION)
        return None


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
