"""Who a person is: the vocabulary of profiles, which programs and the annual report count by."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Who a participant is: programs are open to some of these; the annual report counts them."""

    UNDERGRADUATE = "undergraduate", _("Undergraduate student")
    RESIDENT = "resident", _("Resident or postgraduate")
    PHD_STUDENT = "phd_student", _("PhD student")
    YOUNG_SCIENTIST = "young_scientist", _("Young scientist")
    ACADEMIC_STAFF = "academic_staff", _("Academic staff")
    OTHER_STAFF = "other_staff", _("Other staff")


# Categories that grant rights a student does not have: the office confirms them before they count.
CONFIRMED_BY_OFFICE = frozenset(
    {Category.ACADEMIC_STAFF, Category.OTHER_STAFF, Category.YOUNG_SCIENTIST}
)
# Categories that study: a program needs their faculty and year of study.
STUDYING = frozenset({Category.UNDERGRADUATE, Category.RESIDENT, Category.PHD_STUDENT})
