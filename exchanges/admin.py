"""The Django admin for programs, applications and mobility records."""

from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

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
from core.downloads import download
from core.exporters import csv_writer_for
from core.imports.admin import SpreadsheetImportExportMixin
from exchanges.exporters import RecordsExporter
from exchanges.models import (
    Application,
    ApplicationAttachment,
    MobilityRecord,
    MobilityReportAttachment,
    Program,
)
from exchanges.resources import MobilityRecordResource
from partners.admin import AgreementAdmin, AgreementQuotaInline, PartnerAdmin
from partners.models import Agreement, Partner


@admin.action(description=_("Export selected records as CSV"))
def export_records_csv_action(modeladmin, request, queryset):
    """The admin's "export selected": the same columns as the annual report's records.csv."""
    exporter = RecordsExporter(queryset)
    return download(exporter, csv_writer_for(exporter), "mobility-records-selected.csv")


# --- Programs ------------------------------------------------------------------------------------


@admin.register(Program)
class ProgramAdmin(
    AccessibleFormsMixin, ArchiveInsteadOfDeleteMixin, ExportMixin, SimpleHistoryAdmin
):
    list_display = [
        "title",
        "kind",
        "direction",
        "call_window",
        "places",
        "department",
        "host_institution",
        "is_published",
    ]
    list_filter = [
        "kind",
        "direction",
        "is_published",
        "is_archived",
        ("department", admin.RelatedOnlyFieldListFilter),
        year_filter("starts_on", _("year it starts")),
    ]
    list_select_related = ["department", "host_institution"]
    search_fields = [
        "title",
        "title_ru",
        "title_be",
        "description",
        "agreement__reference",
        "host_institution__name",
    ]
    autocomplete_fields = ["agreement", "host_institution", "department", "subject_areas"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "starts_on"
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "mobility_type", "purpose", "direction"]}),
        (_("Where"), {"fields": ["agreement", "host_institution", "department"]}),
        (
            _("Who may apply"),
            {
                "fields": [
                    "eligible_undergraduate",
                    "eligible_resident",
                    "eligible_phd_student",
                    "eligible_young_scientist",
                    "eligible_academic_staff",
                    "eligible_other_staff",
                    "places",
                ]
            },
        ),
        (_("Dates"), {"fields": ["call_opens", "call_closes", "starts_on", "ends_on"]}),
        (
            _("In other languages"),
            {
                "description": _(
                    "Pages show these to readers of that language; left blank, "
                    "Belarusian falls back to Russian, Russian to English."
                ),
                "fields": ["title_ru", "description_ru", "title_be", "description_be"],
            },
        ),
        (
            _("Description"),
            {
                "fields": [
                    "description",
                    "subject_areas",
                    "eqf_level",
                    "is_published",
                    "is_archived",
                ]
            },
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("call window"), ordering="call_opens")
    def call_window(self, obj):
        if not (obj.call_opens or obj.call_closes):
            return None
        return " – ".join(
            date_format(day, "DATE_FORMAT") if day else "…"
            for day in (obj.call_opens, obj.call_closes)
        )


# --- Applications --------------------------------------------------------------------------------


class ApplicationAttachmentInline(ArchiveInsteadOfDeleteInlineMixin, LabelledTabularInline):
    model = ApplicationAttachment
    extra = 0
    fields = ["file", "original_name", "description", "uploaded_at", "is_archived"]
    readonly_fields = ["original_name", "uploaded_at"]


@admin.register(Application)
class ApplicationAdmin(
    AccessibleFormsMixin,
    ArchiveInsteadOfDeleteMixin,
    StampUploadsMixin,
    ExportMixin,
    SimpleHistoryAdmin,
):
    archived_message = _(
        "%(count)d archived. They leave the review queue; their applicants still see them."
    )
    list_display = ["applicant", "program", "category", "department", "status", "submitted_at"]
    list_filter = [
        "status",
        "is_archived",
        "category",
        "program__kind",
        ("department", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["applicant", "program", "department"]
    search_fields = [
        "applicant__username",
        "applicant__first_name",
        "applicant__last_name",
        "applicant__email",
        "program__title",
    ]
    autocomplete_fields = ["applicant", "program", "department"]
    date_hierarchy = "submitted_at"
    # Decisions are taken in the portal's review queue, which also creates the mobility record
    # and e-mails the applicant; here they are only shown.
    readonly_fields = [
        "status",
        "submitted_at",
        "decided_by",
        "decided_at",
        "decision_comment",
        "created_at",
        "updated_at",
    ]
    inlines = [ApplicationAttachmentInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "applicant",
                    "program",
                    "category",
                    "department",
                    "motivation",
                    "is_archived",
                ]
            },
        ),
        (
            _("Status and decision"),
            {
                "fields": [
                    "status",
                    "submitted_at",
                    "decided_by",
                    "decided_at",
                    "decision_comment",
                ],
                "description": _("Decisions are taken in the portal's review queue."),
            },
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(ApplicationAttachment)
class ApplicationAttachmentAdmin(
    ArchiveInsteadOfDeleteMixin, StampUploadsMixin, ExportMixin, admin.ModelAdmin
):
    archived_message = FILES_ARCHIVED_MESSAGE
    list_display = ["original_name", "application", "description", "uploaded_at"]
    list_filter = ["is_archived"]
    list_select_related = ["application__applicant", "application__program"]
    search_fields = [
        "original_name",
        "description",
        "application__applicant__username",
        "application__program__title",
    ]
    autocomplete_fields = ["application"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["original_name", "uploaded_at"]


# --- Mobility records ----------------------------------------------------------------------------


class MobilityReportAttachmentInline(ArchiveInsteadOfDeleteInlineMixin, LabelledTabularInline):
    model = MobilityReportAttachment
    extra = 0
    fields = ["file", "original_name", "uploaded_at", "is_archived"]
    readonly_fields = ["original_name", "uploaded_at"]


@admin.register(MobilityRecord)
class MobilityRecordAdmin(
    AccessibleFormsMixin,
    SpreadsheetImportExportMixin,
    ArchiveInsteadOfDeleteMixin,
    StampUploadsMixin,
    ExportMixin,
    SimpleHistoryAdmin,
):
    resource_classes = [MobilityRecordResource]
    # Imported rows are in the history, with the import's reason and its person; an admin log
    # entry per row would cost the bulk import a model instance kept per row.
    skip_admin_log = True
    # Besides archive, restore and the generic export, the annual report's records.csv columns.
    actions = [*ArchiveInsteadOfDeleteMixin.actions, export_records_csv_action]
    archived_message = _(
        "%(count)d archived. Archived mobility records are kept but no longer counted."
    )
    list_display = [
        "full_name",
        "direction",
        "category",
        "partner",
        "country",
        "start_date",
        "end_date",
        "status",
    ]
    list_filter = [
        "status",
        "is_archived",
        "direction",
        "category",
        "mobility_type",
        "funding",
        country_filter("country"),
        ("department", admin.RelatedOnlyFieldListFilter),
        year_filter("start_date", _("year it starts")),
    ]
    list_select_related = ["partner"]
    search_fields = [
        "full_name",
        "home_institution",
        "partner__name",
        "partner__acronym",
        "program__title",
        "agreement__reference",
    ]
    autocomplete_fields = ["person", "department", "partner", "program", "agreement", "application"]
    date_hierarchy = "start_date"
    readonly_fields = ["created_at", "updated_at"]
    inlines = [MobilityReportAttachmentInline]
    fieldsets = [
        (
            None,
            {"fields": ["full_name", "person", "category", "direction", "status", "is_archived"]},
        ),
        (
            _("Where and why"),
            {
                "fields": [
                    "department",
                    "home_institution",
                    "partner",
                    "country",
                    "program",
                    "agreement",
                    "application",
                    "mobility_type",
                    "purpose",
                    "funding",
                ]
            },
        ),
        (_("Dates"), {"fields": ["start_date", "end_date"]}),
        (
            _("Report"),
            {"fields": ["report_activities", "report_outcomes", "report_submitted_at", "notes"]},
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]


@admin.register(MobilityReportAttachment)
class MobilityReportAttachmentAdmin(
    ArchiveInsteadOfDeleteMixin, StampUploadsMixin, ExportMixin, admin.ModelAdmin
):
    archived_message = FILES_ARCHIVED_MESSAGE
    list_display = ["original_name", "record", "uploaded_at"]
    list_filter = ["is_archived"]
    list_select_related = ["record"]
    search_fields = ["original_name", "record__full_name"]
    autocomplete_fields = ["record"]
    date_hierarchy = "uploaded_at"
    readonly_fields = ["original_name", "uploaded_at"]


# --- Partners' admin pages, with their mobility figures -------------------------------------------
# partners/admin.py shows partners' data only; the figures are exchanges' (partners may not import
# exchanges). So the Partner and Agreement admins are replaced here by subclasses that add them,
# with Django's plain admin.site.unregister()/register(): admin modules are imported in
# INSTALLED_APPS order, and partners comes before exchanges, so partners' registrations exist here.


class PartnerWithMobilityAdmin(PartnerAdmin):
    list_display = [*PartnerAdmin.list_display, "mobility_records"]

    def get_queryset(self, request):
        # Every record, cancelled and archived ones too: the office's count of what exists.
        return (
            super()
            .get_queryset(request)
            .annotate(mobility_record_count=MobilityRecord.objects.count_per("partner"))
        )

    @admin.display(description=_("mobility records"), ordering="mobility_record_count")
    def mobility_records(self, obj):
        return obj.mobility_record_count


class AgreementQuotaUsageInline(AgreementQuotaInline):
    fields = [*AgreementQuotaInline.fields, "places_used", "places_left"]
    readonly_fields = ["places_used", "places_left"]

    def _used(self, quota) -> int | None:
        if quota.pk is None:
            return None
        if not hasattr(quota, "_places_used"):
            quota._places_used = MobilityRecord.objects.counting_against(quota).count()
        return quota._places_used

    # A new quota (the inline's "Add another" row) has no figures yet: the admin's "-", where
    # None would read "None" in every language.
    @admin.display(description=_("places used"))
    def places_used(self, quota):
        used = self._used(quota)
        return self.get_empty_value_display() if used is None else used

    @admin.display(description=_("places left"))
    def places_left(self, quota):
        used = self._used(quota)
        # Negative on purpose: an overbooked quota should be visible, not shown as 0.
        return self.get_empty_value_display() if used is None else quota.places - used


class AgreementWithQuotaUsageAdmin(AgreementAdmin):
    inlines = [
        AgreementQuotaUsageInline if inline is AgreementQuotaInline else inline
        for inline in AgreementAdmin.inlines
    ]


admin.site.unregister(Partner)
admin.site.register(Partner, PartnerWithMobilityAdmin)
admin.site.unregister(Agreement)
admin.site.register(Agreement, AgreementWithQuotaUsageAdmin)
