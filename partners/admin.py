"""The Django admin: the international office's daily tool for partners and agreements.

The shared pieces (CSV export action, year and country filters, upload stamping) live here
because `exchanges/admin.py` may import from `partners`, never the reverse.
"""

import datetime
import html
import os

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import label_for_field, lookup_field
from django.db import models
from django.db.models import Count
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import Country
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic

from core import csv
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
from partners.periods import calendar_year_bounds

# --- Export to CSV -------------------------------------------------------------------------------

CSV_CHUNK_SIZE = 500


def _csv_cell(obj, name, model_admin) -> str:
    """One list_display cell as plain text: choices as labels, booleans as words, no HTML."""
    field, attr, value = lookup_field(name, obj, model_admin)
    if value is None or value == "":
        return ""
    if field is not None and getattr(field, "flatchoices", None) and not isinstance(value, Country):
        value = dict(field.flatchoices).get(value, value)
    if isinstance(value, Country):
        return str(value.name)
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, models.Manager):
        return ", ".join(str(item) for item in value.all())
    # Columns computed for the changelist may return HTML (status badges): keep the text only.
    return html.unescape(strip_tags(str(value)))


@admin.action(description=_("Export selected to CSV"), permissions=["view"])
def export_as_csv(model_admin, request, queryset):
    """Stream the selected rows' list_display columns as a UTF-8 CSV file.

    The queryset is the changelist's own, so it keeps list_select_related and the annotations:
    one query for all the rows, however many there are. The portal's one CSV writer
    (core.csv) escapes cells that a spreadsheet would run as a formula (= + - @, a leading tab
    or carriage return).
    """
    columns = [name for name in model_admin.get_list_display(request) if name != "action_checkbox"]
    header = [
        str(label_for_field(name, model_admin.model, model_admin)).capitalize() for name in columns
    ]
    writer = csv.writer(csv.Echo())

    def lines():
        # The BOM makes Excel read the file as UTF-8 (names like Białystok survive).
        yield "\ufeff"
        yield writer.writerow(header)
        for obj in queryset.iterator(chunk_size=CSV_CHUNK_SIZE):
            yield writer.writerow([_csv_cell(obj, name, model_admin) for name in columns])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    name = slugify(str(model_admin.model._meta.verbose_name_plural))
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    return response


# --- Shared filters ------------------------------------------------------------------------------


class YearFilter(admin.SimpleListFilter):
    """Calendar year of a date field; the choices are the years present in the data."""

    title = _("year")
    parameter_name = "year"
    field_name = ""

    def lookups(self, request, model_admin):
        dates = model_admin.model._default_manager.dates(self.field_name, "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in dates]

    def queryset(self, request, queryset):
        value = self.value()
        if not (value and value.isdigit() and len(value) == 4):
            return queryset  # A bad year in the URL is ignored, never a 500.
        first, last = calendar_year_bounds(int(value))
        return queryset.filter(
            **{f"{self.field_name}__gte": first, f"{self.field_name}__lte": last}
        )


def year_filter(field_name: str, title=None):
    return type(
        "YearFilter", (YearFilter,), {"field_name": field_name, "title": title or YearFilter.title}
    )


class CountryFilter(admin.SimpleListFilter):
    """Only the countries that occur, by name, instead of all 250 of them."""

    title = _("country")
    parameter_name = "country"
    field_name = ""

    def lookups(self, request, model_admin):
        codes = (
            model_admin.model._default_manager.order_by()
            .values_list(self.field_name, flat=True)
            .distinct()
        )
        return sorted(((code, countries.name(code)) for code in codes if code), key=lambda c: c[1])

    def queryset(self, request, queryset):
        value = self.value()
        if value and value in countries:
            return queryset.filter(**{self.field_name: value})
        return queryset


def country_filter(field_name: str):
    return type("CountryFilter", (CountryFilter,), {"field_name": field_name})


# --- Shared behaviour ----------------------------------------------------------------------------


def stamp_upload(instance, form, user) -> None:
    """Keep the upload's own file name and who uploaded it; the stored name is random."""
    if "file" in form.changed_data and form.cleaned_data.get("file"):
        if hasattr(instance, "original_name"):
            instance.original_name = os.path.basename(form.cleaned_data["file"].name)[:255]
        if hasattr(instance, "uploaded_by_id") and instance.uploaded_by_id is None:
            instance.uploaded_by = user


class StampUploadsMixin:
    """For admins with file inlines: stamp each new upload before the formset saves it."""

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            if inline_form.has_changed() and not inline_form.cleaned_data.get("DELETE"):
                stamp_upload(inline_form.instance, inline_form, request.user)
        super().save_formset(request, form, formset, change)

    def save_model(self, request, obj, form, change):
        stamp_upload(obj, form, request.user)
        super().save_model(request, obj, form, change)


class ExportMixin:
    actions = [export_as_csv]


@admin.action(description=_("Archive selected (keep their history)"), permissions=["change"])
def archive_selected(modeladmin, request, queryset):
    count = modeladmin._set_archived(request, queryset, archived=True)
    modeladmin.message_user(request, modeladmin.archived_message % {"count": count})


@admin.action(description=_("Restore selected from the archive"), permissions=["change"])
def restore_selected(modeladmin, request, queryset):
    count = modeladmin._set_archived(request, queryset, archived=False)
    modeladmin.message_user(request, gettext("%(count)d restored.") % {"count": count})


class ArchiveInsteadOfDeleteMixin:
    """Records with history are archived, not deleted: the office gets "archive" and "restore".

    Only a superuser may delete, and PROTECT still stops a delete that would orphan mobility
    records (Django's admin then lists what protects the row). Without the delete permission the
    admin offers no delete button or bulk action and answers the delete URL with 403.
    """

    actions = [export_as_csv, archive_selected, restore_selected]
    archive_field = "is_archived"
    archived_value = True
    archived_message = _("%(count)d archived. They stay in records and reports.")

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def _set_archived(self, request, queryset, archived: bool):
        value = self.archived_value if archived else not self.archived_value
        count = 0
        for obj in queryset:  # one by one, so that each change lands in the history
            if getattr(obj, self.archive_field) != value:
                setattr(obj, self.archive_field, value)
                obj._change_reason = "Archived" if archived else "Restored"
                if hasattr(obj, "version"):
                    obj.version += 1  # an edit form opened before this is now stale
                obj.save()
                # The admin's own history too: files have no other (simple-history covers models).
                self.log_change(request, obj, obj._change_reason)
                count += 1
        return count


class ArchiveInsteadOfDeleteInlineMixin:
    """Inline files are archived with their own checkbox; only a superuser gets "delete"."""

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


FILES_ARCHIVED_MESSAGE = _(
    "%(count)d archived. They are kept but no longer shown or offered for download in the portal."
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

    title = _("active")
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


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ["name", "role", "email", "phone", "is_primary"]


class AgreementInline(admin.TabularInline):
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
class PartnerAdmin(ArchiveInsteadOfDeleteMixin, ExportMixin, SimpleHistoryAdmin):
    archive_field = "is_active"
    archived_value = False
    list_display = [
        "name",
        "acronym",
        "country",
        "city",
        "kind",
        "active_agreements",
        "mobility_records",
    ]
    list_filter = [ActiveByDefaultFilter, "kind", country_filter("country")]
    search_fields = ["name", "name_original", "acronym", "city", "erasmus_code"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ContactInline, AgreementInline]
    fieldsets = [
        (None, {"fields": ["name", "name_original", "acronym", "slug", "kind"]}),
        (_("Where"), {"fields": ["country", "city", "website", "erasmus_code"]}),
        (_("About"), {"fields": ["description", "is_active"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate_active_agreement_count()
            .annotate(mobility_record_count=Count("mobility_records", distinct=True))
            # Grouped queries drop Meta.ordering; the autocomplete pages need a stable order.
            .order_by(*Partner._meta.ordering)
        )

    @admin.display(description=_("active agreements"), ordering="active_agreement_count")
    def active_agreements(self, obj):
        return obj.active_agreement_count

    @admin.display(description=_("mobility records"), ordering="mobility_record_count")
    def mobility_records(self, obj):
        return obj.mobility_record_count


@admin.register(Contact)
class ContactAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ["name", "role", "partner", "email", "phone", "is_primary"]
    list_filter = ["is_primary", country_filter("partner__country")]
    list_select_related = ["partner"]
    search_fields = ["name", "role", "email", "partner__name", "partner__acronym"]
    autocomplete_fields = ["partner"]


@admin.register(Department)
class DepartmentAdmin(ExportMixin, admin.ModelAdmin):
    list_display = ["name", "faculty", "email", "coordinator_names"]
    search_fields = ["name", "faculty"]
    autocomplete_fields = ["coordinators"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("coordinators")

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


class AgreementQuotaInline(admin.TabularInline):
    model = AgreementQuota
    extra = 0
    fields = [
        "academic_year",
        "mobility_type",
        "direction",
        "places",
        "total_months",
        "total_days",
        "places_used",
        "places_left",
    ]
    readonly_fields = ["places_used", "places_left"]

    def _used(self, quota) -> int | None:
        if quota.pk is None:
            return None
        if not hasattr(quota, "_places_used"):
            quota._places_used = quota.records_counting_against().count()
        return quota._places_used

    @admin.display(description=_("places used"))
    def places_used(self, quota):
        return self._used(quota)

    @admin.display(description=_("places left"))
    def places_left(self, quota):
        used = self._used(quota)
        # Negative on purpose: an overbooked quota should be visible, not shown as 0.
        return None if used is None else quota.places - used


class AgreementDocumentInline(ArchiveInsteadOfDeleteInlineMixin, admin.TabularInline):
    model = AgreementDocument
    extra = 0
    fields = ["kind", "title", "file", "original_name", "uploaded_at", "uploaded_by", "is_archived"]
    readonly_fields = ["original_name", "uploaded_at", "uploaded_by"]


@admin.register(Agreement)
class AgreementAdmin(
    ArchiveInsteadOfDeleteMixin, StampUploadsMixin, ExportMixin, SimpleHistoryAdmin
):
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
        (None, {"fields": ["opened_version"], "classes": ["hidden"]}),
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
class AgreementQuotaAdmin(ExportMixin, admin.ModelAdmin):
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
