"""Who a request is about: ``Claim.patient`` / ``CoverageEligibilityRequest.patient`` as a
reference to a Patient the institution already sees, or as an identifier (ЕГН, card number), and
the Coverage it names."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from zdrave.claims.catalogue import HEALTH
from zdrave.contracts.models import ContractMember, IdKind, InsuredPerson
from zdrave.interfaces.fhir import access, codes
from zdrave.interfaces.fhir.outcome import FhirError
from zdrave.providers.network.fetch import person_by_card, person_by_egn
from zdrave.providers.network.models import Institution


@dataclass(frozen=True)
class Who:
    person: InsuredPerson | None
    egn: str = ""
    card: str = ""


def who(reference, institution: Institution) -> Who:
    """The person of a Reference: ``{"reference": "Patient/12"}`` (a patient of this
    institution) or ``{"identifier": {"system": "urn:zdrave:sid:egn" | "urn:zdrave:sid:card",
    "value": …}}``."""
    if reference is None:
        raise FhirError(422, "required", _("patient: name the patient."), "patient")
    if reference.reference:
        kind, _sep, pk = reference.reference.partition("/")
        if kind != "Patient":
            raise FhirError(
                422, "invalid", _("patient: the reference must be Patient/<id>."), "patient"
            )
        person = access.one(access.patients(institution), "Patient", pk)
        if person.id_kind != IdKind.EGN:
            return Who(person)
        return Who(person, egn=person.id_number)
    identifier = reference.identifier
    if identifier is None or not identifier.value:
        raise FhirError(
            422,
            "required",
            _("patient: give a reference (Patient/<id>) or an identifier (ЕГН or card number)."),
            "patient",
        )
    if identifier.system == codes.EGN:
        return Who(person_by_egn(identifier.value.strip()), egn=identifier.value.strip())
    if identifier.system == codes.CARD:
        return Who(person_by_card(identifier.value), card=identifier.value.strip())
    raise FhirError(
        422,
        "code-invalid",
        _("patient.identifier.system: use %(egn)s (ЕГН) or %(card)s (card number).")
        % {"egn": codes.EGN, "card": codes.CARD},
        "patient.identifier.system",
    )


def named_coverage(insurance, person: InsuredPerson | None) -> ContractMember | None:
    """The Coverage named in ``insurance`` (a list of R4 insurance elements), which must be a
    health membership of ``person``; None when none is named. 422 for an unknown coverage."""
    for item in insurance or ():
        coverage = getattr(item, "coverage", None)
        if coverage is None or not coverage.reference:
            continue
        kind, _sep, pk = coverage.reference.partition("/")
        found = None
        if kind == "Coverage" and pk.isdigit() and person is not None:
            found = (
                ContractMember.objects.filter(
                    pk=int(pk), person=person, contract__product_code=HEALTH
                )
                .select_related("contract")
                .first()
            )
        if found is None:
            raise FhirError(
                422,
                "not-found",
                _("insurance.coverage: %(ref)s is not a coverage of this patient.")
                % {"ref": coverage.reference},
                "insurance.coverage",
            )
        return found
    return None


def service_of(concept, where: str) -> str:
    """The service row code of a CodeableConcept (``urn:zdrave:cs:service``, 002's rows)."""
    for coding in getattr(concept, "coding", None) or ():
        if coding.system == codes.SERVICE and coding.code:
            return coding.code
    raise FhirError(
        422,
        "required",
        _("%(where)s: give a coding of %(system)s with the service row (e.g. 2.8.e).")
        % {"where": where, "system": codes.SERVICE},
        where,
    )
