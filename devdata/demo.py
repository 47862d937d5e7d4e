"""The demo's mobility records since 2004, generated from the seed text's three figures.

The seed text (devdata/data/figures.json) gives three figures the generated records agree with:

- "since 2004, about 350 people have participated in the program of academic and scientific
  exchange on both sides" (Medical University of Bialystok);
- "About 150 Belarusian and Polish students were involved in the summer clinical practice"
  (read as part of those 350: the student exchange is a program under the 2004 agreement);
- "Every year members of the University academic staff attend more than 100 congresses,
  conferences and seminars abroad".

Everything here is a pure function of (random generator, today); `load_demo` writes it. The
names, conferences and departments come from the data files (devdata/facts.py reads them).
"""

import datetime
import random
from dataclasses import dataclass, field

from devdata import facts
from devdata.demo_partners import OtherPartnerRecords
from devdata.drafts import (
    BIALYSTOK_EXCHANGE_PARTICIPANTS,
    CLINICAL_DEPARTMENTS,
    CONFERENCE_COUNTRIES,
    CONFERENCE_FUNDING,
    CONFERENCES,
    DEPARTMENT,
    DEPARTMENT_NAMES,
    FIRST_EXCHANGE_YEAR,
    SUMMER_PRACTICE_PARTICIPANTS,
    UMB,
    UMB_AGREEMENT,
    RecordDraft,
    person_name,
)
from exchanges.choices import Purpose
from partners.choices import Direction, MobilityType
from people.choices import Category

__all__ = ["RecordDraft", "RecordGenerator"]


@dataclass
class RecordGenerator(OtherPartnerRecords):
    rng: random.Random
    today: datetime.date
    drafts: list[RecordDraft] = field(default_factory=list)

    # Helpers ---------------------------------------------------------------------------------

    def day_in(self, year: int, first_month: int = 1, last_month: int = 12) -> datetime.date:
        first = datetime.date(year, first_month, 1)
        last = datetime.date(year, last_month, 28)
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    def latest_start(self) -> datetime.date:
        # Records reach a couple of months into the future as planned stays, not further.
        return self.today + datetime.timedelta(days=60)

    def add(self, draft: RecordDraft) -> None:
        if draft.start_date <= self.latest_start():
            self.drafts.append(draft)

    def stay(self, start: datetime.date, min_days: int, max_days: int) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(min_days, max_days) - 1)

    def spread(self, total: int, years: list[int], growth: float) -> dict[int, int]:
        """Split a total over years, later years weighing more; exact, deterministic."""
        weights = [1 + growth * i for i, _ in enumerate(years)]
        picks = self.rng.choices(years, weights=weights, k=total)
        return {year: picks.count(year) for year in years}

    def years(self, first: int) -> list[int]:
        return list(range(first, self.today.year + 1))

    # The seed's programs ---------------------------------------------------------------------

    def bialystok_exchange(self, program_slugs: list[str]) -> None:
        """About 350 participants on both sides since 2004: staff, PhD students, scientists."""
        fixed = 0
        for slug in program_slugs:
            if slug.startswith("bialystok-clinical-training-"):
                year = int(slug.rsplit("-", 1)[1])
                month = 10 if year in (2006, 2013) else 4
                size = self.rng.randint(5, 6)
                start = datetime.date(year, month, 9)
                for _ in range(size):
                    self._bialystok_outgoing_staff(start, 12, slug, Purpose.TRAINING)
                fixed += size
            elif slug.startswith("bialystok-teaching-in-english-"):
                year = int(slug.rsplit("-", 1)[1])
                size = self.rng.randint(7, 8)
                for _ in range(size):
                    self._bialystok_outgoing_staff(datetime.date(year, 5, 14), 5, slug)
                fixed += size
        for _ in range(2):
            self.add(
                RecordDraft(
                    full_name=person_name(self.rng),
                    category=Category.PHD_STUDENT,
                    direction=Direction.OUTGOING,
                    purpose=Purpose.RESEARCH,
                    mobility_type=MobilityType.RESEARCH,
                    start_date=datetime.date(2015, 10, 5),
                    end_date=datetime.date(2015, 12, 18),
                    country="PL",
                    department=DEPARTMENT["pathology"],
                    partner=UMB,
                    agreement=UMB_AGREEMENT,
                    program="bialystok-phd-research-training",
                    report_activities=(
                        "Immunohistochemistry and molecular methods at the departments of "
                        "pathology and molecular biology."
                    ),
                )
            )
        fixed += 2
        # The current year counts only up to today plus the planned months.
        years = self.years(FIRST_EXCHANGE_YEAR)
        # The summer practice students are part of the exchange's participants "on both sides".
        staff_and_scientists = (
            BIALYSTOK_EXCHANGE_PARTICIPANTS - SUMMER_PRACTICE_PARTICIPANTS - fixed
        )
        per_year = self.spread(staff_and_scientists, years, growth=0.04)
        for year, count in per_year.items():
            for _ in range(count):
                self._bialystok_visit(year, cancelled=False)
        for year in self.rng.sample(years[:-1], 5):
            self._bialystok_visit(year, cancelled=True)

    def _bialystok_outgoing_staff(
        self, start: datetime.date, length: int, program: str, purpose: str = Purpose.TRAINING
    ) -> None:
        self.add(
            RecordDraft(
                full_name=person_name(self.rng),
                category=Category.ACADEMIC_STAFF,
                direction=Direction.OUTGOING,
                purpose=purpose,
                mobility_type=MobilityType.HE_STT,
                start_date=start,
                end_date=start + datetime.timedelta(days=length - 1),
                country="PL",
                department=self.rng.choice(DEPARTMENT_NAMES),
                partner=UMB,
                agreement=UMB_AGREEMENT,
                program=program,
            )
        )

    def _bialystok_visit(self, year: int, cancelled: bool) -> None:
        rng = self.rng
        incoming = rng.random() < 0.45
        category = rng.choices(
            [Category.ACADEMIC_STAFF, Category.YOUNG_SCIENTIST, Category.PHD_STUDENT],
            weights=[60, 20, 20],
        )[0]
        if category == Category.ACADEMIC_STAFF:
            purpose, mobility_type = rng.choice(
                [
                    (Purpose.TRAINING, MobilityType.HE_STT),
                    (Purpose.TRAINING, MobilityType.HE_STT),
                    (Purpose.TEACHING, MobilityType.HE_STA),
                    (Purpose.RESEARCH, MobilityType.RESEARCH),
                ]
            )
            length = (5, 14)
        else:
            purpose, mobility_type, length = Purpose.RESEARCH, MobilityType.RESEARCH, (14, 60)
        start = self.day_in(year)
        if year == self.today.year and start > self.latest_start():
            start = self.today - datetime.timedelta(days=rng.randint(1, 200))
        self.add(
            RecordDraft(
                full_name=person_name(rng, "PL" if incoming else "BY"),
                category=category,
                direction=Direction.INCOMING if incoming else Direction.OUTGOING,
                purpose=purpose,
                mobility_type=mobility_type,
                start_date=start,
                end_date=self.stay(start, *length),
                country="PL",
                department=rng.choice(
                    CLINICAL_DEPARTMENTS + [DEPARTMENT["biology"], DEPARTMENT["normal-physiology"]]
                ),
                partner=UMB,
                agreement=UMB_AGREEMENT,
                home_institution="Medical University of Bialystok" if incoming else "",
                cancelled=cancelled,
            )
        )

    def summer_practice(self, program_slugs: list[str]) -> None:
        """About 150 Belarusian and Polish students, mutual exchange, every July since 2011,
        each July's students in that year's program (facts.past_summer_practices)."""
        years = facts.summer_practice_years(self.today)
        per_year = self.spread(SUMMER_PRACTICE_PARTICIPANTS, years, growth=0.15)
        programs = set(program_slugs)
        for year, count in per_year.items():
            program = facts.summer_practice_slug(year)
            program = program if program in programs else None
            for i in range(count):
                self._summer_student(year, incoming=i % 2 == 1, cancelled=False, program=program)
        for year in self.rng.sample(years, 3):
            self._summer_student(year, incoming=False, cancelled=True)

    def _summer_student(
        self, year: int, incoming: bool, cancelled: bool, program: str | None = None
    ) -> None:
        start = datetime.date(year, 7, 1) + datetime.timedelta(days=self.rng.choice([0, 0, 7]))
        self.add(
            RecordDraft(
                full_name=person_name(self.rng, "PL" if incoming else "BY"),
                category=Category.UNDERGRADUATE,
                direction=Direction.INCOMING if incoming else Direction.OUTGOING,
                purpose=Purpose.CLINICAL_PRACTICE,
                mobility_type=MobilityType.CLINICAL_PRACTICE,
                start_date=start,
                end_date=start + datetime.timedelta(days=27),
                country="PL",
                department=self.rng.choice(
                    [
                        DEPARTMENT["internal-1"],
                        DEPARTMENT["general-surgery"],
                        DEPARTMENT["obstetrics"],
                    ]
                ),
                partner=UMB,
                agreement=UMB_AGREEMENT,
                home_institution="Medical University of Bialystok" if incoming else "",
                program=program,
                cancelled=cancelled,
            )
        )

    def conferences(self) -> None:
        """More than 100 conference trips abroad a year in recent years, fewer before."""
        rng = self.rng
        countries = [code for code, _weight in CONFERENCE_COUNTRIES]
        weights = [weight for _code, weight in CONFERENCE_COUNTRIES]
        for year in self.years(FIRST_EXCHANGE_YEAR):
            if year >= 2015:
                staff_trips = rng.randint(104, 128)
            elif year >= 2010:
                staff_trips = rng.randint(70, 99)
            else:
                staff_trips = rng.randint(45, 70)
            young_trips = rng.randint(5, 15)
            for i in range(staff_trips + young_trips):
                category = (
                    Category.ACADEMIC_STAFF
                    if i < staff_trips
                    else rng.choice([Category.YOUNG_SCIENTIST, Category.PHD_STUDENT])
                )
                country = rng.choices(countries, weights=weights)[0]
                partner = agreement = None
                if country == "RU" and year >= 2010 and rng.random() < 0.25:
                    partner, agreement = (
                        "moscow-state-medical-and-dental-university",
                        "BSMU-MSMDU-2010",
                    )
                elif country == "GB" and rng.random() < 0.5:
                    partner = "amee"
                start = self.day_in(year)
                conference = rng.choice(CONFERENCES)
                self.add(
                    RecordDraft(
                        full_name=person_name(rng),
                        category=category,
                        direction=Direction.OUTGOING,
                        purpose=Purpose.CONFERENCE,
                        mobility_type=MobilityType.CONFERENCE,
                        start_date=start,
                        end_date=self.stay(start, 2, 6),
                        country=country,
                        department=rng.choice(DEPARTMENT_NAMES),
                        partner=partner,
                        agreement=agreement,
                        funding=rng.choices(
                            [f for f, _w in CONFERENCE_FUNDING],
                            weights=[w for _f, w in CONFERENCE_FUNDING],
                        )[0],
                        cancelled=rng.random() < 0.015,
                        report_activities=rng.choice(
                            ["Oral presentation at the ", "Poster presentation at the ", ""]
                        )
                        + conference,
                    )
                )

    def generate(self, program_slugs: list[str]) -> list[RecordDraft]:
        self.bialystok_exchange(program_slugs)
        self.summer_practice(program_slugs)
        self.conferences()
        self.kazakhstan()
        self.karolinska()
        self.smolensk()
        self.moscow_dentistry()
        self.saratov_olympiad()
        self.other_partners()
        return self.drafts
