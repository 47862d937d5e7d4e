"""Load the demo world of the seed text: partners, agreements, programs, records, accounts.

Idempotent: rows with a natural key (partner slug, agreement reference, program slug,
department name, username, ...) are created or brought up to date, and saved only when
something differs; the generated mobility records are written once, marked in `notes`.
"""

import datetime
import random
from collections import Counter

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone

from core import dataversion
from core.roles import INTERNATIONAL_OFFICE_GROUP
from devdata import demo, facts
from exchanges.choices import MobilityStatus
from exchanges.models import Application, MobilityRecord, Program
from partners.choices import MobilityType
from partners.models import (
    Agreement,
    AgreementQuota,
    Contact,
    Department,
    Partner,
    SubjectArea,
)
from people.choices import Category
from people.models import Profile

BATCH_SIZE = 500


class Command(BaseCommand):
    help = (
        "Load demo partners, agreements, programs, mobility records and accounts from the "
        "international office's public page. Safe to run again: nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts share a published password).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=facts.DEFAULT_SEED,
            help=f"Random seed for the generated records (default {facts.DEFAULT_SEED}).",
        )

    def handle(self, *args, force: bool, **options):
        random_seed = options["seed"]
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo creates demo accounts with a published password and invented "
                "mobility records, so it refuses to run with DEBUG off. Set DEBUG=1 for a "
                "development database, or pass --force if you really mean this database."
            )
        self.today = timezone.localdate()
        self.seed = random_seed
        self.totals = Counter()
        with transaction.atomic():
            users = self.load_users()
            departments = self.load_departments(users)
            self.load_profiles(users, departments)
            subject_areas = self.load_subject_areas()
            partners = self.load_partners()
            agreements = self.load_agreements(partners, departments, users, subject_areas)
            programs = self.load_programs(partners, departments, agreements, subject_areas)
            self.load_records(users, partners, departments, agreements, programs)
            self.load_applications(users, departments, programs)
            # The triggers saw every write; a bulk path says so itself all the same.
            dataversion.bump()

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready (seed {random_seed}): {self.totals['created']} rows created, "
                f"{self.totals['updated']} updated, {self.totals['unchanged']} unchanged; "
                f"{Partner.objects.count()} partners, {Agreement.objects.count()} agreements, "
                f"{Program.objects.count()} programs, "
                f"{MobilityRecord.objects.count()} mobility records."
            )
        )
        self.stdout.write(
            f"Sign in at {facts.DEMO_URL} as "
            + ", ".join(user.username for user in facts.printed_users())
            + f" with the password: {facts.DEMO_PASSWORD}"
        )

    # -- writing helpers ------------------------------------------------------------------------

    def upsert(self, step: Counter, model, lookup: dict, values: dict):
        """Create the row, or update the fields that differ; save nothing when all agree."""
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj.save()
            obj._demo_created = True
            step["created"] += 1
            return obj
        changed = [name for name, value in values.items() if not _same(obj, name, value)]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save()
            step["updated"] += 1
        else:
            step["unchanged"] += 1
        return obj

    def set_many(self, step: Counter, relation, objects) -> None:
        wanted = {obj.pk for obj in objects}
        if set(relation.values_list("pk", flat=True)) != wanted:
            relation.set(objects)
            # Part of creating the owner; a change of an existing one counts as an update.
            if not getattr(relation.instance, "_demo_created", False):
                step["updated"] += 1

    def report(self, label: str, step: Counter) -> None:
        self.totals.update(step)
        self.stdout.write(
            f"{label}: {step['created']} created, {step['updated']} updated, "
            f"{step['unchanged']} unchanged"
        )

    # -- steps ----------------------------------------------------------------------------------

    def load_users(self) -> dict:
        User = get_user_model()
        step = Counter()
        office_group, _created = Group.objects.get_or_create(name=INTERNATIONAL_OFFICE_GROUP)
        users = {}
        printed = {user.username for user in facts.printed_users()}
        for spec in facts.users():
            user = self.upsert(
                step,
                User,
                {"username": spec.username},
                {
                    "first_name": spec.first_name,
                    "last_name": spec.last_name,
                    "email": f"{spec.username}@bsmu.example.org",
                    "is_staff": spec.office,
                    "is_active": True,
                },
            )
            # The printed password must work; the others keep whatever their owner set.
            if not user.has_usable_password() or (
                spec.username in printed and not self.is_demo_password(user.password)
            ):
                user.password = self.demo_password_hash()
                user.save(update_fields=["password"])
            if spec.office and not user.groups.filter(pk=office_group.pk).exists():
                user.groups.add(office_group)
            users[spec.username] = user
        self.report("Accounts", step)
        return users

    def demo_password_hash(self) -> str:
        # Hashing is slow on purpose; all demo accounts share one hash, computed once.
        if not hasattr(self, "_password_hash"):
            self._password_hash = make_password(facts.DEMO_PASSWORD)
        return self._password_hash

    def is_demo_password(self, encoded: str) -> bool:
        if not hasattr(self, "_checked"):
            self._checked = {}
        if encoded not in self._checked:
            self._checked[encoded] = check_password(facts.DEMO_PASSWORD, encoded)
        return self._checked[encoded]

    def load_departments(self, users: dict) -> dict:
        step = Counter()
        departments = {}
        for name, faculty, email in facts.departments():
            departments[name] = self.upsert(
                step, Department, {"name": name}, {"faculty": faculty, "email": email}
            )
        for spec in facts.users():
            for name in spec.coordinates:
                department = departments[name]
                if not department.coordinators.filter(pk=users[spec.username].pk).exists():
                    department.coordinators.add(users[spec.username])
        self.report("Departments", step)
        return departments

    def load_profiles(self, users: dict, departments: dict) -> None:
        """Complete profiles with confirmed categories: the demo accounts can apply at once."""
        step = Counter()
        for spec in facts.users():
            values = {
                "category": "",
                "faculty": "",
                "year_of_study": None,
                "position": "",
                "phone": "",
                **spec.profile,
                "department": departments.get(spec.profile.get("department")),
                "category_confirmed": True,
            }
            self.upsert(step, Profile, {"user": users[spec.username]}, values)
        self.report("Profiles", step)

    def load_subject_areas(self) -> dict:
        step = Counter()
        areas = {
            code: self.upsert(step, SubjectArea, {"isced_code": code}, {"name": name})
            for code, name in facts.subject_areas()
        }
        self.report("Subject areas (ISCED-F)", step)
        return areas

    def load_partners(self) -> dict:
        step, contacts = Counter(), Counter()
        partners = {}
        for spec in facts.partners():
            values = {key: value for key, value in spec.items() if key not in ("slug", "contacts")}
            values.setdefault("is_active", True)
            values.setdefault("erasmus_code", "")
            partner = self.upsert(step, Partner, {"slug": spec["slug"]}, values)
            for contact in spec["contacts"]:
                self.upsert(
                    contacts,
                    Contact,
                    {"partner": partner, "name": contact["name"]},
                    {
                        "role": contact["role"],
                        "email": facts.contact_email(contact["name"], spec["slug"]),
                        "phone": "",
                        "is_primary": contact.get("primary", False),
                    },
                )
            partners[spec["slug"]] = partner
        self.report("Partners", step)
        self.report("Contacts", contacts)
        return partners

    def load_agreements(self, partners, departments, users, subject_areas) -> dict:
        step, quotas = Counter(), Counter()
        agreements = {}
        years = facts.current_and_previous_academic_year(self.today)
        for spec in facts.agreements(self.today):
            agreement = self.upsert(
                step,
                Agreement,
                {"reference": spec.reference},
                {
                    "partner": partners[spec.partner],
                    "title": spec.title,
                    "kind": spec.kind,
                    "lifecycle": spec.lifecycle,
                    "signed_on": spec.signed_on,
                    "valid_from": spec.valid_from,
                    "valid_until": spec.valid_until,
                    "auto_renewal": spec.auto_renewal,
                    "department": departments.get(spec.department),
                    "coordinator": users.get(spec.coordinator),
                    "scope": spec.scope,
                    "eqf_level": spec.eqf_level,
                    "notes": spec.notes,
                },
            )
            self.set_many(
                step, agreement.subject_areas, [subject_areas[c] for c in spec.subject_areas]
            )
            for year in years:
                for mobility_type, direction, places in spec.quotas:
                    research = mobility_type == MobilityType.RESEARCH
                    self.upsert(
                        quotas,
                        AgreementQuota,
                        {
                            "agreement": agreement,
                            "academic_year": year,
                            "mobility_type": mobility_type,
                            "direction": direction,
                        },
                        {
                            "places": places,
                            "total_months": places * 2 if research else None,
                            "total_days": None if research else places * 10,
                        },
                    )
            agreements[spec.reference] = agreement
        self.report("Agreements", step)
        self.report("Quotas", quotas)
        return agreements

    def load_programs(self, partners, departments, agreements, subject_areas) -> dict:
        step = Counter()
        programs = {}
        for spec in facts.programs(self.today):
            opens, closes = spec.call or (None, None)
            starts, ends = spec.dates or (None, None)
            values = {
                "title": spec.title,
                "title_ru": spec.title_ru,
                "title_be": spec.title_be,
                "kind": spec.kind,
                "mobility_type": spec.mobility_type,
                "purpose": spec.purpose,
                "agreement": agreements.get(spec.agreement),
                "host_institution": partners.get(spec.host),
                "direction": spec.direction,
                "places": spec.places,
                "call_opens": opens,
                "call_closes": closes,
                "starts_on": starts,
                "ends_on": ends,
                "department": departments.get(spec.department),
                "eqf_level": spec.eqf_level,
                "description": spec.description,
                "description_ru": spec.description_ru,
                "description_be": spec.description_be,
                "is_published": spec.is_published,
                "is_archived": spec.is_archived,
            }
            for category in Category.values:
                values[Program.eligibility_field(category)] = category in spec.eligible
            program = self.upsert(step, Program, {"slug": spec.slug}, values)
            self.set_many(
                step, program.subject_areas, [subject_areas[c] for c in spec.subject_areas]
            )
            programs[spec.slug] = program
        self.report("Programs", step)
        return programs

    def load_records(self, users, partners, departments, agreements, programs) -> None:
        if MobilityRecord.objects.filter(notes=facts.DEMO_MARKER).exists():
            kept = MobilityRecord.objects.filter(notes=facts.DEMO_MARKER).count()
            self.totals["unchanged"] += kept
            self.stdout.write(f"Mobility records: {kept} demo records already there, kept")
            return
        generator = demo.RecordGenerator(rng=random.Random(self.seed), today=self.today)
        drafts = generator.generate(list(programs))
        records = [
            self.build_record(draft, partners, departments, agreements, programs)
            for draft in drafts
        ]
        self.give_records_to_accounts(records, users)
        # On a terminal the progress line rewrites itself; in a log, one line per batch.
        interactive = self.stdout.isatty()
        for first in range(0, len(records), BATCH_SIZE):
            MobilityRecord.objects.bulk_create(records[first : first + BATCH_SIZE])
            done = min(first + BATCH_SIZE, len(records))
            self.stdout.write(
                f"Mobility records: {done}/{len(records)} created",
                ending="\r" if interactive and done < len(records) else "\n",
            )
        self.totals["created"] += len(records)

    def give_records_to_accounts(self, records: list[MobilityRecord], users: dict) -> None:
        """Let `staff` and `student` find a past stay of their own, waiting for their report."""
        wanted = {
            "staff": lambda r: r.purpose == "conference" and r.category == "academic_staff",
            "student": lambda r: r.purpose == "clinical_practice" and r.direction == "outgoing",
        }
        past = sorted(
            (r for r in records if r.status == MobilityStatus.COMPLETED),
            key=lambda r: r.end_date,
            reverse=True,
        )
        for username, matches in wanted.items():
            user = users[username]
            record = next(r for r in past if matches(r) and r.person is None)
            record.person = user
            record.full_name = user.get_full_name()
            record.report_activities, record.report_submitted_at = "", None

    def build_record(self, draft, partners, departments, agreements, programs) -> MobilityRecord:
        partner = partners.get(draft.partner)
        status = draft.status_on(self.today)
        completed = status == MobilityStatus.COMPLETED
        report_day = draft.end_date + datetime.timedelta(days=5)
        has_report = completed and bool(draft.report_activities) and report_day <= self.today
        incoming = draft.direction == "incoming"
        return MobilityRecord(
            full_name=draft.full_name,
            category=draft.category,
            direction=draft.direction,
            department=departments.get(draft.department),
            home_institution=draft.home_institution or (partner.name if incoming else ""),
            partner=partner,
            program=programs.get(draft.program),
            agreement=agreements.get(draft.agreement),
            mobility_type=draft.mobility_type,
            purpose=draft.purpose,
            start_date=draft.start_date,
            end_date=draft.end_date,
            country=draft.country,
            funding=draft.funding,
            status=status,
            report_activities=draft.report_activities if has_report else "",
            report_submitted_at=(
                datetime.datetime.combine(
                    report_day, datetime.time(10), tzinfo=timezone.get_current_timezone()
                )
                if has_report
                else None
            ),
            notes=facts.DEMO_MARKER,
        )

    def load_applications(self, users, departments, programs) -> None:
        """The demo's applications, written once per (applicant, program).

        Keyed by what does not change: once an applicant has any application to a program, the
        pair is left as people made it. A coordinator's decision, a withdrawal or a new
        application by the same person stands; the demo never undoes what somebody did.
        """
        step = Counter()
        specs = facts.applications()
        there = set(
            Application.objects.filter(
                applicant__username__in={spec.applicant for spec in specs},
                program__slug__in={spec.program for spec in specs},
            ).values_list("applicant__username", "program__slug")
        )
        now = timezone.now()
        for age, spec in enumerate(specs):
            if (spec.applicant, spec.program) in there:
                step["unchanged"] += 1
                continue
            submitted = now - datetime.timedelta(days=12 - age)
            self.create_application(spec, submitted, users, departments, programs)
            step["created"] += 1
        self.report("Applications", step)

    def create_application(self, spec, submitted, users, departments, programs) -> None:
        program = programs[spec.program]
        status = spec.status
        decided = status in (Application.Status.APPROVED, Application.Status.REJECTED)
        application = Application.objects.create(
            applicant=users[spec.applicant],
            program=program,
            category=spec.category,
            department=departments.get(spec.department),
            motivation=(
                f"I would like to take part in “{program.title}”: it fits my work at "
                f"{spec.department or 'the university'} and I will share what I learn with "
                "my colleagues and students."
            ),
            status=status,
            submitted_at=None if status == Application.Status.DRAFT else submitted,
            decided_by=users[spec.decided_by] if decided else None,
            decided_at=submitted + datetime.timedelta(days=3) if decided else None,
            decision_comment=spec.comment,
        )
        if status == Application.Status.APPROVED:
            # The same record an approval in the review page creates.
            MobilityRecord.create_planned_for(
                application, program, on=self.today, notes="Created from a demo application."
            )


def _same(obj, name: str, value) -> bool:
    field = obj._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return getattr(obj, field.attname) == (value.pk if value is not None else None)
    current = getattr(obj, name)
    return current == value
