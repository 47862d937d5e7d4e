"""The seed facts of the demo world, read from the data files in devdata/data/.

The seed text (Belarusian State Medical University, "Academic Mobility") names the partners,
departments, agreements and programs; they live in JSON files, and this module turns them into
the specs `load_demo` writes. The files hold values as the models store them (choice values,
ISO dates) with two conveniences:

- departments are named by a short key ("pathology"), resolved here to their full names;
- a date may be an offset from today ("+75", "-14"), so that the demo always has open calls and
  an agreement about to expire; a program's "next_summer" is the four weeks of July after its
  call closes.

`generate_data` reads its vocabulary from the same directory (subject areas, names).
"""

import copy
import datetime
import functools
import json
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from core.periods import academic_year_of

DATA_DIR = Path(__file__).resolve().parent / "data"

DEFAULT_SEED = 2004
# Marks every row the demo generates in bulk, so that a second run can tell they are there.
DEMO_MARKER = "Demo data (load_demo)."
# One password for every demo account: long and uncommon enough for the password validators.
DEMO_PASSWORD = "Bialystok-exchange-2004"  # noqa: S105
DEMO_URL = "http://127.0.0.1:8000/"
DEFAULT_SUBJECT_AREAS = ("0912",)


@functools.cache
def _read(name: str):
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def read(name: str):
    """A data file's content; a copy, so that no caller can change what the next one reads."""
    return copy.deepcopy(_read(name))


FIGURES = read("figures")
UMB = FIGURES["bialystok_exchange"]["partner"]
UMB_AGREEMENT = FIGURES["bialystok_exchange"]["agreement"]


def subject_areas() -> list[tuple[str, str]]:
    """ISCED-F 2013 codes and names: (code, name), the demo's and the generator's alike."""
    return [(area["isced_code"], area["name"]) for area in _read("subject_areas")]


# --- Departments and accounts ------------------------------------------------------------------


def department_names() -> dict[str, str]:
    """Short key -> full name, in the order of the data file."""
    return {key: spec["name"] for key, spec in _read("departments")["departments"].items()}


def department_name(key: str | None) -> str | None:
    return None if key is None else department_names()[key]


def departments() -> list[tuple[str, str, str]]:
    """(name, faculty, e-mail) of each of our departments."""
    return [
        (spec["name"], spec["faculty"], spec["email"])
        for spec in _read("departments")["departments"].values()
    ]


def clinical_department_names() -> list[str]:
    return [department_name(key) for key in _read("departments")["clinical"]]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    office: bool = False
    coordinates: tuple[str, ...] = ()
    # The README and the command's output name these accounts and their password.
    printed: bool = False
    # Who they are (people.Profile's fields; "department" is the department's full name): every
    # demo account has a complete, confirmed profile, so that it can apply.
    profile: dict = field(default_factory=dict, hash=False, compare=False)


def users() -> list[DemoUser]:
    demo_users = []
    for spec in _read("users"):
        profile = dict(spec.get("profile", {}))
        profile["department"] = department_name(profile.get("department"))
        coordinates = tuple(map(department_name, spec.get("coordinates", ())))
        demo_users.append(DemoUser(**{**spec, "coordinates": coordinates, "profile": profile}))
    return demo_users


def printed_users() -> list[DemoUser]:
    return [user for user in users() if user.printed]


# --- Partner institutions ----------------------------------------------------------------------


def partners() -> list[dict]:
    """Each partner's fields by name, with `contacts` as a list of {name, role, primary}."""
    return read("partners")


def contact_email(name: str, partner_slug: str) -> str:
    first, last = name.split(" ", 1)
    local = f"{first[0]}.{last.split()[-1]}".lower()
    return f"{_ascii(local)}@{partner_slug[:20].strip('-')}.example.org"


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# --- Dates relative to today -------------------------------------------------------------------


def resolve_day(value: str | None, today: datetime.date) -> datetime.date | None:
    if value is None:
        return None
    if value[0] in "+-":
        return today + datetime.timedelta(days=int(value))
    return datetime.date.fromisoformat(value)


def next_summer(after: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The four weeks of July that come after a day: when summer clinical practice happens."""
    year = after.year if datetime.date(after.year, 7, 1) > after else after.year + 1
    return datetime.date(year, 7, 1), datetime.date(year, 7, 28)


def current_and_previous_academic_year(today: datetime.date) -> tuple[int, int]:
    year = academic_year_of(today)
    return year, year - 1


# --- Agreements and programs -------------------------------------------------------------------


@dataclass
class AgreementSpec:
    reference: str
    partner: str
    title: str
    kind: str
    lifecycle: str
    signed_on: datetime.date | None
    valid_from: datetime.date | None
    valid_until: datetime.date | None
    department: str | None
    scope: str
    subject_areas: tuple[str, ...] = DEFAULT_SUBJECT_AREAS
    eqf_level: int | None = None
    auto_renewal: bool = False
    coordinator: str | None = None
    notes: str = ""
    # Per academic year (the current and the previous one): (mobility type, direction, places).
    quotas: tuple[tuple[str, str, int], ...] = ()


def agreements(today: datetime.date) -> list[AgreementSpec]:
    specs = []
    for spec in read("agreements"):
        for name in ("signed_on", "valid_from", "valid_until"):
            spec[name] = resolve_day(spec[name], today)
        spec["department"] = department_name(spec["department"])
        spec["subject_areas"] = tuple(spec.get("subject_areas", DEFAULT_SUBJECT_AREAS))
        spec["quotas"] = tuple(tuple(quota) for quota in spec.get("quotas", ()))
        specs.append(AgreementSpec(**spec))
    return specs


@dataclass
class ProgramSpec:
    slug: str
    title: str
    title_ru: str
    title_be: str
    kind: str
    mobility_type: str
    purpose: str
    direction: str
    eligible: tuple[str, ...]
    places: int
    department: str | None
    agreement: str | None = None
    host: str | None = None
    call: tuple[datetime.date, datetime.date] | None = None
    dates: tuple[datetime.date, datetime.date] | None = None
    is_published: bool = True
    is_archived: bool = False
    subject_areas: tuple[str, ...] = DEFAULT_SUBJECT_AREAS
    eqf_level: int | None = None
    description: str = ""
    description_ru: str = ""
    description_be: str = ""


def programs(today: datetime.date) -> list[ProgramSpec]:
    specs = []
    for spec in read("programs"):
        call = spec.get("call")
        spec["call"] = tuple(resolve_day(day, today) for day in call) if call else None
        dates = spec.get("dates")
        if dates == "next_summer":
            spec["dates"] = next_summer(spec["call"][1])
        elif dates:
            spec["dates"] = tuple(resolve_day(day, today) for day in dates)
        spec["department"] = department_name(spec["department"])
        spec["eligible"] = tuple(spec["eligible"])
        spec["subject_areas"] = tuple(spec.get("subject_areas", DEFAULT_SUBJECT_AREAS))
        specs.append(ProgramSpec(**spec))
    return specs + past_summer_practices(specs, today)


def summer_practice_slug(year: int) -> str:
    return f"{FIGURES['summer_practice']['program']}-{year}"


def summer_practice_years(today: datetime.date) -> list[int]:
    """Every July of the summer practice that has begun by `today`, from the seed's first."""
    last = today.year if today >= datetime.date(today.year, 7, 1) else today.year - 1
    return list(range(FIGURES["summer_practice"]["first_year"], last + 1))


def past_summer_practices(specs: list[ProgramSpec], today: datetime.date) -> list[ProgramSpec]:
    """The summer practice of each past year as a program of its own (a closed call, archived),
    like the open one of next summer, so that the report counts its students by program."""
    summer = FIGURES["summer_practice"]
    template = next(spec for spec in specs if spec.slug == summer["program"])
    return [
        replace(
            template,
            slug=summer_practice_slug(year),
            title=f"{template.title} ({year})",
            title_ru=f"{template.title_ru} ({year})",
            title_be=f"{template.title_be} ({year})",
            places=summer["places"],
            call=(datetime.date(year, 3, 1), datetime.date(year, 4, 15)),
            dates=(datetime.date(year, 7, 1), datetime.date(year, 8, 4)),
            is_archived=True,
        )
        for year in summer_practice_years(today)
    ]


# --- Applications ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationSpec:
    applicant: str
    program: str
    category: str
    department: str | None
    status: str
    decided_by: str | None = None
    comment: str = ""


def applications() -> list[ApplicationSpec]:
    """The demo's applications, oldest first, in every status an application can have."""
    return [
        ApplicationSpec(**{**spec, "department": department_name(spec["department"])})
        for spec in _read("applications")
    ]
