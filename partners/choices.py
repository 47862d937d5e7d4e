"""The vocabulary of agreements' quotas: which kind of mobility, which way.

Programs and mobility records use it too (exchanges builds on partners); the rest of their
vocabulary (categories, purposes, program kinds, record statuses) is in exchanges/choices.py.
"""

from django.db import models
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
