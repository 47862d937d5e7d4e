"""Admin pieces every app's admin uses: CSV export, year and country filters, upload stamping,
and archiving instead of deleting.
"""

import datetime
import html
import os

from django.contrib import admin
from django.contrib.admin.utils import label_for_field, lookup_field
from django.db import models
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import Country

from core import csv
from core.periods import calendar_year_bounds

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
