"""GET filters for the program list, the review queue and the partner catalogue: a filtered list
can be bookmarked."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.forms import EMPTY_CHOICE
from exchanges.choices import ProgramDirection, ProgramKind
from exchanges.models import Application, Program
from partners.filters import YES_NO, country_choices
from partners.models import Partner
from people.choices import Category

YES = "yes"


def host_countries():
    """Only the countries that published programs take place in, sorted by name."""
    codes = (
        Partner.objects.filter(
            hosted_programs__is_published=True, hosted_programs__is_archived=False
        )
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(((code, countries.name(code)) for code in set(codes)), key=lambda c: c[1])


class ProgramFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ProgramKind.choices, empty_label=EMPTY_CHOICE
    )
    direction = django_filters.ChoiceFilter(
        label=_("Direction"),
        choices=[
            (ProgramDirection.OUTGOING, ProgramDirection.OUTGOING.label),
            (ProgramDirection.INCOMING, ProgramDirection.INCOMING.label),
        ],
        empty_label=EMPTY_CHOICE,
        method="filter_direction",
    )
    category = django_filters.ChoiceFilter(
        label=_("Open to"),
        choices=Category.choices,
        empty_label=EMPTY_CHOICE,
        method="filter_category",
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        choices=host_countries,
        empty_label=EMPTY_CHOICE,
        field_name="host_institution__country",
    )
    call_open = django_filters.ChoiceFilter(
        label=_("Call open now"),
        choices=[(YES, _("Yes"))],
        empty_label=EMPTY_CHOICE,
        method="filter_call_open",
    )

    class Meta:
        model = Program
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(title__icontains=value.strip())

    def filter_direction(self, queryset, name, value):
        # A program in both directions is both an outgoing and an incoming one.
        return queryset.filter(Q(direction=value) | Q(direction=ProgramDirection.BOTH))

    def filter_category(self, queryset, name, value):
        return queryset.eligible_for(value)

    def filter_call_open(self, queryset, name, value):
        return queryset.call_open() if value == YES else queryset


ALL_STATUSES = "all"


class ReviewFilter(django_filters.FilterSet):
    """The decision queue shows what waits for a decision unless another status is asked for."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        # Reviewers never see drafts (Application.objects.for_reviewer): no "draft" to offer.
        choices=[
            (ALL_STATUSES, _("All statuses")),
            *(
                (value, label)
                for value, label in Application.Status.choices
                if value != Application.Status.DRAFT
            ),
        ],
        empty_label=None,
        method="filter_status",
    )
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Application
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        data.setdefault("status", Application.Status.SUBMITTED)
        super().__init__(data, *args, **kwargs)

    def filter_status(self, queryset, name, value):
        return queryset if value == ALL_STATUSES else queryset.filter(status=value)

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(program__title__icontains=value)
            | Q(applicant__first_name__icontains=value)
            | Q(applicant__last_name__icontains=value)
            | Q(applicant__username__icontains=value)
        )


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    country = django_filters.ChoiceFilter(label=_("Country"), choices=[], empty_label=EMPTY_CHOICE)
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Partner.Kind.choices, empty_label=EMPTY_CHOICE
    )
    has_active_agreement = django_filters.ChoiceFilter(
        label=_("Has an active agreement"),
        choices=YES_NO,
        empty_label=EMPTY_CHOICE,
        method="filter_has_active_agreement",
    )
    program_kind = django_filters.ChoiceFilter(
        label=_("Hosts a program of kind"),
        choices=ProgramKind.choices,
        empty_label=EMPTY_CHOICE,
        method="filter_program_kind",
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        empty_label=None,
        choices=[
            ("name", _("Name")),
            ("country", _("Country")),
            ("-participants", _("Most participants")),
            ("-agreements", _("Most active agreements")),
        ],
        method="sort_by",
    )

    SORTS = {
        "name": ["name"],
        "country": ["country", "name"],
        "-participants": ["-participant_count", "name"],
        "-agreements": ["-active_agreement_count", "name"],
    }

    class Meta:
        model = Partner
        fields = ["q", "country", "kind", "has_active_agreement", "program_kind", "sort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["country"].extra["choices"] = country_choices(Partner.objects.active())

    def search(self, queryset, name, value):
        return queryset.search(value)

    def filter_has_active_agreement(self, queryset, name, value):
        with_active = Partner.objects.with_active_agreements().values("pk")
        if value == "yes":
            return queryset.filter(pk__in=with_active)
        return queryset.exclude(pk__in=with_active)

    def filter_program_kind(self, queryset, name, value):
        hosts = Program.objects.published().filter(kind=value).values("host_institution")
        return queryset.filter(pk__in=hosts)

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*self.SORTS.get(value, ["name"]))
