"""A generated mobility record of the demo, before it gets its related objects; and names.

devdata/demo.py and devdata/demo_partners.py draw these; `load_demo` resolves the names of
departments, partners, agreements and programs to rows and writes them.
"""

import datetime
import random
from dataclasses import dataclass

from devdata import facts
from exchanges.choices import MobilityStatus

FIRST_EXCHANGE_YEAR = facts.FIGURES["bialystok_exchange"]["first_year"]
BIALYSTOK_EXCHANGE_PARTICIPANTS = facts.FIGURES["bialystok_exchange"]["participants"]
FIRST_SUMMER_PRACTICE_YEAR = facts.FIGURES["summer_practice"]["first_year"]
SUMMER_PRACTICE_PARTICIPANTS = facts.FIGURES["summer_practice"]["participants"]
UMB, UMB_AGREEMENT = facts.UMB, facts.UMB_AGREEMENT

# Departments by key (devdata/data/departments.json): who travels where.
DEPARTMENT = facts.department_names()
DEPARTMENT_NAMES = list(DEPARTMENT.values())
CLINICAL_DEPARTMENTS = facts.clinical_department_names()

# (men, women, [(surname of a man, of a woman)]) per nationality: surnames change with gender.
NAMES = {
    code: (names["men"], names["women"], [tuple(pair) for pair in names["surnames"]])
    for code, names in facts.read("names").items()
}
_CONFERENCES = facts.read("conferences")
# Where our staff travel to conferences, weighted by how often; what they attend; who pays.
CONFERENCE_COUNTRIES = [tuple(pair) for pair in _CONFERENCES["countries"]]
CONFERENCES = _CONFERENCES["conferences"]
CONFERENCE_FUNDING = [tuple(pair) for pair in _CONFERENCES["funding"]]


def person_name(rng: random.Random, nationality: str = "BY") -> str:
    men, women, surnames = NAMES[nationality]
    male, female = rng.choice(surnames)
    if rng.random() < 0.5:
        return f"{rng.choice(men)} {male}"
    return f"{rng.choice(women)} {female}"


@dataclass
class RecordDraft:
    """One mobility record before it gets its related objects; the command resolves names."""

    full_name: str
    category: str
    direction: str
    purpose: str
    mobility_type: str
    start_date: datetime.date
    end_date: datetime.date
    country: str
    department: str | None = None
    partner: str | None = None
    agreement: str | None = None
    program: str | None = None
    home_institution: str = ""
    funding: str = "host"
    cancelled: bool = False
    report_activities: str = ""

    def status_on(self, today: datetime.date) -> str:
        if self.cancelled:
            return MobilityStatus.CANCELLED
        if self.end_date < today:
            return MobilityStatus.COMPLETED
        if self.start_date > today:
            return MobilityStatus.PLANNED
        return MobilityStatus.ONGOING
