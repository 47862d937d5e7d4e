"""Two gunicorn processes, each with its own local-memory cache or both with one Redis: a
partner renamed in the admin through one shows on the partners list and the partner page of
both on the very next request, as the data version is shared in the database."""

import re

import pytest
import redis
import requests
from django.test import Client
from django.urls import reverse

from tests.factories import OfficeUserFactory, PartnerFactory
from tests.partners.test_admin import change_form_data
from tests.servers import portal, redis_server, shared_database_url

OLD_NAME = "Medical University of Bialystok"
NEW_NAME = "Bialystok Medical University"


def pages(session: requests.Session, server: str, partner_path: str) -> dict[str, str]:
    lists = reverse("partners:partner-list")
    return {
        path: session.get(f"{server}{path}", allow_redirects=False, timeout=30).text
        for path in (lists, partner_path)
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("shared_cache", [False, True], ids=["local-memory", "redis"])
def test_a_partner_renamed_in_the_admin_shows_at_once_through_either_server(tmp_path, shared_cache):
    # A superuser: a transactional test's database has lost the office group's permissions.
    office = OfficeUserFactory(username="office", is_superuser=True)
    partner = PartnerFactory(
        name=OLD_NAME, name_original="Uniwersytet Medyczny w Białymstoku", slug="umb", country="PL"
    )
    change_path = reverse("admin:partners_partner_change", args=[partner.pk])
    signed_in = Client()
    signed_in.force_login(office)
    form = change_form_data(signed_in.get(change_path))
    environment = {"DATABASE_URL": shared_database_url(tmp_path), "CACHE_URL": "locmemcache://"}

    with redis_server(tmp_path) if shared_cache else _no_redis() as cache_url:
        if cache_url:
            environment["CACHE_URL"] = cache_url
        with (
            portal(tmp_path, "a", **environment) as first,
            portal(tmp_path, "b", **environment) as second,
        ):
            session = requests.Session()
            session.cookies.set("sessionid", signed_in.cookies["sessionid"].value)
            for server in (first, second):  # twice each: the second answer is a cached one
                for _ in range(2):
                    for path, html in pages(session, server, partner.get_absolute_url()).items():
                        assert OLD_NAME in html, (server, path)

            edit = session.get(f"{first}{change_path}", timeout=30)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', edit.text)[1]
            saved = session.post(
                f"{first}{change_path}",
                data=form | {"name": NEW_NAME, "csrfmiddlewaretoken": token},
                allow_redirects=False,
                timeout=30,
            )
            assert saved.status_code == 302, saved.text[:2000]
            if cache_url:  # the servers did fill the shared cache
                assert redis.Redis.from_url(cache_url).keys("*:mp:*")

            for server in (second, first):
                for path, html in pages(session, server, partner.get_absolute_url()).items():
                    assert NEW_NAME in html, (server, path)
                    assert OLD_NAME not in html, (server, path)


class _no_redis:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
