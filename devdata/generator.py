"""Realistic, reproducible data at scale for benchmarks and demos: `manage.py generate_data`.

Everything comes from one `random.Random(seed)`: the same seed gives the same rows, ids
included. The only input from the clock is the current year, the last year of the records.
Rows go to the database in bulk (devdata/bulk.py), without model signals or history rows.

Every generated partner, program and user has a slug or username starting with `gen-`, and
every generated department an e-mail at `generated.example`; that is how the generator knows a
database holds nothing else (it refuses to write into real data unless forced). The words it
uses are in devdata/vocabulary.py; applications and mobility records in devdata/activity.py.
"""

import datetime
import itertools
import random
import time
from collections.abc import Callable
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.roles import INTERNATIONAL_OFFICE_GROUP
from devdata.activity import Activity
from devdata.bulk import (
    RealDataPresent,
    Writer,
    delete_generated,
    generated_tables,
    next_id,
    real_data_found,
    utc,
    wipe_all,
)
from devdata.profiles import Profiles
from devdata.vocabulary import (
    CONTACT_ROLES,
    COORDINATOR_USERNAME,
    COUNTRIES,
    DEPARTMENT_SUBJECTS,
    EMAIL_DOMAIN,
    FACULTIES,
    FIRST_YEAR,
    INSTITUTION_WEIGHTS,
    INSTITUTIONS,
    OFFICE_USERNAME,
    PREFIX,
    PROGRAM_KINDS,
    SCALES,
    STUDENT_USERNAME,
    SUBJECT_AREAS,
    SUBJECTS,
    Names,
    Scale,
    pick,
)
from exchanges.choices import ProgramKind
from exchanges.models import Application, MobilityRecord, Program
from partners.choices import Direction, MobilityType
from partners.models import (
    Agreement,
    AgreementQuota,
    Contact,
    Department,
    Partner,
    SubjectArea,
)
from people.choices import Category

__all__ = [
    "COORDINATOR_USERNAME",
    "OFFICE_USERNAME",
    "PREFIX",
    "SCALES",
    "STUDENT_USERNAME",
    "Generator",
    "RealDataPresent",
    "Scale",
    "generate",
    "wipe_all",
]

MAX_AGREEMENTS_PER_PARTNER = 25
AGREEMENT_LIFECYCLES = [
    (Agreement.Lifecycle.SIGNED, 80), (Agreement.Lifecycle.DRAFT, 5),
    (Agreement.Lifecycle.NEGOTIATION, 7), (Agreement.Lifecycle.TERMINATED, 8),
]  # fmt: skip
AGREEMENT_KINDS = list(zip(Agreement.Kind.values, [10, 30, 25, 10, 5, 20], strict=True))


# --- The generator -----------------------------------------------------------------------------
class Generator(Activity, Profiles):
    """The generated world: departments, people, partners, agreements, programs."""

    def __init__(
        self,
        scale: Scale,
        seed: int,
        progress: Callable[[str, int, int], None] | None = None,
        this_year: int | None = None,
    ):
        self.scale = scale
        self.rng = random.Random(seed)
        self.profile_rng = random.Random(f"profiles-{seed}")  # apart: other rows stay the same
        self.writer = Writer(progress)
        self.this_year = this_year or timezone.localdate().year
        # "Now" for the generated world: statuses of records and programs are relative to it.
        self.reference = datetime.date(self.this_year, 6, 30)
        self.years = list(range(FIRST_YEAR, self.this_year + 1))
        self.names = Names(self.rng)
        self.country_weights = [c[2] for c in COUNTRIES]
        self.script_of: dict[int, str] = {}

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            self.subject_areas()
            self.departments()
            self.users()
            self.partners()
            self.contacts()
            self.agreements()
            self.agreement_subject_areas_and_quotas()
            self.programs()
            self.applications()
            self.records()
            self.reset_sequences()
        if self.writer.is_postgresql:
            # Fresh statistics, so that the planner knows the tables are big from the start, and
            # (outside a transaction) the visibility map a vacuumed production table has, which
            # index-only scans need.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            with connection.cursor() as cursor:
                for table in generated_tables():
                    cursor.execute(f"{command} {connection.ops.quote_name(table)}")
        return self.writer.counts

    def subject_areas(self):
        for code, name in SUBJECT_AREAS:
            SubjectArea.objects.get_or_create(isced_code=code, defaults={"name": name})
        self.subject_area_ids = sorted(
            SubjectArea.objects.filter(isced_code__in=[c for c, _ in SUBJECT_AREAS]).values_list(
                "pk", flat=True
            )
        )

    def departments(self):
        rng, scale = self.rng, self.scale
        taken = set(Department.objects.values_list("name", flat=True))
        first_department = next_id(Department)
        departments = []
        for i in range(scale.departments):
            subject = DEPARTMENT_SUBJECTS[i % len(DEPARTMENT_SUBJECTS)]
            name = f"Department of {subject}"
            if i >= len(DEPARTMENT_SUBJECTS):
                name += f" No. {i // len(DEPARTMENT_SUBJECTS) + 1}"
            if name in taken:
                name += " (generated)"
            departments.append(
                (
                    first_department + i,
                    name,
                    rng.choice(FACULTIES),
                    f"{slugify(name)[:50]}@{EMAIL_DOMAIN}",
                )
            )
        self.writer.write(
            Department, ["id", "name", "faculty", "email"], departments, len(departments),
            "departments",
        )  # fmt: skip
        self.department_ids = [d[0] for d in departments]
        # The first departments are the big ones: most programs, most travellers.
        self.department_weights = [1 / (i + 1) ** 0.7 for i in range(len(departments))]

    def users(self):
        User = get_user_model()
        first_user = next_id(User)
        joined = utc(datetime.date(FIRST_YEAR, 9, 1))
        users = []

        def user(username, first, last, is_staff=False):
            uid = first_user + len(users)
            users.append(
                (uid, "!generated", None, False, username, first, last,
                 f"{username}@{EMAIL_DOMAIN}", is_staff, True, joined)
            )  # fmt: skip
            return uid

        self.office_id = user(OFFICE_USERNAME, "Olga", "Office", is_staff=True)
        self.coordinator_ids = {}
        for i, department_id in enumerate(self.department_ids):
            first, last = self.names.local()
            username = COORDINATOR_USERNAME if i == 0 else f"{PREFIX}coordinator-{i}"
            self.coordinator_ids[department_id] = user(username, first, last)
        self.student_id = user(STUDENT_USERNAME, "Sasha", "Student")
        self.applicant_ids = [self.student_id]
        for i in range(self.scale.applicants - 1):
            first, last = self.names.local()
            self.applicant_ids.append(user(f"{PREFIX}user-{i + 1}", first, last))
        self.writer.write(
            User,
            ["id", "password", "last_login", "is_superuser", "username", "first_name",
             "last_name", "email", "is_staff", "is_active", "date_joined"],
            users, len(users), "users",
        )  # fmt: skip
        self.user_names = {u[0]: f"{u[5]} {u[6]}" for u in users}
        self.profiles(joined)
        group, _ = Group.objects.get_or_create(name=INTERNATIONAL_OFFICE_GROUP)
        self.writer.write(
            User.groups.through, ["user_id", "group_id"], [(self.office_id, group.pk)], 1,
            "office group",
        )  # fmt: skip
        self.writer.write(
            Department.coordinators.through,
            ["department_id", "user_id"],
            list(self.coordinator_ids.items()),
            len(self.coordinator_ids),
            "coordinators",
        )

    def partners(self):
        first_id = next_id(Partner)
        partners = [self.partner_row(first_id + i, i) for i in range(self.scale.partners)]
        self.partner_country = [p[8] for p in partners]
        self.partner_script = [self.script_of[p[0]] for p in partners]
        self.partner_name = [p[3] for p in partners]
        self.writer.write(
            Partner,
            ["id", "created_at", "updated_at", "name", "name_original", "acronym", "slug",
             "kind", "country", "city", "website", "erasmus_code", "description", "is_active"],
            partners, len(partners), "partners",
        )  # fmt: skip
        # COPY bypasses the receiver that fills the derived search column.
        Partner.objects.filter(pk__gte=first_id).refresh_search_text()
        self.partner_ids = [p[0] for p in partners]
        # A few partners carry most of the traffic (Zipf-like); the first one the most.
        weights = [1 / (i + 1) ** 0.8 for i in range(len(partners))]
        self.partner_cum_weights = list(itertools.accumulate(weights))

    def partner_row(self, partner_id: int, i: int) -> tuple:
        rng = self.rng
        if i == 0:
            # The oldest and busiest partner, as in the real network.
            country, script, city, city_native = "PL", "pl", "Bialystok", "Białystok"
            template = 0
        else:
            country, script, _, cities = rng.choices(COUNTRIES, weights=self.country_weights)[0]
            city, city_native = rng.choice(cities)
            template = rng.choices(range(len(INSTITUTIONS)), weights=INSTITUTION_WEIGHTS)[0]
        self.script_of[partner_id] = script
        english, originals, kind = INSTITUTIONS[template]
        values = {"city": city, "n": rng.randint(1, 40), "subject": rng.choice(SUBJECTS)}
        name = english.format(**values)
        original = originals.get(script, english).format(
            **{**values, "city": city_native if script in originals else city}
        )
        acronym = "".join(w[0] for w in name.replace(",", "").split() if w[0].isupper())[:10]
        slug = f"{PREFIX}{slugify(name)[:80]}-{i + 1}"
        erasmus = (
            f"{country} {city.upper()[:8]}{rng.randint(1, 9):02d}"
            if country not in ("RU", "BY", "KZ", "UZ", "CN", "IN") and rng.random() < 0.7
            else ""
        )
        created = utc(datetime.date(rng.choice(self.years), 1, 15))
        return (partner_id, created, created, name, original, acronym, slug, kind, country,
                city, f"https://www.{slugify(city)}-{i + 1}.example.org/", erasmus,
                f"{kind.label} in {city}.", i == 0 or rng.random() < 0.93)  # fmt: skip

    def contacts(self):
        rng = self.rng

        def rows():
            for index, partner_id in enumerate(self.partner_ids):
                for c in range(rng.randint(1, 3)):
                    first, last = self.names.from_script(self.partner_script[index])
                    yield (
                        partner_id, f"{first} {last}", rng.choice(CONTACT_ROLES),
                        f"contact{c + 1}.{partner_id}@{EMAIL_DOMAIN}",
                        f"+{rng.randint(30, 99)} {rng.randint(10, 99)} {rng.randint(100, 999)} "
                        f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                        c == 0,
                    )  # fmt: skip

        self.writer.write(
            Contact, ["partner_id", "name", "role", "email", "phone", "is_primary"],
            rows(), None, "contacts",
        )  # fmt: skip

    def agreement_owners(self) -> list[int]:
        """Partner indexes, one per agreement.

        Every partner has at least one agreement; the busy ones more (renewals, annexes), but
        no partner more than MAX_AGREEMENTS_PER_PARTNER, as in real registries.
        """
        wanted = self.scale.agreements
        partner_indexes = list(range(len(self.partner_ids)))
        owners = partner_indexes[:wanted]
        per_partner = dict.fromkeys(owners, 1)
        while len(owners) < wanted:
            for index in self.rng.choices(
                partner_indexes, cum_weights=self.partner_cum_weights, k=wanted - len(owners)
            ):
                if per_partner.get(index, 0) < MAX_AGREEMENTS_PER_PARTNER:
                    per_partner[index] = per_partner.get(index, 0) + 1
                    owners.append(index)
        return owners

    def agreements(self):
        first_id = next_id(Agreement)
        self.agreement_rows = []
        self.partner_agreements: dict[int, list[int]] = {}
        self.agreement_department: dict[int, int] = {}
        self.signed_agreements: list[tuple[int, int]] = []  # (agreement id, partner index)
        for i, partner_index in enumerate(self.agreement_owners()):
            row = self.agreement_row(first_id + i, i, partner_index)
            aid, department_id, lifecycle = row[0], row[12], row[7]
            self.agreement_rows.append(row)
            self.partner_agreements.setdefault(partner_index, []).append(aid)
            self.agreement_department[aid] = department_id
            if lifecycle == Agreement.Lifecycle.SIGNED:
                self.signed_agreements.append((aid, partner_index))
        self.writer.write(
            Agreement,
            ["id", "created_at", "updated_at", "partner_id", "title", "reference", "kind",
             "lifecycle", "signed_on", "valid_from", "valid_until", "auto_renewal",
             "department_id", "coordinator_id", "scope", "eqf_level", "notes"],
            self.agreement_rows, len(self.agreement_rows), "agreements",
        )  # fmt: skip

    def agreement_row(self, aid: int, i: int, partner_index: int) -> tuple:
        rng, Lifecycle = self.rng, Agreement.Lifecycle
        lifecycle = pick(rng, AGREEMENT_LIFECYCLES)[0]
        kind = pick(rng, AGREEMENT_KINDS)[0]
        start = datetime.date(rng.choice(self.years), rng.randint(1, 12), rng.randint(1, 28))
        if partner_index == 0 and i == 0:
            lifecycle, start = Lifecycle.SIGNED, datetime.date(2004, 3, 15)
            kind = AGREEMENT_KINDS[1][0]
        open_ended = rng.random() < 0.2
        auto_renewal = not open_ended and rng.random() < 0.15
        until = (
            None if open_ended else start + datetime.timedelta(days=365 * rng.choice([3, 5, 5, 10]))
        )
        valid_from = start if lifecycle in (Lifecycle.SIGNED, Lifecycle.TERMINATED) else None
        if valid_from is None:
            until, auto_renewal = None, False
        department_id = rng.choices(self.department_ids, weights=self.department_weights)[0]
        created = utc(start - datetime.timedelta(days=30))
        return (aid, created, created, self.partner_ids[partner_index],
                f"{Agreement.Kind(kind).label} with {self.partner_name[partner_index]}"[:255],
                f"GEN-{start.year}-{i + 1:06d}", kind, lifecycle,
                valid_from - datetime.timedelta(days=rng.randint(0, 20)) if valid_from else None,
                valid_from, until, auto_renewal, department_id,
                self.coordinator_ids[department_id] if rng.random() < 0.6 else None,
                "Exchange of students and staff, joint research and conferences.",
                rng.choice([None, 6, 7, 8]), "")  # fmt: skip

    def agreement_subject_areas_and_quotas(self):
        rng = self.rng

        def subject_areas():
            for row in self.agreement_rows:
                if rng.random() < 0.5:
                    yield row[0], rng.choice(self.subject_area_ids)

        self.writer.write(
            Agreement.subject_areas.through, ["agreement_id", "subjectarea_id"],
            subject_areas(), None, "agreement subject areas",
        )  # fmt: skip

        def quotas():
            for aid, _ in self.signed_agreements:
                if rng.random() < 0.5:
                    continue
                combos = rng.sample(
                    [(t, d) for t in MobilityType.values[:5] for d in Direction.values],
                    rng.randint(1, 3),
                )
                for year in range(self.this_year - 2, self.this_year + 1):
                    for mobility_type, direction in combos:
                        months = Decimal(rng.randint(2, 40)) / 2
                        yield (aid, year, mobility_type, direction, rng.randint(1, 10),
                               months, None)  # fmt: skip

        self.writer.write(
            AgreementQuota,
            ["agreement_id", "academic_year", "mobility_type", "direction", "places",
             "total_months", "total_days"],
            quotas(), None, "quotas",
        )  # fmt: skip

    def programs(self):
        rng, scale = self.rng, self.scale
        first_id = next_id(Program)
        rows = []
        self.program_info = []  # (id, partner index or None, agreement id, department id, ...)
        self.partner_programs: dict[int, list[int]] = {}
        for i in range(scale.programs):
            pid = first_id + i
            kind, mobility_type, purpose, _ = pick(rng, PROGRAM_KINDS)
            agreement_id, partner_index, department_id = self.program_host(kind)
            if i < 3:
                department_id = self.department_ids[0]
            call_opens, call_closes, starts = self.program_call(open_all_year=i < 3)
            ends = starts + datetime.timedelta(days=rng.choice([5, 14, 21, 30, 90]))
            direction = rng.choices(["outgoing", "incoming", "both"], weights=[6, 2, 2])[0]
            city = self.partner_name[partner_index]
            title = f"{ProgramKind(kind).label}: {city} {starts.year}"
            eligible = [rng.random() < 0.5 for _ in Category.values]
            if not any(eligible):
                eligible[0] = True
            if i < 3:
                eligible = [True] * len(eligible)
            archived = ends < self.reference - datetime.timedelta(days=730) and rng.random() < 0.6
            created = utc(call_opens - datetime.timedelta(days=10))
            rows.append(
                (pid, created, created, title[:255], f"{PREFIX}{slugify(title)[:90]}-{i + 1}",
                 kind, mobility_type, purpose, agreement_id, self.partner_ids[partner_index],
                 direction, *eligible, rng.randint(2, 30), call_opens, call_closes, starts, ends,
                 department_id, rng.choice([None, 6, 7]),
                 f"{ProgramKind(kind).label} hosted by {city}.", rng.random() < 0.92 or i < 3,
                 archived and i >= 3)
            )  # fmt: skip
            self.program_info.append((pid, partner_index, agreement_id, department_id, kind,
                                      mobility_type, purpose, starts, ends))  # fmt: skip
            self.partner_programs.setdefault(partner_index, []).append(i)
        self.writer.write(
            Program,
            ["id", "created_at", "updated_at", "title", "slug", "kind", "mobility_type",
             "purpose", "agreement_id", "host_institution_id", "direction",
             *(f"eligible_{c}" for c in Category.values), "places", "call_opens",
             "call_closes", "starts_on", "ends_on", "department_id", "eqf_level",
             "description", "is_published", "is_archived"],
            rows, len(rows), "programs",
        )  # fmt: skip
        self.writer.write(
            Program.subject_areas.through, ["program_id", "subjectarea_id"],
            ((row[0], rng.choice(self.subject_area_ids)) for row in rows), len(rows),
            "program subject areas",
        )  # fmt: skip

    def program_host(self, kind: str) -> tuple[int | None, int, int]:
        """(agreement id, partner index, department id): under an agreement, mostly."""
        rng = self.rng
        if kind == ProgramKind.CONFERENCE or not self.signed_agreements or rng.random() < 0.1:
            partner_index = rng.choices(
                range(len(self.partner_ids)), cum_weights=self.partner_cum_weights
            )[0]
            department_id = rng.choices(self.department_ids, weights=self.department_weights)[0]
            return None, partner_index, department_id
        agreement_id, partner_index = rng.choice(self.signed_agreements)
        return agreement_id, partner_index, self.agreement_department[agreement_id]

    def program_call(self, *, open_all_year: bool) -> tuple[datetime.date, ...]:
        """(call opens, call closes, program starts)."""
        rng = self.rng
        # A fifth of the programs run this year with a call open all year round.
        if open_all_year or rng.random() < 0.2:
            year = self.this_year
            starts = datetime.date(year + 1, rng.randint(1, 6), rng.randint(1, 28))
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31), starts
        year = rng.choice(self.years)
        starts = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        call_closes = starts - datetime.timedelta(days=rng.randint(20, 60))
        call_opens = call_closes - datetime.timedelta(days=rng.randint(14, 60))
        return call_opens, call_closes, starts

    def reset_sequences(self):
        User = get_user_model()
        models_ = [User, Department, Partner, Contact, Agreement, AgreementQuota, Program,
                   Application, MobilityRecord, Agreement.subject_areas.through,
                   Program.subject_areas.through, Department.coordinators.through,
                   User.groups.through]  # fmt: skip
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models_):
                cursor.execute(sql)


def generate(
    scale: str,
    seed: int = 42,
    *,
    force: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> tuple[dict[str, int], float]:
    """Fill the database; returns the rows written per table and the seconds taken."""
    started = time.monotonic()
    real = real_data_found()
    if real and not force:
        raise RealDataPresent(real)
    with transaction.atomic():
        if real:
            delete_generated()
        else:
            wipe_all()
    counts = Generator(SCALES[scale], seed, progress).run()
    return counts, time.monotonic() - started
