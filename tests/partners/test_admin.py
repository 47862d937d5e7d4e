"""The admin for partners and agreements: access, lists, filters, CSV export, history, deletes."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.roles import INTERNATIONAL_OFFICE_GROUP
from partners.models import (
    Agreement,
    AgreementDocument,
    ExpiryReminder,
    Partner,
)
from tests.factories import (
    AgreementDocumentFactory,
    AgreementFactory,
    AgreementQuotaFactory,
    ContactFactory,
    DepartmentFactory,
    MobilityRecordFactory,
    PartnerFactory,
    SubjectAreaFactory,
    UserFactory,
)

MODELS = [
    "partner",
    "contact",
    "department",
    "subjectarea",
    "agreement",
    "agreementquota",
    "agreementdocument",
    "expiryreminder",
]
EDITABLE_MODELS = [model for model in MODELS if model != "expiryreminder"]


def today():
    return timezone.localdate()


def admin_url(model, action="changelist", *args):
    return reverse(f"admin:partners_{model}_{action}", args=args)


def results(response):
    """The objects the changelist shows."""
    return list(response.context["cl"].result_list)


def change_form_data(response):
    """The POST data a browser would send back for an admin change form, unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False or hasattr(value, "url"):
                continue
            if value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = str(value)
    return data


def export_csv(client, url, objects):
    response = client.post(
        url, {"action": "export_as_csv", "_selected_action": [obj.pk for obj in objects]}
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8")
    return response, content


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_without_permissions(db):
    return UserFactory(username="bare-staff", is_staff=True)


@pytest.fixture
def objects(agreement):
    """One object of every model, for the change pages."""
    reminder = ExpiryReminder.objects.create(
        agreement=agreement, valid_until=agreement.valid_until, days_before=90
    )
    return {
        "partner": agreement.partner,
        "contact": ContactFactory(partner=agreement.partner),
        "department": agreement.department,
        "subjectarea": SubjectAreaFactory(),
        "agreement": agreement,
        "agreementquota": AgreementQuotaFactory(agreement=agreement),
        "agreementdocument": AgreementDocumentFactory(agreement=agreement),
        "expiryreminder": reminder,
    }


# --- Who may use it ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_office_user_sees_every_changelist_and_change_page(client_for, office, objects, model):
    client = client_for(office)
    assert client.get(admin_url(model)).status_code == 200
    assert client.get(admin_url(model, "change", objects[model].pk)).status_code == 200


@pytest.mark.parametrize("model", EDITABLE_MODELS)
def test_office_user_sees_every_add_page(client_for, office, model):
    assert client_for(office).get(admin_url(model, "add")).status_code == 200


def test_expiry_reminders_are_read_only_even_for_the_office(client_for, office, objects):
    client = client_for(office)
    assert client.get(admin_url("expiryreminder", "add")).status_code == 403
    response = client.get(admin_url("expiryreminder", "change", objects["expiryreminder"].pk))
    assert response.context["has_change_permission"] is False
    assert b'name="_save"' not in response.content


def test_office_user_is_not_a_superuser(office):
    assert office.is_staff and not office.is_superuser


@pytest.mark.parametrize("model", MODELS)
def test_anonymous_visitor_is_sent_to_sign_in(client, objects, model):
    # LoginRequiredMiddleware answers before the admin does: the portal's one sign-in page,
    # which then brings the person back to the admin page.
    for url in (admin_url(model), admin_url(model, "change", objects[model].pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("model", MODELS)
def test_signed_in_non_staff_user_is_sent_to_the_admin_login(client_for, student, objects, model):
    client = client_for(student)
    for url in (admin_url(model), admin_url(model, "add")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("model", MODELS)
def test_staff_user_without_permissions_is_refused(
    client_for, staff_without_permissions, objects, model
):
    client = client_for(staff_without_permissions)
    assert client.get(admin_url(model)).status_code == 403
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.get(admin_url(model, "change", objects[model].pk)).status_code == 403


def test_office_user_can_use_the_autocomplete_for_partners_and_users(client_for, office, partner):
    client = client_for(office)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "partners",
            "model_name": "agreement",
            "field_name": "partner",
            "term": "UMB",
        },
    )
    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == [partner.name]
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "partners", "model_name": "agreement", "field_name": "coordinator"},
    )
    assert response.status_code == 200


# --- Partner list --------------------------------------------------------------------------------


def test_partner_list_shows_only_active_partners_by_default(client_for, office):
    active = PartnerFactory(name="Karolinska Institute")
    archived = PartnerFactory(name="Old Academy", is_active=False)
    client = client_for(office)

    assert results(client.get(admin_url("partner"))) == [active]
    assert results(client.get(admin_url("partner"), {"active": "no"})) == [archived]
    assert set(results(client.get(admin_url("partner"), {"active": "all"}))) == {active, archived}
    # A made-up value falls back to the default rather than failing.
    assert results(client.get(admin_url("partner"), {"active": "maybe"})) == [active]


def test_partner_search_finds_acronym_and_original_name(client_for, office, partner):
    PartnerFactory(name="Karolinska Institute", acronym="KI", name_original="Karolinska Institutet")
    client = client_for(office)
    assert results(client.get(admin_url("partner"), {"q": "UMB"})) == [partner]
    assert results(client.get(admin_url("partner"), {"q": "Białymstoku"})) == [partner]


def test_partner_search_ignores_case_and_accents_and_needs_every_word(client_for, office, partner):
    partner.erasmus_code = "PL BIALYST02"
    partner.save()
    minsk = PartnerFactory(
        name="Belarusian State Medical University",
        name_original="Белорусский государственный медицинский университет",
        city="Минск",
    )
    client = client_for(office)

    def search(q):
        return results(client.get(admin_url("partner"), {"q": q}))

    assert search("bialystok medical") == [partner]
    assert search("bialyst02") == [partner]
    assert search("PL BIALYST02") == [partner]
    assert search("БЕЛОРУССКИЙ") == [minsk]
    assert search("минск medical") == [minsk]
    assert search("минск bialystok") == []


def test_editing_a_partner_in_the_admin_refreshes_its_search_column(client_for, office, partner):
    client = client_for(office)
    url = admin_url("partner", "change", partner.pk)
    data = change_form_data(client.get(url))
    data["name_original"] = "Uniwersytet Medyczny w Łodzi"
    data["city"] = "Łódź"

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert results(client.get(admin_url("partner"), {"q": "lodz"})) == [partner]
    assert results(client.get(admin_url("partner"), {"q": "bialymstoku"})) == []
    assert partner.history.count() == 2


def test_partner_country_filter_offers_only_countries_in_use(client_for, office, partner):
    swedish = PartnerFactory(name="Karolinska Institute", country="SE")
    response = client_for(office).get(admin_url("partner"), {"country": "SE"})
    assert results(response) == [swedish]
    [country_filter] = [f for f in response.context["cl"].filter_specs if f.title == "country"]
    assert dict(country_filter.lookup_choices) == {"PL": "Poland", "SE": "Sweden"}


def test_partner_change_page_shows_contacts_and_agreement_summary(client_for, office, agreement):
    ContactFactory(partner=agreement.partner, name="Anna Kowalska")
    response = client_for(office).get(admin_url("partner", "change", agreement.partner.pk))
    assert b"Anna Kowalska" in response.content
    assert agreement.reference.encode() in response.content
    assert admin_url("agreement", "change", agreement.pk).encode() in response.content


# --- Agreement list ------------------------------------------------------------------------------


@pytest.fixture
def agreements_around_expiry(partner):
    def make(reference, **fields):
        return AgreementFactory(partner=partner, reference=reference, **fields)

    return {
        "expiring": make("EXP-90", valid_until=today() + datetime.timedelta(days=90)),
        "active": make("ACT-91", valid_until=today() + datetime.timedelta(days=91)),
        "expired": make("OLD-1", valid_until=today() - datetime.timedelta(days=1)),
        "open_ended": make("OPEN", valid_until=None),
        "draft": make("DRAFT", lifecycle=Agreement.Lifecycle.DRAFT),
    }


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("expiring", {"expiring"}),
        ("active", {"active", "open_ended"}),
        ("expired", {"expired"}),
        ("draft", {"draft"}),
        ("terminated", set()),
    ],
)
def test_agreement_status_filter_draws_the_line_at_ninety_days(
    client_for, office, agreements_around_expiry, status, expected
):
    response = client_for(office).get(admin_url("agreement"), {"status": status})
    assert set(results(response)) == {agreements_around_expiry[name] for name in expected}


def test_agreement_status_filter_ignores_unknown_values(
    client_for, office, agreements_around_expiry
):
    response = client_for(office).get(admin_url("agreement"), {"status": "bogus"})
    assert response.status_code == 200
    assert len(results(response)) == len(agreements_around_expiry)


def test_agreement_list_shows_badge_and_days_to_expiry(
    client_for, office, agreements_around_expiry
):
    response = client_for(office).get(admin_url("agreement"))
    content = response.content.decode()
    assert '<span class="status-badge status-badge--expiring">Expiring soon</span>' in content
    assert '<span class="status-badge status-badge--expired">Expired</span>' in content
    assert '<td class="field-days_to_expiry">91</td>' in content
    assert "partners/admin.css" in content


def test_agreement_year_filter_uses_the_year_it_came_into_force(client_for, office, partner):
    old = AgreementFactory(partner=partner, valid_from=datetime.date(2004, 5, 1))
    AgreementFactory(partner=partner)
    client = client_for(office)
    assert results(client.get(admin_url("agreement"), {"year": "2004"})) == [old]
    assert client.get(admin_url("agreement"), {"year": "20x4"}).status_code == 200


def test_agreement_filters_by_kind_country_and_department(client_for, office, agreement):
    other_department = DepartmentFactory(name="Department of Prosthetic Dentistry")
    swedish = AgreementFactory(
        partner=PartnerFactory(country="SE"),
        department=other_department,
        kind=Agreement.Kind.ERASMUS_IIA,
    )
    client = client_for(office)
    assert results(client.get(admin_url("agreement"), {"kind": "erasmus_iia"})) == [swedish]
    assert results(client.get(admin_url("agreement"), {"country": "PL"})) == [agreement]
    response = client.get(admin_url("agreement"), {"department__id__exact": other_department.pk})
    assert results(response) == [swedish]


def test_agreement_search_finds_reference_and_partner(client_for, office, agreement):
    AgreementFactory(partner=PartnerFactory(name="Karolinska Institute"), reference="KI-2019")
    client = client_for(office)
    assert results(client.get(admin_url("agreement"), {"q": "BSMU-UMB"})) == [agreement]
    assert results(client.get(admin_url("agreement"), {"q": "Bialystok"})) == [agreement]


def test_agreement_changelist_queries_do_not_grow_with_rows(
    client_for, office, partner, django_assert_max_num_queries
):
    client = client_for(office)
    for count in (5, 50):
        AgreementFactory.create_batch(count - Agreement.objects.count(), partner=partner)
        # session, user, user and group permissions, the choices of the country, department and
        # year filters, two counts, the page with its partners, two for the date hierarchy,
        # the session update (with savepoints on PostgreSQL).
        with django_assert_max_num_queries(15):
            response = client.get(admin_url("agreement"))
        assert response.status_code == 200
        assert len(results(response)) == count


# --- Agreement change form -----------------------------------------------------------------------


def test_editing_an_agreement_in_the_admin_keeps_its_history(client_for, office, agreement):
    client = client_for(office)
    url = admin_url("agreement", "change", agreement.pk)
    versions = agreement.history.count()
    data = change_form_data(client.get(url))
    data["notes"] = "Renewal discussed with the partner."

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    agreement.refresh_from_db()
    assert agreement.notes == "Renewal discussed with the partner."
    assert agreement.history.count() == versions + 1
    assert agreement.history.first().history_user == office
    history = client.get(admin_url("agreement", "history", agreement.pk))
    assert history.status_code == 200
    assert office.username.encode() in history.content


def test_uploading_a_document_records_who_uploaded_it_and_the_file_name(
    client_for, office, agreement
):
    client = client_for(office)
    url = admin_url("agreement", "change", agreement.pk)
    data = change_form_data(client.get(url))
    data.update(
        {
            "documents-0-kind": AgreementDocument.Kind.SIGNED_AGREEMENT,
            "documents-0-title": "Signed agreement 2004",
            "documents-0-file": SimpleUploadedFile(
                "Umowa UMB 2004.pdf", b"%PDF-1.4\n", content_type="application/pdf"
            ),
            "documents-TOTAL_FORMS": "1",
        }
    )

    response = client.post(url, data)

    assert response.status_code == 302
    document = agreement.documents.get()
    assert document.uploaded_by == office
    assert document.original_name == "Umowa UMB 2004.pdf"
    assert "Umowa" not in document.file.name


# --- CSV export ----------------------------------------------------------------------------------


def test_csv_export_writes_the_list_columns_of_the_selected_agreements(
    client_for, office, partner, agreements_around_expiry
):
    dangerous = AgreementFactory(
        partner=partner, reference="=cmd|' /C calc'!A0", valid_until=None, auto_renewal=True
    )
    selected = [agreements_around_expiry["expiring"], dangerous]

    response, content = export_csv(client_for(office), admin_url("agreement"), selected)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="cooperation-agreements-{today():%Y-%m-%d}.csv"'
    )
    assert content.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
    assert header == [
        "Reference number",
        "Partner",
        "Partner country",
        "Kind",
        "Lifecycle",
        "Status",
        "Valid from",
        "Valid until",
        "Days to expiry",
    ]
    assert len(rows) == 2
    expiring = next(row for row in rows if row[0] == "EXP-90")
    assert expiring[1:7] == [
        "Medical University of Bialystok",
        "Poland",
        "Academic and scientific exchange",
        "Signed",
        "Expiring soon",
        (today() - datetime.timedelta(days=365)).isoformat(),
    ]
    assert expiring[7:] == [(today() + datetime.timedelta(days=90)).isoformat(), "90"]
    [escaped] = [row for row in rows if row[0] != "EXP-90"]
    assert escaped[0].startswith("'=")
    assert escaped[5] == "Active"
    assert escaped[8] == ""


def test_csv_export_defuses_a_formula_hidden_behind_a_tab_or_carriage_return(client_for, office):
    partners = [PartnerFactory(name="\t=1+1"), PartnerFactory(name="\r=cmd")]

    response, content = export_csv(client_for(office), admin_url("partner"), partners)

    header, *rows = list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))
    assert sorted(row[0] for row in rows) == ["'\t=1+1", "'\r=cmd"]


def test_csv_export_is_refused_to_staff_without_permissions(
    client_for, staff_without_permissions, agreement
):
    response = client_for(staff_without_permissions).post(
        admin_url("agreement"), {"action": "export_as_csv", "_selected_action": [agreement.pk]}
    )
    assert response.status_code == 403


# --- Protected deletes ---------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["partner", "agreement"])
def test_deleting_what_mobility_records_point_to_shows_the_protected_page(
    client_for, superuser, agreement, model
):
    MobilityRecordFactory(agreement=agreement, partner=agreement.partner, full_name="Jan Nowak")
    target = agreement if model == "agreement" else agreement.partner
    client = client_for(superuser)
    url = admin_url(model, "delete", target.pk)

    page = client.get(url)
    response = client.post(url, {"post": "yes"})

    for shown in (page, response):
        assert shown.status_code == 200
        assert shown.context["protected"]
        assert b"Jan Nowak" in shown.content
    assert type(target).objects.filter(pk=target.pk).exists()
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_bulk_delete_of_a_protected_partner_deletes_nothing(client_for, superuser, agreement):
    MobilityRecordFactory(partner=agreement.partner)
    response = client_for(superuser).post(
        admin_url("partner"),
        {"action": "delete_selected", "_selected_action": [agreement.partner.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert response.context["protected"]
    assert Partner.objects.filter(pk=agreement.partner.pk).exists()


def test_partner_without_history_can_be_deleted_with_its_contacts(client_for, superuser):
    partner = PartnerFactory()
    ContactFactory(partner=partner)
    response = client_for(superuser).post(
        admin_url("partner", "delete", partner.pk), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Partner.objects.filter(pk=partner.pk).exists()


# --- Archive instead of delete, optimistic locking ----------------------------------------------


@pytest.mark.parametrize("model", ["partner", "agreement"])
def test_the_office_archives_instead_of_deleting(client_for, office, agreement, model):
    target = agreement if model == "agreement" else agreement.partner
    client = client_for(office)

    assert client.get(admin_url(model, "delete", target.pk)).status_code == 403
    changelist = client.get(admin_url(model))
    assert (
        "delete_selected"
        not in changelist.context["action_form"].fields["action"].choices.__str__()
    )
    response = client.post(
        admin_url(model),
        {"action": "archive_selected", "_selected_action": [target.pk]},
    )

    assert response.status_code == 302
    target.refresh_from_db()
    if model == "agreement":
        assert target.is_archived is True
    else:
        assert target.is_active is False
    assert target.history.first().history_change_reason == "Archived"
    assert type(target).objects.filter(pk=target.pk).exists()


def test_an_archived_partner_can_be_restored(client_for, office, partner):
    partner.is_active = False
    partner.save()
    response = client_for(office).post(
        admin_url("partner") + "?active=no",
        {"action": "restore_selected", "_selected_action": [partner.pk]},
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.is_active is True


def test_second_save_of_an_agreement_edited_meanwhile_is_refused(client_for, office, agreement):
    client = client_for(office)
    url = admin_url("agreement", "change", agreement.pk)
    first_form = change_form_data(client.get(url))
    second_form = change_form_data(client.get(url))

    first_form["notes"] = "First editor's note"
    assert client.post(url, first_form).status_code == 302
    second_form["notes"] = "Second editor's note"
    response = client.post(url, second_form)

    assert response.status_code == 200
    assert (
        "Someone else saved this agreement while you were editing it" in response.content.decode()
    )
    agreement.refresh_from_db()
    assert agreement.notes == "First editor's note"
    assert agreement.version == 2
    assert agreement.history.count() == 2


def test_saving_an_agreement_opened_at_the_current_version_succeeds(client_for, office, agreement):
    client = client_for(office)
    url = admin_url("agreement", "change", agreement.pk)
    for note in ("one", "two"):
        form = change_form_data(client.get(url))
        form["notes"] = note
        assert client.post(url, form).status_code == 302
    agreement.refresh_from_db()
    assert (agreement.notes, agreement.version) == ("two", 3)


# --- Revert from the history page ----------------------------------------------------------------


def revert_url(agreement, entry):
    return reverse("admin:partners_agreement_simple_history", args=[agreement.pk, entry.history_id])


def edit_notes(client, agreement, notes):
    url = admin_url("agreement", "change", agreement.pk)
    data = change_form_data(client.get(url))
    data["notes"] = notes
    assert client.post(url, data).status_code == 302


@pytest.fixture
def office_after_flush(office):
    """The office, in a test that may follow another which emptied every table.

    Such a flush takes the office group's permissions (a data migration) with it.
    """
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.get(name=INTERNATIONAL_OFFICE_GROUP)
    group.permissions.add(*Permission.objects.filter(content_type__app_label="partners"))
    return office


# Outside the test's own transaction, as in production: the row lock needs a real transaction.
@pytest.mark.django_db(transaction=True)
def test_office_reverts_an_agreement_to_an_earlier_version_from_its_history(
    client_for, office_after_flush, agreement
):
    office = office_after_flush
    client = client_for(office)
    edit_notes(client, agreement, "Before the mistake")
    edit_notes(client, agreement, "A mistake")
    good = agreement.history.get(notes="Before the mistake")

    page = client.get(revert_url(agreement, good))
    assert page.status_code == 200
    response = client.post(revert_url(agreement, good), change_form_data(page))

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    agreement.refresh_from_db()
    assert agreement.notes == "Before the mistake"
    assert agreement.version == 4  # created, two edits, the revert
    latest = agreement.history.first()
    assert (latest.notes, latest.version, latest.history_user) == ("Before the mistake", 4, office)
    assert agreement.history.count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_revert_opened_before_someone_else_saved_is_refused(
    client_for, office_after_flush, agreement
):
    client = client_for(office_after_flush)
    edit_notes(client, agreement, "First")
    first = agreement.history.get(notes="First")
    page = client.get(revert_url(agreement, agreement.history.earliest()))
    edit_notes(client, agreement, "Saved meanwhile")

    response = client.post(
        revert_url(agreement, agreement.history.earliest()), change_form_data(page)
    )

    assert response.status_code == 200
    assert (
        "Someone else saved this agreement while you were editing it" in response.content.decode()
    )
    agreement.refresh_from_db()
    assert (agreement.notes, agreement.version) == ("Saved meanwhile", 3)
    assert agreement.history.count() == 3
    assert first.version == 2


def test_a_revert_needs_the_change_permission(client_for, agreement):
    from django.contrib.auth.models import Permission

    agreement.notes = "Current notes"
    agreement.save()
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_agreement"))
    client = client_for(viewer)
    url = revert_url(agreement, agreement.history.earliest())
    page = client.get(url)
    assert page.status_code == 200  # a view-only person may look at old versions

    response = client.post(url, change_form_data(page))

    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.notes == "Current notes"
    assert agreement.history.count() == 2
