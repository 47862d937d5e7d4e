"""A partner's name in the reader's language, with a fixed fallback, and search over every form."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse
from django.utils import translation

from partners.models import Partner
from tests.factories import PartnerFactory
from tests.partners.test_admin import admin_url, change_form_data, results

RU = "Медицинский университет в Белостоке"
BE = "Медыцынскі ўніверсітэт у Беластоку"
EN = "Medical University of Bialystok"


@pytest.fixture
def bialystok(partner):
    partner.name_ru = RU
    partner.name_be = BE
    partner.save()
    return partner


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", EN), ("ru", RU), ("be", BE), ("ru-ru", RU), ("de", EN), ("pl", EN)],
)
def test_display_name_is_the_form_of_the_active_language(bialystok, language, expected):
    with translation.override(language):
        assert bialystok.display_name == expected


@pytest.mark.parametrize(
    ("name_ru", "name_be", "language", "expected"),
    [
        # Belarusian falls back to Russian, then English; Russian to English; never to Belarusian.
        ("", BE, "be", BE),
        (RU, "", "be", RU),
        ("", "", "be", EN),
        ("", BE, "ru", EN),
        (RU, BE, "en", EN),
    ],
)
def test_display_name_falls_back_in_a_fixed_order(partner, name_ru, name_be, language, expected):
    partner.name_ru, partner.name_be = name_ru, name_be
    with translation.override(language):
        assert partner.display_name == expected


def test_display_name_without_an_active_language_is_english(bialystok):
    with translation.override(None):
        assert bialystok.display_name == EN


def test_str_stays_english_whatever_the_language(bialystok):
    with translation.override("ru"):
        assert str(bialystok) == EN


# --- search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "Белосток",
        "белостоке",
        "Беласток",
        "БЕЛАСТОКУ",
        "медицинский белосток",
        "Медыцынскі ўніверсітэт",
        # The short u is folded like any letter with a mark: typed without it, still found.
        "універсітэт у беластоку",
        # Words from different forms and fields together.
        "беласток umb",
    ],
)
def test_search_finds_a_partner_by_its_russian_and_belarusian_names(bialystok, query):
    PartnerFactory(name="Belarusian State Medical University", name_ru="Белорусский университет")
    assert list(Partner.objects.search(query)) == [bialystok]


def test_saving_a_partner_folds_its_name_forms_into_the_search_column(bialystok):
    stored = Partner.objects.values_list("search_text", flat=True).get(pk=bialystok.pk)
    assert "медицинскии университет в белостоке" in stored
    assert "медыцынскі універсітэт у беластоку" in stored


def test_refresh_search_text_covers_name_forms_written_in_bulk(partner):
    Partner.objects.update(name_ru=RU, name_be=BE)  # update() sends no signals
    assert not Partner.objects.search("Беласток").exists()

    Partner.objects.refresh_search_text()

    assert list(Partner.objects.search("Беласток")) == [partner]
    assert list(Partner.objects.search("Белосток")) == [partner]


def test_partner_list_finds_by_russian_name_and_shows_it_in_russian(client_for, student, bialystok):
    response = client_for(student).get(
        reverse("partners:partner-list"), {"q": "Белосток"}, headers={"accept-language": "ru"}
    )
    assert response.status_code == 200
    assert list(response.context["partners"]) == [bialystok]
    assert RU in response.content.decode()


# --- admin ------------------------------------------------------------------------------------


def test_the_admin_shows_and_saves_every_name_form(client_for, office, partner):
    client = client_for(office)
    url = admin_url("partner", "change", partner.pk)
    page = client.get(url)
    assert 'name="name_ru"' in page.content.decode()
    assert 'name="name_be"' in page.content.decode()
    data = change_form_data(page)
    data["name_ru"] = RU
    data["name_be"] = BE

    response = client.post(url, data)

    assert response.status_code == 302
    partner.refresh_from_db()
    assert (partner.name, partner.name_ru, partner.name_be) == (EN, RU, BE)
    assert results(client.get(admin_url("partner"), {"q": "Беласток"})) == [partner]
    assert partner.history.first().name_be == BE


def test_the_migration_refreshes_the_search_column_of_existing_partners(partner):
    """0009 fills the column for rows written before it, so old partners are found by new forms."""
    migration = importlib.import_module("partners.migrations.0009_partner_name_forms")
    Partner.objects.update(name_be=BE, search_text="")  # as a row stood before the migration

    migration.refresh_search_text(django_apps, SimpleNamespace(connection=connection))

    assert list(Partner.objects.search("Беласток")) == [partner]
    assert list(Partner.objects.search("bialystok")) == [partner]
