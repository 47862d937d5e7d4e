"""The outbox in the admin: the office reads it and resends what did not go out."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core.mail import queue_email
from core.models import OutgoingEmail
from core.roles import INTERNATIONAL_OFFICE_GROUP
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:core_outgoingemail_changelist")


def detail_url(email):
    return reverse("admin:core_outgoingemail_change", args=[email.pk])


def results(response):
    return list(response.context["cl"].result_list)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def outgoing(status, subject, to="anna@example.org", **fields) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        recipients=to, subject=subject, body="Body.", status=status, **fields
    )


@pytest.fixture
def outbox(db):
    return {
        "pending": outgoing("pending", "Application submitted", attempts=2, last_error="refused"),
        "sent": outgoing("sent", "Application approved", sent_at=timezone.now(), attempts=1),
        "failed": outgoing("failed", "Agreement ends", to="io@example.org", attempts=7),
    }


def test_the_office_group_may_view_and_resend_but_not_change_or_delete():
    codenames = set(
        Group.objects.get(name=INTERNATIONAL_OFFICE_GROUP)
        .permissions.filter(content_type__app_label="core")
        .values_list("codename", flat=True)
    )
    # And the import log (core/imports), which it reads and whose imports it may revert.
    assert codenames == {
        "view_outgoingemail",
        "resend_outgoingemail",
        "view_importlog",
        "revert_importlog",
    }


def test_office_sees_every_message_and_filters_by_status(client_for, office, outbox):
    client = client_for(office)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert set(results(response)) == set(outbox.values())
    content = response.content.decode()
    for label in ("Pending", "Sent", "Failed"):
        assert label in content
    for status, email in outbox.items():
        assert results(client.get(LIST_URL, {"status__exact": status})) == [email]


def test_office_searches_by_recipient_and_subject(client_for, office, outbox):
    client = client_for(office)
    assert results(client.get(LIST_URL, {"q": "io@example"})) == [outbox["failed"]]
    assert results(client.get(LIST_URL, {"q": "approved"})) == [outbox["sent"]]


def test_a_message_is_read_only(client_for, office, outbox):
    client = client_for(office)
    email = outbox["pending"]
    response = client.get(detail_url(email))
    assert response.status_code == 200
    content = response.content.decode()
    assert "refused" in content and 'name="_save"' not in content
    assert client.post(detail_url(email), {"subject": "Changed"}).status_code == 403
    email.refresh_from_db()
    assert email.subject == "Application submitted"
    add = reverse("admin:core_outgoingemail_add")
    delete = reverse("admin:core_outgoingemail_delete", args=[email.pk])
    assert client.get(add).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert OutgoingEmail.objects.count() == 3


def test_resend_queues_unsent_messages_again_and_leaves_sent_ones(
    client_for, office, outbox, run_worker
):
    response = client_for(office).post(
        LIST_URL,
        {"action": "resend", "_selected_action": [email.pk for email in outbox.values()]},
        follow=True,
    )
    assert response.status_code == 200
    assert "2 e-mails queued again." in messages_of(response)
    assert "1 e-mail had already been sent and was left as it is." in messages_of(response)
    for name in ("pending", "failed"):
        outbox[name].refresh_from_db()
        assert (outbox[name].status, outbox[name].attempts) == ("pending", 0)
    assert DBTaskResult.objects.count() == 2

    assert run_worker() == 2
    assert sorted(message.subject for message in mail.outbox) == [
        "Agreement ends",
        "Application submitted",
    ]
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_staff_without_the_permission_cannot_see_or_resend(client_for, outbox):
    client = client_for(UserFactory(username="bare-staff", is_staff=True))
    assert client.get(LIST_URL).status_code == 403
    response = client.post(
        LIST_URL, {"action": "resend", "_selected_action": [outbox["failed"].pk]}
    )
    assert response.status_code == 403
    outbox["failed"].refresh_from_db()
    assert outbox["failed"].status == "failed"


def test_viewing_without_resend_permission_offers_no_resend(client_for, outbox):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(
        *Group.objects.get(name=INTERNATIONAL_OFFICE_GROUP).permissions.filter(
            codename="view_outgoingemail"
        )
    )
    client = client_for(viewer)
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert 'value="resend"' not in response.content.decode()
    client.post(LIST_URL, {"action": "resend", "_selected_action": [outbox["failed"].pk]})
    outbox["failed"].refresh_from_db()
    assert outbox["failed"].status == "failed"


def test_people_outside_the_admin_are_sent_to_its_sign_in(client_for, coordinator):
    response = client_for(coordinator).get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_changelist_queries_do_not_grow_with_rows(
    client_for, office, django_assert_max_num_queries
):
    client = client_for(office)
    for count in (5, 50):
        for number in range(count - OutgoingEmail.objects.count()):
            queue_email(to=[f"person{number}@example.org"], subject="Hello", body="Body.")
        # session, user, user and group permissions, two counts, the page, the session update
        # (with savepoints on PostgreSQL).
        with django_assert_max_num_queries(10):
            response = client.get(LIST_URL)
        assert len(results(response)) == count
