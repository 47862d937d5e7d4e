"""The base of every import: columns by name, rows by natural key, one transaction per file.

A resource names its natural key (`natural_key_columns`) and finds the existing object for a
row (`find_existing`), so that the same file imported twice changes nothing and an edited one
updates rows instead of adding them. The whole file is written or nothing is: a row with an
error rolls every row back (`import_data`).
"""

import re

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from import_export import fields, resources

from core.imports import widgets
from core.imports.bulk import BulkResult, history_reason
from core.imports.formats import undefuse

STYLE_ATTRIBUTE = re.compile(r' style="[^"]*"')


class PlainDiff(resources.Diff):
    """The preview's changes as <ins> and <del> without inline styles, which the portal's
    Content Security Policy blocks; browsers underline and strike them through by themselves."""

    def as_html(self):
        return [
            # diff-match-patch escaped the cells already; only its style attributes go.
            mark_safe(STYLE_ATTRIBUTE.sub("", html))  # noqa: S308  # nosec B308 B703
            for html in super().as_html()
        ]


class ImportResource(resources.ModelResource):
    # The columns a row is found by, and those a file must have.
    natural_key_columns: tuple[str, ...] = ()
    required_columns: tuple[str, ...] = ()
    # One row of the downloadable template, by column.
    example_row: dict[str, str] = {}

    def __init__(self, *, date_order: str | None = None, progress=None, **kwargs):
        super().__init__(**kwargs)
        self.date_order = date_order
        # Called with (rows done, rows in all) after each row: the command's progress bar.
        self.progress = progress
        self._rows_by_key: dict[tuple, int] = {}
        self._row_count = 0

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    @classmethod
    def get_diff_class(cls):
        return PlainDiff

    # --- reading -----------------------------------------------------------------------------

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def before_import(self, dataset, **kwargs):
        self._strip_apostrophes(dataset)
        self._read_headers(dataset)
        self._check_columns(dataset)
        self._read_date_orders(dataset)
        self._rows_by_key = {}
        self._row_count = len(dataset)
        # The import's history rows are those written from now on (core/imports/revert.py).
        self.started_at = timezone.now()
        for field in self.fields.values():
            if isinstance(field.widget, widgets.NaturalKeyWidget):
                field.widget.forget()

    def _strip_apostrophes(self, dataset):
        headers = [str(header or "").strip() for header in dataset.headers]
        rows = [[undefuse(cell) for cell in row] for row in dataset]
        dataset.wipe()
        dataset.headers = headers
        for row in rows:
            dataset.append(row)

    def label_of(self, field) -> str:
        """A column's label in the active language: its model field's verbose name."""
        name = field.attribute.removeprefix("profile__")
        model = self._meta.model
        if field.attribute.startswith("profile__"):
            model = model._meta.get_field("profile").related_model
        try:
            return str(capfirst(model._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:
            return field.column_name

    def _read_headers(self, dataset):
        """Headers as the template writes them, each column's label in any of the portal's
        languages, read as the column's name; names stay as they are."""
        labels = {}
        for language in widgets.LANGUAGE_CODES:
            with translation.override(language):
                for field in self.fields.values():
                    labels.setdefault(widgets.fold(self.label_of(field)), field.column_name)
        names = {field.column_name for field in self.fields.values()}
        dataset.headers = [
            header if header in names else labels.get(widgets.fold(header), header)
            for header in dataset.headers
        ]

    def _check_columns(self, dataset):
        if not len(dataset):
            raise ValueError(_("The file has no rows under its header."))
        missing = [column for column in self.required_columns if column not in dataset.headers]
        if missing:
            raise ValueError(
                _("Columns missing from the file: %(columns)s.") % {"columns": ", ".join(missing)}
            )

    def _read_date_orders(self, dataset):
        """Slashed dates are read in one order for the whole file: the one given, else the one
        its date columns show together (a file is saved by one spreadsheet, in one locale)."""
        date_fields = [
            field for field in self.fields.values() if isinstance(field.widget, widgets.DateWidget)
        ]
        order = self.date_order
        if order is None:
            cells = [
                cell
                for field in date_fields
                if field.column_name in dataset.headers
                for cell in dataset[field.column_name]
            ]
            order = widgets.date_order_of_column(cells)
        for field in date_fields:
            field.widget.order = order

    def before_import_row(self, row, **kwargs):
        key = tuple(widgets.fold(row.get(column) or "") for column in self.natural_key_columns)
        if self.natural_key_columns and any(key):
            first = self._rows_by_key.setdefault(key, kwargs.get("row_number"))
            if first != kwargs.get("row_number"):
                raise ValidationError(
                    _("The row repeats row %(row)s of the file.") % {"row": first}
                )

    def after_import(self, dataset, result, **kwargs):
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        self.write_log(
            counts(result),
            user=kwargs.get("user"),
            file_name=kwargs.get("file_name"),
            file_sha256=kwargs.get("file_sha256"),
        )

    def write_log(self, totals, *, user, file_name, file_sha256):
        from django.contrib.contenttypes.models import ContentType

        from core.models import ImportLog

        model = self._meta.model
        return ImportLog.objects.create(
            kind=str(model._meta.verbose_name_plural),
            file_name=(file_name or "")[:255],
            sha256=file_sha256 or "",
            imported_by=user if getattr(user, "is_authenticated", False) else None,
            new=totals["new"],
            updated=totals["updated"],
            unchanged=totals["unchanged"],
            content_type=ContentType.objects.get_for_model(model),
            history_reason=history_reason(file_name)[:300],
            started_at=self.started_at,
        )

    def after_import_row(self, row, row_result, **kwargs):
        if self.progress:
            self.progress(kwargs.get("row_number", 0), self._row_count)

    def clean_cell(self, row, column):
        """A cell's value through its column's widget, None if it is missing or not valid
        (the column's own check reports why)."""
        field = self.fields[column]
        try:
            return field.widget.clean(row.get(field.column_name), row=row)
        except ValueError:
            return None

    # --- the bulk path (core/imports/bulk.py) -----------------------------------------------

    # A resource that implements bulk_matcher() imports large files in batches.
    supports_bulk = False

    def bulk_matcher(self):
        """An object whose existing_pks(values of rows) gives each row's existing object's key
        (or None) and whose remember(instance, values) adds a row just created."""
        raise NotImplementedError

    def bulk_prepare(self, instance) -> list[str]:
        """Fill what a row leaves to be derived; the names of the fields it sets."""
        return []

    def bulk_check(self, instance) -> None:
        """Rules the database enforces, checked in Python: raise ValidationError."""

    # --- matching ----------------------------------------------------------------------------

    def get_instance(self, instance_loader, row):
        return self.find_existing(row)

    def find_existing(self, row):
        """The object this row describes, found by its natural key; None for a new one."""
        raise NotImplementedError

    # --- writing -----------------------------------------------------------------------------

    def before_save_instance(self, instance, row, **kwargs):
        file_name = kwargs.get("file_name")
        if file_name:
            # django-simple-history's reason and author for the version this import writes.
            instance._change_reason = history_reason(file_name)
        user = kwargs.get("user")
        if user is not None and getattr(user, "is_authenticated", False):
            instance._history_user = user


def column(name, widget=None, attribute=None, **kwargs):
    """A column of the file named as its model field: export -> edit -> import round trips."""
    return fields.Field(
        attribute=attribute or name,
        column_name=name,
        widget=widget or widgets.TextWidget(),
        **kwargs,
    )


def row_report(result) -> list[str]:
    """One line per row (new, updated, unchanged or its errors) and the file's own errors, in
    the active language: what the command prints and the tests read."""
    if isinstance(result, BulkResult):
        return result.report()
    lines = [_("File: %(error)s") % {"error": error.error} for error in result.base_errors]
    invalid = {row.number: row for row in result.invalid_rows}
    errors = dict(result.row_errors())
    names = {
        "new": pgettext("import row", "new"),
        "update": pgettext("import row", "updated"),
        "skip": pgettext("import row", "unchanged"),
        "delete": pgettext("import row", "deleted"),
    }
    for number, row in enumerate(result.rows, 1):
        if number in invalid:
            for column_name, messages in invalid[number].field_specific_errors.items():
                column_name = column_name.removeprefix("profile__")
                values = dict(zip(result.diff_headers, invalid[number].values, strict=False))
                value = values.get(column_name.removeprefix("profile__"), "")
                for message in messages:
                    lines.append(
                        _("Row %(row)s, column “%(column)s”, value “%(value)s”: %(reason)s")
                        % {"row": number, "column": column_name, "value": value, "reason": message}
                    )
            for message in invalid[number].non_field_specific_errors:
                lines.append(_("Row %(row)s: %(reason)s") % {"row": number, "reason": message})
        elif number in errors:
            for error in errors[number]:
                lines.append(_("Row %(row)s: %(reason)s") % {"row": number, "reason": error.error})
        else:
            lines.append(
                _("Row %(row)s: %(outcome)s")
                % {"row": number, "outcome": names.get(row.import_type, row.import_type)}
            )
    return lines


def counts(result) -> dict[str, int]:
    if isinstance(result, BulkResult):
        return result.counts()
    totals = result.totals
    return {
        "new": totals.get("new", 0),
        "updated": totals.get("update", 0),
        "unchanged": totals.get("skip", 0),
        "invalid": totals.get("invalid", 0) + totals.get("error", 0),
    }
