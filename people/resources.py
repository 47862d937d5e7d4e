"""People in and out of spreadsheets (issue 15): accounts with their profiles, never passwords.

A person is found by their e-mail address. New accounts get no usable password: they sign in
after an invitation or through the directory or single sign-on. Profile columns are listed in
PROFILE_COLUMNS; a new profile field is one more entry there.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.imports import widgets
from core.imports.resources import ImportResource, column
from partners.models import Department
from people.accounts import invite
from people.choices import Category
from people.grants import can_manage
from people.models import Profile

User = get_user_model()

# The profile's columns, each with the widget that reads it; add a profile field here.
PROFILE_COLUMNS = {
    "category": lambda: widgets.ChoiceWidget(Category.choices),
    "department": lambda: widgets.NaturalKeyWidget(Department, ("name",)),
    "faculty": widgets.TextWidget,
    "year_of_study": lambda: YearOfStudyWidget(),
    "position": widgets.TextWidget,
    "phone": widgets.TextWidget,
    "language": lambda: widgets.ChoiceWidget(Profile._meta.get_field("language").choices),
}


class YearOfStudyWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        year = super().clean(value, row, **kwargs)
        if year is not None and not 1 <= year <= 7:
            raise ValueError(_("A year of study is between 1 and 7."))
        return year


class PersonWidget(widgets.NaturalKeyWidget):
    """A person by their e-mail address (or user name)."""

    def __init__(self, **kwargs):
        super().__init__(User, ("email", "username"), render_field="email")


class PersonResource(ImportResource):
    email = column("email")
    username = column("username")
    first_name = column("first_name")
    last_name = column("last_name")
    is_active = column("is_active", widgets.BooleanWidget(default=True))

    natural_key_columns = ("email",)
    required_columns = ("email",)
    example_row = {
        "email": "a.ivanova@example.org",
        "first_name": "Anna",
        "last_name": "Ivanova",
        "is_active": "yes",
        "category": "academic_staff",
        "position": "Associate professor",
        "language": "ru",
    }

    class Meta(ImportResource.Meta):
        model = User
        fields = ["email", "username", "first_name", "last_name", "is_active"]

    def __init__(self, *, invite_base_url: str | None = None, **kwargs):
        super().__init__(**kwargs)
        # Set, new active accounts are invited (an e-mail with a link to choose a password);
        # by default an import sends nothing.
        self.invite_base_url = invite_base_url
        for name, widget in PROFILE_COLUMNS.items():
            self.fields[name] = column(name, widget(), attribute=f"profile__{name}")

    def find_existing(self, row):
        email = (row.get("email") or "").strip()
        if not email:
            return None
        # With the profile, which the row's profile columns compare against: no second query.
        return User.objects.select_related("profile").filter(email__iexact=email).first()

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        name = field.column_name
        if name not in PROFILE_COLUMNS:
            return super().import_field(field, instance, row, is_m2m, **kwargs)
        if name in row:
            # Kept aside: the profile of a new account exists only once the account is saved.
            instance._imported_profile = getattr(instance, "_imported_profile", {})
            instance._imported_profile[name] = field.clean(row, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        importer = kwargs.get("user")
        if instance.pk and importer is not None and not can_manage(importer, instance):
            # The admin's rule (people/grants.py): no editing an account that holds more.
            raise ValidationError(
                {"email": _("This account holds roles you do not hold: it is left as it is.")}
            )
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            if not instance.username:
                instance.username = instance.email
            if instance._state.adding and not instance.password:
                instance.set_unusable_password()

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not super().skip_row(instance, original, row, import_validation_errors):
            return False
        return not self._profile_changes(instance)

    def _profile_changes(self, instance) -> dict:
        wanted = getattr(instance, "_imported_profile", {})
        if instance.pk is None:
            return wanted
        profile = Profile.objects.for_user(instance)
        return {name: v for name, v in wanted.items() if getattr(profile, name) != v}

    def before_save_instance(self, instance, row, **kwargs):
        super().before_save_instance(instance, row, **kwargs)
        instance._created_by_import = instance.pk is None

    def after_save_instance(self, instance, row, **kwargs):
        if self.invite_base_url and instance._created_by_import and instance.is_active:
            # Queued in the import's transaction: a rolled-back import sends no invitation.
            invite(person=instance, invited_by=kwargs.get("user"), base_url=self.invite_base_url)
        changes = self._profile_changes(instance)
        if changes:
            profile = Profile.objects.for_user(instance)
            for name, value in changes.items():
                setattr(profile, name, value)
            fields = [*changes, "updated_at"]
            if "category" in changes:
                # The office's own spreadsheet: the categories it imports are confirmed.
                profile.category_confirmed = bool(profile.category)
                fields.append("category_confirmed")
            profile.save(update_fields=fields)

    def get_queryset(self):
        return User.objects.select_related("profile").order_by("username")
