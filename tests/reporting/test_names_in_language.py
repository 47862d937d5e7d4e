"""The report and records.csv name partners and programs in the reader's language."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from people.models import Profile
from tests.factories import MobilityRecordFactory
from tests.reporting.test_exports import parse, records_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def named_record(partner, program, department):
    partner.name_ru = "Медицинский университет в Белостоке"
    partner.name_be = "Медыцынскі ўніверсітэт у Беластоку"
    partner.save()
    program.title_ru = "Клиническая стажировка в Белостоке"
    program.save()  # no Belarusian title: Belarusian readers get the Russian one
    return MobilityRecordFactory(
        partner=partner,
        program=program,
        department=department,
        start_date=datetime.date(2025, 3, 2),
        end_date=datetime.date(2025, 3, 20),
    )


@pytest.mark.parametrize(
    ("language", "partner_name", "program_title"),
    [
        ("en", "Medical University of Bialystok", "Clinical training in Bialystok"),
        ("ru", "Медицинский университет в Белостоке", "Клиническая стажировка в Белостоке"),
        ("be", "Медыцынскі ўніверсітэт у Беластоку", "Клиническая стажировка в Белостоке"),
    ],
)
def test_records_csv_names_in_the_exporters_language(
    named_record, language, partner_name, program_title
):
    with translation.override("en"):
        partner_column = parse(records_csv(year=2025))[0].index("Partner institution")
    with translation.override(language):
        _header, row = parse(records_csv(year=2025))
    assert row[partner_column] == partner_name
    assert program_title in row


@pytest.mark.parametrize(
    ("language", "partner_name"),
    [
        ("en", "Medical University of Bialystok"),
        ("ru", "Медицинский университет в Белостоке"),
        ("be", "Медыцынскі ўніверсітэт у Беластоку"),
    ],
)
def test_report_page_names_partners_in_the_readers_language(
    client_for, office, named_record, language, partner_name
):
    Profile.objects.filter(user=office).update(language=language)
    response = client_for(office).get(reverse("reports:detail", kwargs={"year": 2025}))
    assert response.status_code == 200
    assert partner_name in response.content.decode()
