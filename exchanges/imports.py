"""Every kind of data the office imports and exports, by the name the commands take.

In exchanges, the highest app whose data is imported: it sees partners and people below it.
"""

from exchanges.resources import MobilityRecordResource
from partners.resources import (
    AgreementQuotaResource,
    AgreementResource,
    DepartmentResource,
    PartnerResource,
)
from people.resources import PersonResource

RESOURCES = {
    "partners": PartnerResource,
    "agreements": AgreementResource,
    "quotas": AgreementQuotaResource,
    "departments": DepartmentResource,
    "people": PersonResource,
    "records": MobilityRecordResource,
}
