"""`manage.py generate_data`: reproducible data at scale, and never into real data by accident.

Scale small only (50 partners, 2,000 records): the larger scales are the benchmark's business.
"""

import hashlib
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import F

from devdata.generator import PREFIX, SCALES, generated_tables, wipe_all
from exchanges.models import Application, MobilityRecord, Program
from partners.models import Agreement, AgreementQuota, Contact, Department, Partner
from people.choices import STUDYING
from people.models import Profile
from reporting.models import RecordSummary
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db
CYRILLIC = re.compile("[а-яА-ЯёЁіІўЎїЇєЄ]")


def generate(*args, seed=7, **options) -> str:
    out = io.StringIO()
    call_command("generate_data", "--scale", "small", "--seed", str(seed), *args, stdout=out)
    return out.getvalue()


def digest() -> str:
    """The generated rows, in a fixed order, as one fingerprint."""
    tables = [
        Partner.objects.values_list("id", "name", "name_original", "slug", "country", "city"),
        Contact.objects.values_list("partner_id", "name", "email", "phone"),
        Agreement.objects.values_list(
            "id", "partner_id", "reference", "lifecycle", "valid_from", "valid_until"
        ),
        AgreementQuota.objects.values_list(
            "agreement_id", "academic_year", "mobility_type", "direction", "places"
        ),
        Program.objects.values_list("id", "slug", "agreement_id", "call_opens", "places"),
        Application.objects.values_list("id", "applicant_id", "program_id", "status"),
        MobilityRecord.objects.values_list(
            "id", "full_name", "partner_id", "program_id", "start_date", "end_date", "status"
        ),
        get_user_model().objects.values_list("id", "username", "first_name", "last_name"),
    ]
    fingerprint = hashlib.sha256()
    for queryset in tables:
        fingerprint.update(repr(list(queryset.order_by(*queryset._fields))).encode())
    return fingerprint.hexdigest()


def test_small_scale_writes_the_promised_rows_and_a_summary():
    output = generate()

    scale = SCALES["small"]
    assert Partner.objects.count() == scale.partners == 50
    assert MobilityRecord.objects.count() == scale.records == 2_000
    assert Agreement.objects.count() == scale.agreements
    assert Program.objects.count() == scale.programs
    assert Application.objects.count() == scale.applications
    assert Department.objects.count() == scale.departments
    assert Contact.objects.filter(partner__isnull=False).count() >= scale.partners
    assert AgreementQuota.objects.exists()
    assert "mobility records: 2,000 of 2,000" in output
    summary = output.strip().splitlines()[-1]
    assert re.match(r"Generated scale small \(seed 7\) in [0-9.]+ s: ", summary)


def test_wiping_generated_data_empties_the_report_summary_with_the_records():
    """PostgreSQL empties tables with TRUNCATE, which fires none of the summary's triggers: the
    summary is one of the generated tables (and so analysed with them after a run)."""
    generate()
    assert RecordSummary.objects.exists()
    assert RecordSummary._meta.db_table in generated_tables()

    wipe_all()

    assert not MobilityRecord.objects.exists()
    assert not RecordSummary.objects.exists()


def test_generated_partners_are_searchable_though_written_in_bulk():
    generate()

    assert not Partner.objects.filter(search_text="").exists()
    for partner in Partner.objects.all():
        assert partner.search_text == partner.folded_search_text()
    # The first partner is always the one in Białystok.
    umb = Partner.objects.search("BIAŁYSTOK medical university").get(city="Bialystok")
    assert umb.name == "Medical University of Bialystok"


def test_generated_data_is_realistic_and_marked_as_generated():
    generate()

    assert not Partner.objects.exclude(slug__startswith=PREFIX).exists()
    assert not get_user_model().objects.exclude(username__startswith=PREFIX).exists()
    assert Partner.objects.filter(name_original__regex=CYRILLIC.pattern).exists()
    assert MobilityRecord.objects.filter(full_name__regex=CYRILLIC.pattern).exists()
    assert MobilityRecord.objects.exclude(full_name__regex=CYRILLIC.pattern).exists()
    years = MobilityRecord.objects.dates("start_date", "year")
    assert years.first().year == 2004
    assert Agreement.objects.active().exists()
    # Bulk writes bypass the change history: nobody edited generated rows.
    assert not Partner.history.exists()
    assert not MobilityRecord.history.exists()


def test_generated_people_have_complete_profiles_their_applications_agree_with():
    generate()

    profiles = Profile.objects.all()
    assert profiles.count() == get_user_model().objects.count()
    assert not profiles.filter(category="").exists()
    assert not profiles.awaiting_confirmation().exists()
    assert not profiles.filter(category__in=STUDYING, year_of_study__isnull=True).exists()
    # Applicants apply as who their profile says.
    assert not Application.objects.exclude(category=F("applicant__profile__category")).exists()


def test_same_seed_gives_the_same_rows():
    generate(seed=11)
    first = digest()
    # The second run empties the generated tables first and writes everything again.
    generate(seed=11)

    assert digest() == first
    assert MobilityRecord.objects.count() == 2_000


def test_another_seed_gives_other_data():
    generate(seed=11)
    first = digest()
    generate(seed=12)

    assert digest() != first


def test_database_with_real_data_is_refused_and_left_alone():
    real = PartnerFactory(name="Karolinska Institute", slug="karolinska-institute")

    with pytest.raises(CommandError, match="did not write.*--force"):
        generate()

    assert list(Partner.objects.all()) == [real]
    assert not MobilityRecord.objects.exists()


def test_force_adds_generated_data_beside_real_data():
    real = PartnerFactory(name="Karolinska Institute", slug="karolinska-institute")

    generate("--force")
    generate("--force")  # earlier generated rows are replaced, the real ones kept

    assert Partner.objects.count() == 51
    assert Partner.objects.filter(pk=real.pk, name="Karolinska Institute").exists()
    assert MobilityRecord.objects.count() == 2_000
