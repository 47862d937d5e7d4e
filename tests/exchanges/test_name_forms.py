"""Program titles and descriptions, and partner names, in the reader's language on the pages."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.exchanges.test_admin import admin_url
from tests.factories import ApplicationFactory
from tests.partners.test_admin import change_form_data

TITLE_RU = "Клиническая стажировка преподавателей в Белостоке"
TITLE_BE = "Клінічная стажыроўка выкладчыкаў у Беластоку"
TITLE_EN = "Clinical training in Bialystok"
DESCRIPTION_EN = "Two weeks in the university clinics."
DESCRIPTION_RU = "Две недели в университетских клиниках."
NAME_RU = "Медицинский университет в Белостоке"


@pytest.fixture
def translated(program):
    program.title_ru, program.title_be = TITLE_RU, TITLE_BE
    program.description, program.description_ru = DESCRIPTION_EN, DESCRIPTION_RU
    program.save()
    program.host_institution.name_ru = NAME_RU
    program.host_institution.save()
    return program


@pytest.mark.parametrize(
    ("language", "title", "description"),
    [
        ("en", TITLE_EN, DESCRIPTION_EN),
        ("ru", TITLE_RU, DESCRIPTION_RU),
        ("be", TITLE_BE, DESCRIPTION_RU),  # no Belarusian description: the Russian one
        ("de", TITLE_EN, DESCRIPTION_EN),
    ],
)
def test_program_shows_the_title_and_description_of_the_active_language(
    translated, language, title, description
):
    with translation.override(language):
        assert translated.display_title == title
        assert translated.display_description == description
        assert str(translated) == TITLE_EN


def test_program_title_falls_back_to_english_when_no_form_is_written(program):
    with translation.override("be"):
        assert program.display_title == TITLE_EN


def page_urls(program, application):
    partner = program.host_institution
    return {
        "partner list": reverse("partners:partner-list"),
        "partner page": partner.get_absolute_url(),
        "agreement list": reverse("partners:agreement-list"),
        "agreement page": reverse("partners:agreement-detail", args=[program.agreement.pk]),
        "program list": reverse("exchanges:program-list"),
        "program page": program.get_absolute_url(),
        "dashboard": reverse("dashboard"),
        "application page": reverse("exchanges:application-detail", args=[application.pk]),
        "application list": reverse("exchanges:application-list"),
        "review list": reverse("exchanges:review-list"),
        "review page": reverse("exchanges:review-detail", args=[application.pk]),
    }


PAGES = [
    # (page, the forms it shows)
    ("partner list", [NAME_RU]),
    ("partner page", [NAME_RU, TITLE_RU]),
    ("agreement list", [NAME_RU]),
    ("agreement page", [NAME_RU, TITLE_RU]),
    ("program list", [NAME_RU, TITLE_RU]),
    ("program page", [NAME_RU, TITLE_RU, DESCRIPTION_RU]),
    ("dashboard", [TITLE_RU]),
    ("application page", [TITLE_RU]),
    ("application list", [TITLE_RU]),
    ("review list", [NAME_RU, TITLE_RU]),
    ("review page", [TITLE_RU]),
]


@pytest.mark.parametrize(("page", "forms"), PAGES)
def test_pages_show_the_russian_forms_to_a_russian_reader(
    client_for, office, translated, page, forms
):
    application = ApplicationFactory(applicant=office, program=translated)
    url = page_urls(translated, application)[page]

    response = client_for(office).get(url, headers={"accept-language": "ru"})

    assert response.status_code == 200
    content = response.content.decode()
    for form in forms:
        assert form in content
    assert TITLE_EN not in content


@pytest.mark.parametrize(("page", "forms"), PAGES)
def test_pages_show_the_english_forms_to_an_english_reader(
    client_for, office, translated, page, forms
):
    application = ApplicationFactory(applicant=office, program=translated)
    url = page_urls(translated, application)[page]

    response = client_for(office).get(url, headers={"accept-language": "en"})

    content = response.content.decode()
    assert TITLE_RU not in content and NAME_RU not in content
    assert TITLE_EN in content or "Medical University of Bialystok" in content


def test_the_admin_shows_and_saves_every_title_and_description_form(client_for, office, program):
    client = client_for(office)
    url = admin_url("program", "change", program.pk)
    page = client.get(url)
    data = change_form_data(page)
    for field in ("title_ru", "title_be", "description_ru", "description_be"):
        assert f'name="{field}"' in page.content.decode()
    data.update(title_ru=TITLE_RU, title_be=TITLE_BE, description_ru=DESCRIPTION_RU)

    response = client.post(url, data)

    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.title, program.title_ru, program.title_be) == (TITLE_EN, TITLE_RU, TITLE_BE)
    assert program.description_ru == DESCRIPTION_RU
    assert program.description_be == ""
