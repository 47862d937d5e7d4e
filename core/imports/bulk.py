"""Large files in batches: the same rows, rules and report as the row-by-row import, in a few
queries per thousand rows instead of several per row.

A resource that offers it (`ImportResource.supports_bulk`) reads its natural keys once into
dicts (`bulk_matcher`), each row is cleaned by the resource's own widgets and checked by the
model's field rules in Python, and the rows are written with `bulk_create` / `bulk_update` and
their history rows in bulk (django-simple-history), batch after batch inside one transaction:
a row with an error, or a dry run, rolls every batch back.
"""

import dataclasses

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import dataversion

BATCH_SIZE = 2000
NEW, UPDATED, UNCHANGED, INVALID = "new", "updated", "unchanged", "invalid"


@dataclasses.dataclass
class RowOutcome:
    number: int
    outcome: str
    # (column, value, reason); column None for a reason about the whole row.
    errors: list[tuple[str | None, object, str]] = dataclasses.field(default_factory=list)
    # The row's cells by column, kept for the admin's preview only (import_export_result).
    cells: dict | None = None


@dataclasses.dataclass
class BulkResult:
    rows: list[RowOutcome] = dataclasses.field(default_factory=list)
    base_errors: list[str] = dataclasses.field(default_factory=list)

    def has_errors(self) -> bool:
        return bool(self.base_errors) or any(row.outcome == INVALID for row in self.rows)

    def counts(self) -> dict[str, int]:
        totals = {NEW: 0, UPDATED: 0, UNCHANGED: 0, INVALID: 0}
        for row in self.rows:
            totals[row.outcome] += 1
        return totals

    def report(self) -> list[str]:
        """The same lines as core.imports.resources.row_report, in the active language."""
        lines = [_("File: %(error)s") % {"error": error} for error in self.base_errors]
        names = {
            NEW: pgettext("import row", "new"),
            UPDATED: pgettext("import row", "updated"),
            UNCHANGED: pgettext("import row", "unchanged"),
        }
        for row in self.rows:
            if row.outcome != INVALID:
                lines.append(
                    _("Row %(row)s: %(outcome)s")
                    % {"row": row.number, "outcome": names[row.outcome]}
                )
            for column, value, reason in row.errors:
                if column is None:
                    reason_line = _("Row %(row)s: %(reason)s")
                    lines.append(reason_line % {"row": row.number, "reason": reason})
                else:
                    lines.append(
                        _("Row %(row)s, column “%(column)s”, value “%(value)s”: %(reason)s")
                        % {
                            "row": row.number,
                            "column": column,
                            "value": "" if value is None else value,
                            "reason": reason,
                        }
                    )
        return lines


def history_reason(file_name) -> str:
    """django-simple-history's reason for the versions an import writes."""
    return _("import of %(file)s") % {"file": file_name} if file_name else ""


class _RolledBack(Exception):
    """Raised inside the transaction to undo a dry run or a file with errors."""


def bulk_import(
    resource,
    dataset,
    *,
    dry_run=False,
    file_name="",
    file_sha256="",
    user=None,
    keep_cells=False,
) -> BulkResult:
    result = BulkResult()
    try:
        resource.before_import(dataset)
    except ValueError as refusal:
        result.base_errors.append(str(refusal))
        return result
    try:
        with transaction.atomic():
            # A dry run checks every row and writes none: nothing to roll back.
            _import_rows(
                resource,
                dataset,
                result,
                file_name=file_name,
                user=user,
                writing=not dry_run,
                keep_cells=keep_cells,
            )
            if dry_run or result.has_errors():
                raise _RolledBack
            resource.write_log(
                result.counts(), user=user, file_name=file_name, file_sha256=file_sha256
            )
            # The triggers saw every row; a bulk path says so itself all the same.
            dataversion.bump()
    except _RolledBack:
        pass
    return result


def _import_rows(resource, dataset, result, *, file_name, user, writing, keep_cells):
    headers = dataset.headers
    fields = [field for field in resource.get_import_fields() if field.column_name in headers]
    writer = _BatchWriter(resource, result, file_name=file_name, user=user, writing=writing)
    total = len(dataset)
    for number, cells in enumerate(dataset, 1):
        row = dict(zip(headers, cells, strict=False))
        outcome = RowOutcome(number, INVALID, cells=row if keep_cells else None)
        result.rows.append(outcome)
        values = _clean_row(resource, fields, row, number, outcome)
        if not outcome.errors:
            writer.add(values, row, outcome)
        if resource.progress:
            resource.progress(number, total)
    writer.flush()


def _clean_row(resource, fields, row, number, outcome) -> dict:
    try:
        resource.before_import_row(row, row_number=number)
    except ValidationError as error:
        outcome.errors.extend((None, None, message) for message in error.messages)
    values = {}
    for field in fields:
        value = row.get(field.column_name)
        try:
            values[field.attribute] = field.widget.clean(value, row=row)
        except ValueError as error:
            outcome.errors.append((field.column_name, value, str(error)))
    return values


class _BatchWriter:
    """Rows checked and written a batch at a time: the existing objects of a batch read in one
    query, the new ones created and the changed ones updated in one statement each, with their
    history rows. Once a row has an error nothing more is written (all is rolled back anyway)."""

    def __init__(self, resource, result, *, file_name, user, writing):
        self.resource = resource
        self.result = result
        self.model = resource._meta.model
        self.matcher = resource.bulk_matcher()
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.reason = history_reason(file_name)
        # Related objects come from the resource's indexes (no query per row to check them),
        # choices from its widgets, which know no other values (and Django's check of a choice
        # costs as much as the rest of the row): only whether they are blank is left to check.
        fields = self.model._meta.concrete_fields
        self.related = [f.name for f in fields if f.is_relation]
        self.choices = [f for f in fields if f.choices and not f.is_relation]
        self.not_checked = self.related + [f.name for f in self.choices]
        self.writing = writing
        # (cleaned values, the row's cells by column, its outcome)
        self.pending: list[tuple[dict, dict, RowOutcome]] = []

    def add(self, values, row, outcome):
        self.pending.append((values, row, outcome))
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def flush(self):
        pks = self.matcher.existing_pks([values for values, _row, _outcome in self.pending])
        existing = self.model._default_manager.in_bulk([pk for pk in pks if pk])
        new, changed, changed_fields = [], [], set()
        for pk, (values, row, outcome) in zip(pks, self.pending, strict=True):
            instance = existing[pk] if pk else self.model()
            changes = self._apply(instance, values, row, outcome)
            if outcome.errors:
                continue
            if not pk:
                outcome.outcome = NEW
                new.append((instance, values))
            elif changes:
                outcome.outcome = UPDATED
                changed.append(instance)
                changed_fields.update(changes)
            else:
                outcome.outcome = UNCHANGED
        self.pending = []
        if self.writing and not self.result.has_errors():
            self._write(new, changed, changed_fields)

    def _apply(self, instance, values, row, outcome) -> list[str]:
        """The row's values set on the object, checked by the model's field rules; the names
        of the fields it changes."""
        changes = []
        for attribute, value in values.items():
            field = self.model._meta.get_field(attribute)
            if field.is_relation:
                # Compared by key: reading the related object would cost a query per row.
                current, wanted = getattr(instance, field.attname), value.pk if value else None
            else:
                current, wanted = getattr(instance, attribute), value
            if current != wanted:
                setattr(instance, attribute, value)
                changes.append(attribute)
        changes.extend(self.resource.bulk_prepare(instance))
        try:
            instance.full_clean(
                exclude=self.not_checked, validate_unique=False, validate_constraints=False
            )
            self._check_blank_choices(instance)
            self.resource.bulk_check(instance)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                column = None if field == NON_FIELD_ERRORS else field
                # The cell as the file has it, as the widgets' refusals show it.
                value = row.get(column, getattr(instance, field, None)) if column else None
                outcome.errors.extend((column, value, message) for message in messages)
        return changes

    def _check_blank_choices(self, instance):
        blank = {
            field.name: field.error_messages["blank"]
            for field in self.choices
            if not field.blank and getattr(instance, field.attname) in field.empty_values
        }
        if blank:
            raise ValidationError(blank)

    def _write(self, new, changed, changed_fields):
        history = {"default_user": self.user, "default_change_reason": self.reason}
        if new:
            bulk_create_with_history(
                [obj for obj, _values in new], self.model, batch_size=BATCH_SIZE, **history
            )
            for obj, values in new:
                # A later row with the same key in other words ("PL", "Poland") updates it.
                self.matcher.remember(obj.pk, values)
        if changed:
            now = timezone.now()
            fields = sorted(changed_fields)
            if hasattr(self.model, "updated_at"):
                for obj in changed:
                    obj.updated_at = now
                fields.append("updated_at")
            bulk_update_with_history(changed, self.model, fields, batch_size=BATCH_SIZE, **history)


def import_export_result(bulk: BulkResult, resource):
    """The bulk result as django-import-export's, for its admin preview and confirmation: each
    row new, updated, unchanged or invalid with its errors by column; its cells as the diff."""
    from import_export.results import Error, Result, RowResult

    result = Result()
    result.diff_headers = resource.get_diff_headers()
    for error in bulk.base_errors:
        result.append_base_error(Error(ValueError(error)))
    kinds = {
        NEW: RowResult.IMPORT_TYPE_NEW,
        UPDATED: RowResult.IMPORT_TYPE_UPDATE,
        UNCHANGED: RowResult.IMPORT_TYPE_SKIP,
        INVALID: RowResult.IMPORT_TYPE_INVALID,
    }
    for row in bulk.rows:
        cells = row.cells or {}
        row_result = RowResult()
        row_result.import_type = kinds[row.outcome]
        row_result.diff = [_cell_text(cells.get(header)) for header in result.diff_headers]
        if row.outcome == INVALID:
            by_column = {}
            for column, _value, reason in row.errors:
                by_column.setdefault(column or NON_FIELD_ERRORS, []).append(reason)
            row_result.validation_error = ValidationError(by_column)
            result.append_invalid_row(row.number, cells, row_result.validation_error)
        result.increment_row_result_total(row_result)
        result.append_row_result(row_result)
    return result


def _cell_text(value) -> str:
    return "" if value is None else str(value)
