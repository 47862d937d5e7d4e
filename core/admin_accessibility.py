"""Admin forms that pass the portal's accessibility checks (issue 17).

Django's admin markup has gaps that axe and the Nu HTML Checker report; what can be fixed on the
server is fixed here, through widgets and admin options of ours (docs/architecture.md lists them):

- a field of a tabular inline has no <label>: its column header becomes its aria-label, and the
  help text, shown in the header's tooltip, is not pointed at by a describedby to nothing;
- date and time widgets point aria-describedby at a time-zone warning that only a script creates,
  and only when the browser's time zone differs: static/js/admin_accessibility.js links it then;
- an autocomplete select has an empty, unlabelled <option>, and none when the field is required
  (the validator wants a placeholder option first).

What Django's and select2's scripts build in the browser (the select2 combobox's name, the
search field's label, tooltips with aria-label) is labelled by static/js/admin_accessibility.js.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.db import models
from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms.boundfield import BoundField
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst


class _WithoutTimeZoneWarningLink:
    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("aria-describedby", None)
        for subwidget in context["widget"].get("subwidgets", []):
            subwidget["attrs"].pop("aria-describedby", None)
        return context


class AdminDateInput(_WithoutTimeZoneWarningLink, widgets.AdminDateWidget):
    pass


class AdminTimeInput(_WithoutTimeZoneWarningLink, widgets.AdminTimeWidget):
    pass


class AdminSplitDateTimeInput(_WithoutTimeZoneWarningLink, widgets.AdminSplitDateTime):
    pass


class _LabelledEmptyOption:
    """The empty option first, always, with a label the validator accepts; select2 shows none."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        options = groups[0][1]
        if not self.allow_multiple_selected:
            if not options or options[0]["value"] != "":
                options.insert(0, self.create_option(name, "", "", False, 0))
            options[0]["attrs"]["label"] = BLANK_CHOICE_DASH[0][1]
            for index, option in enumerate(options):
                option["index"] = str(index)
        return groups


class AutocompleteSelect(_LabelledEmptyOption, widgets.AutocompleteSelect):
    pass


class TableCellBoundField(BoundField):
    """A field in a table cell: its help text is in the column header, not beside it."""

    @property
    def aria_describedby(self):
        if self.field.widget.attrs.get("aria-describedby"):
            return None
        return f"{self.auto_id}_error" if self.auto_id and self.errors else ""


FORMFIELD_OVERRIDES = {
    models.DateField: {"widget": AdminDateInput},
    models.TimeField: {"widget": AdminTimeInput},
    models.DateTimeField: {
        "form_class": forms.SplitDateTimeField,
        "widget": AdminSplitDateTimeInput,
    },
}


class AccessibleFormsMixin:
    """For ModelAdmins and inlines: widgets without the gaps above."""

    formfield_overrides = FORMFIELD_OVERRIDES

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            db = kwargs.get("using")
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=db)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LabelledInlineFormSet(BaseInlineFormSet):
    """The "Delete?" checkbox of each row, named like its column."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = capfirst(form.fields["DELETE"].label)


class LabelledTabularInline(AccessibleFormsMixin, admin.TabularInline):
    """A tabular inline whose fields are named by their column headers."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None:
            formfield.widget.attrs.setdefault("aria-label", capfirst(formfield.label))
            formfield.bound_field_class = TableCellBoundField
        return formfield

    formset = LabelledInlineFormSet


class NotAnInputBoundField(BoundField):
    """A widget that renders a <div>, not an input (the account's password summary): no
    `disabled`, and no describedby to a help text the admin gives no id."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        attrs.pop("disabled", None)
        attrs.pop("aria-describedby", None)
        return attrs
