"""A template per kind: the columns and one example row, and a sheet that explains each column
and its allowed values, in the reader's language. Downloadable from the admin's import page."""

import tablib
from django.utils.translation import gettext as _

from core.imports import widgets


def allowed_values(field) -> str:
    widget = field.widget
    if isinstance(widget, widgets.ChoiceWidget):
        return "; ".join(f"{label} ({code})" for code, label in widget.choices)
    if isinstance(widget, widgets.CountryWidget):
        return _("A country's name in English, Russian or Belarusian, or its ISO code (PL, POL).")
    if isinstance(widget, widgets.DateWidget):
        return _("2019-02-28, 28.02.2019 or 28/02/2019 (02/28/2019 with the month first).")
    if isinstance(widget, widgets.BooleanWidget):
        return _("yes or no; empty: %(default)s.") % {
            "default": _("yes") if widget.default else _("no")
        }
    if isinstance(widget, widgets.NaturalKeyWidget):
        return _("%(name)s by: %(fields)s.") % {
            "name": widget.model._meta.verbose_name,
            "fields": ", ".join(widget.fields),
        }
    if isinstance(widget, widgets.IntegerWidget):
        return _("A whole number.")
    return _("Text.")


def template_book(resource) -> tablib.Databook:
    """The columns headed by their labels in the active language (the import reads them in
    any of the portal's languages, and the field names too), one example row, and a sheet
    that explains each column."""
    fields = resource.get_export_fields()
    columns = tablib.Dataset(
        headers=[resource.label_of(field) for field in fields], title=_("Data")[:31]
    )
    example = resource.example_row
    columns.append([example.get(field.column_name, "") for field in fields])
    explained = tablib.Dataset(
        headers=[_("Column"), _("Field name"), _("Required"), _("Allowed values")],
        title=_("Columns")[:31],
    )
    for field in fields:
        required = _("yes") if field.column_name in resource.required_columns else _("no")
        explained.append(
            [resource.label_of(field), field.column_name, required, allowed_values(field)]
        )
    return tablib.Databook([columns, explained])
