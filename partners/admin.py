"""The Django admin: the international office's daily tool for partners and agreements.

The pieces both admins use (CSV export, filters, upload stamping, archiving) are in
core/admin_helpers.py. Only partners' data shows here: exchanges/admin.py re-registers the Partner
and Agreement admins with their mobility figures (records per partner, quota places used).
"""

import datetime

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic

from core.admin_accessibility import AccessibleFormsMixin, LabelledTabularInline
from core.admin_helpers import (
    FILES_ARCHIVED_MESSAGE,
    ArchiveInsteadOfDeleteInlineMixin,
    ArchiveInsteadOfDeleteMixin,
    ExportMixin,
    StampUploadsMixin,
    country_filter,
    year_filter,
)
from core.audit import audit
from core.imports.admin import SpreadsheetImportExportMixin
from partners.models import (
    Agreement,
    AgreementDocument,
    AgreementQuota,
    Contact,
    Department,
    ExpiryReminder,
    Partner,
    SubjectArea,
)
from partners.resources import (
    AgreementQuotaResource,
    AgreementResource,
    DepartmentResource,
    PartnerResource,
)


class AgreementAdminForm(forms.ModelForm):
    """Optimistic locking: the form carries the version it was opened at.

    Saving is refused when someone else saved the agreement in the meantime, so nobody's
    changes are silently overwritten. The row is locked from this check until the save.
    """

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Agreement
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose the fields)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self._version_replaced()

    def _version_replaced(self):
        # A revert from the history page edits a copy of an old version: what it replaces, and
        # what a save by someone else makes stale, is the current row.
        if self.instance.pk and to_historic(self.instance) is not None:
            return self._current_version()
        return self.instance.version

    def _current_version(self, lock=False):
        rows = Agreement.objects.select_for_update() if lock else Agreement.objects
        # None when the agreement was deleted and is being restored from its history.
        return rows.filter(pk=self.instance.pk).values_list("version", flat=True).first()

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk:
            current = self._current_version(lock=True)
            if cleaned_data.get("opened_version") != current:
                raise forms.ValidationError(
                    _(
                        "Someone else saved this agreement while you were editing it. "
                        "Nothing was saved: open the agreement again to see their changes, "
                        "then make yours."
                    ),
                    code="stale_version",
                )
        return cleaned_data


# --- Partners ------------------------------------------------------------------------------------


class ActiveByDefaultFilter(admin.SimpleListFilter):
    """Archived partners stay out of the way unless asked for."""

    title = pgettext_lazy("partner", "active")
    parameter_name = "active"

    def lookups(self, request, model_admin):
        return [("yes", _("Active")), ("no", _("Archived")), ("all", _("All"))]

    def choices(self, changelist):
        current = self.value() if self.value() in ("yes", "no", "all") else "yes"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": current == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value()
        if value == "all":
            return queryset
        return queryset.filter(is_active=value != "no")


class ContactInline(LabelledTabularInline):
    model = Contact
    extra = 0
    fields = ["name", "role", "email", "phone", "is_primary"]


class AgreementInline(LabelledTabularInline):
    """A read-only summary; agreements are edited on their own page (show_change_link)."""

    model = Agreement
    extra = 0
    show_change_link = True
    can_delete = False
    fields = ["reference", "title", "kind", "status_badge", "valid_from", "valid_until"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("status"))
    def status_badge(self, obj):
        return agreement_status_badge(obj)


@admin.register(Partner)
class PartnerAdmin(
    AccessibleFormsMixin,
    SpreadsheetImportExportMixin,
    ArchiveInsteadOfDeleteMixin,
    ExportMixin,
    SimpleHistoryAdmin,
):
    resource_classes = [PartnerResource]
    archive_field = "is_active"
    archived_value = False
    list_display = [
        "name",
        "acronym",
        "country",
        "city",
        "kind",
        "active_agreements",
    ]
    list_filter = [ActiveByDefaultFilter, "kind", country_filter("country")]
    # Shows the search box; get_search_results searches the folded column (Partner.search).
    search_fields = ["search_text__contains"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ContactInline, AgreementInline]
    fieldsets = [
        (None, {"fields": ["name", "name_original", "acronym", "slug", "kind"]}),
        (
            _("Name in other languages"),
            {
                "description": _(
                    "Pages show these to readers of that language; left blank, Belarusian falls "
                    "back to Russian, Russian to English."
                ),
                "fields": ["name_ru", "name_be"],
            },
        ),
        (_("Where"), {"fields": ["country", "city", "website", "erasmus_code"]}),
        (_("About"), {"fields": ["description", "is_active"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate_active_agreement_count()
            # Grouped queries drop Meta.ordering; the autocomplete pages need a stable order.
            .order_by(*Partner._meta.ordering)
        )

    @admin.display(description=_("active agreements"), ordering="active_agreement_count")
    def active_agreements(self, obj):
        return obj.active_agreement_count

    def get_search_results(self, request, queryset, search_term):
        # The catalogue's search (folded, every word in any field), for the change list and the
        # autocomplete widgets of other admins alike. No joins, so no duplicates.
        return queryset.search(search_term), False


@admin.register(Contact)
class ContactAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ["name", "role", "partner", "email", "phone", "is_primary"]
    list_filter = ["is_primary", country_filter("partner__country")]
    list_select_related = ["partner"]
    search_fields = ["name", "role", "email", "partner__name", "partner__acronym"]
    autocomplete_fields = ["partner"]


@admin.register(Department)
class DepartmentAdmin(SpreadsheetImportExportMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = [DepartmentResource]
    list_display = ["name", "faculty", "email", "coordinator_names"]
    search_fields = ["name", "faculty"]
    autocomplete_fields = ["coordinators"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("coordinators")

    def save_related(self, request, form, formsets, change):
        # Coordinating is a role: who gave or took it is audited, here as in the account admin.
        department = form.instance
        usernames = department.coordinators.values_list("username", flat=True)
        before = set(usernames) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(usernames.all())
        role = f"coordinator: {department.name}"
        for username in sorted(after - before):
            audit("role_granted", user=request.user, person=username, role=role)
        for username in sorted(before - after):
            audit("role_revoked", user=request.user, person=username, role=role)

    @admin.display(description=_("coordinators"))
    def coordinator_names(self, obj):
        return ", ".join(user.get_full_name() or user.username for user in obj.coordinators.all())


@admin.register(SubjectArea)
class SubjectAreaAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ["isced_code", "name"]
    search_fields = ["isced_code", "name"]


# --- Agreements ----------------------------------------------------------------------------------


def agreement_status_badge(agreement, on: datetime.date | None = None):
    status = Agreement.Status(agreement.status_on(on or timezone.localdate()))
    return format_html(
        '<span class="status-badge status-badge--{}">{}</span>', status.value, status.label
    )


class AgreementStatusFilter(admin.SimpleListFilter):
    """The status computed from lifecycle and dates, filtered in the database."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Agreement.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Agreement.Status.values:
            return queryset.with_status(self.value(), on=timezone.localdate())
        return queryset


class AgreementQuotaInline(LabelledTabularInline):
    """The places granted; exchanges/admin.py adds the places used and left."""

    model = AgreementQuota
    extra = 0
    fields = ["academic_year", "mobility_type", "direction", "places", "total_months", "total_days"]


class AgreementDocumentInline(ArchiveInsteadOfDeleteInlineMixin, LabelledTabularInline):
    model = AgreementDocument
    extra = 0
    fields = ["kind", "title", "file", "original_name", "uploaded_at", "uploaded_by", "is_archived"]
    readonly_fields = ["original_name", "uploaded_at", "uploaded_by"]


@admin.register(Agreement)
class AgreementAdmin(
    AccessibleFormsMixin,
    SpreadsheetImportExportMixin,
    ArchiveInsteadOfDeleteMixin,
    StampUploadsMixin,
    ExportMixin,
    SimpleHistoryAdmin,
):
    resource_classes = [AgreementResource]
    form = AgreementAdminForm
    list_display = [
        "reference",
        "partner",
        "partner_country",
        "kind",
        "lifecycle",
        "status_badge",
        "valid_from",
        "valid_until",
        "days_to_expiry",
    ]
    list_filter = [
        AgreementStatusFilter,
        "kind",
        "lifecycle",
        "is_archived",
        country_filter("partner__country"),
        ("department", admin.RelatedOnlyFieldListFilter),
        year_filter("valid_from", _("year in force from")),
    ]
    list_select_related = ["partner"]
    search_fields = ["reference", "title", "partner__name", "partner__acronym", "scope"]
    autocomplete_fields = ["partner", "department", "coordinator", "subject_areas"]
    date_hierarchy = "valid_from"
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AgreementQuotaInline, AgreementDocumentInline]
    fieldsets = [
        (None, {"fields": ["partner", "title", "reference", "kind"]}),
        (
            _("Validity"),
            {"fields": ["lifecycle", "signed_on", "valid_from", "valid_until", "auto_renewal"]},
        ),
        (_("Responsibility"), {"fields": ["department", "coordinator"]}),
        (_("Scope"), {"fields": ["scope", "subject_areas", "eqf_level", "notes", "is_archived"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        css = {"all": ["partners/admin.css"]}

    def save_model(self, request, obj, form, change):
        opened = form.cleaned_data["opened_version"]
        if change:
            obj.version = (obj.version if opened is None else opened) + 1
        super().save_model(request, obj, form, change)

    @admin.display(description=_("partner country"), ordering="partner__country")
    def partner_country(self, obj):
        return obj.partner.country.name

    @admin.display(description=_("status"))
    def status_badge(self, obj):
        return agreement_status_badge(obj)

    @admin.display(description=_("days to expiry"), ordering="valid_until")
    def days_to_expiry(self, obj):
        return obj.days_to_expiry(timezone.localdate())


@admin.register(AgreementQuota)
class AgreementQuotaAdmin(SpreadsheetImportExportMixin, ExportMixin, admin.ModelAdmin):
    resource_classes = [AgreementQuotaResource]
    # Places used are shown on the agreement's page: counting them here would cost a query a row.
    list_display = ["agreement", "academic_year", "mobility_type", "direction", "places"]
    list_filter = ["academic_year", "mobility_type", "direction"]
    list_select_related = ["agreement"]
    search_fields = ["agreement__reference", "agreement__title", "agreement__partner__name"]
    autocomplete_fields = ["agreement"]


@admin.register(AgreementDocument)
class AgreementDocumentAdmin(
    ArchiveInsteadOfDeleteMixin, StampUploadsMixin, ExportMixin, admin.ModelAdmin
):
    archived_message = FILES_ARCHIVED_MESSAGE
    list_display = ["title", "agreement", "kind", "original_name", "uploaded_at", "uploaded_by"]
    list_filter = ["kind", "is_archived"]
    list_select_related = ["agreement", "uploaded_by"]
    search_fields = ["title", "original_name", "agreement__reference", "agreement__title"]
    autocomplete_fields = ["agreement"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["original_name", "uploaded_at", "uploaded_by"]


@admin.register(ExpiryReminder)
class ExpiryReminderAdmin(ExportMixin, admin.ModelAdmin):
    """What the reminder command sent: a log to read, never to edit."""

    list_display = ["agreement", "valid_until", "days_before", "sent_at", "recipients"]
    list_filter = ["days_before"]
    list_select_related = ["agreement"]
    search_fields = ["agreement__reference", "agreement__title", "recipients"]
    date_hierarchy = "sent_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
