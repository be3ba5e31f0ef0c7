"""The platform's rows as R4 resources (plain dicts; ``emit.validated`` checks each)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import get_language

from zdrave.contracts.models import ContractMember, ContractStatus, IdKind, InsuredPerson
from zdrave.engine.money import to_eur
from zdrave.engine.terms import ProductVersion
from zdrave.interfaces.fhir import codes
from zdrave.interfaces.fhir.emit import money
from zdrave.products import terms as product_terms
from zdrave.providers.network.models import Doctor, Institution, Specialty

ID_SYSTEM = {IdKind.EGN: codes.EGN, IdKind.LNCH: codes.LNCH, IdKind.PASSPORT: codes.PASSPORT}
RELATIONSHIP = {"holder": "self", "spouse": "spouse", "cohabitant": "common", "child": "child"}


def ref(resource_type: str, pk, display: str = "") -> dict:
    found = {"reference": f"{resource_type}/{pk}"}
    if display:
        found["display"] = display
    return found


def text(value) -> str:
    """A bilingual product text in the request's language."""
    lang = (get_language() or "bg")[:2]
    return value.get(lang) if hasattr(value, "get") else str(value)


def patient(person: InsuredPerson) -> dict:
    given = [n for n in (person.first_name, person.middle_name) if n]
    return {
        "resourceType": "Patient",
        "id": str(person.pk),
        "identifier": [{"system": ID_SYSTEM[person.id_kind], "value": person.id_number}],
        "active": True,
        "name": [
            {
                "use": "official",
                "text": person.full_name,
                "family": person.last_name,
                "given": given,
            }
        ],
        "gender": person.sex if person.sex in ("male", "female") else "unknown",
        "birthDate": person.birth_date.isoformat(),
    }


def insurer(version: ProductVersion | None = None) -> dict:
    """The insurer that issues the health product (004: „Животозастрахователен институт“ АД)."""
    if version is None:
        version = _health_version()
    return {
        "resourceType": "Organization",
        "id": codes.INSURER_ID,
        "active": True,
        "type": [{"coding": [{"system": codes.ORGANIZATION_TYPE, "code": "ins"}]}],
        "name": text(version.insurer.name),
    }


def organization(institution: Institution) -> dict:
    telecom = [{"system": "phone", "value": institution.phone}]
    if institution.email:
        telecom.append({"system": "email", "value": institution.email})
    return {
        "resourceType": "Organization",
        "id": str(institution.pk),
        "identifier": [{"system": codes.EIK, "value": institution.eik}],
        "active": institution.in_network_on(timezone.localdate()),
        "type": [{"coding": [{"system": codes.ORGANIZATION_TYPE, "code": "prov"}]}],
        "name": institution.name,
        "telecom": telecom,
        "address": [{"text": institution.address, "city": institution.city, "country": "BG"}],
    }


def practitioner(doctor: Doctor) -> dict:
    return {
        "resourceType": "Practitioner",
        "id": str(doctor.pk),
        "active": True,
        "name": [{"text": doctor.name}],
        "qualification": [
            {
                "code": {
                    "coding": [
                        {
                            "system": codes.SPECIALTY,
                            "code": doctor.specialty,
                            "display": str(Specialty(doctor.specialty).label),
                        }
                    ]
                }
            }
        ],
    }


# -- product terms → InsurancePlan -----------------------------------------------------------


def plan_id(product: str, version: dt.date) -> str:
    return f"{product}-{version.isoformat()}"


def plan_versions() -> list[tuple[str, dt.date]]:
    return [(p, v) for p in product_terms.product_codes() for v in product_terms.version_dates(p)]


def plan_version(pk: str) -> ProductVersion | None:
    for code, date in plan_versions():
        if plan_id(code, date) == pk:
            return product_terms.terms(code, date)
    return None


def insurance_plan(version: ProductVersion) -> dict:
    """One version of a product file: its packages as coverages (each service row a benefit,
    with its count limit), its options as plans (each package's yearly limit for the
    subscription form, 002's tables, in euro)."""
    today = timezone.localdate()
    period = {"start": version.effective_from.isoformat()}
    if version.effective_to:
        period["end"] = version.effective_to.isoformat()
    found = {
        "resourceType": "InsurancePlan",
        "id": plan_id(version.product, version.effective_from),
        "status": "active" if version.in_force_on(today) else "retired",
        "name": text(version.name),
        "period": period,
        "ownedBy": ref("Organization", codes.INSURER_ID, text(version.insurer.name)),
    }
    packages = list(getattr(version, "packages", None) or ())
    if packages:
        found["coverage"] = [_coverage_of(p) for p in packages]
        plans = _plans_of(packages)
        if plans:
            found["plan"] = plans
    return found


def _coverage_of(package) -> dict:
    benefits = []
    for service in package.services:
        if service.heading:
            continue
        benefit: dict = {
            "type": {
                "coding": [
                    {"system": codes.SERVICE, "code": service.code, "display": text(service.name)}
                ],
                "text": f"{text(service.name)} ({service.clause})",
            }
        }
        if service.count_limit is not None:
            benefit["limit"] = [
                {
                    "value": {"value": float(service.count_limit.value), "unit": "/a"},
                    "code": {"text": service.count_limit.clause},
                }
            ]
        benefits.append(benefit)
    return {
        "type": {
            "coding": [
                {
                    "system": codes.PACKAGE,
                    "code": str(package.number),
                    "display": text(package.name),
                }
            ],
            "text": f"{text(package.name)} ({package.clause})",
        },
        "benefit": benefits or [{"type": {"text": f"{text(package.name)} ({package.clause})"}}],
    }


def _plans_of(packages) -> list[dict]:
    by_option: dict[str, list[dict]] = {}
    for package in packages:
        for option, limits in (getattr(package, "yearly_limits", None) or {}).items():
            if limits.subscription is None:
                continue
            by_option.setdefault(option.value, []).append(
                {
                    "type": {
                        "coding": [{"system": codes.PACKAGE, "code": str(package.number)}],
                        "text": text(package.name),
                    },
                    "cost": money(to_eur(limits.subscription, limits.currency)),
                    "comment": f"yearly limit, subscription form ({package.yearly_limits_clause})",
                }
            )
    return [
        {"type": {"coding": [{"system": codes.OPTION, "code": option}]}, "generalCost": costs}
        for option, costs in by_option.items()
    ]


def _health_version() -> ProductVersion:
    dates = product_terms.version_dates("health")
    return product_terms.terms("health", dates[-1])


# -- Coverage -----------------------------------------------------------------------------------


def coverage(member: ContractMember) -> dict:
    contract = member.contract
    today = timezone.localdate()
    until = min(d for d in (contract.end, member.covered_until) if d is not None)
    active = (
        contract.status in (ContractStatus.IN_FORCE,)
        and contract.start <= today <= until
        and member.covered_from <= today
    )
    return {
        "resourceType": "Coverage",
        "id": str(member.pk),
        "identifier": [{"system": codes.CONTRACT, "value": contract.number}],
        "status": "active" if active else "cancelled",
        "subscriberId": contract.number,
        "beneficiary": ref("Patient", member.person_id, member.person.full_name),
        "relationship": {
            "coding": [
                {
                    "system": codes.SUBSCRIBER_RELATIONSHIP,
                    "code": RELATIONSHIP.get(member.role, "other"),
                }
            ]
        },
        "period": {
            "start": max(contract.start, member.covered_from).isoformat(),
            "end": until.isoformat(),
        },
        "payor": [ref("Organization", codes.INSURER_ID)],
        "class": [
            {
                "type": {"coding": [{"system": codes.COVERAGE_CLASS, "code": "plan"}]},
                "value": plan_id(contract.product_code, contract.product_version),
                "name": contract.product_code,
            }
        ],
    }


# -- CapabilityStatement and Bundle ---------------------------------------------------------------

READ = ("read", "search-type")
RESOURCES = {
    "Patient": READ,
    "Organization": READ,
    "Practitioner": READ,
    "InsurancePlan": READ,
    "Coverage": READ,
    "CoverageEligibilityRequest": ("read", "search-type", "create"),
    "CoverageEligibilityResponse": READ,
    "Claim": ("read", "search-type", "create"),
    "ClaimResponse": READ,
    "ExplanationOfBenefit": READ,
}


def capability_statement(base_url: str) -> dict:
    return {
        "resourceType": "CapabilityStatement",
        "id": "zdrave",
        "status": "active",
        "date": "2026-12-01",
        "publisher": "Zdrave",
        "kind": "instance",
        "software": {"name": "Zdrave"},
        "implementation": {"description": "Zdrave FHIR R4 API", "url": base_url},
        "fhirVersion": codes.FHIR_VERSION,
        "format": ["json", codes.CONTENT_TYPE],
        "rest": [
            {
                "mode": "server",
                "documentation": "Authorization: Bearer <the institution's API key (zdp_…)>; "
                "each key reads only its own institution's patients.",
                "security": {
                    # No code of restful-security-service names a plain bearer key.
                    "description": "Authorization: Bearer <API key made on the front-desk page>",
                    "service": [{"text": "Bearer API key (zdp_…)"}],
                },
                "resource": [
                    {"type": kind, "interaction": [{"code": c} for c in interactions]}
                    for kind, interactions in RESOURCES.items()
                ],
            }
        ],
    }


def bundle(resources: list[dict], base_url: str) -> dict:
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "entry": [
            {
                "fullUrl": f"{base_url}{r['resourceType']}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }
