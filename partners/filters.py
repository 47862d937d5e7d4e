"""Filters of the agreement list, read from GET parameters (the catalogue's: exchanges/filters.py).

Invalid values never fail the page: django-filter leaves an invalid field out of
`cleaned_data`, so that filter is ignored and the form shows its error.
"""

import django_filters as filters
from django import forms
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.forms import EMPTY_CHOICE
from partners.models import Agreement, Department, Partner

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class IntegerFilter(filters.NumberFilter):
    """A whole number typed in a text box: a bad value from a hand-edited URL is echoed back as
    it was typed, with its error, which a number input could not show as valid HTML."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(*args, **kwargs)


def country_choices(queryset) -> list[tuple[str, str]]:
    """Only the countries that occur, by name: a select of 250 countries helps nobody."""
    codes = set(queryset.order_by().values_list("country", flat=True).distinct())
    return [(code, name) for code, name in countries if code in codes]


class AgreementFilter(filters.FilterSet):
    q = filters.CharFilter(label=_("Search"), method="search")
    status = filters.ChoiceFilter(
        label=_("Status"),
        choices=Agreement.Status.choices,
        empty_label=EMPTY_CHOICE,
        method="filter_status",
    )
    kind = filters.ChoiceFilter(
        label=_("Kind"), choices=Agreement.Kind.choices, empty_label=EMPTY_CHOICE
    )
    country = filters.ChoiceFilter(
        label=_("Country"), field_name="partner__country", choices=[], empty_label=EMPTY_CHOICE
    )
    department = filters.ModelChoiceFilter(
        label=_("Department"), queryset=Department.objects.all(), empty_label=EMPTY_CHOICE
    )
    expiring_within = IntegerFilter(
        label=_("Expiring within (days)"),
        method="filter_expiring_within",
        min_value=1,
        max_value=3650,
    )
    sort = filters.ChoiceFilter(
        label=_("Sort by"),
        empty_label=None,
        choices=[
            ("-valid_from", _("Newest first")),
            ("valid_until", _("Ending soonest")),
            ("reference", _("Reference")),
            ("partner", _("Partner")),
        ],
        method="sort_by",
    )

    SORTS = {
        "-valid_from": ["-valid_from", "reference"],
        # Open-ended agreements last.
        "valid_until": [F("valid_until").asc(nulls_last=True), "reference"],
        "reference": ["reference"],
        "partner": ["partner__name", "reference"],
    }

    class Meta:
        model = Agreement
        fields = ["q", "status", "kind", "country", "department", "expiring_within", "sort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The countries of all partners rather than of those with an agreement: the same list in
        # practice, without a join over every agreement on each page view.
        self.filters["country"].extra["choices"] = country_choices(Partner.objects.all())

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(partner__name__icontains=value)
            | Q(partner__acronym__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)

    def filter_expiring_within(self, queryset, name, value):
        return queryset.expiring_within(days=value)

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*self.SORTS.get(value, ["-valid_from"]))
