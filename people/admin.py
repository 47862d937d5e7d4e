"""Accounts in the admin: the international office creates, invites, gives roles, deactivates.

The office is not a superuser, so what it may do is narrowed here (rules in people/grants.py):
it manages only accounts holding no more than it holds, gives only roles it holds, never
touches is_staff or is_superuser (is_staff follows the roles), and never its own roles. Nobody
deletes a person with a history in the portal: the account is deactivated instead.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from import_export.forms import ConfirmImportForm, ImportForm

from core.admin_accessibility import AccessibleFormsMixin
from core.audit import audit
from core.imports.admin import SpreadsheetImportExportMixin
from people import two_factor
from people.accounts import InvitationRefused, invite
from people.forms import InvitationForm, PersonForm
from people.grants import can_manage, grantable_groups
from people.models import Profile
from people.resources import PersonResource


class PeopleImportForm(ImportForm):
    invite = forms.BooleanField(
        label=_("E-mail each new account an invitation to choose a password"), required=False
    )


class PeopleConfirmImportForm(ConfirmImportForm):
    invite = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ProfileInline(AccessibleFormsMixin, admin.StackedInline):
    model = Profile
    can_delete = False
    max_num = 1
    fields = [
        "category",
        "category_confirmed",
        "department",
        "faculty",
        "year_of_study",
        "position",
        "phone",
        "language",
    ]
    autocomplete_fields = ["department"]


User = get_user_model()
admin.site.unregister(User)


def audit_category_change(request, profile, changed_data) -> None:
    """A confirmed category grants rights: the audit log says who confirmed or changed it."""
    if {"category", "category_confirmed"} & set(changed_data):
        event = "category_confirmed" if profile.category_confirmed else "category_changed"
        audit(
            event, user=request.user, person=profile.user.get_username(), category=profile.category
        )


def history_of(person) -> list[str]:
    """What the portal keeps about this person beyond the account and its roles.

    Every row of another table that names them (applications, mobility records, changes in the
    history of agreements...), and any sign-in, which the audit log keeps.
    """
    found = []
    if person.last_login is not None:
        found.append(gettext("sign-ins"))
    for relation in User._meta.related_objects:
        if relation.many_to_many or relation.related_model is Profile:
            continue  # roles and the profile go with the account
        related = relation.related_model._base_manager.filter(**{relation.field.name: person})
        if related.exists():
            found.append(str(relation.related_model._meta.verbose_name_plural))
    return found


@admin.register(User)
class PersonAdmin(AccessibleFormsMixin, SpreadsheetImportExportMixin, UserAdmin):
    resource_classes = [PersonResource]
    import_form_class = PeopleImportForm
    confirm_form_class = PeopleConfirmImportForm

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["invite"] = import_form.cleaned_data.get("invite", False)
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        form = kwargs.get("form")
        if form is not None and form.cleaned_data.get("invite"):
            resource_kwargs["invite_base_url"] = request.build_absolute_uri("/")
        return resource_kwargs

    form = PersonForm
    add_form = InvitationForm
    add_form_template = None  # Django's asks for a password; ours sends an invitation
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "first_name", "last_name", "email", "language"),
            },
        ),
    )
    inlines = [ProfileInline]
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "is_superuser", "groups")
    actions = ["send_invitation", "deactivate", "remove_two_factor"]

    def get_inlines(self, request, obj):
        # The add form creates the account and the receiver its profile; an inline there would
        # try to create a second one.
        return self.inlines if obj else []

    # --- who may do what -----------------------------------------------------------------------

    def _manages(self, request, person) -> bool:
        # Asked several times per page; the answer costs a query.
        cache = request.__dict__.setdefault("_people_manageable", {})
        if person.pk not in cache:
            cache[person.pk] = can_manage(request.user, person)
        return cache[person.pk]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self._manages(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self._manages(request, obj))

    def _gives_roles(self, request, obj) -> bool:
        """May the signed-in person change this account's roles? Never their own."""
        if request.user.is_superuser:
            return True
        return obj.pk != request.user.pk and self.has_change_permission(request, obj)

    def _gives_coordinator_role(self, request, obj) -> bool:
        return self._gives_roles(request, obj) and request.user.has_perm(
            "partners.change_department"
        )

    # --- the form ------------------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        editable = self._gives_coordinator_role(request, obj)
        departments = "coordinated_departments" if editable else "coordinating"
        roles = ["is_active", "is_staff", "is_superuser", "groups", departments]
        if request.user.is_superuser:
            roles.append("user_permissions")
        return (
            (None, {"fields": ("username", "password")}),
            (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
            (_("Roles"), {"fields": roles}),
            (_("Important dates"), {"fields": ("last_login", "date_joined")}),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return ["coordinating"]
        # What only roles decide (is_staff), what only superusers give, and Django's record.
        readonly = ["coordinating", "is_staff", "is_superuser", "last_login", "date_joined"]
        if not self._gives_roles(request, obj):
            readonly += ["is_active", "groups"]
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None and not self._gives_coordinator_role(request, obj):
            # A declared field stays in a ModelForm whatever the fieldsets say: drop it.
            form.base_fields.pop("coordinated_departments", None)
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # A role outside these is not a valid choice, however the form is posted.
            kwargs["queryset"] = grantable_groups(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("coordinator of"))
    def coordinating(self, person):
        names = person.coordinated_departments.order_by("name").values_list("name", flat=True)
        return ", ".join(names) or "-"

    # --- saving --------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change and "is_active" in form.changed_data:
            event = "account_reactivated" if obj.is_active else "account_deactivated"
            audit(event, user=request.user, person=obj.get_username())
        super().save_model(request, obj, form, change)
        if change:
            return
        audit("account_created", user=request.user, person=obj.get_username())
        profile = Profile.objects.for_user(obj)
        profile.language = form.cleaned_data.get("language", "")
        profile.save(update_fields=["language", "updated_at"])
        obj.profile = profile  # the invitation's language
        invite(person=obj, invited_by=request.user, base_url=request.build_absolute_uri("/"))
        self.message_user(
            request,
            gettext("The invitation to choose a password was sent to %(email)s.")
            % {"email": obj.email},
            messages.SUCCESS,
        )

    def save_related(self, request, form, formsets, change):
        person = form.instance
        before = self._roles_of(person) if change else set()
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            for profile_form in formset.forms:
                audit_category_change(request, profile_form.instance, profile_form.changed_data)
        if "coordinated_departments" in form.fields and self._gives_coordinator_role(
            request, person
        ):
            person.coordinated_departments.set(form.cleaned_data["coordinated_departments"])
        if not change:
            return
        after = self._roles_of(person)
        for role in sorted(after - before):
            audit("role_granted", user=request.user, person=person.get_username(), role=role)
        for role in sorted(before - after):
            audit("role_revoked", user=request.user, person=person.get_username(), role=role)
        if not request.user.is_superuser:
            # Access to the admin comes with a role, and goes with the last one.
            is_staff = person.groups.exists()
            if person.is_staff != is_staff:
                person.is_staff = is_staff
                person.save(update_fields=["is_staff"])

    @staticmethod
    def _roles_of(person) -> set[str]:
        groups = {f"group: {name}" for name in person.groups.values_list("name", flat=True)}
        departments = person.coordinated_departments.values_list("name", flat=True)
        return groups | {f"coordinator: {name}" for name in departments}

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            person = self.get_object(request, unquote(id))
            if response.url != request.get_full_path():  # not the "conflicting data" retry
                audit("password_set", user=request.user, person=person.get_username())
        return response

    # --- deleting: only people without a history ---------------------------------------------

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # The profile goes with its account, although nobody deletes a profile on its own.
        perms_needed.discard(str(Profile._meta.verbose_name))
        for person in objs:
            history = history_of(person)
            if history:
                protected.append(
                    gettext(
                        "%(person)s has a history in the portal (%(history)s): deactivate the "
                        "account instead (untick “Active”)."
                    )
                    % {"person": person.get_username(), "history": ", ".join(history)}
                )
        return deleted, model_count, perms_needed, protected

    # --- actions -------------------------------------------------------------------------------

    @admin.action(description=_("Send the invitation again"), permissions=["change"])
    def send_invitation(self, request, queryset):
        sent = 0
        base_url = request.build_absolute_uri("/")
        for person in queryset.select_related("profile"):
            try:
                if not self._manages(request, person):
                    raise InvitationRefused(gettext("You may not manage this account."))
                with transaction.atomic():
                    invite(person=person, invited_by=request.user, base_url=base_url)
                sent += 1
            except InvitationRefused as refusal:
                self.message_user(request, f"{person.get_username()}: {refusal}", messages.ERROR)
        if sent:
            self.message_user(
                request,
                ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", sent)
                % {"count": sent},
                messages.SUCCESS,
            )

    @admin.action(description=_("Deactivate the selected accounts"), permissions=["change"])
    def deactivate(self, request, queryset):
        deactivated = 0
        for person in queryset.filter(is_active=True):
            if person.pk == request.user.pk or not self._manages(request, person):
                self.message_user(
                    request,
                    gettext("%(person)s: you may not deactivate this account.")
                    % {"person": person.get_username()},
                    messages.ERROR,
                )
                continue
            person.is_active = False
            person.save(update_fields=["is_active"])
            audit("account_deactivated", user=request.user, person=person.get_username())
            deactivated += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d account deactivated.", "%(count)d accounts deactivated.", deactivated
            )
            % {"count": deactivated},
            messages.SUCCESS,
        )

    @admin.action(
        description=_("Remove two-factor sign-in (authenticator and recovery codes)"),
        permissions=["change"],
    )
    def remove_two_factor(self, request, queryset):
        # Not one's own (the two-factor page is for that), nor anyone one may not manage (a
        # superuser, for the office): the same rule as every other change to an account.
        removed = 0
        for person in queryset:
            if person.pk == request.user.pk or not self._manages(request, person):
                self.message_user(
                    request,
                    gettext("%(person)s: you may not remove this account's two-factor sign-in.")
                    % {"person": person.get_username()},
                    messages.ERROR,
                )
                continue
            if two_factor.remove_devices(person):
                audit("two_factor_removed", user=request.user, person=person.get_username())
                removed += 1
        self.message_user(
            request,
            ngettext(
                "Two-factor sign-in removed from %(count)d account: set up again at next sign-in.",
                "Two-factor sign-in removed from %(count)d accounts: set up again at next sign-in.",
                removed,
            )
            % {"count": removed},
            messages.SUCCESS,
        )


# django-otp's own admin pages would show a person's secret key (as a QR code) to whoever may
# view devices: devices are managed only through the two-factor pages and the action above.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


class AwaitingConfirmationFilter(admin.SimpleListFilter):
    title = _("category confirmation")
    parameter_name = "confirmation"

    def lookups(self, request, model_admin):
        return [("awaiting", _("Awaiting confirmation"))]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.awaiting_confirmation()
        return queryset


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    """Profiles on their own, for the office's lists and searches and to confirm categories."""

    list_display = [
        "user",
        "full_name",
        "category",
        "category_confirmed",
        "department",
        "year_of_study",
        "language",
        "updated_at",
    ]
    list_filter = [AwaitingConfirmationFilter, "category", "category_confirmed", "language"]
    list_select_related = ["user", "department"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    fields = [
        "user",
        "category",
        "category_confirmed",
        "department",
        "faculty",
        "year_of_study",
        "position",
        "phone",
        "language",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["user", "created_at", "updated_at"]
    autocomplete_fields = ["department"]
    actions = ["confirm_category"]

    @admin.display(description=pgettext_lazy("person", "name"), ordering="user__last_name")
    def full_name(self, profile):
        return profile.user.get_full_name()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_category_change(request, obj, form.changed_data)

    @admin.action(description=_("Confirm category"), permissions=["change"])
    def confirm_category(self, request, queryset):
        confirmed = 0
        for profile in (
            queryset.exclude(category="").filter(category_confirmed=False).select_related("user")
        ):
            profile.category_confirmed = True
            profile.save(update_fields=["category_confirmed", "updated_at"])
            audit(
                "category_confirmed",
                user=request.user,
                person=profile.user.get_username(),
                category=profile.category,
            )
            confirmed += 1
        self.message_user(
            request,
            ngettext("%(count)d category confirmed.", "%(count)d categories confirmed.", confirmed)
            % {"count": confirmed},
            messages.SUCCESS,
        )

    # Profiles come and go with their accounts.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
