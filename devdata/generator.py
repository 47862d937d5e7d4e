"""Realistic, reproducible data at scale for benchmarks and demos: `manage.py generate_data`.

Everything comes from one `random.Random(seed)`: the same seed gives the same rows, ids
included. The only input from the clock is the current year, the last year of the records.
Rows go to the database in bulk: PostgreSQL's COPY, plain multi-row INSERTs elsewhere. Neither
sends model signals, so no history rows are written for generated data.

Every generated partner, program and user has a slug or username starting with `gen-`, and
every generated department an e-mail at `generated.example`; that is how the generator knows a
database holds nothing else (it refuses to write into real data unless forced).
"""

import contextlib
import csv
import datetime
import io
import itertools
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify

from exchanges.models import Application, MobilityRecord, Program
from partners.choices import Category, Direction, MobilityType, ProgramKind, Purpose
from partners.models import (
    INTERNATIONAL_OFFICE_GROUP,
    Agreement,
    AgreementQuota,
    Contact,
    Department,
    Partner,
    SubjectArea,
)

PREFIX = "gen-"
EMAIL_DOMAIN = "generated.example"
FIRST_YEAR = 2004
CHUNK = 20_000
# Named accounts the benchmark signs in as.
OFFICE_USERNAME = f"{PREFIX}office"
COORDINATOR_USERNAME = f"{PREFIX}coordinator"
STUDENT_USERNAME = f"{PREFIX}student"
STUDENT_APPLICATIONS = 20
MAX_AGREEMENTS_PER_PARTNER = 25


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


class RealDataPresent(Exception):
    """The database holds rows the generator did not write."""


# --- Names -------------------------------------------------------------------------------------
# (ISO code, script of the original names, weight, [(city in English, city in the original)])
COUNTRIES = [
    (
        "PL",
        "pl",
        14,
        [
            ("Bialystok", "Białystok"),
            ("Warsaw", "Warszawa"),
            ("Krakow", "Kraków"),
            ("Gdansk", "Gdańsk"),
            ("Lodz", "Łódź"),
            ("Lublin", "Lublin"),
            ("Poznan", "Poznań"),
            ("Wroclaw", "Wrocław"),
        ],
    ),
    (
        "RU",
        "ru",
        12,
        [
            ("Moscow", "Москва"),
            ("Saint Petersburg", "Санкт-Петербург"),
            ("Kazan", "Казань"),
            ("Smolensk", "Смоленск"),
            ("Novosibirsk", "Новосибирск"),
            ("Yaroslavl", "Ярославль"),
            ("Kursk", "Курск"),
            ("Tver", "Тверь"),
        ],
    ),
    (
        "BY",
        "ru",
        6,
        [
            ("Grodno", "Гродно"),
            ("Vitebsk", "Витебск"),
            ("Gomel", "Гомель"),
            ("Brest", "Брест"),
            ("Mogilev", "Могилёв"),
        ],
    ),
    (
        "UA",
        "uk",
        5,
        [
            ("Kyiv", "Київ"),
            ("Lviv", "Львів"),
            ("Kharkiv", "Харків"),
            ("Odesa", "Одеса"),
            ("Vinnytsia", "Вінниця"),
        ],
    ),
    (
        "KZ",
        "ru",
        5,
        [
            ("Almaty", "Алматы"),
            ("Astana", "Астана"),
            ("Karaganda", "Караганда"),
            ("Shymkent", "Шымкент"),
        ],
    ),
    ("BG", "bg", 3, [("Sofia", "София"), ("Plovdiv", "Пловдив"), ("Varna", "Варна")]),
    ("RS", "sr", 2, [("Belgrade", "Београд"), ("Novi Sad", "Нови Сад"), ("Nis", "Ниш")]),
    ("LT", "lt", 5, [("Vilnius", "Vilnius"), ("Kaunas", "Kaunas"), ("Klaipeda", "Klaipėda")]),
    ("LV", "lv", 3, [("Riga", "Rīga"), ("Daugavpils", "Daugavpils")]),
    (
        "DE",
        "de",
        8,
        [
            ("Berlin", "Berlin"),
            ("Munich", "München"),
            ("Heidelberg", "Heidelberg"),
            ("Greifswald", "Greifswald"),
            ("Cologne", "Köln"),
            ("Leipzig", "Leipzig"),
        ],
    ),
    ("CZ", "cs", 3, [("Prague", "Praha"), ("Brno", "Brno"), ("Olomouc", "Olomouc")]),
    ("IT", "it", 3, [("Rome", "Roma"), ("Padua", "Padova"), ("Bologna", "Bologna")]),
    ("FR", "fr", 2, [("Paris", "Paris"), ("Lyon", "Lyon"), ("Strasbourg", "Strasbourg")]),
    ("AT", "de", 2, [("Vienna", "Wien"), ("Graz", "Graz"), ("Innsbruck", "Innsbruck")]),
    ("SE", "en", 2, [("Stockholm", "Stockholm"), ("Uppsala", "Uppsala")]),
    ("FI", "en", 1, [("Helsinki", "Helsinki"), ("Turku", "Turku")]),
    ("HU", "en", 2, [("Budapest", "Budapest"), ("Debrecen", "Debrecen"), ("Szeged", "Szeged")]),
    ("SK", "en", 1, [("Bratislava", "Bratislava"), ("Kosice", "Košice")]),
    ("TR", "en", 2, [("Ankara", "Ankara"), ("Istanbul", "İstanbul"), ("Izmir", "İzmir")]),
    ("CN", "en", 3, [("Beijing", "Beijing"), ("Harbin", "Harbin"), ("Shanghai", "Shanghai")]),
    ("GE", "en", 1, [("Tbilisi", "Tbilisi"), ("Batumi", "Batumi")]),
    ("AM", "en", 1, [("Yerevan", "Yerevan")]),
    ("UZ", "ru", 2, [("Tashkent", "Ташкент"), ("Samarkand", "Самарканд")]),
    ("IN", "en", 1, [("Delhi", "Delhi"), ("Mumbai", "Mumbai")]),
]

# (English pattern, {script: original pattern}, kind); {city} and {n} are filled in.
INSTITUTIONS = [
    (
        "Medical University of {city}",
        {
            "pl": "Uniwersytet Medyczny – {city}",
            "ru": "Медицинский университет, г. {city}",
            "uk": "Медичний університет, м. {city}",
            "bg": "Медицински университет – {city}",
            "sr": "Медицински универзитет, {city}",
            "lt": "{city} medicinos universitetas",
            "lv": "{city} Medicīnas universitāte",
            "de": "Medizinische Universität {city}",
            "cs": "Lékařská univerzita {city}",
            "it": "Università di Medicina di {city}",
            "fr": "Université de médecine de {city}",
        },
        Partner.Kind.MEDICAL_UNIVERSITY,
    ),
    (
        "{city} State Medical University",
        {
            "ru": "{city}ский государственный медицинский университет",
            "uk": "Державний медичний університет, м. {city}",
        },
        Partner.Kind.MEDICAL_UNIVERSITY,
    ),
    (
        "University of {city}",
        {
            "pl": "Uniwersytet – {city}",
            "ru": "Государственный университет, г. {city}",
            "uk": "Національний університет, м. {city}",
            "bg": "Университет – {city}",
            "sr": "Универзитет у {city}",
            "lt": "{city} universitetas",
            "lv": "{city} Universitāte",
            "de": "Universität {city}",
            "cs": "Univerzita {city}",
            "it": "Università di {city}",
            "fr": "Université de {city}",
        },
        Partner.Kind.UNIVERSITY,
    ),
    (
        "City Clinical Hospital No. {n}, {city}",
        {
            "pl": "Szpital Kliniczny nr {n} – {city}",
            "ru": "Городская клиническая больница № {n}, г. {city}",
            "uk": "Міська клінічна лікарня № {n}, м. {city}",
            "bg": "Клинична болница № {n} – {city}",
            "sr": "Клиничка болница бр. {n}, {city}",
            "de": "Klinikum Nr. {n} {city}",
        },
        Partner.Kind.HEALTH_INSTITUTION,
    ),
    (
        "{city} Research Institute of {subject}",
        {
            "ru": "Научно-исследовательский институт ({subject}), г. {city}",
            "pl": "Instytut Badawczy ({subject}) – {city}",
            "de": "Forschungsinstitut ({subject}) {city}",
        },
        Partner.Kind.RESEARCH_INSTITUTE,
    ),
    (
        "{city} Association of Physicians",
        {
            "ru": "Ассоциация врачей, г. {city}",
            "pl": "Stowarzyszenie Lekarzy – {city}",
            "de": "Ärzteverband {city}",
        },
        Partner.Kind.ORGANIZATION,
    ),
    (
        "{city} Foundation for Medical Research",
        {
            "de": "Stiftung für medizinische Forschung {city}",
            "ru": "Фонд медицинских исследований, г. {city}",
        },
        Partner.Kind.FUNDING_AGENCY,
    ),
]
INSTITUTION_WEIGHTS = [30, 12, 20, 18, 12, 4, 4]

SUBJECTS = [
    "Cardiology",
    "Oncology",
    "Pediatrics",
    "Neurology",
    "Epidemiology",
    "Hygiene",
    "Radiology",
    "Surgery",
    "Pharmacology",
    "Immunology",
    "Dentistry",
    "Ophthalmology",
    "Psychiatry",
    "Endocrinology",
    "Transplantology",
    "Hematology",
    "Microbiology",
    "Genetics",
]

LATIN_FIRST = [
    "Anna",
    "Piotr",
    "Katarzyna",
    "Tomasz",
    "Agnieszka",
    "Marek",
    "Magdalena",
    "Jan",
    "Ewa",
    "Michael",
    "Sabine",
    "Thomas",
    "Julia",
    "Lukas",
    "Laura",
    "Marco",
    "Giulia",
    "Pierre",
    "Camille",
    "Jonas",
    "Ieva",
    "Mantas",
    "Rasa",
    "Janis",
    "Liga",
    "Erik",
    "Karin",
    "Petr",
    "Tereza",
    "Mehmet",
    "Ayse",
    "Wei",
    "Li",
    "Giorgi",
    "Nino",
    "Anahit",
    "Aram",
    "Priya",
]
LATIN_LAST = [
    "Kowalski",
    "Nowak",
    "Wiśniewska",
    "Wójcik",
    "Kamińska",
    "Lewandowski",
    "Zielińska",
    "Schmidt",
    "Müller",
    "Schneider",
    "Fischer",
    "Weber",
    "Rossi",
    "Bianchi",
    "Esposito",
    "Martin",
    "Bernard",
    "Dubois",
    "Kazlauskas",
    "Petrauskienė",
    "Bērziņš",
    "Ozoliņa",
    "Andersson",
    "Novák",
    "Svobodová",
    "Yilmaz",
    "Kaya",
    "Wang",
    "Zhang",
    "Beridze",
    "Grigoryan",
    "Sharma",
    "Horváth",
    "Nagy",
    "Virtanen",
    "Gruber",
]
CYRILLIC_MALE = (
    [
        "Александр",
        "Дмитрий",
        "Сергей",
        "Андрей",
        "Иван",
        "Павел",
        "Николай",
        "Алексей",
        "Владимир",
        "Максим",
        "Артём",
        "Олег",
        "Виктор",
        "Юрий",
        "Михаил",
    ],
    [
        "Иванов",
        "Петров",
        "Сидоров",
        "Ковалёв",
        "Новиков",
        "Морозов",
        "Волков",
        "Соколов",
        "Лебедев",
        "Козлов",
        "Шевченко",
        "Бондаренко",
        "Ткаченко",
        "Кравченко",
        "Мельник",
        "Жуковский",
        "Богданович",
        "Карпович",
        "Лукашевич",
        "Костенко",
    ],
)
CYRILLIC_FEMALE = (
    [
        "Анна",
        "Елена",
        "Ольга",
        "Наталья",
        "Татьяна",
        "Мария",
        "Ирина",
        "Светлана",
        "Юлия",
        "Екатерина",
        "Дарья",
        "Алина",
        "Виктория",
        "Ксения",
        "Вероника",
    ],
    [
        "Иванова",
        "Петрова",
        "Сидорова",
        "Ковалёва",
        "Новикова",
        "Морозова",
        "Волкова",
        "Соколова",
        "Лебедева",
        "Козлова",
        "Шевченко",
        "Бондаренко",
        "Ткаченко",
        "Кравченко",
        "Мельник",
        "Жуковская",
        "Богданович",
        "Карпович",
        "Лукашевич",
        "Костенко",
    ],
)
# Our own staff and students, with their names as the registry spells them in Latin too.
TRANSLIT_FIRST = [
    "Aliaksandr",
    "Dzmitry",
    "Siarhei",
    "Andrei",
    "Ivan",
    "Pavel",
    "Alena",
    "Volha",
    "Natallia",
    "Tatsiana",
    "Maryia",
    "Iryna",
    "Sviatlana",
    "Yuliya",
]
TRANSLIT_LAST = [
    "Ivanou",
    "Piatrou",
    "Kavaliou",
    "Novikau",
    "Marozau",
    "Volkau",
    "Sakalou",
    "Lebedzeu",
    "Kazlou",
    "Zhukouski",
    "Bahdanovich",
    "Karpovich",
    "Lukashevich",
]

DEPARTMENT_SUBJECTS = [
    "Infectious Diseases",
    "Internal Medicine",
    "Surgery",
    "Pediatrics",
    "Obstetrics and Gynecology",
    "Prosthetic Dentistry",
    "Therapeutic Dentistry",
    "Cardiology",
    "Oncology",
    "Neurology",
    "Psychiatry",
    "Epidemiology",
    "Hygiene",
    "Pharmacology",
    "Clinical Pharmacology",
    "Microbiology",
    "Biochemistry",
    "Normal Physiology",
    "Pathological Anatomy",
    "Human Anatomy",
    "Radiology",
    "Ophthalmology",
    "Otorhinolaryngology",
    "Dermatology",
    "Urology",
    "Traumatology",
    "Anesthesiology and Intensive Care",
    "Public Health",
    "Foreign Languages",
    "Medical Biology",
]
FACULTIES = [
    "Faculty of General Medicine",
    "Faculty of Pediatrics",
    "Faculty of Dentistry",
    "Faculty of Pharmacy",
    "Faculty of Preventive Medicine",
    "Faculty of Foreign Students",
]
SUBJECT_AREAS = [
    ("0511", "Biology"),
    ("0512", "Biochemistry"),
    ("0911", "Dental studies"),
    ("0912", "Medicine"),
    ("0913", "Nursing and midwifery"),
    ("0914", "Medical diagnostic and treatment technology"),
    ("0915", "Therapy and rehabilitation"),
    ("0916", "Pharmacy"),
]
CONTACT_ROLES = [
    "Head of the International Relations Office",
    "Erasmus+ institutional coordinator",
    "Vice-rector for international cooperation",
    "Departmental coordinator",
    "International officer",
]
REPORT_ACTIVITIES = [
    "Clinical rotations in the departments of the host hospital.",
    "Lectures and seminars for fourth-year students.",
    "Joint research on antimicrobial resistance; samples analysed in the host laboratory.",
    "Participation in the summer school and its final examination.",
    "Oral presentation at the international congress.",
]
REPORT_OUTCOMES = [
    "A joint publication is in preparation.",
    "Certificate of completion; credits recognised.",
    "New methods introduced in our department's teaching.",
    "Agreement on a follow-up visit next year.",
]

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
DURATIONS = [(5, 20), (14, 25), (21, 15), (30, 20), (90, 8), (150, 7), (300, 5)]


def _pick(rng: random.Random, weighted: Sequence[tuple]) -> tuple:
    return rng.choices(weighted, weights=[w[-1] for w in weighted])[0]


def _utc(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


# --- Guard and clean-up ------------------------------------------------------------------------
def real_data_found() -> list[str]:
    """What in the database the generator did not write, as short descriptions."""
    User = get_user_model()
    checks = {
        "partners": Partner.objects.exclude(slug__startswith=PREFIX),
        "users": User.objects.exclude(username__startswith=PREFIX),
        "departments": Department.objects.exclude(email__endswith=f"@{EMAIL_DOMAIN}"),
        "programs": Program.objects.exclude(slug__startswith=PREFIX),
        "mobility records": MobilityRecord.objects.exclude(
            Q(partner__slug__startswith=PREFIX) | Q(program__slug__startswith=PREFIX)
        ),
    }
    return [
        f"{qs.count()} {name} (e.g. {qs.first()})" for name, qs in checks.items() if qs.exists()
    ]


def _generated_tables() -> list[str]:
    from django.apps import apps

    tables = set()
    for label in ("partners", "exchanges"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    User = get_user_model()
    tables |= {
        User._meta.db_table,
        User.groups.through._meta.db_table,
        User.user_permissions.through._meta.db_table,
        "django_admin_log",
        "django_session",
    }
    existing = set(connection.introspection.table_names())
    return sorted(tables & existing)


def wipe_all() -> None:
    """Empty every table the generator writes; only when they hold nothing but generated rows."""
    statements = connection.ops.sql_flush(
        no_style(), _generated_tables(), reset_sequences=True, allow_cascade=True
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _run_deferred_checks(cursor)
        for sql in statements:
            cursor.execute(sql)


def delete_generated() -> None:
    """Remove earlier generated rows beside real ones (with --force), children first.

    `_raw_delete` because the ORM's delete would load every row to send history signals.
    """
    User = get_user_model()
    gen_partner = Q(partner__slug__startswith=PREFIX)
    gen_users = User.objects.filter(username__startswith=PREFIX)
    querysets = [
        MobilityRecord.objects.filter(gen_partner | Q(program__slug__startswith=PREFIX)),
        Application.objects.filter(
            Q(applicant__username__startswith=PREFIX) | Q(program__slug__startswith=PREFIX)
        ),
        Program.subject_areas.through.objects.filter(program__slug__startswith=PREFIX),
        Program.objects.filter(slug__startswith=PREFIX),
        AgreementQuota.objects.filter(agreement__partner__slug__startswith=PREFIX),
        Agreement.subject_areas.through.objects.filter(agreement__partner__slug__startswith=PREFIX),
        Agreement.objects.filter(gen_partner),
        Contact.objects.filter(gen_partner),
        Partner.objects.filter(slug__startswith=PREFIX),
        Department.coordinators.through.objects.filter(
            department__email__endswith=f"@{EMAIL_DOMAIN}"
        ),
        Department.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}"),
        User.groups.through.objects.filter(user__username__startswith=PREFIX),
        gen_users,
    ]
    for qs in querysets:
        qs.model.objects.filter(pk__in=list(qs.values_list("pk", flat=True)))._raw_delete(qs.db)


# --- Writing -----------------------------------------------------------------------------------
class Writer:
    """Writes rows of plain values (in the order of `columns`, attnames) to a model's table."""

    def __init__(self, progress: Callable[[str, int, int], None] | None = None):
        self.progress = progress or (lambda label, done, total: None)
        self.is_postgresql = connection.vendor == "postgresql"
        self.counts: dict[str, int] = {}

    def write(
        self,
        model: type[models.Model],
        columns: Sequence[str],
        rows: Iterable[Sequence],
        total: int | None,
        label: str,
    ) -> int:
        fields = [model._meta.get_field(name) for name in columns]
        # Fields the generator does not set get their model default, e.g. fields added later.
        defaults = [
            f
            for f in model._meta.concrete_fields
            if f.attname not in columns and not f.primary_key and f.has_default()
        ]
        fields += defaults
        default_values = tuple(f.get_default() for f in defaults)
        if default_values:
            rows = (tuple(row) + default_values for row in rows)
        table = connection.ops.quote_name(model._meta.db_table)
        column_sql = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        done = 0
        rows = iter(rows)
        with connection.cursor() as cursor:
            while chunk := list(itertools.islice(rows, CHUNK)):
                if self.is_postgresql:
                    buffer = io.StringIO()
                    # None unquoted is NULL, everything else quoted: '' stays an empty string.
                    csv.writer(buffer, quoting=csv.QUOTE_NOTNULL).writerows(chunk)
                    buffer.seek(0)
                    cursor.copy_expert(
                        f"COPY {table} ({column_sql}) FROM STDIN WITH (FORMAT csv)", buffer
                    )
                else:
                    placeholders = ", ".join(["%s"] * len(fields))
                    cursor.executemany(
                        # Table and column names come from the models, never from input.
                        f"INSERT INTO {table} ({column_sql}) VALUES ({placeholders})",  # nosec B608
                        [
                            tuple(
                                f.get_db_prep_save(v, connection)
                                for f, v in zip(fields, row, strict=True)
                            )
                            for row in chunk
                        ],
                    )
                done += len(chunk)
                self.progress(label, done, total)
        self.progress(label, done, done)
        self.counts[label] = self.counts.get(label, 0) + done
        return done


def _run_deferred_checks(cursor) -> None:
    """Run pending deferred foreign-key checks now: DDL refuses tables that still have some."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextlib.contextmanager
def bulk_load(model: type[models.Model]):
    """On PostgreSQL, build a big table's secondary indexes once after loading, not row by row.

    The indexes are recreated from their own definitions, so the schema ends as migrations
    left it. Where the role may (superusers), foreign-key triggers are skipped for the load:
    every id the generator writes was written by it moments before.
    """
    if connection.vendor != "postgresql":
        yield
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = %s::regclass AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            """,
            [table],
        )
        indexes = cursor.fetchall()
        _run_deferred_checks(cursor)
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            pass  # not a superuser: the checks run at commit instead
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        _run_deferred_checks(cursor)
        for _, definition in indexes:
            cursor.execute(definition)


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


# --- The generator -----------------------------------------------------------------------------
class Generator:
    def __init__(
        self,
        scale: Scale,
        seed: int,
        progress: Callable[[str, int, int], None] | None = None,
        this_year: int | None = None,
    ):
        self.scale = scale
        self.rng = random.Random(seed)
        self.writer = Writer(progress)
        self.this_year = this_year or timezone.localdate().year
        # "Now" for the generated world: statuses of records and programs are relative to it.
        self.reference = datetime.date(self.this_year, 6, 30)
        self.years = list(range(FIRST_YEAR, self.this_year + 1))

    # People -------------------------------------------------------------------------------------
    def cyrillic_name(self) -> tuple[str, str]:
        first, last = CYRILLIC_MALE if self.rng.random() < 0.45 else CYRILLIC_FEMALE
        return self.rng.choice(first), self.rng.choice(last)

    def latin_name(self) -> tuple[str, str]:
        return self.rng.choice(LATIN_FIRST), self.rng.choice(LATIN_LAST)

    def local_name(self) -> tuple[str, str]:
        """One of our own people: Cyrillic mostly, the registry's Latin spelling sometimes."""
        if self.rng.random() < 0.8:
            return self.cyrillic_name()
        return self.rng.choice(TRANSLIT_FIRST), self.rng.choice(TRANSLIT_LAST)

    def name_from(self, script: str) -> tuple[str, str]:
        return self.cyrillic_name() if script in ("ru", "uk", "bg", "sr") else self.latin_name()

    def run(self) -> dict[str, int]:
        with transaction.atomic():
            self.subject_areas()
            self.departments_and_users()
            self.partners_and_contacts()
            self.agreements_and_quotas()
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
                for table in _generated_tables():
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

    def departments_and_users(self):
        rng, scale = self.rng, self.scale
        User = get_user_model()
        taken = set(Department.objects.values_list("name", flat=True))
        first_department = _next_id(Department)
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

        first_user = _next_id(User)
        joined = _utc(datetime.date(FIRST_YEAR, 9, 1))
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
            first, last = self.local_name()
            username = COORDINATOR_USERNAME if i == 0 else f"{PREFIX}coordinator-{i}"
            self.coordinator_ids[department_id] = user(username, first, last)
        self.student_id = user(STUDENT_USERNAME, "Sasha", "Student")
        self.applicant_ids = [self.student_id]
        for i in range(scale.applicants - 1):
            first, last = self.local_name()
            self.applicant_ids.append(user(f"{PREFIX}user-{i + 1}", first, last))
        self.writer.write(
            User,
            ["id", "password", "last_login", "is_superuser", "username", "first_name",
             "last_name", "email", "is_staff", "is_active", "date_joined"],
            users, len(users), "users",
        )  # fmt: skip
        self.user_names = {u[0]: f"{u[5]} {u[6]}" for u in users}
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

    def partners_and_contacts(self):
        rng, scale = self.rng, self.scale
        first_id = _next_id(Partner)
        country_weights = [c[2] for c in COUNTRIES]
        partners = []
        self.partner_country = []
        self.partner_script = []
        self.partner_name = []
        for i in range(scale.partners):
            if i == 0:
                # The oldest and busiest partner, as in the real network.
                country, script, city, city_native = "PL", "pl", "Bialystok", "Białystok"
                template = 0
            else:
                code, script, _, cities = rng.choices(COUNTRIES, weights=country_weights)[0]
                country = code
                city, city_native = rng.choice(cities)
                template = rng.choices(range(len(INSTITUTIONS)), weights=INSTITUTION_WEIGHTS)[0]
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
            created = _utc(datetime.date(rng.choice(self.years), 1, 15))
            partners.append(
                (first_id + i, created, created, name, original, acronym, slug, kind, country,
                 city, f"https://www.{slugify(city)}-{i + 1}.example.org/", erasmus,
                 f"{kind.label} in {city}.", i == 0 or rng.random() < 0.93)
            )  # fmt: skip
            self.partner_country.append(country)
            self.partner_script.append(script)
            self.partner_name.append(name)
        self.writer.write(
            Partner,
            ["id", "created_at", "updated_at", "name", "name_original", "acronym", "slug",
             "kind", "country", "city", "website", "erasmus_code", "description", "is_active"],
            partners, len(partners), "partners",
        )  # fmt: skip
        self.partner_ids = [p[0] for p in partners]
        # A few partners carry most of the traffic (Zipf-like); the first one the most.
        weights = [1 / (i + 1) ** 0.8 for i in range(len(partners))]
        self.partner_cum_weights = list(itertools.accumulate(weights))

        def contacts():
            for index, partner_id in enumerate(self.partner_ids):
                for c in range(rng.randint(1, 3)):
                    first, last = self.name_from(self.partner_script[index])
                    yield (
                        partner_id, f"{first} {last}", rng.choice(CONTACT_ROLES),
                        f"contact{c + 1}.{partner_id}@{EMAIL_DOMAIN}",
                        f"+{rng.randint(30, 99)} {rng.randint(10, 99)} {rng.randint(100, 999)} "
                        f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                        c == 0,
                    )  # fmt: skip

        self.writer.write(
            Contact, ["partner_id", "name", "role", "email", "phone", "is_primary"],
            contacts(), None, "contacts",
        )  # fmt: skip

    def agreements_and_quotas(self):
        rng, scale = self.rng, self.scale
        first_id = _next_id(Agreement)
        Lifecycle = Agreement.Lifecycle
        lifecycles = [(Lifecycle.SIGNED, 80), (Lifecycle.DRAFT, 5), (Lifecycle.NEGOTIATION, 7),
                      (Lifecycle.TERMINATED, 8)]  # fmt: skip
        kinds = [
            (k, w) for k, w in zip(Agreement.Kind.values, [10, 30, 25, 10, 5, 20], strict=True)
        ]
        rows = []
        self.partner_agreements: dict[int, list[int]] = {}
        self.agreement_department: dict[int, int] = {}
        self.signed_agreements: list[tuple[int, int]] = []  # (agreement id, partner index)
        partner_indexes = list(range(len(self.partner_ids)))
        # Every partner has at least one agreement; the rest go to the busy ones more often.
        # Every partner has at least one agreement; the busy ones more (renewals, annexes), but
        # no partner more than MAX_AGREEMENTS_PER_PARTNER, as in real registries.
        owners = partner_indexes[: scale.agreements]
        per_partner = dict.fromkeys(owners, 1)
        while len(owners) < scale.agreements:
            for index in rng.choices(
                partner_indexes,
                cum_weights=self.partner_cum_weights,
                k=scale.agreements - len(owners),
            ):
                if per_partner.get(index, 0) < MAX_AGREEMENTS_PER_PARTNER:
                    per_partner[index] = per_partner.get(index, 0) + 1
                    owners.append(index)
        for i, partner_index in enumerate(owners):
            aid = first_id + i
            lifecycle = _pick(rng, lifecycles)[0]
            kind = _pick(rng, kinds)[0]
            start = datetime.date(rng.choice(self.years), rng.randint(1, 12), rng.randint(1, 28))
            if partner_index == 0 and i == 0:
                lifecycle, start, kind = Lifecycle.SIGNED, datetime.date(2004, 3, 15), kinds[1][0]
            open_ended = rng.random() < 0.2
            auto_renewal = not open_ended and rng.random() < 0.15
            until = (
                None
                if open_ended
                else start + datetime.timedelta(days=365 * rng.choice([3, 5, 5, 10]))
            )
            valid_from = start if lifecycle in (Lifecycle.SIGNED, Lifecycle.TERMINATED) else None
            if valid_from is None:
                until, auto_renewal = None, False
            department_id = rng.choices(self.department_ids, weights=self.department_weights)[0]
            created = _utc(start - datetime.timedelta(days=30))
            partner_id = self.partner_ids[partner_index]
            rows.append(
                (aid, created, created, partner_id,
                 f"{Agreement.Kind(kind).label} with {self.partner_name[partner_index]}"[:255],
                 f"GEN-{start.year}-{i + 1:06d}", kind, lifecycle,
                 valid_from - datetime.timedelta(days=rng.randint(0, 20)) if valid_from else None,
                 valid_from, until, auto_renewal, department_id,
                 self.coordinator_ids[department_id] if rng.random() < 0.6 else None,
                 "Exchange of students and staff, joint research and conferences.",
                 rng.choice([None, 6, 7, 8]), "")
            )  # fmt: skip
            self.partner_agreements.setdefault(partner_index, []).append(aid)
            self.agreement_department[aid] = department_id
            if lifecycle == Lifecycle.SIGNED:
                self.signed_agreements.append((aid, partner_index))
        self.writer.write(
            Agreement,
            ["id", "created_at", "updated_at", "partner_id", "title", "reference", "kind",
             "lifecycle", "signed_on", "valid_from", "valid_until", "auto_renewal",
             "department_id", "coordinator_id", "scope", "eqf_level", "notes"],
            rows, len(rows), "agreements",
        )  # fmt: skip

        def subject_areas():
            for row in rows:
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
        first_id = _next_id(Program)
        rows = []
        self.program_info = []  # (id, partner index or None, agreement id, department id, ...)
        self.partner_programs: dict[int, list[int]] = {}
        for i in range(scale.programs):
            pid = first_id + i
            kind, mobility_type, purpose, _ = _pick(rng, PROGRAM_KINDS)
            if kind == ProgramKind.CONFERENCE or not self.signed_agreements or rng.random() < 0.1:
                agreement_id = None
                partner_index = rng.choices(
                    range(len(self.partner_ids)), cum_weights=self.partner_cum_weights
                )[0]
                department_id = rng.choices(self.department_ids, weights=self.department_weights)[0]
            else:
                agreement_id, partner_index = rng.choice(self.signed_agreements)
                department_id = self.agreement_department[agreement_id]
            if i < 3:
                department_id = self.department_ids[0]
            # A fifth of the programs run this year with a call open all year round.
            if i < 3 or rng.random() < 0.2:
                year = self.this_year
                call_opens = datetime.date(year, 1, 1)
                call_closes = datetime.date(year, 12, 31)
                starts = datetime.date(year + 1, rng.randint(1, 6), rng.randint(1, 28))
            else:
                year = rng.choice(self.years)
                starts = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
                call_closes = starts - datetime.timedelta(days=rng.randint(20, 60))
                call_opens = call_closes - datetime.timedelta(days=rng.randint(14, 60))
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
            created = _utc(call_opens - datetime.timedelta(days=10))
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

    def applications(self):
        rng, scale = self.rng, self.scale
        first_id = _next_id(Application)
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
            created = _utc(starts - datetime.timedelta(days=rng.randint(40, 120)), hour=10)
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
            category = rng.choices([c for c, _ in CATEGORIES], weights=[w for _, w in CATEGORIES])[
                0
            ]
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
        rng, scale = self.rng, self.scale
        first_id = _next_id(MobilityRecord)
        total = scale.records
        random_ = rng.random

        def cumulative(weighted):
            return [str(v) for v, _ in weighted], list(itertools.accumulate(w for _, w in weighted))

        # More mobility every year, as the network grows.
        years, year_cw = (
            self.years,
            list(itertools.accumulate(1 + 0.12 * (y - FIRST_YEAR) for y in self.years)),
        )
        year_start = {y: datetime.date(y, 1, 1).toordinal() for y in years}
        types = [(str(t), str(p)) for t, p, _ in MOBILITY_TYPES]
        type_cw = list(itertools.accumulate(w for *_, w in MOBILITY_TYPES))
        categories, category_cw = cumulative(CATEGORIES)
        fundings, funding_cw = cumulative(FUNDINGS)
        durations = [d - 1 for d, _ in DURATIONS]
        duration_cw = list(itertools.accumulate(w for _, w in DURATIONS))
        department_cw = list(itertools.accumulate(self.department_weights))
        partner_range = range(len(self.partner_ids))
        # Names from pools: a person's name is one draw, not three.
        local_names = [" ".join(self.local_name()) for _ in range(4096)]
        script_names = {
            script: [" ".join(self.name_from(script)) for _ in range(1024)]
            for script in sorted(set(self.partner_script))
        }
        partner_names = [script_names[script] for script in self.partner_script]
        Status = MobilityRecord.Status
        cancelled, planned, ongoing, completed = (
            str(Status.CANCELLED), str(Status.PLANNED), str(Status.ONGOING), str(Status.COMPLETED)
        )  # fmt: skip
        outgoing, incoming = str(Direction.OUTGOING), str(Direction.INCOMING)
        conference = str(MobilityType.CONFERENCE)
        reference = self.reference.toordinal()
        # Dates and times as ISO text, formatted once per day rather than once per cell.
        dates: dict[int, str] = {}
        created_at: dict[int, str] = {}

        def day(ordinal: int) -> str:
            if ordinal not in dates:
                dates[ordinal] = datetime.date.fromordinal(ordinal).isoformat()
            return dates[ordinal]

        def created(ordinal: int) -> str:
            if ordinal not in created_at:
                created_at[ordinal] = _utc(datetime.date.fromordinal(ordinal - 30)).isoformat()
            return created_at[ordinal]

        approved = self.approved[: total // 2]

        def approved_rows():
            for i, (application_id, person_id, program_index, category, department_id) in enumerate(
                approved
            ):
                (program_id, partner_index, agreement_id, _, _, mobility_type, purpose,
                 start, end) = self.program_info[program_index]  # fmt: skip
                yield (
                    first_id + i, created(start.toordinal()), created(start.toordinal()),
                    self.user_names[person_id], person_id, str(category), outgoing,
                    department_id, "", self.partner_ids[partner_index], program_id,
                    agreement_id, application_id, str(mobility_type), str(purpose), start, end,
                    self.partner_country[partner_index], str(MobilityRecord.Funding.HOME),
                    planned if start > self.reference else completed, "", "", None, "",
                )  # fmt: skip

        def drawn_rows():
            done = len(approved)
            while done < total:
                n = min(CHUNK, total - done)
                year_draw = rng.choices(years, cum_weights=year_cw, k=n)
                duration_draw = rng.choices(durations, cum_weights=duration_cw, k=n)
                partner_draw = rng.choices(partner_range, cum_weights=self.partner_cum_weights, k=n)
                category_draw = rng.choices(categories, cum_weights=category_cw, k=n)
                type_draw = rng.choices(types, cum_weights=type_cw, k=n)
                department_draw = rng.choices(self.department_ids, cum_weights=department_cw, k=n)
                funding_draw = rng.choices(fundings, cum_weights=funding_cw, k=n)
                for j in range(n):
                    start_ordinal = year_start[year_draw[j]] + int(random_() * 365)
                    end_ordinal = start_ordinal + duration_draw[j]
                    partner_index = partner_draw[j]
                    mobility_type, purpose = type_draw[j]
                    if random_() < 0.62:
                        direction, home = outgoing, ""
                        full_name = local_names[int(random_() * 4096)]
                    else:
                        direction, home = incoming, self.partner_name[partner_index]
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
                    if program_id and mobility_type == conference and random_() < 0.3:
                        partner_id = agreement_id = None
                    if random_() < 0.03:
                        status = cancelled
                    elif start_ordinal > reference:
                        status = planned
                    elif end_ordinal >= reference:
                        status = ongoing
                    else:
                        status = completed
                    has_report = status is completed and random_() < 0.3
                    yield (
                        first_id + done + j, created(start_ordinal), created(start_ordinal),
                        full_name, None, category_draw[j], direction, department_draw[j], home,
                        partner_id, program_id, agreement_id, None, mobility_type, purpose,
                        day(start_ordinal), day(end_ordinal), self.partner_country[partner_index],
                        funding_draw[j], status,
                        REPORT_ACTIVITIES[int(random_() * 5)] if has_report else "",
                        REPORT_OUTCOMES[int(random_() * 4)] if has_report else "",
                        created(end_ordinal + 37) if has_report else None, "",
                    )  # fmt: skip
                done += n

        rows = itertools.chain(approved_rows(), drawn_rows())

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
