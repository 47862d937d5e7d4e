"""Demo data taken from the public page of the university's international office.

The seed text (Belarusian State Medical University, "Academic Mobility") names the partners,
departments, agreements and programs below, and gives three figures the generated mobility
records agree with:

- "since 2004, about 350 people have participated in the program of academic and scientific
  exchange on both sides" (Medical University of Bialystok);
- "About 150 Belarusian and Polish students were involved in the summer clinical practice"
  (read as part of those 350: the student exchange is a program under the 2004 agreement);
- "Every year members of the University academic staff attend more than 100 congresses,
  conferences and seminars abroad".

Everything here is plain data or a pure function of (random generator, today); the
`load_demo` command writes it. Dates of calls and of the agreement that is about to expire are
relative to today, so that the demo always has open calls and an expiry warning to show.
"""

import datetime
import random
import unicodedata
from dataclasses import dataclass, field

from partners.choices import (
    Category,
    Direction,
    MobilityStatus,
    MobilityType,
    ProgramDirection,
    ProgramKind,
    Purpose,
)
from partners.models import Agreement, EQFLevel, Partner
from partners.periods import academic_year_of

DEFAULT_SEED = 2004
# Marks every row the demo generates in bulk, so that a second run can tell they are there.
DEMO_MARKER = "Demo data (load_demo)."
# One password for every demo account: long and uncommon enough for the password validators.
DEMO_PASSWORD = "Bialystok-exchange-2004"  # noqa: S105
DEMO_URL = "http://127.0.0.1:8000/"

FIRST_EXCHANGE_YEAR = 2004
FIRST_SUMMER_PRACTICE_YEAR = 2011
BIALYSTOK_EXCHANGE_PARTICIPANTS = 350
SUMMER_PRACTICE_PARTICIPANTS = 150

UMB = "medical-university-of-bialystok"
UMB_AGREEMENT = "BSMU-UMB-2004"

# --- Subject areas (ISCED-F 2013) ------------------------------------------------------------

SUBJECT_AREAS = [
    ("0511", "Biology"),
    ("0512", "Biochemistry"),
    ("0911", "Dental studies"),
    ("0912", "Medicine"),
    ("0913", "Nursing and midwifery"),
    ("0914", "Medical diagnostic and treatment technology"),
    ("0916", "Pharmacy"),
    ("0988", "Inter-disciplinary programmes involving health and welfare"),
]

# --- Our departments --------------------------------------------------------------------------

GENERAL_MEDICINE = "Faculty of General Medicine"
DENTISTRY = "Faculty of Dentistry"
PEDIATRICS = "Faculty of Pediatrics"
PHARMACY = "Faculty of Pharmacy"

INFECTIOUS = "Department of Infectious Diseases"
PROSTHETIC_DENTISTRY = "Department of Prosthetic Dentistry"
INTERNAL_3 = "Department of Internal Diseases No. 3"
INTERNAL_1 = "Department of Internal Diseases No. 1"
PATHOLOGY = "Department of Pathology"
PEDIATRIC_DENTISTRY = "Department of Pediatric Dentistry"
BIOLOGY = "Department of Biology"
FOREIGN_LANGUAGES = "Department of Foreign Languages"
NORMAL_PHYSIOLOGY = "Department of Normal Physiology"
PHARMACOLOGY = "Department of Pharmacology"
GENERAL_SURGERY = "Department of General Surgery"
OBSTETRICS = "Department of Obstetrics and Gynecology"
PEDIATRICS_1 = "Department of Pediatrics No. 1"
CARDIOLOGY = "Department of Cardiology and Internal Diseases"

DEPARTMENTS = [
    (INFECTIOUS, GENERAL_MEDICINE, "infect@bsmu.example.org"),
    (PROSTHETIC_DENTISTRY, DENTISTRY, "prosthetic@bsmu.example.org"),
    (INTERNAL_3, GENERAL_MEDICINE, "internal3@bsmu.example.org"),
    (INTERNAL_1, GENERAL_MEDICINE, "internal1@bsmu.example.org"),
    (PATHOLOGY, GENERAL_MEDICINE, "pathology@bsmu.example.org"),
    (PEDIATRIC_DENTISTRY, DENTISTRY, "pediatric-dentistry@bsmu.example.org"),
    (BIOLOGY, GENERAL_MEDICINE, "biology@bsmu.example.org"),
    (FOREIGN_LANGUAGES, GENERAL_MEDICINE, "languages@bsmu.example.org"),
    (NORMAL_PHYSIOLOGY, GENERAL_MEDICINE, "physiology@bsmu.example.org"),
    (PHARMACOLOGY, PHARMACY, "pharmacology@bsmu.example.org"),
    (GENERAL_SURGERY, GENERAL_MEDICINE, "surgery@bsmu.example.org"),
    (OBSTETRICS, GENERAL_MEDICINE, "obstetrics@bsmu.example.org"),
    (PEDIATRICS_1, PEDIATRICS, "pediatrics1@bsmu.example.org"),
    (CARDIOLOGY, GENERAL_MEDICINE, "cardiology@bsmu.example.org"),
]
# Departments whose staff travel to conferences and exchanges (all of them, in practice).
DEPARTMENT_NAMES = [name for name, _faculty, _email in DEPARTMENTS]
CLINICAL_DEPARTMENTS = [
    INFECTIOUS,
    INTERNAL_1,
    INTERNAL_3,
    PATHOLOGY,
    GENERAL_SURGERY,
    OBSTETRICS,
    PEDIATRICS_1,
    CARDIOLOGY,
]

# --- Demo accounts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    office: bool = False
    coordinates: tuple[str, ...] = ()


# The four accounts the README and the command's output name; the coordinator decides on the
# Bialystok programs whose call is open, so an application by `staff` lands in their queue.
PRINTED_USERS = [
    DemoUser("office", "Alena", "Makarevich", office=True),
    DemoUser("coordinator", "Siarhei", "Kavalenka", coordinates=(INTERNAL_1,)),
    DemoUser("staff", "Tatsiana", "Savitskaya"),
    DemoUser("student", "Maksim", "Zhuk"),
]
# Colleagues who coordinate other departments or hold the demo applications.
OTHER_USERS = [
    DemoUser("i.sakalou", "Ihar", "Sakalou", coordinates=(PATHOLOGY, BIOLOGY)),
    DemoUser("n.volkava", "Natallia", "Volkava", coordinates=(INFECTIOUS,)),
    DemoUser("u.bandarenka", "Uladzimir", "Bandarenka", coordinates=(PROSTHETIC_DENTISTRY,)),
    DemoUser("h.lisouskaya", "Halina", "Lisouskaya", coordinates=(PEDIATRIC_DENTISTRY,)),
    DemoUser("a.tsikhanau", "Andrei", "Tsikhanau", coordinates=(INTERNAL_3, NORMAL_PHYSIOLOGY)),
    DemoUser("h.navitskaya", "Hanna", "Navitskaya"),
    DemoUser("d.kazlou", "Dzmitry", "Kazlou"),
    DemoUser("v.marozava", "Volha", "Marozava"),
    DemoUser("a.hrynevich", "Artsiom", "Hrynevich"),
    DemoUser("m.pashkevich", "Maryia", "Pashkevich"),
    DemoUser("k.stankevich", "Katsiaryna", "Stankevich"),
    DemoUser("p.dubouski", "Pavel", "Dubouski"),
]

# --- Partner institutions ---------------------------------------------------------------------

PARTNERS = [
    {
        "slug": UMB,
        "name": "Medical University of Bialystok",
        "name_original": "Uniwersytet Medyczny w Białymstoku",
        "acronym": "UMB",
        "kind": Partner.Kind.MEDICAL_UNIVERSITY,
        "country": "PL",
        "city": "Białystok",
        "website": "https://www.umb.edu.pl/",
        "erasmus_code": "PL BIALYST02",
        "description": (
            "Our oldest and largest exchange partner. The agreement on cooperation of 2004 "
            "covers academic and scientific exchange of staff, PhD students and young "
            "scientists: clinical training sessions, courses on teaching overseas students in "
            "English, research training at the departments of pathology and molecular biology. "
            "It also covers the summer clinical practice of Belarusian and "
            "Polish students on terms of mutual exchange."
        ),
        "contacts": [
            ("Magdalena Kowalska", "Head of the International Relations Office", True),
            ("Piotr Zieliński", "Vice-Rector for Science", False),
        ],
    },
    {
        "slug": "kazakh-national-medical-university",
        "name": "Kazakh National Medical University",
        "name_original": "С.Ж. Асфендияров атындағы Қазақ ұлттық медицина университеті",
        "acronym": "KazNMU",
        "kind": Partner.Kind.MEDICAL_UNIVERSITY,
        "country": "KZ",
        "city": "Almaty",
        "website": "https://kaznmu.edu.kz/",
        "description": (
            "Visiting professors from our university deliver lectures, develop educational "
            "programs and conduct workshops in Almaty; joint research and PhD projects."
        ),
        "contacts": [
            ("Aigerim Nurpeisova", "Head of the Department of International Cooperation", True),
        ],
    },
    {
        "slug": "karolinska-institute",
        "name": "Karolinska Institute",
        "name_original": "Karolinska Institutet",
        "acronym": "KI",
        "kind": Partner.Kind.MEDICAL_UNIVERSITY,
        "country": "SE",
        "city": "Solna",
        "website": "https://ki.se/",
        "erasmus_code": "S STOCKHO03",
        "description": (
            "Joint training of young scientists according to a 'sandwich model': one part of "
            "the research work is carried out at our premises, the other at Karolinska Institute."
        ),
        "contacts": [
            ("Karin Lindqvist", "International Coordinator, Doctoral Education", True),
            ("Anders Johansson", "Principal Investigator", False),
        ],
    },
    {
        "slug": "smolensk-state-medical-academy",
        "name": "Smolensk State Medical Academy",
        "name_original": "Смоленская государственная медицинская академия",
        "acronym": "SSMA",
        "kind": Partner.Kind.MEDICAL_UNIVERSITY,
        "country": "RU",
        "city": "Smolensk",
        "website": "https://smolgmu.ru/",
        "description": (
            "Joint scientific and practical research in applied medicine with our Department "
            "of Infectious Diseases, through the academy's Institute of Antimicrobial "
            "Chemotherapy."
        ),
        "contacts": [("Elena Kozlova", "Head of the International Office", True)],
    },
    {
        "slug": "institute-of-antimicrobial-chemotherapy",
        "name": "Institute of Antimicrobial Chemotherapy, Smolensk State Medical Academy",
        "name_original": "НИИ антимикробной химиотерапии Смоленской государственной "
        "медицинской академии",
        "acronym": "IAC",
        "kind": Partner.Kind.RESEARCH_INSTITUTE,
        "country": "RU",
        "city": "Smolensk",
        "website": "https://antibiotic.ru/",
        "description": (
            "Research institute of Smolensk State Medical Academy; partner of our Department "
            "of Infectious Diseases in research on antimicrobial resistance."
        ),
        "contacts": [("Sergei Sokolov", "Deputy Director for Research", True)],
    },
    {
        "slug": "moscow-state-medical-and-dental-university",
        "name": "Moscow State Medical and Dental University",
        "name_original": "Московский государственный медико-стоматологический университет",
        "acronym": "MSMDU",
        "kind": Partner.Kind.MEDICAL_UNIVERSITY,
        "country": "RU",
        "city": "Moscow",
        "website": "https://www.msmsu.ru/",
        "description": (
            "Our Department of Prosthetic Dentistry works with its Department of Hospital "
            "Prosthetic Dentistry on mathematical modelling in dentistry. Academic staff take "
            "part in its international scientific conferences; every year dentistry students, "
            "residents and postgraduates take part in the Interuniversity Olympiad in Pediatric "
            "Dentistry and the Intellectual Competition 'Dental Brain-Ring' "
            "(Стоматологический Брейн-ринг)."
        ),
        "contacts": [
            ("Dmitry Lebedev", "Head of the Department of Hospital Prosthetic Dentistry", True),
            ("Olga Popova", "International Relations Office", False),
        ],
    },
    {
        "slug": "saratov-state-medical-university",
        "name": "Saratov State Medical University",
        "name_original": "Саратовский государственный медицинский университет "
        "имени В. И. Разумовского",
        "acronym": "SSMU",
        "kind": Partner.Kind.MEDICAL_UNIVERSITY,
        "country": "RU",
        "city": "Saratov",
        "website": "https://sgmu.ru/",
        "description": (
            "Partner of our Department of Internal Diseases No. 3; a team of our students took "
            "part in the International Olympiad 'Therapy of the XXI century: UPGRADE' in 2012."
        ),
        "contacts": [("Natalia Morozova", "Head of the Department of Therapy", True)],
    },
    {
        "slug": "daad",
        "name": "German Academic Exchange Service (DAAD)",
        "name_original": "Deutscher Akademischer Austauschdienst",
        "acronym": "DAAD",
        "kind": Partner.Kind.FUNDING_AGENCY,
        "country": "DE",
        "city": "Bonn",
        "website": "https://www.daad.de/",
        "description": (
            "Funds research stays and scholarships that advance knowledge and develop "
            "professional and scientific contacts between universities."
        ),
        "contacts": [("Julia Becker", "Information Centre Minsk", True)],
    },
    {
        "slug": "poznan-university-of-medical-sciences",
        "name": "Poznan University of Medical Sciences",
        "name_original": "Uniwersytet Medyczny im. Karola Marcinkowskiego w Poznaniu",
        "acronym": "PUMS",
        "kind": Partner.Kind.MEDICAL_UNIVERSITY,
        "country": "PL",
        "city": "Poznań",
        "website": "https://www.ump.edu.pl/",
        "erasmus_code": "PL POZNAN05",
        "description": "Staff exchange and a summer school in clinical skills.",
        "contacts": [("Agnieszka Wiśniewska", "International Relations Officer", True)],
    },
    {
        "slug": "sechenov-university",
        "name": "I.M. Sechenov First Moscow State Medical University",
        "name_original": "Первый Московский государственный медицинский университет "
        "имени И. М. Сеченова",
        "acronym": "Sechenov University",
        "kind": Partner.Kind.MEDICAL_UNIVERSITY,
        "country": "RU",
        "city": "Moscow",
        "website": "https://www.sechenov.ru/",
        "description": "Refresher courses in simulation-based medical education.",
        "contacts": [("Aleksandr Smirnov", "Head of the Simulation Centre", True)],
    },
    {
        "slug": "riga-stradins-university",
        "name": "Riga Stradiņš University",
        "name_original": "Rīgas Stradiņa universitāte",
        "acronym": "RSU",
        "kind": Partner.Kind.MEDICAL_UNIVERSITY,
        "country": "LV",
        "city": "Riga",
        "website": "https://www.rsu.lv/",
        "erasmus_code": "LV RIGA02",
        "description": "Staff mobility for teaching and research in public health.",
        "contacts": [("Ilze Bērziņa", "Erasmus+ Institutional Coordinator", True)],
    },
    {
        "slug": "lithuanian-university-of-health-sciences",
        "name": "Lithuanian University of Health Sciences",
        "name_original": "Lietuvos sveikatos mokslų universitetas",
        "acronym": "LSMU",
        "kind": Partner.Kind.MEDICAL_UNIVERSITY,
        "country": "LT",
        "city": "Kaunas",
        "website": "https://lsmu.lt/",
        "erasmus_code": "LT KAUNAS13",
        "description": "Erasmus+ inter-institutional agreement under negotiation.",
        "contacts": [("Rūta Jankauskienė", "International Relations Office", True)],
    },
    {
        "slug": "charite-universitatsmedizin-berlin",
        "name": "Charité – Universitätsmedizin Berlin",
        "name_original": "Charité – Universitätsmedizin Berlin",
        "acronym": "Charité",
        "kind": Partner.Kind.MEDICAL_UNIVERSITY,
        "country": "DE",
        "city": "Berlin",
        "website": "https://www.charite.de/",
        "description": "Memorandum on joint research in infectious diseases, in draft.",
        "contacts": [("Thomas Schneider", "International Office", True)],
    },
    {
        "slug": "medical-university-of-lublin",
        "name": "Medical University of Lublin",
        "name_original": "Uniwersytet Medyczny w Lublinie",
        "acronym": "UML",
        "kind": Partner.Kind.MEDICAL_UNIVERSITY,
        "country": "PL",
        "city": "Lublin",
        "website": "https://www.umlub.pl/",
        "description": "Former partner: the agreement was terminated in 2018.",
        "is_active": False,
        "contacts": [("Ewa Mazur", "International Relations Office", True)],
    },
    {
        "slug": "university-clinical-hospital-bialystok",
        "name": "University Clinical Hospital in Bialystok",
        "name_original": "Uniwersytecki Szpital Kliniczny w Białymstoku",
        "acronym": "USK",
        "kind": Partner.Kind.HEALTH_INSTITUTION,
        "country": "PL",
        "city": "Białystok",
        "website": "https://www.usk.bialystok.pl/",
        "description": "Clinical base of the summer clinical practice in Bialystok.",
        "contacts": [("Tomasz Nowak", "Head of Postgraduate Training", True)],
    },
    {
        "slug": "amee",
        "name": "Association for Medical Education in Europe",
        "name_original": "Association for Medical Education in Europe",
        "acronym": "AMEE",
        "kind": Partner.Kind.ORGANIZATION,
        "country": "GB",
        "city": "Dundee",
        "website": "https://amee.org/",
        "description": "Annual conference on medical education attended by our academic staff.",
        "contacts": [("Fiona Campbell", "Conference Office", True)],
    },
]


def contact_email(name: str, partner_slug: str) -> str:
    first, last = name.split(" ", 1)
    local = f"{first[0]}.{last.split()[-1]}".lower()
    return f"{_ascii(local)}@{partner_slug[:20].strip('-')}.example.org"


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# --- Agreements -------------------------------------------------------------------------------


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
    subject_areas: tuple[str, ...] = ("0912",)
    eqf_level: int | None = None
    auto_renewal: bool = False
    coordinator: str | None = None
    notes: str = ""
    # Per academic year (the current and the previous one): (mobility type, direction, places).
    quotas: tuple[tuple[str, str, int], ...] = ()


def agreements(today: datetime.date) -> list[AgreementSpec]:
    d = datetime.date
    signed, negotiation = Agreement.Lifecycle.SIGNED, Agreement.Lifecycle.NEGOTIATION
    Kind = Agreement.Kind
    out, inc = Direction.OUTGOING, Direction.INCOMING
    return [
        AgreementSpec(
            reference=UMB_AGREEMENT,
            partner=UMB,
            title="Agreement on cooperation with the Medical University of Bialystok",
            kind=Kind.ACADEMIC_SCIENTIFIC,
            lifecycle=signed,
            signed_on=d(2004, 5, 14),
            valid_from=d(2004, 5, 14),
            valid_until=d(2009, 5, 13),
            auto_renewal=True,
            department=INTERNAL_1,
            coordinator="coordinator",
            scope=(
                "Academic and scientific exchange of academic staff, PhD students and young "
                "scientists on both sides; clinical training and refresher courses; courses "
                "on teaching overseas students in English; research training at the "
                "departments of pathology and molecular biology; summer clinical practice of "
                "students on terms of mutual exchange; joint publications."
            ),
            subject_areas=("0912", "0511", "0512"),
            eqf_level=EQFLevel.DOCTORAL,
            notes="Renews automatically for five-year periods unless a party terminates it.",
            quotas=(
                (MobilityType.HE_STT, out, 10),
                (MobilityType.HE_STT, inc, 8),
                (MobilityType.HE_STA, out, 3),
                (MobilityType.HE_STA, inc, 3),
                (MobilityType.RESEARCH, out, 8),
                (MobilityType.RESEARCH, inc, 6),
                (MobilityType.CLINICAL_PRACTICE, out, 10),
                (MobilityType.CLINICAL_PRACTICE, inc, 10),
            ),
        ),
        AgreementSpec(
            reference="BSMU-KAZNMU-2013",
            partner="kazakh-national-medical-university",
            title="Agreement on academic and scientific cooperation",
            kind=Kind.GENERAL,
            lifecycle=signed,
            signed_on=d(2013, 10, 3),
            valid_from=d(2013, 10, 3),
            valid_until=d(2028, 10, 2),
            department=NORMAL_PHYSIOLOGY,
            scope=(
                "Visiting professors delivering lectures, developing educational programs and "
                "conducting workshops; joint research and PhD projects."
            ),
            subject_areas=("0912", "0916"),
            quotas=(
                (MobilityType.VISITING_PROFESSOR, out, 4),
                (MobilityType.RESEARCH, out, 2),
                (MobilityType.RESEARCH, inc, 2),
            ),
        ),
        AgreementSpec(
            reference="BSMU-KI-2014",
            partner="karolinska-institute",
            title="Agreement on joint training of young scientists (sandwich model)",
            kind=Kind.JOINT_RESEARCH,
            lifecycle=signed,
            signed_on=d(2014, 2, 10),
            valid_from=d(2014, 2, 10),
            # About to expire, so that the demo shows the warning and the reminders.
            valid_until=today + datetime.timedelta(days=75),
            department=PATHOLOGY,
            coordinator="i.sakalou",
            scope=(
                "Joint PhD training of young scientists: one part of the research work at our "
                "premises, the other at Karolinska Institute; joint supervision and "
                "publications."
            ),
            subject_areas=("0912", "0511"),
            eqf_level=EQFLevel.DOCTORAL,
            notes="Renewal for another five years under discussion with the partner.",
            quotas=((MobilityType.RESEARCH, out, 2), (MobilityType.HE_STA, inc, 1)),
        ),
        AgreementSpec(
            reference="BSMU-SSMA-2008",
            partner="smolensk-state-medical-academy",
            title="Agreement on joint research in applied medicine",
            kind=Kind.JOINT_RESEARCH,
            lifecycle=signed,
            signed_on=d(2008, 9, 16),
            valid_from=d(2008, 9, 16),
            valid_until=None,
            department=INFECTIOUS,
            coordinator="n.volkava",
            scope=(
                "Joint scientific and practical research of the Department of Infectious "
                "Diseases and the Institute of Antimicrobial Chemotherapy: antimicrobial "
                "resistance surveillance, rational antibiotic therapy."
            ),
            subject_areas=("0912", "0916"),
            quotas=((MobilityType.RESEARCH, out, 3), (MobilityType.RESEARCH, inc, 3)),
        ),
        AgreementSpec(
            reference="BSMU-MSMDU-2010",
            partner="moscow-state-medical-and-dental-university",
            title="Agreement on cooperation with Moscow State Medical and Dental University",
            kind=Kind.GENERAL,
            lifecycle=signed,
            signed_on=d(2010, 6, 1),
            valid_from=d(2010, 6, 1),
            valid_until=d(2030, 5, 31),
            department=PROSTHETIC_DENTISTRY,
            coordinator="u.bandarenka",
            scope=(
                "Participation of academic staff in international scientific conferences; "
                "mathematical modelling in dentistry; the Interuniversity Olympiad in Pediatric "
                "Dentistry and the Intellectual Competition 'Dental Brain-Ring'."
            ),
            subject_areas=("0911",),
            quotas=(
                (MobilityType.CONFERENCE, out, 12),
                (MobilityType.RESEARCH, out, 2),
                (MobilityType.RESEARCH, inc, 2),
            ),
        ),
        AgreementSpec(
            reference="BSMU-SSMU-2011",
            partner="saratov-state-medical-university",
            title="Agreement on cooperation with Saratov State Medical University",
            kind=Kind.GENERAL,
            lifecycle=signed,
            signed_on=d(2011, 11, 15),
            valid_from=d(2011, 11, 15),
            valid_until=d(2021, 11, 14),
            department=INTERNAL_3,
            scope=(
                "Student olympiads in internal medicine, joint conferences of the therapeutic "
                "departments."
            ),
            notes="Expired; not renewed so far.",
        ),
        AgreementSpec(
            reference="BSMU-DAAD-2015",
            partner="daad",
            title="Memorandum of understanding on research stays and scholarships",
            kind=Kind.MEMORANDUM,
            lifecycle=signed,
            signed_on=d(2015, 4, 20),
            valid_from=d(2015, 4, 20),
            valid_until=None,
            department=None,
            scope="Research stays of young scientists at German universities funded by DAAD.",
            subject_areas=("0912", "0511", "0512"),
            quotas=((MobilityType.RESEARCH, out, 3),),
        ),
        AgreementSpec(
            reference="BSMU-PUMS-2016",
            partner="poznan-university-of-medical-sciences",
            title="Agreement on academic cooperation",
            kind=Kind.ACADEMIC_SCIENTIFIC,
            lifecycle=signed,
            signed_on=d(2016, 9, 12),
            valid_from=d(2016, 10, 1),
            valid_until=d(2031, 9, 30),
            department=GENERAL_SURGERY,
            scope="Staff training in clinical skills; summer school for students.",
            quotas=(
                (MobilityType.HE_STT, out, 4),
                (MobilityType.HE_STT, inc, 2),
                (MobilityType.HE_SMT, out, 4),
            ),
        ),
        AgreementSpec(
            reference="BSMU-SECHENOV-2017",
            partner="sechenov-university",
            title="Agreement on cooperation in medical education",
            kind=Kind.GENERAL,
            lifecycle=signed,
            signed_on=d(2017, 3, 2),
            valid_from=d(2017, 3, 2),
            valid_until=None,
            department=GENERAL_SURGERY,
            scope="Simulation-based medical education; refresher courses; joint conferences.",
            quotas=((MobilityType.HE_STT, out, 3),),
        ),
        AgreementSpec(
            reference="BSMU-RSU-2019",
            partner="riga-stradins-university",
            title="Memorandum of understanding",
            kind=Kind.MEMORANDUM,
            lifecycle=signed,
            signed_on=d(2019, 2, 18),
            valid_from=d(2019, 3, 1),
            valid_until=d(2029, 2, 28),
            department=CARDIOLOGY,
            scope="Staff mobility for teaching; joint research in public health and cardiology.",
            quotas=((MobilityType.HE_STA, out, 2), (MobilityType.HE_STA, inc, 2)),
        ),
        AgreementSpec(
            reference="BSMU-LSMU-IIA",
            partner="lithuanian-university-of-health-sciences",
            title="Erasmus+ inter-institutional agreement (KA171)",
            kind=Kind.ERASMUS_IIA,
            lifecycle=negotiation,
            signed_on=None,
            valid_from=None,
            valid_until=None,
            department=OBSTETRICS,
            scope="Staff mobility for teaching and training (HE-STA, HE-STT); student "
            "traineeships (HE-SMT).",
            subject_areas=("0912", "0913"),
            eqf_level=EQFLevel.MASTER,
            notes="Draft sent to the partner; waiting for their comments on the quotas.",
        ),
        AgreementSpec(
            reference="BSMU-CHARITE-MOU",
            partner="charite-universitatsmedizin-berlin",
            title="Memorandum on joint research in infectious diseases",
            kind=Kind.MEMORANDUM,
            lifecycle=Agreement.Lifecycle.DRAFT,
            signed_on=None,
            valid_from=None,
            valid_until=None,
            department=INFECTIOUS,
            scope="Joint research projects and PhD co-supervision in infectious diseases.",
        ),
        AgreementSpec(
            reference="BSMU-UML-2012",
            partner="medical-university-of-lublin",
            title="Agreement on academic cooperation",
            kind=Kind.ACADEMIC_SCIENTIFIC,
            lifecycle=Agreement.Lifecycle.TERMINATED,
            signed_on=d(2012, 5, 7),
            valid_from=d(2012, 5, 7),
            valid_until=d(2018, 12, 31),
            department=OBSTETRICS,
            scope="Staff exchange in obstetrics and gynecology.",
            notes="Terminated by mutual consent at the end of 2018.",
        ),
    ]


# --- Programs ---------------------------------------------------------------------------------


@dataclass
class ProgramSpec:
    slug: str
    title: str
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
    subject_areas: tuple[str, ...] = ("0912",)
    eqf_level: int | None = None
    description: str = ""


def next_summer(after: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The four weeks of July that come after a day: when summer clinical practice happens."""
    year = after.year if datetime.date(after.year, 7, 1) > after else after.year + 1
    return datetime.date(year, 7, 1), datetime.date(year, 7, 28)


def programs(today: datetime.date) -> list[ProgramSpec]:
    def days(n: int) -> datetime.date:
        return today + datetime.timedelta(days=n)

    d = datetime.date
    staff = (Category.ACADEMIC_STAFF,)
    young = (Category.YOUNG_SCIENTIST, Category.PHD_STUDENT)
    out, both = ProgramDirection.OUTGOING, ProgramDirection.BOTH
    summer_call = (days(-7), days(45))
    specs = [
        ProgramSpec(
            slug="bialystok-staff-clinical-training",
            title="Clinical training for academic staff at the Medical University of Bialystok",
            kind=ProgramKind.STAFF_TRAINING,
            mobility_type=MobilityType.HE_STT,
            purpose=Purpose.TRAINING,
            direction=out,
            eligible=(Category.ACADEMIC_STAFF, Category.YOUNG_SCIENTIST),
            places=6,
            department=INTERNAL_1,
            agreement=UMB_AGREEMENT,
            host=UMB,
            call=(days(-14), days(30)),
            dates=(days(75), days(88)),
            description=(
                "Two weeks of clinical training in the university clinics of Bialystok: "
                "ward rounds, clinical case conferences, simulation-based teaching. Travel "
                "and accommodation are covered by the host."
            ),
        ),
        ProgramSpec(
            slug="bialystok-summer-clinical-practice",
            title="Summer clinical practice in Bialystok",
            kind=ProgramKind.SUMMER_PRACTICE,
            mobility_type=MobilityType.CLINICAL_PRACTICE,
            purpose=Purpose.CLINICAL_PRACTICE,
            direction=both,
            eligible=(Category.UNDERGRADUATE,),
            places=10,
            department=INTERNAL_1,
            agreement=UMB_AGREEMENT,
            host=UMB,
            call=summer_call,
            dates=next_summer(summer_call[1]),
            eqf_level=EQFLevel.MASTER,
            description=(
                "Four weeks of outpatient and clinical work experience in internal medicine, "
                "surgery, obstetrics and pediatrics, on terms of mutual exchange with Polish "
                "students. For students of the 3rd to 5th year."
            ),
        ),
        ProgramSpec(
            slug="bialystok-student-conference",
            title="International Medical Students' Conference in Bialystok",
            kind=ProgramKind.STUDENT_CONFERENCE,
            mobility_type=MobilityType.CONFERENCE,
            purpose=Purpose.CONFERENCE,
            direction=out,
            eligible=(Category.UNDERGRADUATE, Category.RESIDENT),
            places=6,
            department=INTERNAL_1,
            agreement=UMB_AGREEMENT,
            host=UMB,
            call=(days(-60), days(-15)),
            dates=(days(12), days(14)),
            description="Oral and poster presentations of student research.",
        ),
        ProgramSpec(
            slug="bialystok-phd-research-training",
            title=(
                "Research training for PhD students at the departments of pathology and "
                "molecular biology, Bialystok"
            ),
            kind=ProgramKind.RESEARCH_TRAINING,
            mobility_type=MobilityType.RESEARCH,
            purpose=Purpose.RESEARCH,
            direction=out,
            eligible=(Category.PHD_STUDENT,),
            places=2,
            department=PATHOLOGY,
            agreement=UMB_AGREEMENT,
            host=UMB,
            call=(d(2015, 5, 4), d(2015, 6, 12)),
            dates=(d(2015, 10, 5), d(2015, 12, 18)),
            is_archived=True,
            subject_areas=("0912", "0512"),
            eqf_level=EQFLevel.DOCTORAL,
        ),
        ProgramSpec(
            slug="kaznmu-visiting-professors",
            title="Visiting professors at Kazakh National Medical University, Almaty",
            kind=ProgramKind.VISITING_PROFESSOR,
            mobility_type=MobilityType.VISITING_PROFESSOR,
            purpose=Purpose.TEACHING,
            direction=out,
            eligible=staff,
            places=4,
            department=NORMAL_PHYSIOLOGY,
            agreement="BSMU-KAZNMU-2013",
            host="kazakh-national-medical-university",
            call=(days(-20), days(25)),
            dates=(days(40), days(53)),
            description=(
                "Lectures, development of educational programs and workshops for the "
                "partner's students and staff."
            ),
        ),
        ProgramSpec(
            slug="kaznmu-joint-phd-projects",
            title="Joint research and PhD projects with Kazakh National Medical University",
            kind=ProgramKind.JOINT_RESEARCH,
            mobility_type=MobilityType.RESEARCH,
            purpose=Purpose.RESEARCH,
            direction=both,
            eligible=young,
            places=4,
            department=PHARMACOLOGY,
            agreement="BSMU-KAZNMU-2013",
            host="kazakh-national-medical-university",
            eqf_level=EQFLevel.DOCTORAL,
        ),
        ProgramSpec(
            slug="karolinska-sandwich-phd",
            title="Joint PhD training with Karolinska Institute (sandwich model)",
            kind=ProgramKind.SANDWICH_PHD,
            mobility_type=MobilityType.RESEARCH,
            purpose=Purpose.RESEARCH,
            direction=out,
            eligible=young,
            places=2,
            department=PATHOLOGY,
            agreement="BSMU-KI-2014",
            host="karolinska-institute",
            call=(days(-150), days(-90)),
            dates=(days(-30), days(60)),
            eqf_level=EQFLevel.DOCTORAL,
            description=(
                "One part of the research work is carried out at our premises, the other at "
                "Karolinska Institute, under joint supervision."
            ),
        ),
        ProgramSpec(
            slug="smolensk-antimicrobial-research",
            title="Joint research on antimicrobial resistance in Smolensk",
            kind=ProgramKind.JOINT_RESEARCH,
            mobility_type=MobilityType.RESEARCH,
            purpose=Purpose.RESEARCH,
            direction=both,
            eligible=(Category.ACADEMIC_STAFF, Category.YOUNG_SCIENTIST, Category.PHD_STUDENT),
            places=3,
            department=INFECTIOUS,
            agreement="BSMU-SSMA-2008",
            host="institute-of-antimicrobial-chemotherapy",
            call=(days(-5), days(60)),
            dates=(days(90), days(120)),
            subject_areas=("0912", "0916"),
        ),
        ProgramSpec(
            slug="msmdu-dental-olympiad",
            title=(
                "Interuniversity Olympiad in Pediatric Dentistry and Intellectual Competition "
                "“Dental Brain-Ring”"
            ),
            kind=ProgramKind.COMPETITION,
            mobility_type=MobilityType.CONFERENCE,
            purpose=Purpose.COMPETITION,
            direction=out,
            eligible=(Category.UNDERGRADUATE, Category.RESIDENT),
            places=6,
            department=PEDIATRIC_DENTISTRY,
            agreement="BSMU-MSMDU-2010",
            host="moscow-state-medical-and-dental-university",
            call=(days(-10), days(20)),
            dates=(days(50), days(53)),
            subject_areas=("0911",),
            description="A team of dentistry students, residents and postgraduates.",
        ),
        ProgramSpec(
            slug="msmdu-mathematical-modelling-in-dentistry",
            title="Mathematical modelling in dentistry: joint research",
            kind=ProgramKind.JOINT_RESEARCH,
            mobility_type=MobilityType.RESEARCH,
            purpose=Purpose.RESEARCH,
            direction=both,
            eligible=staff,
            places=4,
            department=PROSTHETIC_DENTISTRY,
            agreement="BSMU-MSMDU-2010",
            host="moscow-state-medical-and-dental-university",
            subject_areas=("0911",),
            description="With the Department of Hospital Prosthetic Dentistry of MSMDU.",
        ),
        ProgramSpec(
            slug="msmdu-scientific-conference",
            title="International scientific conference at Moscow State Medical and Dental "
            "University",
            kind=ProgramKind.CONFERENCE,
            mobility_type=MobilityType.CONFERENCE,
            purpose=Purpose.CONFERENCE,
            direction=out,
            eligible=staff,
            places=8,
            department=PROSTHETIC_DENTISTRY,
            agreement="BSMU-MSMDU-2010",
            host="moscow-state-medical-and-dental-university",
            call=(days(-90), days(-40)),
            dates=(days(-20), days(-18)),
            subject_areas=("0911",),
        ),
        ProgramSpec(
            slug="saratov-therapy-olympiad-2012",
            title="International Olympiad “Therapy of the XXI century: UPGRADE” (2012)",
            kind=ProgramKind.COMPETITION,
            mobility_type=MobilityType.CONFERENCE,
            purpose=Purpose.COMPETITION,
            direction=out,
            eligible=(Category.UNDERGRADUATE,),
            places=5,
            department=INTERNAL_3,
            agreement="BSMU-SSMU-2011",
            host="saratov-state-medical-university",
            call=(d(2012, 2, 1), d(2012, 3, 15)),
            dates=(d(2012, 4, 17), d(2012, 4, 20)),
            is_archived=True,
        ),
        ProgramSpec(
            slug="daad-research-stays",
            title="DAAD research stays in Germany for young scientists",
            kind=ProgramKind.RESEARCH_TRAINING,
            mobility_type=MobilityType.RESEARCH,
            purpose=Purpose.RESEARCH,
            direction=out,
            eligible=young,
            places=3,
            department=None,
            agreement="BSMU-DAAD-2015",
            call=(days(-120), days(-60)),
            dates=(days(35), days(125)),
            subject_areas=("0912", "0511", "0512"),
            description="Research stays of one to three months at a German university.",
        ),
        ProgramSpec(
            slug="conference-attendance-abroad",
            title="Conference attendance abroad",
            kind=ProgramKind.CONFERENCE,
            mobility_type=MobilityType.CONFERENCE,
            purpose=Purpose.CONFERENCE,
            direction=out,
            eligible=(Category.ACADEMIC_STAFF, Category.YOUNG_SCIENTIST, Category.PHD_STUDENT),
            places=120,
            department=None,
            call=(days(-60), days(90)),
            description=(
                "Support for presenting at congresses, conferences and seminars abroad: "
                "registration fee and travel, on application with the accepted abstract."
            ),
        ),
        ProgramSpec(
            slug="poznan-clinical-skills-summer-school",
            title="Summer school in clinical skills at Poznan University of Medical Sciences",
            kind=ProgramKind.SUMMER_SCHOOL,
            mobility_type=MobilityType.HE_SMT,
            purpose=Purpose.SUMMER_SCHOOL,
            direction=out,
            eligible=(Category.UNDERGRADUATE,),
            places=4,
            department=GENERAL_SURGERY,
            agreement="BSMU-PUMS-2016",
            host="poznan-university-of-medical-sciences",
            call=(days(-240), days(-200)),
            dates=(days(-150), days(-140)),
        ),
        ProgramSpec(
            slug="sechenov-simulation-training",
            title="Refresher course in simulation-based medical education at Sechenov University",
            kind=ProgramKind.STAFF_TRAINING,
            mobility_type=MobilityType.HE_STT,
            purpose=Purpose.TRAINING,
            direction=out,
            eligible=staff,
            places=3,
            department=GENERAL_SURGERY,
            agreement="BSMU-SECHENOV-2017",
            host="sechenov-university",
            call=(days(30), days(60)),
            dates=(days(120), days(125)),
            is_published=False,
            description="In preparation; publish when the partner confirms the dates.",
        ),
    ]
    # The four clinical training sessions and two courses on teaching overseas students in
    # English that the seed text mentions, as past programs of the Bialystok agreement.
    for year, month in [(2006, 10), (2009, 4), (2013, 10), (2017, 4)]:
        specs.append(
            ProgramSpec(
                slug=f"bialystok-clinical-training-{year}",
                title=f"Clinical training for academic staff in Bialystok ({year})",
                kind=ProgramKind.STAFF_TRAINING,
                mobility_type=MobilityType.HE_STT,
                purpose=Purpose.TRAINING,
                direction=out,
                eligible=staff,
                places=6,
                department=INTERNAL_1,
                agreement=UMB_AGREEMENT,
                host=UMB,
                call=(d(year, month - 3, 1), d(year, month - 2, 15)),
                dates=(d(year, month, 9), d(year, month, 20)),
                is_archived=year < 2015,
            )
        )
    for year in (2014, 2018):
        specs.append(
            ProgramSpec(
                slug=f"bialystok-teaching-in-english-{year}",
                title=f"Course on teaching overseas students in English, Bialystok ({year})",
                kind=ProgramKind.STAFF_TRAINING,
                mobility_type=MobilityType.HE_STT,
                purpose=Purpose.TRAINING,
                direction=out,
                eligible=staff,
                places=8,
                department=FOREIGN_LANGUAGES,
                agreement=UMB_AGREEMENT,
                host=UMB,
                call=(d(year, 1, 15), d(year, 2, 28)),
                dates=(d(year, 5, 14), d(year, 5, 18)),
                is_archived=year < 2015,
            )
        )
    return specs


# --- People -----------------------------------------------------------------------------------

BELARUSIAN_MEN = [
    "Aliaksandr", "Andrei", "Dzmitry", "Siarhei", "Mikalai", "Uladzimir", "Pavel", "Ihar",
    "Viktar", "Yury", "Maksim", "Artsiom", "Aliaksei", "Vadzim", "Kanstantsin", "Raman",
    "Anton", "Illia", "Yauhen", "Mikhail",
]  # fmt: skip
BELARUSIAN_WOMEN = [
    "Volha", "Tatsiana", "Iryna", "Natallia", "Hanna", "Alena", "Maryia", "Katsiaryna",
    "Yuliya", "Sviatlana", "Liudmila", "Aksana", "Darya", "Palina", "Viktoryia", "Anastasiya",
    "Veranika", "Halina", "Inna", "Larysa",
]  # fmt: skip
# (man, woman): Belarusian surnames change with gender.
BELARUSIAN_SURNAMES = [
    ("Ivanou", "Ivanova"), ("Kavalenka", "Kavalenka"), ("Navitski", "Navitskaya"),
    ("Savitski", "Savitskaya"), ("Marozau", "Marozava"), ("Sidarenka", "Sidarenka"),
    ("Zhuk", "Zhuk"), ("Kazlou", "Kazlova"), ("Lukashevich", "Lukashevich"),
    ("Hrynevich", "Hrynevich"), ("Bandarenka", "Bandarenka"), ("Tsikhanau", "Tsikhanava"),
    ("Karpovich", "Karpovich"), ("Volkau", "Volkava"), ("Yakimovich", "Yakimovich"),
    ("Kuzniatsou", "Kuzniatsova"), ("Pashkevich", "Pashkevich"), ("Shauchenka", "Shauchenka"),
    ("Makarevich", "Makarevich"), ("Dubouski", "Dubouskaya"), ("Rabtsau", "Rabtsava"),
    ("Bahdanovich", "Bahdanovich"), ("Stankevich", "Stankevich"), ("Sakalou", "Sakalova"),
    ("Hurski", "Hurskaya"), ("Lisouski", "Lisouskaya"), ("Maslau", "Maslava"),
    ("Zaitsau", "Zaitsava"), ("Harbachou", "Harbachova"), ("Kryvanos", "Kryvanos"),
]  # fmt: skip
POLISH_MEN = [
    "Piotr", "Tomasz", "Krzysztof", "Marcin", "Paweł", "Michał", "Jakub", "Łukasz",
    "Grzegorz", "Wojciech", "Adam", "Mateusz",
]  # fmt: skip
POLISH_WOMEN = [
    "Anna", "Katarzyna", "Agnieszka", "Magdalena", "Joanna", "Monika", "Aleksandra", "Ewa",
    "Małgorzata", "Justyna", "Karolina", "Natalia",
]  # fmt: skip
POLISH_SURNAMES = [
    ("Kowalski", "Kowalska"), ("Nowak", "Nowak"), ("Wiśniewski", "Wiśniewska"),
    ("Wójcik", "Wójcik"), ("Kamiński", "Kamińska"), ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"), ("Szymański", "Szymańska"), ("Dąbrowski", "Dąbrowska"),
    ("Kozłowski", "Kozłowska"), ("Jankowski", "Jankowska"), ("Mazur", "Mazur"),
    ("Krawczyk", "Krawczyk"), ("Piotrowski", "Piotrowska"), ("Grabowski", "Grabowska"),
    ("Sokołowski", "Sokołowska"), ("Wasilewski", "Wasilewska"), ("Zalewski", "Zalewska"),
    ("Ostrowski", "Ostrowska"), ("Jaworski", "Jaworska"),
]  # fmt: skip
RUSSIAN_MEN = ["Aleksandr", "Sergei", "Dmitry", "Andrei", "Alexei", "Nikolai", "Ivan"]
RUSSIAN_WOMEN = ["Olga", "Elena", "Natalia", "Irina", "Svetlana", "Anna", "Marina"]
RUSSIAN_SURNAMES = [
    ("Smirnov", "Smirnova"), ("Kuznetsov", "Kuznetsova"), ("Popov", "Popova"),
    ("Sokolov", "Sokolova"), ("Lebedev", "Lebedeva"), ("Kozlov", "Kozlova"),
    ("Novikov", "Novikova"), ("Morozov", "Morozova"), ("Petrov", "Petrova"),
    ("Volkov", "Volkova"),
]  # fmt: skip
KAZAKH_MEN = ["Nurlan", "Yerlan", "Aidos", "Daniyar", "Askar"]
KAZAKH_WOMEN = ["Aigerim", "Dana", "Saule", "Madina", "Gulnara"]
KAZAKH_SURNAMES = [
    ("Nurpeisov", "Nurpeisova"), ("Zhakupov", "Zhakupova"), ("Abenov", "Abenova"),
    ("Seitkali", "Seitkali"), ("Tokhtarov", "Tokhtarova"),
]  # fmt: skip
SWEDISH_MEN = ["Lars", "Anders", "Erik", "Johan", "Magnus"]
SWEDISH_WOMEN = ["Karin", "Maria", "Eva", "Sofia", "Ingrid"]
SWEDISH_SURNAMES = [(s, s) for s in ["Lindqvist", "Johansson", "Andersson", "Nilsson", "Berg"]]

NAMES = {
    "BY": (BELARUSIAN_MEN, BELARUSIAN_WOMEN, BELARUSIAN_SURNAMES),
    "PL": (POLISH_MEN, POLISH_WOMEN, POLISH_SURNAMES),
    "RU": (RUSSIAN_MEN, RUSSIAN_WOMEN, RUSSIAN_SURNAMES),
    "KZ": (KAZAKH_MEN, KAZAKH_WOMEN, KAZAKH_SURNAMES),
    "SE": (SWEDISH_MEN, SWEDISH_WOMEN, SWEDISH_SURNAMES),
}


def person_name(rng: random.Random, nationality: str = "BY") -> str:
    men, women, surnames = NAMES[nationality]
    male, female = rng.choice(surnames)
    if rng.random() < 0.5:
        return f"{rng.choice(men)} {male}"
    return f"{rng.choice(women)} {female}"


# --- Conferences abroad -----------------------------------------------------------------------

# Where our staff travel to conferences, weighted by how often.
CONFERENCE_COUNTRIES = [
    ("RU", 30), ("PL", 12), ("DE", 10), ("LT", 6), ("LV", 4), ("KZ", 4), ("CZ", 4),
    ("AT", 4), ("IT", 4), ("FR", 3), ("ES", 3), ("GB", 3), ("UZ", 3), ("TR", 3), ("CN", 3),
    ("SE", 2), ("FI", 2), ("NL", 2), ("CH", 2), ("US", 2), ("IL", 2), ("GE", 2), ("AM", 2),
    ("HU", 2), ("SK", 1), ("AE", 1), ("IN", 1),
]  # fmt: skip
CONFERENCES = [
    "Annual Congress of the European Society of Cardiology",
    "European Congress of Clinical Microbiology and Infectious Diseases",
    "European Congress of Pathology",
    "AMEE Conference on medical education",
    "International Congress of Pediatrics",
    "World Congress of Gastroenterology",
    "European Society for Medical Oncology Congress",
    "International Dental Congress",
    "European Respiratory Society International Congress",
    "International Conference on Emergency Medicine",
    "Congress of the European Society of Endocrinology",
    "International Symposium on Clinical Pharmacology",
    "European Congress of Rheumatology",
    "World Congress of Surgery",
    "Baltic Morphology Conference",
    "International Scientific and Practical Conference on Public Health",
]
CONFERENCE_FUNDING = [("home", 45), ("host", 15), ("grant", 15), ("self", 25)]

# --- Record generation ------------------------------------------------------------------------


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


@dataclass
class RecordGenerator:
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
                    department=PATHOLOGY,
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
                department=rng.choice(CLINICAL_DEPARTMENTS + [BIOLOGY, NORMAL_PHYSIOLOGY]),
                partner=UMB,
                agreement=UMB_AGREEMENT,
                home_institution="Medical University of Bialystok" if incoming else "",
                cancelled=cancelled,
            )
        )

    def summer_practice(self) -> None:
        """About 150 Belarusian and Polish students, mutual exchange, every July since 2011."""
        last = self.today.year if self.today >= datetime.date(self.today.year, 7, 1) else None
        years = list(range(FIRST_SUMMER_PRACTICE_YEAR, (last or self.today.year - 1) + 1))
        per_year = self.spread(SUMMER_PRACTICE_PARTICIPANTS, years, growth=0.15)
        for year, count in per_year.items():
            for i in range(count):
                self._summer_student(year, incoming=i % 2 == 1, cancelled=False)
        for year in self.rng.sample(years, 3):
            self._summer_student(year, incoming=False, cancelled=True)

    def _summer_student(self, year: int, incoming: bool, cancelled: bool) -> None:
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
                department=self.rng.choice([INTERNAL_1, GENERAL_SURGERY, OBSTETRICS]),
                partner=UMB,
                agreement=UMB_AGREEMENT,
                home_institution="Medical University of Bialystok" if incoming else "",
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

    def kazakhstan(self) -> None:
        rng = self.rng
        for year in self.years(2014):
            for _ in range(rng.randint(2, 4)):
                start = self.day_in(year, 2, 11)
                self.add(
                    RecordDraft(
                        full_name=person_name(rng),
                        category=Category.ACADEMIC_STAFF,
                        direction=Direction.OUTGOING,
                        purpose=Purpose.TEACHING,
                        mobility_type=MobilityType.VISITING_PROFESSOR,
                        start_date=start,
                        end_date=self.stay(start, 7, 14),
                        country="KZ",
                        department=rng.choice(DEPARTMENT_NAMES),
                        partner="kazakh-national-medical-university",
                        agreement="BSMU-KAZNMU-2013",
                        report_activities="Lectures and workshops for students and staff; "
                        "development of a joint educational program.",
                    )
                )
            if year >= 2016:
                for _ in range(rng.randint(0, 2)):
                    incoming = rng.random() < 0.5
                    start = self.day_in(year)
                    self.add(
                        RecordDraft(
                            full_name=person_name(rng, "KZ" if incoming else "BY"),
                            category=rng.choice([Category.PHD_STUDENT, Category.YOUNG_SCIENTIST]),
                            direction=Direction.INCOMING if incoming else Direction.OUTGOING,
                            purpose=Purpose.RESEARCH,
                            mobility_type=MobilityType.RESEARCH,
                            start_date=start,
                            end_date=self.stay(start, 14, 45),
                            country="KZ",
                            department=PHARMACOLOGY,
                            partner="kazakh-national-medical-university",
                            agreement="BSMU-KAZNMU-2013",
                            program="kaznmu-joint-phd-projects",
                            home_institution="Kazakh National Medical University"
                            if incoming
                            else "",
                        )
                    )

    def karolinska(self) -> None:
        rng = self.rng
        for year in range(2015, self.today.year):
            for _ in range(rng.randint(1, 2)):
                start = self.day_in(year, 1, 9)
                self.add(
                    RecordDraft(
                        full_name=person_name(rng),
                        category=rng.choice([Category.PHD_STUDENT, Category.YOUNG_SCIENTIST]),
                        direction=Direction.OUTGOING,
                        purpose=Purpose.RESEARCH,
                        mobility_type=MobilityType.RESEARCH,
                        start_date=start,
                        end_date=self.stay(start, 90, 180),
                        country="SE",
                        department=rng.choice([PATHOLOGY, BIOLOGY, INFECTIOUS]),
                        partner="karolinska-institute",
                        agreement="BSMU-KI-2014",
                        funding="grant",
                    )
                )
            if rng.random() < 0.6:
                start = self.day_in(year)
                self.add(
                    RecordDraft(
                        full_name=person_name(rng, "SE"),
                        category=Category.ACADEMIC_STAFF,
                        direction=Direction.INCOMING,
                        purpose=Purpose.TEACHING,
                        mobility_type=MobilityType.HE_STA,
                        start_date=start,
                        end_date=self.stay(start, 3, 5),
                        country="SE",
                        department=PATHOLOGY,
                        partner="karolinska-institute",
                        agreement="BSMU-KI-2014",
                        home_institution="Karolinska Institute",
                    )
                )
        # The two PhD students of this year's sandwich program, abroad right now.
        for _ in range(2):
            start = self.today - datetime.timedelta(days=30)
            self.add(
                RecordDraft(
                    full_name=person_name(rng),
                    category=Category.PHD_STUDENT,
                    direction=Direction.OUTGOING,
                    purpose=Purpose.RESEARCH,
                    mobility_type=MobilityType.RESEARCH,
                    start_date=start,
                    end_date=self.today + datetime.timedelta(days=60),
                    country="SE",
                    department=PATHOLOGY,
                    partner="karolinska-institute",
                    agreement="BSMU-KI-2014",
                    program="karolinska-sandwich-phd",
                    funding="grant",
                )
            )

    def smolensk(self) -> None:
        rng = self.rng
        for year in self.years(2008):
            for _ in range(rng.randint(1, 3)):
                incoming = rng.random() < 0.4
                start = self.day_in(year)
                self.add(
                    RecordDraft(
                        full_name=person_name(rng, "RU" if incoming else "BY"),
                        category=rng.choice([Category.ACADEMIC_STAFF, Category.YOUNG_SCIENTIST]),
                        direction=Direction.INCOMING if incoming else Direction.OUTGOING,
                        purpose=Purpose.RESEARCH,
                        mobility_type=MobilityType.RESEARCH,
                        start_date=start,
                        end_date=self.stay(start, 5, 21),
                        country="RU",
                        department=INFECTIOUS,
                        partner="institute-of-antimicrobial-chemotherapy",
                        agreement="BSMU-SSMA-2008",
                        home_institution="Institute of Antimicrobial Chemotherapy"
                        if incoming
                        else "",
                    )
                )

    def moscow_dentistry(self) -> None:
        rng = self.rng
        msmdu = "moscow-state-medical-and-dental-university"
        for year in self.years(2011):
            # The olympiad and the "Dental Brain-Ring", every autumn.
            start = datetime.date(year, 11, rng.randint(10, 20))
            for _ in range(rng.randint(4, 6)):
                self.add(
                    RecordDraft(
                        full_name=person_name(rng),
                        category=rng.choices(
                            [Category.UNDERGRADUATE, Category.RESIDENT], weights=[3, 1]
                        )[0],
                        direction=Direction.OUTGOING,
                        purpose=Purpose.COMPETITION,
                        mobility_type=MobilityType.CONFERENCE,
                        start_date=start,
                        end_date=start + datetime.timedelta(days=3),
                        country="RU",
                        department=PEDIATRIC_DENTISTRY,
                        partner=msmdu,
                        agreement="BSMU-MSMDU-2010",
                    )
                )
            if year >= 2015:
                for _ in range(rng.randint(0, 2)):
                    incoming = rng.random() < 0.5
                    start = self.day_in(year)
                    self.add(
                        RecordDraft(
                            full_name=person_name(rng, "RU" if incoming else "BY"),
                            category=Category.ACADEMIC_STAFF,
                            direction=Direction.INCOMING if incoming else Direction.OUTGOING,
                            purpose=Purpose.RESEARCH,
                            mobility_type=MobilityType.RESEARCH,
                            start_date=start,
                            end_date=self.stay(start, 5, 10),
                            country="RU",
                            department=PROSTHETIC_DENTISTRY,
                            partner=msmdu,
                            agreement="BSMU-MSMDU-2010",
                            program="msmdu-mathematical-modelling-in-dentistry",
                            home_institution="Moscow State Medical and Dental University"
                            if incoming
                            else "",
                        )
                    )

    def saratov_olympiad(self) -> None:
        for _ in range(5):
            self.add(
                RecordDraft(
                    full_name=person_name(self.rng),
                    category=Category.UNDERGRADUATE,
                    direction=Direction.OUTGOING,
                    purpose=Purpose.COMPETITION,
                    mobility_type=MobilityType.CONFERENCE,
                    start_date=datetime.date(2012, 4, 17),
                    end_date=datetime.date(2012, 4, 20),
                    country="RU",
                    department=INTERNAL_3,
                    partner="saratov-state-medical-university",
                    agreement="BSMU-SSMU-2011",
                    program="saratov-therapy-olympiad-2012",
                    report_activities="Team competition in internal medicine.",
                )
            )

    def other_partners(self) -> None:
        rng = self.rng
        plan = [
            # partner, agreement, first year, last year, nationality, country, department
            ("daad", "BSMU-DAAD-2015", 2015, self.today.year, "BY", "DE", None),
            (
                "poznan-university-of-medical-sciences",
                "BSMU-PUMS-2016",
                2016,
                self.today.year,
                "PL",
                "PL",
                GENERAL_SURGERY,
            ),
            ("sechenov-university", "BSMU-SECHENOV-2017", 2017, self.today.year, "RU", "RU", None),
            ("riga-stradins-university", "BSMU-RSU-2019", 2019, self.today.year, "BY", "LV", None),
            ("medical-university-of-lublin", "BSMU-UML-2012", 2012, 2018, "PL", "PL", OBSTETRICS),
        ]
        for partner, agreement, first, last, nationality, country, department in plan:
            for year in range(first, last + 1):
                for _ in range(rng.randint(1, 3)):
                    incoming = nationality != "BY" and rng.random() < 0.4
                    research = partner == "daad"
                    start = self.day_in(year)
                    self.add(
                        RecordDraft(
                            full_name=person_name(rng, nationality if incoming else "BY"),
                            category=Category.YOUNG_SCIENTIST
                            if research
                            else Category.ACADEMIC_STAFF,
                            direction=Direction.INCOMING if incoming else Direction.OUTGOING,
                            purpose=Purpose.RESEARCH if research else Purpose.TRAINING,
                            mobility_type=MobilityType.RESEARCH
                            if research
                            else MobilityType.HE_STT,
                            start_date=start,
                            end_date=self.stay(start, *((30, 90) if research else (5, 12))),
                            country=country,
                            department=department or rng.choice(DEPARTMENT_NAMES),
                            partner=partner,
                            agreement=agreement,
                            funding="daad" if research else "host",
                        )
                    )

    def generate(self, program_slugs: list[str]) -> list[RecordDraft]:
        self.bialystok_exchange(program_slugs)
        self.summer_practice()
        self.conferences()
        self.kazakhstan()
        self.karolinska()
        self.smolensk()
        self.moscow_dentistry()
        self.saratov_olympiad()
        self.other_partners()
        return self.drafts


def current_and_previous_academic_year(today: datetime.date) -> tuple[int, int]:
    year = academic_year_of(today)
    return year, year - 1
