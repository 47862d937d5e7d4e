"""The data version: every table a page shows has its trigger, and every kind of write changes
the version in its own transaction (core/dataversion.py)."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.db import connection, transaction

from core import dataversion
from exchanges.models import MobilityRecord
from partners.models import Partner
from tests.factories import MobilityRecordFactory, PartnerFactory, UserFactory

OUR_APPS = ("core", "partners", "people", "exchanges", "reporting")


def bulk_partner():
    return Partner(name="Bulk", slug="bulk", country="PL")


def version():
    return dataversion.read()


def test_every_table_of_our_apps_and_the_accounts_has_its_trigger(db):
    # A new model's table gets its trigger from the next migrate; if it did not, a page could
    # show its rows stale. Leaving a table out is a decision, made in UNVERSIONED.
    tables = {
        model._meta.db_table
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    tables |= {"auth_user", "auth_group", "auth_user_groups"}
    assert dataversion.UNVERSIONED == {"core_dataversion", "core_outgoingemail"}
    assert tables - dataversion.UNVERSIONED <= dataversion.tables_with_triggers()
    assert not dataversion.UNVERSIONED & dataversion.tables_with_triggers()


def test_a_table_that_lost_its_trigger_is_found_and_given_it_again(db):
    table = Partner._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {dataversion.TRIGGER} ON {table}")
        else:
            cursor.execute(f"DROP TRIGGER {dataversion._sqlite_trigger(table, 'UPDATE')}")
    assert table not in dataversion.tables_with_triggers()

    assert dataversion.install_triggers() == [table]
    assert table in dataversion.tables_with_triggers()


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda p: PartnerFactory(), id="insert"),
        pytest.param(lambda p: Partner.objects.filter(pk=p.pk).update(city="Grodno"), id="update"),
        pytest.param(lambda p: p.delete(), id="delete"),
        pytest.param(lambda p: Partner.objects.bulk_create([bulk_partner()]), id="bulk_create"),
        pytest.param(lambda p: MobilityRecordFactory(partner=p), id="record"),
        pytest.param(
            lambda p: MobilityRecord.objects.filter(pk=MobilityRecordFactory().pk).update(
                full_name="Renamed"
            ),
            id="queryset-update",
        ),
        pytest.param(lambda p: UserFactory().groups.add(Group.objects.create(name="x")), id="m2m"),
    ],
)
def test_every_kind_of_write_changes_the_version(db, write):
    partner = PartnerFactory()
    before = version()
    write(partner)
    assert version() != before


def test_the_version_changes_once_per_write_even_within_one_transaction(db):
    partner = PartnerFactory()
    first = version()
    Partner.objects.filter(pk=partner.pk).update(city="Minsk")
    second = version()
    Partner.objects.filter(pk=partner.pk).update(city="Grodno")
    assert len({first, second, version()}) == 3


def test_a_rolled_back_write_leaves_the_version_as_it_was(db):
    before = version()
    with pytest.raises(RuntimeError), transaction.atomic():
        PartnerFactory()
        assert version() != before
        raise RuntimeError
    assert version() == before


def test_reading_the_version_is_one_query_and_once_per_request(db, rf, django_assert_num_queries):
    request = rf.get("/")
    with django_assert_num_queries(1):
        first = dataversion.for_request(request)
        assert dataversion.for_request(request) == first


def test_a_missing_row_is_made_again_with_a_new_value(db):
    before = version()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_dataversion")
    after = version()
    assert after and after != before
    assert version() == after
