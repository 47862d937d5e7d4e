"""Expiry reminders in each recipient's language, though the cron command has no request.

Tests marked `translated` read our Russian and Belarusian texts, so they need them in locale/.
"""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from partners.models import ExpiryReminder
from partners.notifications import due_reminders
from tests.factories import AgreementFactory, DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

END = datetime.date(2026, 6, 30)
THIRTY_DAYS_BEFORE = END - datetime.timedelta(days=30)


def run(on: datetime.date) -> str:
    out = StringIO()
    call_command("notify_expiring_agreements", "--today", on.isoformat(), stdout=out)
    return out.getvalue()


def speaks(user, language: str):
    user.profile.language = language
    user.profile.save()
    return user


def message_to(address: str):
    [message] = [message for message in mail.outbox if address in message.to]
    return message


@pytest.fixture
def ending(agreement, partner, coordinator, settings):
    """The Bialystok agreement ends on END. Its department's coordinator reads Belarusian; the
    agreement's own coordinator chose no language; the office is an address, no account."""
    settings.INTERNATIONAL_OFFICE_EMAIL = "international@bsmu.example"
    settings.SITE_URL = "https://mobility.example.org"
    settings.LANGUAGE_CODE = "en"
    partner.name_be = "Медыцынскі ўніверсітэт у Беластоку"
    partner.save()
    speaks(coordinator, "be")
    agreement.valid_until = END
    agreement.coordinator = UserFactory(username="agreement-coordinator", email="ac@example.org")
    agreement.save()
    return agreement


def test_recipients_of_different_languages_get_separate_messages(ending, run_worker):
    output = run(THIRTY_DAYS_BEFORE)
    assert run_worker() == 2

    belarusian = message_to("coordinator@example.org")
    english = message_to("ac@example.org")
    assert belarusian.to == ["coordinator@example.org"]
    assert english.to == ["ac@example.org", "international@bsmu.example"]
    # Names and dates in each reader's language (the partner's Belarusian name; Django's
    # Belarusian month in the genitive), whatever our catalogues hold.
    assert "Медыцынскі ўніверсітэт у Беластоку" in belarusian.subject
    assert "30 чэрвеня 2026 г." in belarusian.body
    assert "Medical University of Bialystok" in english.subject
    assert "ends on 30 June 2026, in 30 days." in english.body
    # One reminder is recorded, with everyone it went to.
    reminder = ExpiryReminder.objects.get()
    assert (
        reminder.recipients == "ac@example.org, coordinator@example.org, international@bsmu.example"
    )
    assert f"-> {reminder.recipients}" in output


@pytest.mark.translated
def test_a_belarusian_coordinators_reminder_is_in_belarusian_an_english_ones_in_english(
    ending, run_worker
):
    run(THIRTY_DAYS_BEFORE)
    run_worker()

    belarusian = message_to("coordinator@example.org")
    assert belarusian.subject == (
        "[Партал акадэмічнай мабільнасці] Дагавор BSMU-UMB-2004 з "
        "Медыцынскі ўніверсітэт у Беластоку заканчваецца праз 30 дзён"
    )
    assert belarusian.body.startswith("Добры дзень,\n")
    assert "дагавор BSMU-UMB-2004" in belarusian.body
    assert "заканчваецца 30 чэрвеня 2026 г., праз 30 дзён." in belarusian.body
    assert "Адказная кафедра: Department of Infectious Diseases" in belarusian.body
    assert "Гэта напамін за 30 дн. да заканчэння тэрміну дзеяння дагавора" in belarusian.body
    for english_word in ("Hello", "ends on", "reminder", "Responsible", "Portal"):
        assert english_word not in belarusian.body

    english = message_to("ac@example.org")
    assert english.subject == (
        "[Academic Mobility Portal] Agreement BSMU-UMB-2004 with "
        "Medical University of Bialystok ends in 30 days"
    )
    assert english.body.startswith("Hello,\n")
    assert "This is the 30-day reminder; it is sent once." in english.body


@pytest.mark.translated
def test_the_office_and_people_without_a_language_get_language_code(ending, settings, run_worker):
    settings.LANGUAGE_CODE = "ru"
    run(THIRTY_DAYS_BEFORE)
    run_worker()

    russian = message_to("international@bsmu.example")
    assert russian.to == ["ac@example.org", "international@bsmu.example"]
    assert "заканчивается через 30 дней" in russian.subject
    assert "30 июня 2026 г., через 30 дней." in russian.body


def test_the_subject_counts_a_single_day_in_the_singular(ending, run_worker):
    run(END - datetime.timedelta(days=1))
    run_worker()

    assert message_to("ac@example.org").subject.endswith("ends in 1 day")
    assert "in 1 day." in message_to("ac@example.org").body


def test_finding_due_reminders_takes_the_same_queries_however_many_people(
    ending, django_assert_num_queries
):
    # More agreements, departments and coordinators, each with a language on the profile.
    for _agreement in range(3):
        people = [speaks(UserFactory(), language) for language in ("ru", "be", "")]
        AgreementFactory(
            valid_until=END,
            department=DepartmentFactory(coordinators=people),
            coordinator=people[0],
        )

    # The agreements with partner, department and coordinator's profile; the departments'
    # coordinators with their profiles; the reminders already sent.
    with django_assert_num_queries(3):
        reminders = due_reminders(THIRTY_DAYS_BEFORE)
        languages = [recipient.language for each in reminders for recipient in each.recipients]

    assert len(reminders) == 4
    assert sorted(set(languages)) == ["be", "en", "ru"]
