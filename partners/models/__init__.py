"""Who the university cooperates with, and on what terms.

Partner institutions and their contact persons, our own departments and their coordinators,
cooperation agreements with their yearly quotas and documents. Mobility itself (programs,
applications, records) lives in the `exchanges` app, which builds on this one: it counts the
records against these quotas and serves the pages that show those figures. Nothing here knows it.
"""

from partners.models.agreements import (  # noqa: F401
    Agreement,
    AgreementDocument,
    AgreementQuerySet,
    AgreementQuota,
    ArchivableQuerySet,
    ExpiryReminder,
)
from partners.models.institutions import (  # noqa: F401
    Contact,
    Department,
    DepartmentQuerySet,
    EQFLevel,
    Partner,
    PartnerQuerySet,
    SubjectArea,
)
