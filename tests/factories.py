"""factory_boy factories for every model; defaults build a valid, active, open-call world."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from core.roles import INTERNATIONAL_OFFICE_GROUP
from exchanges.choices import ProgramDirection, Purpose
from exchanges.models import (
    Application,
    ApplicationAttachment,
    MobilityRecord,
    MobilityReportAttachment,
    Program,
)
from partners.choices import Direction, MobilityType
from partners.models import (
    Agreement,
    AgreementDocument,
    AgreementQuota,
    Contact,
    Department,
    Partner,
    SubjectArea,
)
from people.choices import STUDYING, Category
from people.models import Profile

PASSWORD = "correct-horse-battery-staple"


def today():
    return timezone.localdate()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def category(obj, create, extracted, confirmed=True, **kwargs):
        """Who the person is: a confirmed academic unless told (`category=""`: not said yet).

        A student's profile is complete (faculty and year of study); `category__confirmed=False`
        leaves a staff category awaiting the office.
        """
        if not create:
            return
        category = Category.ACADEMIC_STAFF if extracted is None else extracted
        profile = Profile.objects.for_user(obj)
        profile.category = category
        profile.category_confirmed = bool(category) and confirmed
        if category in STUDYING:
            profile.faculty = profile.faculty or "Faculty of General Medicine"
            profile.year_of_study = profile.year_of_study or 3
        profile.save()


class OfficeUserFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def office_group(obj, create, extracted, **kwargs):
        if create:
            group, _ = Group.objects.get_or_create(name=INTERNATIONAL_OFFICE_GROUP)
            obj.groups.add(group)


class SubjectAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubjectArea
        django_get_or_create = ("isced_code",)

    isced_code = "0912"
    name = "Medicine"


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner University {n}")
    name_original = factory.LazyAttribute(lambda p: p.name)
    acronym = factory.Sequence(lambda n: f"PU{n}")
    slug = factory.Sequence(lambda n: f"partner-university-{n}")
    kind = Partner.Kind.MEDICAL_UNIVERSITY
    country = "PL"
    city = "Białystok"
    website = "https://example.org/"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    partner = factory.SubFactory(PartnerFactory)
    name = factory.Faker("name")
    role = "Head of the International Relations Office"
    email = factory.Faker("email")
    phone = "+48 85 000 00 00"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Department of Medicine No. {n}")

    @factory.post_generation
    def coordinators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.coordinators.add(*extracted)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    partner = factory.SubFactory(PartnerFactory)
    title = factory.LazyAttribute(lambda a: f"Agreement on cooperation with {a.partner.name}")
    reference = factory.Sequence(lambda n: f"AGR-{n:05d}")
    kind = Agreement.Kind.ACADEMIC_SCIENTIFIC
    lifecycle = Agreement.Lifecycle.SIGNED
    signed_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=400))
    valid_from = factory.LazyFunction(lambda: today() - datetime.timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: today() + datetime.timedelta(days=3 * 365))
    department = factory.SubFactory(DepartmentFactory)


class AgreementQuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementQuota

    agreement = factory.SubFactory(AgreementFactory)
    academic_year = 2025
    mobility_type = MobilityType.HE_STT
    direction = Direction.OUTGOING
    places = 5


class AgreementDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementDocument

    agreement = factory.SubFactory(AgreementFactory)
    kind = AgreementDocument.Kind.SIGNED_AGREEMENT
    title = "Signed agreement"
    file = factory.django.FileField(filename="agreement.pdf", data=b"%PDF-1.4\n%test\n")
    original_name = "agreement.pdf"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    title = factory.Sequence(lambda n: f"Clinical training {n}")
    slug = factory.Sequence(lambda n: f"clinical-training-{n}")
    kind = Program.Kind.STAFF_TRAINING
    mobility_type = MobilityType.HE_STT
    purpose = Purpose.TRAINING
    agreement = factory.SubFactory(AgreementFactory)
    host_institution = factory.LazyAttribute(lambda p: p.agreement.partner if p.agreement else None)
    direction = ProgramDirection.OUTGOING
    eligible_academic_staff = True
    eligible_undergraduate = True
    places = 5
    call_opens = factory.LazyFunction(lambda: today() - datetime.timedelta(days=10))
    call_closes = factory.LazyFunction(lambda: today() + datetime.timedelta(days=20))
    starts_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=74))
    department = factory.LazyAttribute(
        lambda p: p.agreement.department if p.agreement else DepartmentFactory()
    )
    is_published = True


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    applicant = factory.SubFactory(UserFactory)
    program = factory.SubFactory(ProgramFactory)
    category = Category.ACADEMIC_STAFF
    motivation = "I would like to learn modern methods of teaching in English."
    status = Application.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class ApplicationAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationAttachment

    application = factory.SubFactory(ApplicationFactory)
    file = factory.django.FileField(filename="cv.pdf", data=b"%PDF-1.4\n%cv\n")
    original_name = "cv.pdf"


class MobilityRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MobilityRecord

    full_name = factory.Faker("name")
    category = Category.ACADEMIC_STAFF
    direction = Direction.OUTGOING
    department = factory.SubFactory(DepartmentFactory)
    partner = factory.SubFactory(PartnerFactory)
    country = factory.LazyAttribute(lambda r: r.partner.country if r.partner else "DE")
    mobility_type = MobilityType.HE_STT
    purpose = Purpose.TRAINING
    start_date = datetime.date(2025, 3, 1)
    end_date = factory.LazyAttribute(lambda r: r.start_date + datetime.timedelta(days=13))
    funding = MobilityRecord.Funding.HOST
    status = MobilityRecord.Status.COMPLETED


class MobilityReportAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MobilityReportAttachment

    record = factory.SubFactory(MobilityRecordFactory)
    file = factory.django.FileField(filename="report.pdf", data=b"%PDF-1.4\n%report\n")
    original_name = "report.pdf"
