"""Partner catalogue, partner page and agreement page: partners' data with mobility figures."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.periods import academic_year_bounds, academic_year_of
from exchanges.choices import MobilityStatus, ProgramKind
from exchanges.models import MobilityRecord
from partners.choices import Direction, MobilityType
from partners.models import Agreement, Partner
from tests.factories import (
    AgreementDocumentFactory,
    AgreementFactory,
    AgreementQuotaFactory,
    ContactFactory,
    DepartmentFactory,
    MobilityRecordFactory,
    PartnerFactory,
    ProgramFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PARTNER_LIST = reverse("partners:partner-list")


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def listed_partners(response):
    return [partner.name for partner in response.context["partners"]]


def listed_agreements(response):
    return [agreement.reference for agreement in response.context["agreements"]]


@pytest.fixture
def berlin(db):
    return PartnerFactory(
        name="Charité Berlin",
        name_original="Charité – Universitätsmedizin Berlin",
        acronym="CHA",
        slug="charite",
        country="DE",
        city="Berlin",
        kind=Partner.Kind.UNIVERSITY,
    )


# --- sign-in ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        PARTNER_LIST,
        reverse("partners:partner-detail", kwargs={"slug": "medical-university-of-bialystok"}),
        reverse("partners:agreement-detail", kwargs={"pk": 1}),
    ],
)
def test_anonymous_visitor_is_sent_to_sign_in_and_back(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


# --- partner list ----------------------------------------------------------------------------


def test_partner_list_shows_active_partners_with_their_counts(client_for, staff_member, agreement):
    partner = agreement.partner
    AgreementFactory(partner=partner, valid_until=days(-10), valid_from=days(-400))  # expired
    MobilityRecordFactory.create_batch(2, partner=partner)
    MobilityRecordFactory(partner=partner, status=MobilityStatus.CANCELLED)
    PartnerFactory(name="Archived Academy", is_active=False)

    response = client_for(staff_member).get(PARTNER_LIST)

    assert response.status_code == 200
    assert listed_partners(response) == ["Medical University of Bialystok"]
    row = response.context["partners"][0]
    # Two agreements joined with three records must still count 1 and 2, not 3 and 6.
    assert row.active_agreement_count == 1
    assert row.participant_count == 2
    content = response.content.decode()
    assert "Poland" in content and "UMB" in content and "Białystok" in content
    assert "Archived Academy" not in content
    assert "1 partner institution found" in content


@pytest.mark.parametrize(
    "query", ["bialy", "BIALY", "UMB", "Uniwersytet Medyczny", "Białystok", "  bialy  "]
)
def test_search_finds_bialystok_by_name_original_name_acronym_and_city(
    client_for, student, partner, berlin, query
):
    response = client_for(student).get(PARTNER_LIST, {"q": query})
    assert response.status_code == 200
    assert listed_partners(response) == ["Medical University of Bialystok"]


@pytest.fixture
def search_partners(db, partner):
    """Bialystok (the `partner` fixture) with its Erasmus code, Łódź and a Belarusian university."""
    partner.erasmus_code = "PL BIALYST02"
    partner.save()
    PartnerFactory(
        name="Medical University of Lodz",
        name_original="Uniwersytet Medyczny w Łodzi",
        acronym="UMED",
        city="Łódź",
        erasmus_code="PL LODZ03",
    )
    PartnerFactory(
        name="Belarusian State Medical University",
        name_original="Белорусский государственный медицинский университет",
        acronym="БГМУ",
        country="BY",
        city="Минск",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("белорусский", ["Belarusian State Medical University"]),
        ("БЕЛОРУССКИЙ", ["Belarusian State Medical University"]),
        ("бгму", ["Belarusian State Medical University"]),
        ("минск", ["Belarusian State Medical University"]),
        ("lodz", ["Medical University of Lodz"]),
        ("ŁÓDŹ", ["Medical University of Lodz"]),
        ("łodzi", ["Medical University of Lodz"]),
        ("bialystok", ["Medical University of Bialystok"]),
        ("BIAŁYMSTOKU", ["Medical University of Bialystok"]),
        ("bialystok medical", ["Medical University of Bialystok"]),
        ("medical  bialystok", ["Medical University of Bialystok"]),
        # Words may come from different fields: the English name and the city.
        ("university białystok", ["Medical University of Bialystok"]),
        ("PL BIALYST02", ["Medical University of Bialystok"]),
        ("bialyst02", ["Medical University of Bialystok"]),
        ("medical", [
            "Belarusian State Medical University",
            "Medical University of Bialystok",
            "Medical University of Lodz",
        ]),
        # Every word must match: Lodz is medical but not in Bialystok.
        ("lodz bialystok", []),
        ("bialystok atlantis", []),
        ("Atlantis", []),
        # LIKE wildcards are searched for literally.
        ("%", []),
        ("_", []),
    ],
)  # fmt: skip
def test_search_ignores_case_and_accents_and_needs_every_word(
    client_for, student, search_partners, query, expected
):
    response = client_for(student).get(PARTNER_LIST, {"q": query})
    assert response.status_code == 200
    assert listed_partners(response) == expected


def test_search_for_something_unknown_lists_nothing(client_for, student, partner):
    response = client_for(student).get(PARTNER_LIST, {"q": "Atlantis"})
    assert listed_partners(response) == []
    assert "No partner institution matches" in response.content.decode()


def test_country_filter_lists_partners_of_that_country(client_for, staff_member, partner, berlin):
    response = client_for(staff_member).get(PARTNER_LIST, {"country": "PL"})
    assert listed_partners(response) == ["Medical University of Bialystok"]
    response = client_for(staff_member).get(PARTNER_LIST, {"country": "DE"})
    assert listed_partners(response) == ["Charité Berlin"]


def test_kind_filter(client_for, staff_member, partner, berlin):
    response = client_for(staff_member).get(PARTNER_LIST, {"kind": Partner.Kind.UNIVERSITY})
    assert listed_partners(response) == ["Charité Berlin"]


def test_active_agreement_filter(client_for, staff_member, agreement, berlin):
    AgreementFactory(partner=berlin, lifecycle=Agreement.Lifecycle.TERMINATED)
    client = client_for(staff_member)
    yes = client.get(PARTNER_LIST, {"has_active_agreement": "yes"})
    no = client.get(PARTNER_LIST, {"has_active_agreement": "no"})
    assert listed_partners(yes) == ["Medical University of Bialystok"]
    assert listed_partners(no) == ["Charité Berlin"]


def test_program_kind_filter_lists_hosts_of_published_programs_of_that_kind(
    client_for, staff_member, program, berlin
):
    ProgramFactory(
        agreement=None, host_institution=berlin, kind=ProgramKind.SUMMER_SCHOOL, is_published=False
    )
    response = client_for(staff_member).get(PARTNER_LIST, {"program_kind": program.kind})
    assert listed_partners(response) == ["Medical University of Bialystok"]
    response = client_for(staff_member).get(PARTNER_LIST, {"program_kind": "summer_school"})
    assert listed_partners(response) == []


def test_partner_list_sorts_by_participants_country_and_name(
    client_for, staff_member, partner, berlin
):
    zagreb = PartnerFactory(name="Zagreb School of Medicine", country="HR")
    MobilityRecordFactory.create_batch(3, partner=zagreb)
    MobilityRecordFactory(partner=berlin)
    client = client_for(staff_member)

    by_participants = client.get(PARTNER_LIST, {"sort": "-participants"})
    by_country = client.get(PARTNER_LIST, {"sort": "country"})
    by_name = client.get(PARTNER_LIST, {"sort": "name"})

    assert listed_partners(by_participants) == [
        "Zagreb School of Medicine",
        "Charité Berlin",
        "Medical University of Bialystok",
    ]
    assert listed_partners(by_country) == [  # DE, HR, PL
        "Charité Berlin",
        "Zagreb School of Medicine",
        "Medical University of Bialystok",
    ]
    assert listed_partners(by_name) == [
        "Charité Berlin",
        "Medical University of Bialystok",
        "Zagreb School of Medicine",
    ]


def test_partner_list_sorts_by_active_agreements(client_for, staff_member, partner, berlin):
    AgreementFactory.create_batch(2, partner=berlin)
    AgreementFactory(partner=partner)
    response = client_for(staff_member).get(PARTNER_LIST, {"sort": "-agreements"})
    assert listed_partners(response) == ["Charité Berlin", "Medical University of Bialystok"]


@pytest.mark.parametrize(
    "params",
    [
        {"country": "XX"},
        {"country": "<script>"},
        {"kind": "castle"},
        {"has_active_agreement": "maybe"},
        {"program_kind": "party"},
        {"sort": "evil"},
        {"sort": "id; DROP TABLE partners_partner"},
        {"page": "999"},
        {"page": "abc"},
        {"page": "-1"},
        {"q": "x" * 5000},
    ],
)
def test_partner_list_survives_bad_parameters(client_for, student, partner, params):
    response = client_for(student).get(PARTNER_LIST, params)
    assert response.status_code == 200


def test_unknown_country_is_ignored_and_reported_on_the_form(client_for, student, partner):
    response = client_for(student).get(PARTNER_LIST, {"country": "XX"})
    assert listed_partners(response) == ["Medical University of Bialystok"]
    assert "country" in response.context["filter"].form.errors


def test_partner_list_pages_by_25_with_the_total_count(client_for, student):
    PartnerFactory.create_batch(30)
    client = client_for(student)
    first = client.get(PARTNER_LIST)
    beyond = client.get(PARTNER_LIST, {"page": 999})
    assert len(first.context["partners"]) == 25
    assert "30 partner institutions found" in first.content.decode()
    assert beyond.status_code == 200
    assert beyond.context["page_obj"].number == 2
    assert len(beyond.context["partners"]) == 5


def test_filters_survive_in_the_pagination_links(client_for, student):
    PartnerFactory.create_batch(30, country="PL")
    response = client_for(student).get(PARTNER_LIST, {"country": "PL"})
    assert "?country=PL&amp;page=2" in response.content.decode()


def _partners_with_everything(count):
    for partner in PartnerFactory.create_batch(count):
        agreement = AgreementFactory(partner=partner)
        ProgramFactory(agreement=agreement)
        MobilityRecordFactory(partner=partner, agreement=agreement)


@pytest.mark.parametrize("rows", [5, 50])
def test_partner_list_queries_do_not_grow_with_rows(
    client_for, staff_member, rows, django_assert_max_num_queries
):
    _partners_with_everything(rows)
    client = client_for(staff_member)
    # session, user, session save (savepoint, update), country choices, count, page of partners
    # with both counts as subqueries, office group and coordinator checks for the navigation.
    with django_assert_max_num_queries(10):
        response = client.get(PARTNER_LIST)
    assert len(response.context["partners"]) == min(rows, 25)


# --- partner detail --------------------------------------------------------------------------


def partner_url(partner):
    return reverse("partners:partner-detail", kwargs={"slug": partner.slug})


def test_partner_page_shows_the_institution_contacts_agreements_and_programs(
    client_for, staff_member, partner, agreement, program
):
    ContactFactory(partner=partner, name="Anna Kowalska", email="anna@umb.edu.pl")
    ProgramFactory(agreement=agreement, title="Hidden draft program", is_published=False)

    response = client_for(staff_member).get(partner_url(partner))

    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Medical University of Bialystok" in content
    assert "Uniwersytet Medyczny w Białymstoku" in content
    assert "Anna Kowalska" in content and "anna@umb.edu.pl" in content
    assert agreement.reference in content and agreement.get_absolute_url() in content
    assert "Active" in content
    assert "Clinical training in Bialystok" in content
    assert "Hidden draft program" not in content


def test_partner_page_counts_mobility_by_year_and_direction_without_cancelled(
    client_for, student, partner, agreement
):
    agreement.signed_on = datetime.date(2004, 5, 1)
    agreement.save()
    out, inc = Direction.OUTGOING, Direction.INCOMING
    for start, direction, status in [
        (datetime.date(2003, 6, 1), out, MobilityStatus.COMPLETED),  # before the first signing
        (datetime.date(2023, 3, 1), out, MobilityStatus.COMPLETED),
        (datetime.date(2023, 9, 1), out, MobilityStatus.COMPLETED),
        (datetime.date(2023, 10, 1), inc, MobilityStatus.COMPLETED),
        (datetime.date(2024, 2, 1), inc, MobilityStatus.COMPLETED),
        (datetime.date(2024, 3, 1), inc, MobilityStatus.PLANNED),
        (datetime.date(2024, 4, 1), out, MobilityStatus.CANCELLED),
    ]:
        MobilityRecordFactory(partner=partner, start_date=start, direction=direction, status=status)
    MobilityRecordFactory(start_date=datetime.date(2024, 1, 1))  # another partner's

    response = client_for(student).get(partner_url(partner))

    assert response.context["mobility_by_year"] == [
        {"year": 2024, "outgoing": 0, "incoming": 2, "total": 2},
        {"year": 2023, "outgoing": 2, "incoming": 1, "total": 3},
        {"year": 2003, "outgoing": 1, "incoming": 0, "total": 1},
    ]
    assert response.context["total_since_first"] == 5
    assert "5 participants since the first agreement was signed in 2004" in (
        response.content.decode()
    )


def test_partner_page_counts_participants_under_each_agreement(
    client_for, student, partner, agreement
):
    summer = AgreementFactory(partner=partner, reference="BSMU-UMB-2011-SP")
    MobilityRecordFactory.create_batch(3, partner=partner, agreement=agreement)
    MobilityRecordFactory(partner=partner, agreement=agreement, status=MobilityStatus.CANCELLED)
    MobilityRecordFactory(partner=partner, agreement=summer)

    response = client_for(student).get(partner_url(partner))

    counts = {a.reference: a.participant_count for a in response.context["agreements"]}
    assert counts == {"BSMU-UMB-2004": 3, "BSMU-UMB-2011-SP": 1}


def test_archived_agreement_is_listed_and_counted_as_archived_on_the_partner_page(
    client_for, staff_member, office, partner, agreement
):
    """Issue 17: the page no longer says "No agreements" beside participants since 2011."""
    AgreementFactory(partner=partner, reference="OLD-ARCHIVED", is_archived=True)
    for user in (staff_member, office):
        content = client_for(user).get(partner_url(partner)).content.decode()
        assert 'OLD-ARCHIVED</a> <span class="badge text-bg-secondary">archived</span>' in content
        assert "2 agreements with this institution (archived: 1)." in content


def test_partner_with_only_archived_agreements_does_not_say_it_has_none(
    client_for, staff_member, partner
):
    AgreementFactory(partner=partner, reference="OLD-ARCHIVED", is_archived=True)
    content = client_for(staff_member).get(partner_url(partner)).content.decode()
    assert "No agreements with this institution." not in content
    assert "1 agreement with this institution (archived: 1)." in content


def test_archived_partner_is_shown_marked_archived_to_staff_and_the_office(
    client_for, staff_member, office
):
    """Issue 17 on purpose: a link to an archived partner answers 200 and says it is archived."""
    archived = PartnerFactory(is_active=False)
    for user in (staff_member, office):
        response = client_for(user).get(partner_url(archived))
        assert response.status_code == 200
        assert "This partner is archived." in response.content.decode()


def test_unknown_partner_is_404(client_for, student):
    response = client_for(student).get(reverse("partners:partner-detail", kwargs={"slug": "nope"}))
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_partner_page_queries_do_not_grow_with_rows(
    client_for, staff_member, partner, rows, django_assert_max_num_queries
):
    ContactFactory.create_batch(rows, partner=partner)
    for agreement in AgreementFactory.create_batch(rows, partner=partner):
        ProgramFactory(agreement=agreement)
    for year in range(rows):
        MobilityRecordFactory(partner=partner, start_date=datetime.date(1970 + year, 3, 1))
    client = client_for(staff_member)
    # session, user, session save (savepoint, update), partner, office group, first signing,
    # total since then, contacts, agreements with departments, programs, mobility by year,
    # coordinator check.
    with django_assert_max_num_queries(14):
        response = client.get(partner_url(partner))
    assert len(response.context["mobility_by_year"]) == rows


# --- agreement detail ------------------------------------------------------------------------


def agreement_url(agreement):
    return reverse("partners:agreement-detail", kwargs={"pk": agreement.pk})


def test_agreement_page_shows_terms_programs_and_subject_areas(
    client_for, staff_member, agreement, program
):
    response = client_for(staff_member).get(agreement_url(agreement))
    assert response.status_code == 200
    content = response.content.decode()
    assert agreement.title in content
    assert "BSMU-UMB-2004" in content
    assert "Medical University of Bialystok" in content
    assert "Department of Infectious Diseases" in content
    assert "Clinical training in Bialystok" in content


def test_agreement_page_shows_quota_places_used_and_left_this_academic_year(
    client_for, student, agreement
):
    year = academic_year_of(today())
    first_day, last_day = academic_year_bounds(year)
    quota = AgreementQuotaFactory(
        agreement=agreement,
        academic_year=year,
        mobility_type=MobilityType.HE_STT,
        direction=Direction.OUTGOING,
        places=5,
    )
    AgreementQuotaFactory(agreement=agreement, academic_year=year - 1, places=3)
    counting = {"agreement": agreement, "partner": agreement.partner}
    MobilityRecordFactory(**counting, start_date=first_day)
    MobilityRecordFactory(**counting, start_date=last_day - datetime.timedelta(days=20))
    MobilityRecordFactory(**counting, start_date=first_day, status=MobilityStatus.CANCELLED)
    MobilityRecordFactory(**counting, start_date=first_day, direction=Direction.INCOMING)
    MobilityRecordFactory(**counting, start_date=first_day, mobility_type=MobilityType.HE_STA)
    MobilityRecordFactory(**counting, start_date=first_day - datetime.timedelta(days=1))
    MobilityRecordFactory(start_date=first_day)  # without the agreement

    response = client_for(student).get(agreement_url(agreement))

    [this_year] = response.context["quotas_this_year"]
    [last_year] = response.context["quotas_other_years"]
    assert (this_year.places, this_year.used, this_year.left) == (5, 2, 3)
    assert this_year.used == MobilityRecord.objects.counting_against(quota).count()
    assert (last_year.places, last_year.used, last_year.left) == (3, 1, 2)


def _signed_in_viewer(request, name, agreement):
    if name == "agreement_coordinator":
        user = UserFactory(username="agreement-coordinator")
        agreement.coordinator = user
        agreement.save()
        return user
    return request.getfixturevalue(name)


@pytest.mark.parametrize(
    ("viewer", "sees_documents", "sees_history"),
    [
        ("student", False, False),
        ("staff_member", False, False),
        ("other_coordinator", False, False),
        ("coordinator", True, False),
        ("agreement_coordinator", True, False),
        ("office", True, True),
    ],
)
def test_documents_and_history_are_shown_only_to_those_allowed(
    request, client_for, agreement, viewer, sees_documents, sees_history
):
    user = _signed_in_viewer(request, viewer, agreement)
    document = AgreementDocumentFactory(agreement=agreement, title="Scan of the signed agreement")

    response = client_for(user).get(agreement_url(agreement))

    content = response.content.decode()
    assert response.status_code == 200
    assert ("Scan of the signed agreement" in content) is sees_documents
    assert (document.get_absolute_url() in content) is sees_documents
    assert ("Change history" in content) is sees_history


def test_office_sees_who_changed_which_fields_and_when(client_for, office, agreement, department):
    new_department = DepartmentFactory(name="Department of Surgery")
    agreement._history_user = office
    agreement.valid_until = datetime.date(2030, 12, 31)
    agreement.department = new_department
    agreement.kind = Agreement.Kind.MEMORANDUM
    agreement.save()

    response = client_for(office).get(agreement_url(agreement))

    newest, created = response.context["history"]
    assert created["record"].history_type == "+"
    changed = {change["field"]: (change["old"], change["new"]) for change in newest["changes"]}
    assert changed["responsible department"] == (department, new_department)
    assert changed["kind"][1] == "Memorandum of understanding"
    assert changed["valid until"][1] == datetime.date(2030, 12, 31)
    content = response.content.decode()
    assert "Olga Office" in content
    assert "Department of Infectious Diseases → Department of Surgery" in content


def test_archived_agreement_is_shown_marked_archived_to_staff_and_the_office(
    client_for, staff_member, office
):
    archived = AgreementFactory(is_archived=True)
    for user in (staff_member, office):
        response = client_for(user).get(agreement_url(archived))
        assert response.status_code == 200
        assert "This agreement is archived." in response.content.decode()


def test_unknown_agreement_is_404(client_for, student):
    response = client_for(student).get(reverse("partners:agreement-detail", kwargs={"pk": 999999}))
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [5, 50])
def test_agreement_page_queries_do_not_grow_with_rows(
    client_for, office, agreement, rows, django_assert_max_num_queries
):
    for n in range(rows):
        AgreementQuotaFactory(agreement=agreement, academic_year=2000 + n)
        AgreementDocumentFactory(agreement=agreement)
        ProgramFactory(agreement=agreement)
        MobilityRecordFactory(agreement=agreement, start_date=datetime.date(2000 + n, 10, 1))
        agreement.title = f"Agreement, version {n}"
        agreement.save()
    client = client_for(office)
    # session, user, session save (savepoint, update), office group, agreement with partner,
    # department and coordinator, quota usage, quotas, subject areas, programs, documents,
    # history with users, coordinator check for the navigation.
    with django_assert_max_num_queries(14):
        response = client.get(agreement_url(agreement))
    assert len(response.context["history"]) == rows + 1
