"""Who goes where: exchange programs, applications to them, and mobility records.

A mobility record is the fact the annual report counts: one person, one stay, one direction.
It exists for everybody who travelled, also for incoming visitors who never had an account;
approving an application creates one.
"""

from exchanges.models.applications import (  # noqa: F401
    Application,
    ApplicationAttachment,
    ApplicationQuerySet,
)
from exchanges.models.programs import (  # noqa: F401
    ALREADY_APPLIED,
    CATEGORY_REFUSAL,
    REPORT_BEFORE_THE_END,
    Program,
    ProgramQuerySet,
)
from exchanges.models.records import (  # noqa: F401
    ARCHIVED_FROM_COUNT,
    COUNTED_RECORDS,
    MobilityRecord,
    MobilityRecordQuerySet,
    MobilityReportAttachment,
)
