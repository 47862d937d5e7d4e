"""Rules of partners, agreements and quotas: database constraints, computed status, querysets."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from core.periods import (
    academic_year_bounds,
    academic_year_label,
    academic_year_of,
    calendar_year_bounds,
)
from partners.choices import Direction, MobilityType
from partners.models import Agreement, AgreementQuota, ExpiryReminder, Partner, SubjectArea
from tests.factories import (
    AgreementFactory,
    AgreementQuotaFactory,
    PartnerFactory,
)

D = datetime.date
DAY = datetime.timedelta(days=1)
Status = Agreement.Status
Lifecycle = Agreement.Lifecycle

VALID_FROM = D(2024, 1, 1)
VALID_UNTIL = D(2026, 6, 30)


# --- database constraints ---------------------------------------------------------------------


@pytest.mark.django_db
def test_agreement_cannot_end_before_it_starts(partner):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(partner=partner, valid_from=D(2025, 1, 1), valid_until=D(2024, 12, 31))

    assert Agreement.objects.count() == 0


@pytest.mark.django_db
def test_agreement_may_end_on_the_day_it_starts(partner):
    AgreementFactory(partner=partner, valid_from=D(2025, 1, 1), valid_until=D(2025, 1, 1))

    assert Agreement.objects.count() == 1


@pytest.mark.django_db
def test_signed_agreement_without_valid_from_is_refused(partner):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(partner=partner, lifecycle=Lifecycle.SIGNED, valid_from=None)

    assert Agreement.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("lifecycle", [Lifecycle.DRAFT, Lifecycle.NEGOTIATION])
def test_unsigned_agreement_may_have_no_dates(partner, lifecycle):
    AgreementFactory(
        partner=partner, lifecycle=lifecycle, signed_on=None, valid_from=None, valid_until=None
    )

    assert Agreement.objects.count() == 1


@pytest.mark.django_db
def test_agreement_reference_is_unique(partner):
    AgreementFactory(partner=partner, reference="BSMU-UMB-2004")

    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(partner=partner, reference="BSMU-UMB-2004")

    assert Agreement.objects.count() == 1


@pytest.mark.django_db
def test_quota_places_cannot_be_negative(agreement):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementQuotaFactory(agreement=agreement, places=-1)

    assert AgreementQuota.objects.count() == 0


@pytest.mark.django_db
def test_quota_total_months_cannot_be_negative(agreement):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementQuotaFactory(agreement=agreement, total_months=-2)

    assert AgreementQuota.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("year", [1989, 2101])
def test_quota_academic_year_must_be_plausible(agreement, year):
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementQuotaFactory(agreement=agreement, academic_year=year)

    assert AgreementQuota.objects.count() == 0


@pytest.mark.django_db
def test_second_quota_for_same_year_type_and_direction_is_refused(agreement):
    AgreementQuotaFactory(agreement=agreement, academic_year=2025, direction=Direction.OUTGOING)

    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementQuotaFactory(agreement=agreement, academic_year=2025, direction=Direction.OUTGOING)

    assert AgreementQuota.objects.count() == 1


@pytest.mark.django_db
def test_quotas_may_differ_by_year_type_or_direction(agreement):
    AgreementQuotaFactory(agreement=agreement, academic_year=2025)
    AgreementQuotaFactory(agreement=agreement, academic_year=2024)
    AgreementQuotaFactory(agreement=agreement, academic_year=2025, direction=Direction.INCOMING)
    AgreementQuotaFactory(
        agreement=agreement, academic_year=2025, mobility_type=MobilityType.HE_STA
    )

    assert AgreementQuota.objects.count() == 4


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["09A2", "1", "09.1", "med", ""])
def test_subject_area_code_must_be_two_to_four_digits(code):
    with pytest.raises(IntegrityError), transaction.atomic():
        SubjectArea.objects.create(isced_code=code, name="Medicine")

    assert SubjectArea.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["09", "091", "0912"])
def test_subject_area_accepts_isced_codes_of_every_level(code):
    SubjectArea.objects.create(isced_code=code, name="Health")

    assert SubjectArea.objects.filter(isced_code=code).exists()


@pytest.mark.django_db
def test_expiry_reminder_goes_out_once_per_end_date_and_days_before(agreement):
    ExpiryReminder.objects.create(agreement=agreement, valid_until=VALID_UNTIL, days_before=30)

    with pytest.raises(IntegrityError), transaction.atomic():
        ExpiryReminder.objects.create(agreement=agreement, valid_until=VALID_UNTIL, days_before=30)

    assert ExpiryReminder.objects.count() == 1


@pytest.mark.django_db
def test_extended_agreement_gets_its_reminders_afresh(agreement):
    ExpiryReminder.objects.create(agreement=agreement, valid_until=VALID_UNTIL, days_before=30)
    ExpiryReminder.objects.create(agreement=agreement, valid_until=VALID_UNTIL, days_before=7)
    ExpiryReminder.objects.create(
        agreement=agreement, valid_until=VALID_UNTIL + 365 * DAY, days_before=30
    )

    assert ExpiryReminder.objects.count() == 3


# --- Agreement.status_on ----------------------------------------------------------------------


def signed(**kwargs) -> Agreement:
    values = {"lifecycle": Lifecycle.SIGNED, "valid_from": VALID_FROM, "valid_until": VALID_UNTIL}
    return AgreementFactory.build(**(values | kwargs))


def signed_and_saved(**kwargs) -> Agreement:
    values = {"lifecycle": Lifecycle.SIGNED, "valid_from": VALID_FROM, "valid_until": VALID_UNTIL}
    return AgreementFactory(**(values | kwargs))


@pytest.mark.parametrize(
    ("on", "status"),
    [
        (VALID_FROM - DAY, Status.NOT_YET_VALID),
        (VALID_FROM, Status.ACTIVE),
        (VALID_UNTIL - 91 * DAY, Status.ACTIVE),
        (VALID_UNTIL - 90 * DAY, Status.EXPIRING),
        (VALID_UNTIL - DAY, Status.EXPIRING),
        (VALID_UNTIL, Status.EXPIRING),
        (VALID_UNTIL + DAY, Status.EXPIRED),
    ],
)
def test_signed_agreement_status_around_its_dates(on, status):
    assert signed().status_on(on) == status


def test_open_ended_agreement_never_expires():
    agreement = signed(valid_until=None)

    assert agreement.status_on(D(2099, 12, 31)) == Status.ACTIVE
    assert agreement.status_on(VALID_FROM - DAY) == Status.NOT_YET_VALID
    assert agreement.days_to_expiry(D(2030, 1, 1)) is None


@pytest.mark.parametrize("on", [VALID_UNTIL - 30 * DAY, VALID_UNTIL, VALID_UNTIL + 400 * DAY])
@pytest.mark.django_db
def test_automatically_renewing_agreement_stays_active_after_its_end_date(on):
    agreement = signed_and_saved(auto_renewal=True)

    assert agreement.status_on(on) == Status.ACTIVE
    assert Agreement.objects.active(on).filter(pk=agreement.pk).exists()
    assert agreement.days_to_expiry(on) is None


@pytest.mark.parametrize(
    ("lifecycle", "status"),
    [
        (Lifecycle.DRAFT, Status.DRAFT),
        (Lifecycle.NEGOTIATION, Status.NEGOTIATION),
        (Lifecycle.TERMINATED, Status.TERMINATED),
    ],
)
@pytest.mark.parametrize("on", [VALID_FROM - DAY, VALID_FROM, VALID_UNTIL, VALID_UNTIL + DAY])
@pytest.mark.django_db
def test_unsigned_or_terminated_agreement_status_is_its_lifecycle(lifecycle, status, on):
    agreement = signed_and_saved(lifecycle=lifecycle)

    assert agreement.status_on(on) == status
    assert not Agreement.objects.active(on).filter(pk=agreement.pk).exists()


def test_days_to_expiry_counts_down_to_the_end_date():
    agreement = signed()

    assert agreement.days_to_expiry(VALID_UNTIL - 90 * DAY) == 90
    assert agreement.days_to_expiry(VALID_UNTIL) == 0
    assert agreement.days_to_expiry(VALID_UNTIL + DAY) == -1


# --- AgreementQuerySet agrees with status_on --------------------------------------------------

CHECK_DAYS = [
    VALID_FROM - DAY,
    VALID_FROM,
    VALID_UNTIL - 91 * DAY,
    VALID_UNTIL - 90 * DAY,
    VALID_UNTIL,
    VALID_UNTIL + DAY,
]


@pytest.fixture
def agreement_set(partner):
    """One agreement of every kind the status distinguishes."""
    variants = [
        {},
        {"valid_until": None},
        {"auto_renewal": True},
        {"valid_from": VALID_FROM + 200 * DAY},
        {"valid_until": VALID_UNTIL - 60 * DAY},
        {"valid_until": VALID_FROM + 10 * DAY},
        {"lifecycle": Lifecycle.DRAFT, "valid_from": None, "valid_until": None},
        {"lifecycle": Lifecycle.NEGOTIATION},
        {"lifecycle": Lifecycle.TERMINATED},
    ]
    return [
        AgreementFactory(
            partner=partner,
            **({"lifecycle": Lifecycle.SIGNED, "valid_from": VALID_FROM, "valid_until": VALID_UNTIL}
               | variant),
        )
        for variant in variants
    ]  # fmt: skip


def by_status(agreements, on) -> dict[str, set[int]]:
    result = {status: set() for status in Status.values}
    for agreement in agreements:
        result[agreement.status_on(on)].add(agreement.pk)
    return result


def pks(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("on", CHECK_DAYS)
def test_with_status_filters_as_status_on_computes(agreement_set, on):
    expected = by_status(agreement_set, on)

    for status in Status.values:
        assert pks(Agreement.objects.with_status(status, on=on)) == expected[status], status


@pytest.mark.django_db
@pytest.mark.parametrize("on", CHECK_DAYS)
def test_active_expiring_and_expired_querysets_agree_with_status_on(agreement_set, on):
    expected = by_status(agreement_set, on)

    assert (
        pks(Agreement.objects.active(on=on)) == expected[Status.ACTIVE] | expected[Status.EXPIRING]
    )
    assert pks(Agreement.objects.expiring_within(days=90, on=on)) == expected[Status.EXPIRING]
    assert pks(Agreement.objects.expired(on=on)) == expected[Status.EXPIRED]


@pytest.mark.django_db
def test_expiring_within_a_shorter_window_keeps_only_the_nearer_ends(agreement_set):
    on = VALID_UNTIL - 60 * DAY

    soon = Agreement.objects.expiring_within(days=30, on=on)

    assert {a.valid_until for a in soon} == {VALID_UNTIL - 60 * DAY}
    assert pks(soon) < pks(Agreement.objects.expiring_within(days=90, on=on))


# --- PartnerQuerySet --------------------------------------------------------------------------


@pytest.mark.django_db
def test_partners_are_annotated_with_their_active_agreement_count():
    busy, idle = PartnerFactory(), PartnerFactory()
    for variant in [{}, {"valid_until": None}, {"valid_until": VALID_FROM + 10 * DAY}]:
        AgreementFactory(
            partner=busy, valid_from=VALID_FROM, **({"valid_until": VALID_UNTIL} | variant)
        )
    AgreementFactory(partner=busy, lifecycle=Lifecycle.DRAFT, valid_from=None, valid_until=None)
    AgreementFactory(partner=idle, lifecycle=Lifecycle.TERMINATED, valid_from=VALID_FROM)

    counts = dict(
        Partner.objects.annotate_active_agreement_count(on=D(2025, 1, 1)).values_list(
            "pk", "active_agreement_count"
        )
    )

    assert counts == {busy.pk: 2, idle.pk: 0}
    assert pks(Partner.objects.with_active_agreements(on=D(2025, 1, 1))) == {busy.pk}
    later = Partner.objects.annotate_active_agreement_count(on=VALID_UNTIL + DAY)
    assert later.get(pk=busy.pk).active_agreement_count == 1


@pytest.mark.django_db
def test_active_partners_leave_out_archived_ones():
    active, archived = PartnerFactory(), PartnerFactory(is_active=False)

    assert list(Partner.objects.active()) == [active]
    assert archived in Partner.objects.all()


def test_quota_names_its_academic_year():
    quota = AgreementQuotaFactory.build(academic_year=2025, places=4)

    assert quota.academic_year_label == "2025/26"
    assert str(quota).startswith("2025/26 ")
    assert str(quota).endswith(": 4")


# --- core.periods -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (D(2025, 8, 31), 2024),
        (D(2025, 9, 1), 2025),
        (D(2025, 12, 31), 2025),
        (D(2026, 1, 1), 2025),
    ],
)
def test_academic_year_starts_on_the_first_of_september(day, year):
    assert academic_year_of(day) == year


def test_academic_year_bounds_run_from_september_to_august():
    assert academic_year_bounds(2025) == (D(2025, 9, 1), D(2026, 8, 31))
    # A leap year inside the academic year does not move its end.
    assert academic_year_bounds(2023) == (D(2023, 9, 1), D(2024, 8, 31))


def test_calendar_year_bounds():
    assert calendar_year_bounds(2024) == (D(2024, 1, 1), D(2024, 12, 31))


@pytest.mark.parametrize(
    ("year", "label"), [(2025, "2025/26"), (1999, "1999/00"), (2009, "2009/10")]
)
def test_academic_year_label(year, label):
    assert academic_year_label(year) == label


# --- the search column ------------------------------------------------------------------------


def stored_search_text(partner) -> str:
    return Partner.objects.values_list("search_text", flat=True).get(pk=partner.pk)


@pytest.mark.django_db
def test_saving_a_partner_folds_its_searched_fields_into_the_search_column(partner):
    partner.erasmus_code = "PL BIALYST02"
    partner.save()

    assert stored_search_text(partner) == (
        "medical university of bialystok uniwersytet medyczny w bialymstoku umb bialystok "
        "pl bialyst02"
    )


@pytest.mark.django_db
def test_a_partial_save_of_a_searched_field_refreshes_the_search_column(partner):
    partner.city = "Łódź"
    partner.save(update_fields=["city"])

    assert Partner.objects.search("lodz").get() == partner
    assert stored_search_text(partner).endswith(" umb lodz")


@pytest.mark.django_db
def test_refresh_search_text_catches_up_after_writes_that_bypass_save(partner):
    other = PartnerFactory(name="Karolinska Institutet", city="Stockholm")
    Partner.objects.update(name="Uniwersytet Łódzki")  # update() sends no signals
    assert not Partner.objects.search("lodzki").exists()

    assert Partner.objects.filter(pk=partner.pk).refresh_search_text() == 1

    assert list(Partner.objects.search("lodzki")) == [partner]
    assert stored_search_text(other).startswith("karolinska")


@pytest.mark.django_db
def test_search_of_nothing_but_spaces_finds_every_partner(partner):
    assert list(Partner.objects.search("   ")) == [partner]


@pytest.mark.django_db
def test_history_leaves_the_derived_search_column_out(partner):
    assert not hasattr(partner.history.model, "search_text")
