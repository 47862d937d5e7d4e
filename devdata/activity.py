"""The generator's second half: applications, and the mobility records they and others make.

A mixin of `devdata.generator.Generator`: it reads the world the first half wrote (ids,
weights, program details) from the generator's attributes and writes the two biggest tables.
"""

import datetime
import itertools

from devdata.bulk import CHUNK, bulk_load, next_id, utc
from devdata.vocabulary import (
    CATEGORIES,
    DURATIONS,
    FIRST_YEAR,
    FUNDINGS,
    MOBILITY_TYPES,
    REPORT_ACTIVITIES,
    REPORT_OUTCOMES,
)
from exchanges.models import Application, MobilityRecord
from partners.choices import Direction, MobilityType
from reporting.models import RecordSummary

STUDENT_APPLICATIONS = 20
# Plain strings, compared by identity in the hot loop: `status is COMPLETED`.
CANCELLED, PLANNED, ONGOING, COMPLETED = (
    str(MobilityRecord.Status.CANCELLED), str(MobilityRecord.Status.PLANNED),
    str(MobilityRecord.Status.ONGOING), str(MobilityRecord.Status.COMPLETED),
)  # fmt: skip
OUTGOING, INCOMING = str(Direction.OUTGOING), str(Direction.INCOMING)
CONFERENCE = str(MobilityType.CONFERENCE)


class Activity:
    def applications(self):
        rng, scale = self.rng, self.scale
        first_id = next_id(Application)
        Status = Application.Status
        statuses = [(Status.DRAFT, 10), (Status.SUBMITTED, 15), (Status.APPROVED, 40),
                    (Status.REJECTED, 20), (Status.WITHDRAWN, 15)]  # fmt: skip
        status_values = [s for s, _ in statuses]
        status_weights = [w for _, w in statuses]
        pairs = set()
        n_programs = len(self.program_info)
        student_programs = rng.sample(range(n_programs), min(STUDENT_APPLICATIONS, n_programs))
        rows = []
        self.approved = []  # (application id, applicant id, program index, category, department)
        for i in range(scale.applications):
            if i < len(student_programs):
                applicant, program_index = self.student_id, student_programs[i]
            else:
                while True:
                    applicant = rng.choice(self.applicant_ids)
                    program_index = rng.randrange(n_programs)
                    if (applicant, program_index) not in pairs:
                        break
            pairs.add((applicant, program_index))
            pid, _, _, department_id, *_rest, starts, _ends = self.program_info[program_index]
            status = rng.choices(status_values, weights=status_weights)[0]
            created = utc(starts - datetime.timedelta(days=rng.randint(40, 120)), hour=10)
            submitted = None if status == Status.DRAFT else created + datetime.timedelta(days=2)
            decided = (
                created + datetime.timedelta(days=rng.randint(5, 20))
                if status in (Status.APPROVED, Status.REJECTED)
                else None
            )
            decided_by = (
                (self.coordinator_ids[department_id] if rng.random() < 0.8 else self.office_id)
                if decided
                else None
            )
            # Who the applicant is, as their profile says (the application keeps a copy).
            category = self.profile_category[applicant]
            aid = first_id + i
            rows.append(
                (aid, created, created, applicant, pid, category,
                 rng.choice(self.department_ids),
                 "I would like to gain clinical experience and improve my professional English.",
                 status, submitted, decided_by, decided,
                 "" if not decided else rng.choice(["Approved.", "Places are full.", ""]))
            )  # fmt: skip
            if status == Status.APPROVED:
                self.approved.append((aid, applicant, program_index, category, rows[-1][6]))
        with bulk_load(Application):
            self.writer.write(
                Application,
                ["id", "created_at", "updated_at", "applicant_id", "program_id", "category",
                 "department_id", "motivation", "status", "submitted_at", "decided_by_id",
                 "decided_at", "decision_comment"],
                rows, len(rows), "applications",
            )  # fmt: skip

    def records(self):
        """The big table: drawn in batches, from pools, with plain strings (1,000,000 rows)."""
        total = self.scale.records
        first_id = next_id(MobilityRecord)
        approved = self.approved[: total // 2]
        iso = _IsoDays()
        tables = _RecordTables(self)
        # Names from pools: a person's name is one draw, not three.
        local_names = [" ".join(self.names.local()) for _ in range(4096)]
        script_names = {
            script: [" ".join(self.names.from_script(script)) for _ in range(1024)]
            for script in sorted(set(self.partner_script))
        }
        partner_names = [script_names[script] for script in self.partner_script]
        rows = itertools.chain(
            self.approved_record_rows(approved, first_id, iso),
            self.drawn_record_rows(
                tables, first_id + len(approved), total - len(approved), iso,
                local_names, partner_names,
            ),
        )  # fmt: skip
        with bulk_load(MobilityRecord):
            self.writer.write(
                MobilityRecord,
                ["id", "created_at", "updated_at", "full_name", "person_id", "category",
                 "direction", "department_id", "home_institution", "partner_id", "program_id",
                 "agreement_id", "application_id", "mobility_type", "purpose", "start_date",
                 "end_date", "country", "funding", "status", "report_activities",
                 "report_outcomes", "report_submitted_at", "notes"],
                rows, total, "mobility records",
            )  # fmt: skip
        # The records went in with triggers off (bulk_load): the report's summary is made once.
        RecordSummary.objects.rebuild()

    def approved_record_rows(self, approved: list, first_id: int, iso: "_IsoDays"):
        """The planned or completed stays of approved applications, from their programs."""
        for i, (application_id, person_id, program_index, category, department_id) in enumerate(
            approved
        ):
            (program_id, partner_index, agreement_id, _, _, mobility_type, purpose,
             start, end) = self.program_info[program_index]  # fmt: skip
            created = iso.created(start.toordinal())
            yield (
                first_id + i, created, created, self.user_names[person_id], person_id,
                str(category), OUTGOING, department_id, "", self.partner_ids[partner_index],
                program_id, agreement_id, application_id, str(mobility_type), str(purpose),
                start, end, self.partner_country[partner_index], str(MobilityRecord.Funding.HOME),
                PLANNED if start > self.reference else COMPLETED, "", "", None, "",
            )  # fmt: skip

    def drawn_record_rows(self, t, first_id, count, iso, local_names, partner_names):
        """Everybody else's stays, drawn chunk by chunk (t: the weight tables)."""
        random_ = self.rng.random
        reference = self.reference.toordinal()
        done = 0
        while done < count:
            n = min(CHUNK, count - done)
            years, durations, partners, categories, types, departments, fundings = t.draw(n)
            for j in range(n):
                start = t.year_start[years[j]] + int(random_() * 365)
                end = start + durations[j]
                partner_index = partners[j]
                mobility_type, purpose = types[j]
                if random_() < 0.62:
                    direction, home = OUTGOING, ""
                    full_name = local_names[int(random_() * 4096)]
                else:
                    direction, home = INCOMING, self.partner_name[partner_index]
                    full_name = partner_names[partner_index][int(random_() * 1024)]
                agreements = self.partner_agreements.get(partner_index)
                agreement_id = (
                    agreements[int(random_() * len(agreements))]
                    if agreements and random_() < 0.7
                    else None
                )
                programs = self.partner_programs.get(partner_index)
                program_id = (
                    self.program_info[programs[int(random_() * len(programs))]][0]
                    if programs and random_() < 0.3
                    else None
                )
                # Conference trips sometimes have no partner: their program says where.
                partner_id = self.partner_ids[partner_index]
                if program_id and mobility_type == CONFERENCE and random_() < 0.3:
                    partner_id = agreement_id = None
                if random_() < 0.03:
                    status = CANCELLED
                elif start > reference:
                    status = PLANNED
                else:
                    status = ONGOING if end >= reference else COMPLETED
                has_report = status is COMPLETED and random_() < 0.3
                yield (
                    first_id + done + j, iso.created(start), iso.created(start), full_name, None,
                    categories[j], direction, departments[j], home, partner_id, program_id,
                    agreement_id, None, mobility_type, purpose, iso.day(start), iso.day(end),
                    self.partner_country[partner_index], fundings[j], status,
                    REPORT_ACTIVITIES[int(random_() * 5)] if has_report else "",
                    REPORT_OUTCOMES[int(random_() * 4)] if has_report else "",
                    iso.created(end + 37) if has_report else None, "",
                )  # fmt: skip
            done += n


class _RecordTables:
    """The weighted tables records are drawn from, as cumulative weights, drawn a chunk at once."""

    def __init__(self, generator):
        self.rng = generator.rng
        # More mobility every year, as the network grows.
        self.years = generator.years
        self.year_cw = list(itertools.accumulate(1 + 0.12 * (y - FIRST_YEAR) for y in self.years))
        self.year_start = {y: datetime.date(y, 1, 1).toordinal() for y in self.years}
        self.types = [(str(t), str(p)) for t, p, _ in MOBILITY_TYPES]
        self.type_cw = list(itertools.accumulate(w for *_, w in MOBILITY_TYPES))
        self.categories, self.category_cw = _cumulative(CATEGORIES)
        self.fundings, self.funding_cw = _cumulative(FUNDINGS)
        self.durations = [d - 1 for d, _ in DURATIONS]
        self.duration_cw = list(itertools.accumulate(w for _, w in DURATIONS))
        self.department_ids = generator.department_ids
        self.department_cw = list(itertools.accumulate(generator.department_weights))
        self.partner_range = range(len(generator.partner_ids))
        self.partner_cw = generator.partner_cum_weights

    def draw(self, n: int) -> tuple[list, ...]:
        choices = self.rng.choices
        return (
            choices(self.years, cum_weights=self.year_cw, k=n),
            choices(self.durations, cum_weights=self.duration_cw, k=n),
            choices(self.partner_range, cum_weights=self.partner_cw, k=n),
            choices(self.categories, cum_weights=self.category_cw, k=n),
            choices(self.types, cum_weights=self.type_cw, k=n),
            choices(self.department_ids, cum_weights=self.department_cw, k=n),
            choices(self.fundings, cum_weights=self.funding_cw, k=n),
        )


def _cumulative(weighted) -> tuple[list[str], list[float]]:
    return [str(v) for v, _ in weighted], list(itertools.accumulate(w for _, w in weighted))


class _IsoDays:
    """Dates and times as ISO text, formatted once per day rather than once per cell."""

    def __init__(self):
        self.dates: dict[int, str] = {}
        self.created_at: dict[int, str] = {}

    def day(self, ordinal: int) -> str:
        if ordinal not in self.dates:
            self.dates[ordinal] = datetime.date.fromordinal(ordinal).isoformat()
        return self.dates[ordinal]

    def created(self, ordinal: int) -> str:
        """A row's creation time: a month before the day, at nine."""
        if ordinal not in self.created_at:
            self.created_at[ordinal] = utc(datetime.date.fromordinal(ordinal - 30)).isoformat()
        return self.created_at[ordinal]
