"""Forms about accounts: creating one by invitation, its roles, asking for a password reset."""

from django import forms
from django.conf import settings
from django.contrib import auth
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import UserChangeForm, UsernameField
from django.utils.translation import gettext_lazy as _

from core.admin_accessibility import NotAnInputBoundField
from core.forms import label_empty_choices
from partners.models import Department
from people.accounts import send_password_reset
from people.models import Profile

User = auth.get_user_model()


def _address_taken(email: str, instance) -> bool:
    # Password resets and invitations go by address: two accounts with one would both get them.
    return User._default_manager.filter(email__iexact=email).exclude(pk=instance.pk).exists()


class InvitationForm(forms.ModelForm):
    """A new account without a password: the person sets one from the invitation e-mail."""

    language = forms.ChoiceField(
        label=_("language"),
        choices=[("", _("The portal's language")), *settings.LANGUAGES],
        required=False,
        help_text=_("The language of the invitation and of the portal for this person."),
    )

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _("The invitation to choose a password is sent here.")

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User._default_manager.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("An account with this username already exists."))
        return username

    def clean_email(self):
        email = self.cleaned_data["email"]
        if _address_taken(email, self.instance):
            raise forms.ValidationError(_("Another account already has this e-mail address."))
        return email

    def save(self, commit=True):
        person = super().save(commit=False)
        person.set_unusable_password()
        if commit:
            person.save()
        return person


class PersonForm(UserChangeForm):
    """Django's account form, with the departments the person coordinates (a role)."""

    coordinated_departments = forms.ModelMultipleChoiceField(
        label=_("coordinator of"),
        queryset=Department.objects.order_by("name"),
        required=False,
        widget=FilteredSelectMultiple(_("departments"), is_stacked=False),
        help_text=_("A coordinator decides on applications to these departments' programs."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].bound_field_class = NotAnInputBoundField
        if "coordinated_departments" in self.fields and self.instance.pk:
            self.fields["coordinated_departments"].initial = list(
                self.instance.coordinated_departments.values_list("pk", flat=True)
            )

    def clean_email(self):
        email = self.cleaned_data.get("email", "")
        if email and _address_taken(email, self.instance):
            raise forms.ValidationError(_("Another account already has this e-mail address."))
        return email


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's form, which hands the address to the e-mail worker instead of looking it up.

    The request then does the same work whether or not the address belongs to someone: who gets
    an e-mail is decided by the worker (people.accounts.send_password_reset), out of sight.
    """

    def save(self, *, request, **kwargs):
        send_password_reset.enqueue(self.cleaned_data["email"], request.build_absolute_uri("/"))


class ProfileForm(forms.ModelForm):
    """A person's own profile: who they are decides the programs they may apply to."""

    class Meta:
        model = Profile
        fields = [
            "category",
            "department",
            "faculty",
            "year_of_study",
            "position",
            "phone",
            "language",
        ]
        widgets = {"phone": forms.TextInput(attrs={"autocomplete": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("name")
        self.fields["year_of_study"].widget.attrs.update({"min": 1, "max": 7})
        label_empty_choices(self)

    def save(self, commit=True):
        # The form set the category already; compare with what the office confirmed.
        if "category" in self.changed_data:
            self.instance.category_confirmed = False
        return super().save(commit)


class SecondFactorCodeForm(forms.Form):
    """A code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )
