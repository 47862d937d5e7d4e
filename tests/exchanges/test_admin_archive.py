"""Archive instead of delete in the admin: mobility records, applications, their attachments,
report attachments and agreement documents.

The office archives and restores (each change in the history); only a superuser may delete, and
PROTECT still stops a delete that would orphan history.
"""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from exchanges.models import (
    Application,
    ApplicationAttachment,
    MobilityRecord,
    MobilityReportAttachment,
)
from partners.models import AgreementDocument
from tests.factories import (
    AgreementDocumentFactory,
    ApplicationAttachmentFactory,
    ApplicationFactory,
    MobilityRecordFactory,
    MobilityReportAttachmentFactory,
    UserFactory,
)

MODELS = {
    "mobilityrecord": ("exchanges", MobilityRecord),
    "application": ("exchanges", Application),
    "applicationattachment": ("exchanges", ApplicationAttachment),
    "mobilityreportattachment": ("exchanges", MobilityReportAttachment),
    "agreementdocument": ("partners", AgreementDocument),
}
WITH_SIMPLE_HISTORY = {"mobilityrecord", "application"}


def admin_url(model, action="changelist", *args):
    app_label = MODELS[model][0]
    return reverse(f"admin:{app_label}_{model}_{action}", args=args)


def action_choices(response) -> list[str]:
    return [name for name, _label in response.context["action_form"].fields["action"].choices]


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def objects(program, student):
    application = ApplicationFactory(program=program, applicant=student)
    record = MobilityRecordFactory(program=program, agreement=program.agreement)
    return {
        "mobilityrecord": record,
        "application": application,
        "applicationattachment": ApplicationAttachmentFactory(application=application),
        "mobilityreportattachment": MobilityReportAttachmentFactory(record=record),
        "agreementdocument": AgreementDocumentFactory(agreement=program.agreement),
    }


# --- the office cannot delete ------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_the_office_has_no_delete_page_button_or_action(client_for, office, objects, model):
    target = objects[model]
    client = client_for(office)
    url = admin_url(model, "delete", target.pk)

    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    change_page = client.get(admin_url(model, "change", target.pk))
    assert change_page.context["has_delete_permission"] is False
    assert url not in change_page.content.decode()
    choices = action_choices(client.get(admin_url(model)))
    assert "delete_selected" not in choices
    assert {"archive_selected", "restore_selected"} <= set(choices)
    assert type(target).objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize("model", MODELS)
def test_a_forged_bulk_delete_by_the_office_deletes_nothing(client_for, office, objects, model):
    target = objects[model]
    response = client_for(office).post(
        admin_url(model),
        {"action": "delete_selected", "_selected_action": [target.pk], "post": "yes"},
    )
    # Not an action of this user: the admin answers "no action selected" and changes nothing.
    assert response.status_code == 302
    assert type(target).objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize(
    ("model", "inline_model"),
    [
        ("application", ApplicationAttachment),
        ("mobilityrecord", MobilityReportAttachment),
    ],
)
def test_file_inlines_have_no_delete_checkbox_for_the_office(
    client_for, office, superuser, objects, model, inline_model
):
    url = admin_url(model, "change", objects[model].pk)

    def formset(user):
        response = client_for(user).get(url)
        (inline,) = [
            each
            for each in response.context["inline_admin_formsets"]
            if each.formset.model is inline_model
        ]
        return inline.formset

    office_formset = formset(office)
    assert office_formset.can_delete is False
    assert "is_archived" in office_formset.forms[0].fields
    assert formset(superuser).can_delete is True


def test_agreement_documents_inline_has_no_delete_checkbox_for_the_office(
    client_for, office, superuser, objects
):
    url = reverse(
        "admin:partners_agreement_change", args=[objects["agreementdocument"].agreement_id]
    )

    def documents_formset(user):
        response = client_for(user).get(url)
        (inline,) = [
            each
            for each in response.context["inline_admin_formsets"]
            if each.formset.model is AgreementDocument
        ]
        return inline.formset

    assert documents_formset(office).can_delete is False
    assert documents_formset(superuser).can_delete is True


# --- archive and restore -----------------------------------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_the_office_archives_and_restores_with_history(client_for, office, objects, model):
    target = objects[model]
    client = client_for(office)

    response = client.post(
        admin_url(model), {"action": "archive_selected", "_selected_action": [target.pk]}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_archived is True

    response = client.post(
        admin_url(model), {"action": "restore_selected", "_selected_action": [target.pk]}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_archived is False

    entries = LogEntry.objects.filter(object_id=str(target.pk), user=office).order_by("pk")
    assert [(entry.action_flag, entry.change_message) for entry in entries] == [
        (CHANGE, "Archived"),
        (CHANGE, "Restored"),
    ]
    assert entries[0].content_type.model_class() is type(target)
    if model in WITH_SIMPLE_HISTORY:
        reasons = [entry.history_change_reason for entry in target.history.order_by("history_id")]
        assert reasons[-2:] == ["Archived", "Restored"]
        assert target.history.first().history_user == office


def test_archiving_twice_changes_and_logs_only_once(client_for, office, objects):
    record = objects["mobilityrecord"]
    client = client_for(office)
    for _round in range(2):
        client.post(
            admin_url("mobilityrecord"),
            {"action": "archive_selected", "_selected_action": [record.pk]},
        )
    assert LogEntry.objects.filter(object_id=str(record.pk)).count() == 1
    assert record.history.filter(history_change_reason="Archived").count() == 1


def test_archiving_a_record_tells_the_office_it_no_longer_counts(client_for, office, objects):
    response = client_for(office).post(
        admin_url("mobilityrecord"),
        {"action": "archive_selected", "_selected_action": [objects["mobilityrecord"].pk]},
        follow=True,
    )
    assert "1 archived. Archived mobility records are kept but no longer counted." in (
        response.content.decode()
    )


def test_the_record_list_filters_on_archived(client_for, office, objects):
    record = objects["mobilityrecord"]
    kept = MobilityRecordFactory(full_name="Still Counted")
    record.is_archived = True
    record.save()
    response = client_for(office).get(admin_url("mobilityrecord") + "?is_archived__exact=1")
    assert list(response.context["cl"].result_list) == [record]
    response = client_for(office).get(admin_url("mobilityrecord") + "?is_archived__exact=0")
    assert kept in response.context["cl"].result_list
    assert record not in response.context["cl"].result_list


def test_the_office_archives_a_file_from_its_inline(client_for, office, objects):
    """The inline's "archived" box is how the office withdraws one attachment of many."""
    application = objects["application"]
    attachment = objects["applicationattachment"]
    client = client_for(office)
    url = admin_url("application", "change", application.pk)
    page = client.get(url)
    data = {}
    for form in [page.context["adminform"].form]:
        for field in form:
            value = field.value()
            if value not in (None, False, ""):
                data[field.html_name] = str(value)
    (inline,) = page.context["inline_admin_formsets"]
    formset = inline.formset
    for field in formset.management_form:
        data[field.html_name] = field.value()
    prefix = formset.forms[0].prefix
    data[f"{prefix}-id"] = str(attachment.pk)
    data[f"{prefix}-application"] = str(application.pk)
    data[f"{prefix}-description"] = ""
    data[f"{prefix}-is_archived"] = "on"

    response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    attachment.refresh_from_db()
    assert attachment.is_archived is True


# --- a superuser may delete, PROTECT still holds -----------------------------------------------


@pytest.mark.parametrize("model", MODELS)
def test_a_superuser_may_delete(client_for, superuser, objects, model):
    target = objects[model]
    if model == "mobilityrecord":
        target.report_attachments.all().delete()
    response = client_for(superuser).post(admin_url(model, "delete", target.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not type(target).objects.filter(pk=target.pk).exists()


def test_a_superuser_may_bulk_delete_records(client_for, superuser, objects):
    record = objects["mobilityrecord"]
    client = client_for(superuser)
    assert "delete_selected" in action_choices(client.get(admin_url("mobilityrecord")))
    response = client.post(
        admin_url("mobilityrecord"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not MobilityRecord.objects.filter(pk=record.pk).exists()


def test_deleting_an_application_with_a_mobility_record_is_protected(
    client_for, superuser, objects
):
    application = objects["application"]
    record = objects["mobilityrecord"]
    record.application = application
    record.save()

    response = client_for(superuser).post(
        admin_url("application", "delete", application.pk), {"post": "yes"}
    )

    assert response.status_code == 200
    assert response.context["protected"]
    assert Application.objects.filter(pk=application.pk).exists()
