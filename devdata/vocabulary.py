"""What generated data is made of: names, places, institutions, how often each occurs, and
how many rows of each table a scale has.

The words come from devdata/data/vocabulary.json, the subject areas and our own people's names
from the files the demo reads too (devdata/facts.py): one source for both. The weights below
are the generator's model of the mobility world, so they stay next to its code.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass

from devdata import facts
from exchanges.choices import ProgramKind, Purpose
from exchanges.models import MobilityRecord
from partners.choices import MobilityType
from partners.models import Partner
from people.choices import Category

PREFIX = "gen-"
EMAIL_DOMAIN = "generated.example"
FIRST_YEAR = 2004
# Named accounts the benchmark signs in as.
OFFICE_USERNAME = f"{PREFIX}office"
COORDINATOR_USERNAME = f"{PREFIX}coordinator"
STUDENT_USERNAME = f"{PREFIX}student"


@dataclass(frozen=True)
class Scale:
    departments: int
    applicants: int
    partners: int
    agreements: int
    programs: int
    applications: int
    records: int


SCALES = {
    "small": Scale(
        departments=12,
        applicants=150,
        partners=50,
        agreements=150,
        programs=40,
        applications=300,
        records=2_000,
    ),
    "medium": Scale(
        departments=40,
        applicants=5_000,
        partners=1_000,
        agreements=5_000,
        programs=500,
        applications=20_000,
        records=100_000,
    ),
    "large": Scale(
        departments=60,
        applicants=20_000,
        partners=5_000,
        agreements=20_000,
        programs=2_000,
        applications=100_000,
        records=1_000_000,
    ),
}


_WORDS = facts.read("vocabulary")
# (ISO code, script of the original names, weight, [(city in English, city in the original)])
COUNTRIES = [
    (c["code"], c["script"], c["weight"], [tuple(city) for city in c["cities"]])
    for c in _WORDS["countries"]
]
# (English pattern, {script: original pattern}, kind); {city}, {n} and {subject} are filled in.
INSTITUTIONS = [(i["name"], i["original"], Partner.Kind(i["kind"])) for i in _WORDS["institutions"]]
INSTITUTION_WEIGHTS = [i["weight"] for i in _WORDS["institutions"]]
SUBJECTS = _WORDS["research_subjects"]
LATIN_FIRST, LATIN_LAST = _WORDS["latin_names"]["first"], _WORDS["latin_names"]["last"]
CYRILLIC_MALE = (
    _WORDS["cyrillic_names"]["male"]["first"],
    _WORDS["cyrillic_names"]["male"]["last"],
)
CYRILLIC_FEMALE = (
    _WORDS["cyrillic_names"]["female"]["first"],
    _WORDS["cyrillic_names"]["female"]["last"],
)
# Our own staff and students as the registry spells them in Latin: the demo's Belarusian names.
_OURS = facts.read("names")["BY"]
OUR_MEN, OUR_WOMEN = _OURS["men"], _OURS["women"]
OUR_SURNAMES = [tuple(pair) for pair in _OURS["surnames"]]
DEPARTMENT_SUBJECTS = _WORDS["department_subjects"]
FACULTIES = _WORDS["faculties"]
SUBJECT_AREAS = facts.subject_areas()
CONTACT_ROLES = _WORDS["contact_roles"]
REPORT_ACTIVITIES = _WORDS["report_activities"]
REPORT_OUTCOMES = _WORDS["report_outcomes"]

# What kind of program serves which mobility type and purpose.
PROGRAM_KINDS = [
    (ProgramKind.STAFF_TRAINING, MobilityType.HE_STT, Purpose.TRAINING, 18),
    (ProgramKind.VISITING_PROFESSOR, MobilityType.HE_STA, Purpose.TEACHING, 8),
    (ProgramKind.RESEARCH_TRAINING, MobilityType.RESEARCH, Purpose.RESEARCH, 10),
    (ProgramKind.SANDWICH_PHD, MobilityType.RESEARCH, Purpose.RESEARCH, 3),
    (ProgramKind.SUMMER_PRACTICE, MobilityType.CLINICAL_PRACTICE, Purpose.CLINICAL_PRACTICE, 25),
    (ProgramKind.SUMMER_SCHOOL, MobilityType.HE_BIP, Purpose.SUMMER_SCHOOL, 10),
    (ProgramKind.STUDENT_CONFERENCE, MobilityType.CONFERENCE, Purpose.CONFERENCE, 8),
    (ProgramKind.COMPETITION, MobilityType.CONFERENCE, Purpose.COMPETITION, 3),
    (ProgramKind.CONFERENCE, MobilityType.CONFERENCE, Purpose.CONFERENCE, 10),
    (ProgramKind.JOINT_RESEARCH, MobilityType.RESEARCH, Purpose.RESEARCH, 5),
]
MOBILITY_TYPES = [
    (MobilityType.HE_SMS, Purpose.TRAINING, 10),
    (MobilityType.HE_SMT, Purpose.CLINICAL_PRACTICE, 12),
    (MobilityType.HE_STA, Purpose.TEACHING, 8),
    (MobilityType.HE_STT, Purpose.TRAINING, 15),
    (MobilityType.HE_BIP, Purpose.SUMMER_SCHOOL, 6),
    (MobilityType.VISITING_PROFESSOR, Purpose.TEACHING, 4),
    (MobilityType.RESEARCH, Purpose.RESEARCH, 12),
    (MobilityType.CLINICAL_PRACTICE, Purpose.CLINICAL_PRACTICE, 20),
    (MobilityType.CONFERENCE, Purpose.CONFERENCE, 10),
    (MobilityType.CONFERENCE, Purpose.COMPETITION, 3),
]
CATEGORIES = [
    (Category.UNDERGRADUATE, 45), (Category.RESIDENT, 12), (Category.PHD_STUDENT, 10),
    (Category.YOUNG_SCIENTIST, 8), (Category.ACADEMIC_STAFF, 25),
]  # fmt: skip
FUNDINGS = [
    (MobilityRecord.Funding.HOST, 35), (MobilityRecord.Funding.HOME, 20),
    (MobilityRecord.Funding.ERASMUS, 20), (MobilityRecord.Funding.DAAD, 4),
    (MobilityRecord.Funding.GRANT, 8), (MobilityRecord.Funding.SELF, 10),
    (MobilityRecord.Funding.OTHER, 3),
]  # fmt: skip
# (days, weight): how long stays last.
DURATIONS = [(5, 20), (14, 25), (21, 15), (30, 20), (90, 8), (150, 7), (300, 5)]
CYRILLIC_SCRIPTS = ("ru", "uk", "bg", "sr")


def pick(rng: random.Random, weighted: Sequence[tuple]) -> tuple:
    """One entry of a table whose last column is its weight."""
    return rng.choices(weighted, weights=[w[-1] for w in weighted])[0]


class Names:
    """People's names, drawn from one random generator: (first name, last name)."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def cyrillic(self) -> tuple[str, str]:
        first, last = CYRILLIC_MALE if self.rng.random() < 0.45 else CYRILLIC_FEMALE
        return self.rng.choice(first), self.rng.choice(last)

    def latin(self) -> tuple[str, str]:
        return self.rng.choice(LATIN_FIRST), self.rng.choice(LATIN_LAST)

    def local(self) -> tuple[str, str]:
        """One of our own people: Cyrillic mostly, the registry's Latin spelling sometimes."""
        if self.rng.random() < 0.8:
            return self.cyrillic()
        man = self.rng.random() < 0.5
        male, female = self.rng.choice(OUR_SURNAMES)
        return self.rng.choice(OUR_MEN if man else OUR_WOMEN), male if man else female

    def from_script(self, script: str) -> tuple[str, str]:
        return self.cyrillic() if script in CYRILLIC_SCRIPTS else self.latin()
