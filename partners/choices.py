"""The vocabulary the international office uses in both apps: who travels, where, for what.

It lives in `partners`, the app every other one builds on, so that partner pages can filter
and count by these values without importing the `exchanges` app.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class MobilityType(models.TextChoices):
    """Kinds of mobility that quotas count: the Erasmus+ activity codes and the university's own."""

    HE_SMS = "HE-SMS", _("HE-SMS: student mobility for studies")
    HE_SMT = "HE-SMT", _("HE-SMT: student mobility for traineeships")
    HE_STA = "HE-STA", _("HE-STA: staff mobility for teaching")
    HE_STT = "HE-STT", _("HE-STT: staff mobility for training")
    HE_BIP = "HE-BIP", _("HE-BIP: blended intensive programme")
    VISITING_PROFESSOR = "visiting_professor", _("Visiting professor")
    RESEARCH = "research", _("Research stay")
    CLINICAL_PRACTICE = "clinical_practice", _("Summer clinical practice")
    CONFERENCE = "conference", _("Conference or competition")


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("Outgoing")
    INCOMING = "incoming", _("Incoming")


class Category(models.TextChoices):
    """Who a participant is; the annual report counts by these."""

    UNDERGRADUATE = "undergraduate", _("Undergraduate student")
    RESIDENT = "resident", _("Resident or postgraduate")
    PHD_STUDENT = "phd_student", _("PhD student")
    YOUNG_SCIENTIST = "young_scientist", _("Young scientist")
    ACADEMIC_STAFF = "academic_staff", _("Academic staff")


class ProgramDirection(models.TextChoices):
    OUTGOING = "outgoing", _("Outgoing")
    INCOMING = "incoming", _("Incoming")
    BOTH = "both", _("Both directions")


class Purpose(models.TextChoices):
    TRAINING = "training", _("Training")
    TEACHING = "teaching", _("Teaching")
    RESEARCH = "research", _("Research")
    CLINICAL_PRACTICE = "clinical_practice", _("Clinical practice")
    SUMMER_SCHOOL = "summer_school", _("Summer school")
    CONFERENCE = "conference", _("Conference or congress")
    COMPETITION = "competition", _("Competition or olympiad")


class ProgramKind(models.TextChoices):
    STAFF_TRAINING = "staff_training", _("Staff training or refresher course")
    VISITING_PROFESSOR = "visiting_professor", _("Visiting professor")
    RESEARCH_TRAINING = "research_training", _("Research training")
    SANDWICH_PHD = "sandwich_phd", _("Joint PhD training (sandwich model)")
    SUMMER_PRACTICE = "summer_practice", _("Summer clinical practice")
    SUMMER_SCHOOL = "summer_school", _("Summer school")
    STUDENT_CONFERENCE = "student_conference", _("Student conference")
    COMPETITION = "competition", _("Olympiad or competition")
    CONFERENCE = "conference", _("Conference attendance")
    JOINT_RESEARCH = "joint_research", _("Joint research project")


class MobilityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# The one rule for which mobility records the figures count: not cancelled, not archived. Every
# count uses it (MobilityRecord.objects.counted(), the partner and agreement pages, quotas, places
# taken) and so do the partial indexes those counts read, whose condition must be this very
# expression or PostgreSQL will not use them. It lives here, not on the exchanges model, because
# the partners app counts records too and may not import exchanges.
COUNTED_RECORDS = ~Q(status=MobilityStatus.CANCELLED) & Q(is_archived=False)
