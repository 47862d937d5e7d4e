"""The vocabulary of programs, applications and mobility records: who travels, for what.

What agreements' quotas count by (MobilityType, Direction) is partners' vocabulary, in
partners/choices.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class CallStatus(models.TextChoices):
    """Where a program's call for applications stands on a day (Program.call_status)."""

    OPEN = "open", _("Call open")
    UPCOMING = "upcoming", _("Call not open yet")
    CLOSED = "closed", _("Call closed")
    NONE = "none", _("No call announced")


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
