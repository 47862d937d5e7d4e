"""Application e-mails in each recipient's language, not the language of whoever acted.

Tests marked `translated` read our Russian and Belarusian texts, so they need them in locale/.
"""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from exchanges import emails, services
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def speaks(user, language: str):
    user.profile.language = language
    user.profile.save()
    return user


def message_to(address: str):
    [message] = [message for message in mail.outbox if address in message.to]
    return message


@pytest.fixture
def translated_program(program):
    program.title_ru = "Клиническая стажировка в Белостоке"
    program.title_be = "Клінічная стажыроўка ў Беластоку"
    program.save()
    return program


@pytest.fixture
def readers(settings, student, coordinator, department):
    """A Russian applicant; the department's coordinators read Belarusian and (by default)
    English."""
    settings.LANGUAGE_CODE = "en"
    speaks(student, "ru")
    speaks(coordinator, "be")
    department.coordinators.add(UserFactory(username="second-coordinator"))
    return student


def submit(applicant, program):
    return services.create_application(
        applicant=applicant,
        program=program,
        department=None,
        motivation="Motivated.",
        submit=True,
    )


def test_submission_mails_go_to_each_reader_in_their_language(
    readers, translated_program, run_worker
):
    # The applicant submits with the page in English; each message follows its reader.
    with translation.override("en"):
        submit(readers, translated_program)
    run_worker()

    assert sorted(message.to for message in mail.outbox) == [
        ["coordinator@example.org"],
        ["second-coordinator@example.org"],
        ["student@example.org"],
    ]
    assert "Клиническая стажировка в Белостоке" in message_to("student@example.org").subject
    assert "Клінічная стажыроўка ў Беластоку" in message_to("coordinator@example.org").body
    assert "Clinical training in Bialystok" in message_to("second-coordinator@example.org").body


@pytest.mark.translated
def test_submission_mails_are_written_in_russian_belarusian_and_english(
    readers, translated_program, run_worker
):
    with translation.override("en"):
        submit(readers, translated_program)
    run_worker()

    russian = message_to("student@example.org")
    assert russian.subject == (
        "[Портал академической мобильности] Ваша заявка на участие в программе "
        "«Клиническая стажировка в Белостоке» подана"
    )
    assert russian.body.startswith("Уважаемый(-ая) Sasha Student,\n")
    assert "ваша заявка на участие в программе «Клиническая стажировка в Белостоке» получена." in (
        russian.body
    )
    assert "Ваша заявка: http" in russian.body

    belarusian = message_to("coordinator@example.org")
    assert belarusian.subject == (
        "[Партал акадэмічнай мабільнасці] Новая заяўка на ўдзел у праграме "
        "«Клінічная стажыроўка ў Беластоку»"
    )
    assert "Новая заяўка на праграму «Клінічная стажыроўка ў Беластоку»: Sasha Student." in (
        belarusian.body
    )
    assert "Разгледзець і прыняць рашэнне: http" in belarusian.body

    english = message_to("second-coordinator@example.org")
    assert english.subject == (
        "[Academic Mobility Portal] New application to Clinical training in Bialystok"
    )
    assert 'Sasha Student has applied to "Clinical training in Bialystok".' in english.body


@pytest.mark.parametrize("decide", ["approve", "reject"])
def test_the_decision_is_in_the_applicants_language_not_the_coordinators(
    settings, student, coordinator, translated_program, decide, run_worker
):
    settings.LANGUAGE_CODE = "en"
    speaks(student, "be")
    application = ApplicationFactory(applicant=student, program=translated_program)

    # The coordinator decides with the page in Russian.
    with translation.override("ru"):
        getattr(services, f"{decide}_application")(application=application, reviewer=coordinator)
    run_worker()

    [message] = mail.outbox
    assert message.to == ["student@example.org"]
    assert "Клінічная стажыроўка ў Беластоку" in message.subject
    assert "Клиническая" not in message.body


@pytest.mark.translated
def test_approval_and_rejection_read_in_belarusian(
    settings, student, coordinator, translated_program, run_worker
):
    settings.LANGUAGE_CODE = "en"
    speaks(student, "be")
    approved = ApplicationFactory(applicant=student, program=translated_program)
    rejected = ApplicationFactory(program=translated_program, applicant=speaks(UserFactory(), "be"))

    with translation.override("ru"):
        services.approve_application(application=approved, reviewer=coordinator)
        services.reject_application(application=rejected, reviewer=coordinator)
    run_worker()

    approval = message_to("student@example.org")
    assert approval.subject.endswith(
        "Ваша заяўка на ўдзел у праграме «Клінічная стажыроўка ў Беластоку» ухвалена"
    )
    assert "ваша заяўка на праграму «Клінічная стажыроўка ў Беластоку» ухвалена." in approval.body
    rejection = message_to(rejected.applicant.email)
    assert rejection.subject.endswith("не ўхвалена")
    assert "на жаль, ваша заяўка на праграму" in rejection.body


def test_coordinators_languages_cost_no_query_per_coordinator(readers, program, department):
    application = ApplicationFactory(applicant=readers, program=program)

    def queries_for_submission_mails() -> int:
        with CaptureQueriesContext(connection) as queries:
            emails.queue_submission_emails(application=application)
        return len(queries)

    few = queries_for_submission_mails()
    # More coordinators in the languages already there: no more messages, no more queries (a
    # further language adds its one message: the row and its delivery task).
    for language in ("be", "be", "en", ""):
        department.coordinators.add(speaks(UserFactory(), language))
    assert queries_for_submission_mails() == few
