"""Which rows an institution's key may read. A patient is the institution's when it asked about
them at its front desk (an ``EligibilityCheck``) or sent a claim for them (a ``ClaimExchange``);
their coverage with it. Network facts (institutions, doctors, product terms) are public (004
Чл.24 т.4: the list of contracted institutions is published) and readable by any key.

Anything else is "not found" (404), as ``fetch.access_*`` does on the pages: a key does not
learn which ids exist at another institution."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from zdrave.claims.catalogue import HEALTH
from zdrave.contracts.models import ContractMember, InsuredPerson
from zdrave.interfaces.fhir.models import ClaimExchange
from zdrave.interfaces.fhir.outcome import FhirError
from zdrave.providers.network.models import EligibilityCheck, Institution
from zdrave.providers.preauth.models import PreauthRequest
from zdrave.providers.settlement.models import ProviderClaim

# Requests sent on the web pages count too: (model, its institution, its person).
PATIENT_SOURCES = (
    (PreauthRequest, "institution", "member__person_id"),
    (ProviderClaim, "institution", "eligibility_check__person_id"),
)


def _is_patient(institution: Institution) -> Q:
    """One condition on InsuredPerson rows: any of the sources names them at ``institution``
    (EXISTS subqueries, so a read is one query however many patients the institution has)."""
    condition = Q(
        Exists(EligibilityCheck.objects.filter(institution=institution, person_id=OuterRef("pk")))
    ) | Q(Exists(ClaimExchange.objects.filter(institution=institution, person_id=OuterRef("pk"))))
    for model, institution_field, person_field in PATIENT_SOURCES:
        condition |= Q(
            Exists(
                model.objects.filter(
                    **{institution_field: institution, person_field: OuterRef("pk")}
                )
            )
        )
    return condition


def patients(institution: Institution) -> QuerySet[InsuredPerson]:
    return InsuredPerson.objects.filter(_is_patient(institution)).order_by("pk")


def coverages(institution: Institution) -> QuerySet[ContractMember]:
    return (
        ContractMember.objects.filter(
            person__in=patients(institution), contract__product_code=HEALTH
        )
        .select_related("contract", "person")
        .order_by("pk")
    )


def exchanges(institution: Institution) -> QuerySet[ClaimExchange]:
    return ClaimExchange.objects.filter(institution=institution).select_related(
        "person", "member__contract"
    )


def checks(institution: Institution) -> QuerySet[EligibilityCheck]:
    return EligibilityCheck.objects.filter(
        institution=institution, person__isnull=False
    ).select_related("person")


def one(rows: QuerySet, resource_type: str, pk: str):
    """Row ``pk`` of ``rows`` or a 404 OperationOutcome naming ``resource_type/pk``."""
    found = rows.filter(pk=int(pk)).first() if pk.isdigit() else None
    if found is None:
        raise FhirError(
            404,
            "not-found",
            _("%(type)s/%(id)s: no such resource for this institution.")
            % {"type": resource_type, "id": pk},
        )
    return found
