"""`load_demo` again after people used the demo: nothing duplicated, nobody's decision undone.

`make run` loads the demo every time it starts. In between, coordinators decide on the demo
applications and the demo people apply (again); the next start must keep all of that.
"""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from devdata import facts
from exchanges.models import Application, MobilityRecord, Program
from partners.models import Agreement, AgreementQuota, Contact, Department, Partner

pytestmark = pytest.mark.django_db
MODELS = [
    get_user_model(),
    Department,
    Partner,
    Contact,
    Agreement,
    AgreementQuota,
    Program,
    Application,
    MobilityRecord,
]
# (applicant of the submitted demo application, who decides, how, the status it ends in)
DECISIONS = [
    ("h.navitskaya", "coordinator", "approve", Application.Status.APPROVED),
    ("m.pashkevich", "office", "reject", Application.Status.REJECTED),
    ("k.stankevich", "office", "approve", Application.Status.APPROVED),
]


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def decide_through_the_review_page(client) -> None:
    User = get_user_model()
    for applicant, reviewer, action, status in DECISIONS:
        application = Application.objects.get(
            applicant__username=applicant, status=Application.Status.SUBMITTED
        )
        client.force_login(User.objects.get(username=reviewer))
        response = client.post(
            reverse("exchanges:review-detail", args=[application.pk]),
            {"action": action, "comment": f"Decided by {reviewer}."},
        )
        assert response.status_code == 302, applicant
        application.refresh_from_db()
        assert application.status == status, applicant


def program_to_apply_to(person) -> Program:
    """An open program for who they are, without a live application of theirs; their own demo
    program first."""
    live = Application.objects.live().filter(applicant=person).values("program")
    candidates = (
        Program.objects.published()
        .call_open()
        .eligible_for(person.profile.category)
        .exclude(pk__in=live)
        .order_by("slug")
    )
    own = [program for program in candidates if program.applications.filter(applicant=person)]
    return next(
        (program for program in own + list(candidates) if program.places_left() > 0), person
    )


def apply_through_the_application_page(client, person) -> Application:
    program = program_to_apply_to(person)
    client.force_login(person)
    response = client.post(
        reverse("exchanges:application-create", args=[program.slug]),
        {
            "motivation": "I apply once more, through the page.",
            "action": "submit",
        },
    )
    assert response.status_code == 302, (person.username, program.slug)
    return Application.objects.get(
        applicant=person, program=program, status=Application.Status.SUBMITTED
    )


def test_second_run_after_decisions_and_new_applications_keeps_them(client, settings):
    settings.DEBUG = True
    load_demo()
    decide_through_the_review_page(client)
    demo_people = {spec.applicant for spec in facts.applications()} | {"staff", "student"}
    people = get_user_model().objects.filter(username__in=demo_people).order_by("username")
    new = [apply_through_the_application_page(client, person) for person in people]
    # Maryia Pashkevich, rejected above, applies to the same program a third time.
    assert any(
        a.applicant.username == "m.pashkevich"
        and a.program.slug == "smolensk-antimicrobial-research"
        for a in new
    )
    counts = {model: model.objects.count() for model in MODELS}
    applications = set(
        Application.objects.values_list(
            "pk", "applicant_id", "program_id", "status", "decided_by_id", "decided_at"
        )
    )
    records = set(MobilityRecord.objects.values_list("pk", "application_id", "person_id"))

    output = load_demo()

    assert "Demo data ready (seed 2004): 0 rows created" in output
    assert {model: model.objects.count() for model in MODELS} == counts
    assert (
        set(
            Application.objects.values_list(
                "pk", "applicant_id", "program_id", "status", "decided_by_id", "decided_at"
            )
        )
        == applications
    )
    assert set(MobilityRecord.objects.values_list("pk", "application_id", "person_id")) == (records)
    # The approvals of the review page made their records, and they are still there.
    for applicant, _reviewer, _action, status in DECISIONS:
        decided = Application.objects.filter(
            applicant__username=applicant, decision_comment__startswith="Decided by"
        ).get()
        assert decided.status == status, applicant
        assert hasattr(decided, "mobility_record") == (status == Application.Status.APPROVED)
