"""Cells as people write them, turned into values; every refusal says why in the reader's language.

A widget's `clean` raises ValueError with the reason, which import-export shows beside the
column and the row.
"""

import datetime
import difflib
import functools
import re

from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_countries import countries
from import_export import widgets

from core.search import fold_for_search

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@functools.lru_cache(maxsize=100_000)
def fold(value) -> str:
    # Cached: a large file repeats its partners, countries, choices and people many times.
    return fold_for_search(str(value)).strip()


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class CountryWidget(widgets.Widget):
    """A country by its ISO code (two or three letters) or its name in English, Russian or
    Belarusian (django-countries' names and the portal's Belarusian ones); written out by name
    in the active language."""

    _by_folded_name: dict[str, str] | None = None

    @classmethod
    def known(cls) -> dict[str, str]:
        if cls._by_folded_name is None:
            names = {}
            for language in LANGUAGE_CODES:
                with translation.override(language):
                    for code, name in countries:
                        names[fold(name)] = code
            for code, _name in countries:
                names[fold(code)] = code
                names[fold(countries.alpha3(code))] = code
            cls._by_folded_name = names
        return cls._by_folded_name

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        code = self.known().get(fold(value))
        if code is None:
            raise ValueError(_("Unknown country “%(value)s”.") % {"value": value})
        return code

    def render(self, value, obj=None, **kwargs):
        return str(countries.name(value)) if value else ""


class ChoiceWidget(widgets.Widget):
    """One of a field's choices by its code or its label in any of the portal's languages;
    written out by its label in the active language."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(choices)
        self._known_labels = None

    def _known(self) -> dict[str, object]:
        # Built once per widget: a large file asks for every cell of the column.
        if self._known_labels is None:
            self._known_labels = self._labels_in_every_language()
        return self._known_labels

    def _labels_in_every_language(self) -> dict[str, object]:
        known = {}
        for language in LANGUAGE_CODES:
            with translation.override(language):
                known.update({fold(label): code for code, label in self.choices})
        known.update({fold(code): code for code, _label in self.choices})
        return known

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return ""
        code = self._known().get(fold(value))
        if code is None:
            labels = ", ".join(str(label) for _code, label in self.choices)
            raise ValueError(
                _("“%(value)s” is not one of: %(labels)s.") % {"value": value, "labels": labels}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class BooleanWidget(widgets.Widget):
    """Yes or no in any of the portal's languages, 1/0 or true/false."""

    TRUE = {"1", "true", "yes", "y", "да", "так", "+"}
    FALSE = {"0", "false", "no", "n", "нет", "не", "-"}

    def __init__(self, default=False, **kwargs):
        super().__init__(**kwargs)
        self.default = default

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return self.default
        if isinstance(value, bool):
            return value
        folded = fold(value)
        if folded in self.TRUE:
            return True
        if folded in self.FALSE:
            return False
        raise ValueError(_("“%(value)s” is neither yes nor no.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return _("yes") if value else _("no")


DAY_FIRST = "dmy"
MONTH_FIRST = "mdy"
DATE_ORDERS = (DAY_FIRST, MONTH_FIRST)
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
DOTTED_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
SLASHED_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def date_order_of_column(values) -> str | None:
    """The order of the slashed dates of a whole column: day first if one of them has a first
    number over 12, month first if one has a second number over 12, None if none tells (or both
    do: then every date is refused as ambiguous, never guessed)."""
    day_first = month_first = False
    for value in values:
        match = SLASHED_DATE.match(str(value).strip()) if isinstance(value, str) else None
        if match:
            first, second = int(match[1]), int(match[2])
            day_first |= first > 12
            month_first |= second > 12
    if day_first == month_first:
        return None
    return DAY_FIRST if day_first else MONTH_FIRST


class DateWidget(widgets.Widget):
    """ISO dates, dd.mm.yyyy (day first, as everywhere dots are written) and dd/mm/yyyy or
    mm/dd/yyyy: the order of slashed dates is given (`order`) or read from the whole column
    before the import (`ImportResource.before_import`); spreadsheets' own dates as they are."""

    def __init__(self, order: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.order = order

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = str(value).strip()
        if match := ISO_DATE.match(text):
            year, month, day = match.groups()
        elif match := DOTTED_DATE.match(text):
            day, month, year = match.groups()
        elif match := SLASHED_DATE.match(text):
            if self.order is None and match[1] != match[2]:
                raise ValueError(
                    _(
                        "“%(value)s” could be read day first or month first; no date of the "
                        "column tells which: give the date order."
                    )
                    % {"value": value}
                )
            first, second, year = match.groups()
            day, month = (second, first) if self.order == MONTH_FIRST else (first, second)
        else:
            raise ValueError(
                _("“%(value)s” is not a date: write it as 2019-02-28 or 28.02.2019.")
                % {"value": value}
            )
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a day of the calendar.") % {"value": value}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class NaturalKeyWidget(widgets.Widget):
    """A related object by one of its natural keys (a reference, an e-mail, any name form),
    whatever the case and accents; a miss names the closest known values."""

    def __init__(self, model, fields, *, render_field=None, **kwargs):
        super().__init__(**kwargs)
        self.model = model
        self.fields = fields
        self.render_field = render_field or fields[0]
        self._index = None

    def queryset(self):
        return self.model._default_manager.all()

    def index(self) -> dict[str, object]:
        """Every object once per folded key, read in one query per import."""
        if self._index is None:
            self._index = {}
            for obj in self.queryset().only("pk", *self.fields):
                for field in self.fields:
                    key = getattr(obj, field)
                    if key:
                        self._index.setdefault(fold(key), obj)
        return self._index

    def forget(self):
        self._index = None

    def find(self, value):
        return self.index().get(fold(value))

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        obj = self.find(value)
        if obj is None:
            raise ValueError(self.not_found_message(value))
        return obj

    def not_found_message(self, value) -> str:
        closest = self.closest(value)
        name = self.model._meta.verbose_name
        if not closest:
            return capfirst(_("%(name)s “%(value)s” not found.") % {"name": name, "value": value})
        return capfirst(
            _("%(name)s “%(value)s” not found; the closest: %(closest)s.")
            % {"name": name, "value": value, "closest": "; ".join(closest)}
        )

    def closest(self, value, n=3) -> list[str]:
        folded = difflib.get_close_matches(fold(value), list(self.index()), n=n, cutoff=0.5)
        names = []
        for key in folded:
            name = getattr(self.index()[key], self.render_field)
            if name not in names:
                names.append(name)
        return names

    def render(self, value, obj=None, **kwargs):
        return getattr(value, self.render_field, "") if value else ""


class TextWidget(widgets.CharWidget):
    """Text as written, without the blanks around it; numbers a spreadsheet made of it as text."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super().clean(value, row, **kwargs).strip()


class IntegerWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except (ValueError, ArithmeticError):
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value}) from None
