"""CoverageEligibilityRequest → CoverageEligibilityResponse: the front desk's question asked by
a hospital system. The answer is the front desk's (``providers.network.actions.
check_eligibility``: the engine on the person's real contract at the agreed price, logged as one
``EligibilityCheck``), whose id is the id of both the request and the response."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.interfaces.fhir import codes
from zdrave.interfaces.fhir.emit import money
from zdrave.interfaces.fhir.outcome import FhirError
from zdrave.interfaces.fhir.patients import named_coverage, service_of, who
from zdrave.interfaces.fhir.resources import ref
from zdrave.providers.network import actions
from zdrave.providers.network.fetch import health_membership
from zdrave.providers.network.front_desk import Answer
from zdrave.providers.network.models import EligibilityCheck, Verdict

COVERED = {Verdict.COVERED, Verdict.COPAYMENT, Verdict.PREAUTHORISATION}


def ask(request_model, *, actor, institution, ip_address: str = "", path: str = ""):
    """Answer one CoverageEligibilityRequest (a validated fhirclient model); returns the
    CoverageEligibilityResponse. One service per request (``item[0]``)."""
    items = request_model.item or []
    if len(items) != 1:
        raise FhirError(
            422,
            "business-rule",
            _("item: ask about exactly one service per request (%(count)s given).")
            % {"count": len(items)},
            "item",
        )
    service = service_of(items[0].productOrService, "item[0].productOrService")
    day = _day(request_model)
    person = who(request_model.patient, institution)
    coverage = named_coverage(request_model.insurance, person.person)
    with transaction.atomic():
        try:
            answer = actions.check_eligibility(
                actor=actor,
                institution=institution,
                service=service,
                day=day,
                egn=person.egn,
                card=person.card,
                via_api=True,
                ip_address=ip_address,
                path=path,
            )
        except ValidationError as exc:
            raise FhirError(422, "invalid", " ".join(exc.messages), _where(exc)) from None
        check = EligibilityCheck.objects.filter(asked_by=actor).latest("id")
    if answer.person is None:
        raise FhirError(
            404, "not-found", _("patient: no insured person with this identifier."), "patient"
        )
    member = health_membership(day, person=answer.person)
    if coverage is not None and (member is None or member.pk != coverage.pk):
        raise FhirError(
            422,
            "business-rule",
            _("insurance.coverage: %(ref)s does not cover this patient on %(day)s.")
            % {"ref": f"Coverage/{coverage.pk}", "day": day.isoformat()},
            "insurance.coverage",
        )
    return response(check, member, answer)


def _day(request_model) -> dt.date:
    served = request_model.servicedDate
    if served is not None and served.date is not None:
        return served.date if isinstance(served.date, dt.date) else timezone.localdate()
    return timezone.localdate()


def _where(exc: ValidationError) -> str:
    fields = getattr(exc, "error_dict", {})
    if "egn" in fields:
        return "patient.identifier.value"
    if "service" in fields:
        return "item[0].productOrService"
    return ""


def response(check: EligibilityCheck, member, answer: Answer | None = None) -> dict:
    """The CoverageEligibilityResponse of ``check``; with the ``answer`` just given it also
    lists the remaining limits (a stored check keeps the amounts and reasons only)."""
    verdict = Verdict(check.verdict)
    reasons = (
        [(r.code, f"{r.text} ({r.clause})") for r in answer.reasons]
        if answer is not None
        else [(r["code"], r["clause"]) for r in check.reasons]
    )
    found = {
        "resourceType": "CoverageEligibilityResponse",
        "id": str(check.pk),
        "status": "active",
        "purpose": ["benefits"],
        "patient": ref("Patient", check.person_id),
        "servicedDate": check.day.isoformat(),
        "created": check.at.isoformat(),
        "requestor": ref("Organization", check.institution_id),
        "request": ref("CoverageEligibilityRequest", check.pk),
        "outcome": "complete",
        "disposition": str(verdict.label),
        "insurer": ref("Organization", codes.INSURER_ID),
    }
    if member is None:
        return found
    item: dict = {
        "category": {"coding": [{"system": codes.VERDICT, "code": check.verdict}]},
        "productOrService": {"coding": [{"system": codes.SERVICE, "code": check.service}]},
        "excluded": verdict not in COVERED,
        "network": {"coding": [{"code": "in"}], "text": "in network"},
        "authorizationRequired": verdict == Verdict.PREAUTHORISATION,
        "benefit": [
            {
                "type": {"coding": [{"system": codes.BENEFIT_TYPE, "code": "benefit"}]},
                "allowedMoney": money(check.insurer_pays),
            },
            {
                "type": {"coding": [{"system": codes.BENEFIT_TYPE, "code": "copay"}]},
                "allowedMoney": money(check.member_pays),
            },
        ],
    }
    if answer is not None:
        item["name"] = answer.service_name
        for limit in answer.limits:
            benefit: dict = {
                "type": {
                    "coding": [{"system": codes.BENEFIT_TYPE, "code": "benefit"}],
                    "text": f"{limit.label} ({limit.clause})",
                }
            }
            if limit.money:
                benefit["allowedMoney"] = money(limit.limit)
                benefit["usedMoney"] = money(limit.used)
            else:
                benefit["allowedUnsignedInt"] = int(limit.limit)
                benefit["usedUnsignedInt"] = int(limit.used)
            item["benefit"].append(benefit)
        if answer.waiting_until:
            item["description"] = _("Waiting period until %(day)s.") % {
                "day": answer.waiting_until.isoformat()
            }
    if reasons:
        text = "; ".join(f"{code}: {why}" for code, why in reasons)
        item["description"] = f"{item.get('description', '')} {text}".strip()
    contract = member.contract
    found["insurance"] = [
        {
            "coverage": ref("Coverage", member.pk),
            "inforce": verdict in COVERED,
            "benefitPeriod": {"start": contract.start.isoformat(), "end": contract.end.isoformat()},
            "item": [item],
        }
    ]
    return found


def request(check: EligibilityCheck) -> dict:
    """The CoverageEligibilityRequest as the check recorded it."""
    return {
        "resourceType": "CoverageEligibilityRequest",
        "id": str(check.pk),
        "status": "active",
        "purpose": ["benefits"],
        "patient": ref("Patient", check.person_id),
        "servicedDate": check.day.isoformat(),
        "created": check.at.isoformat(),
        "provider": ref("Organization", check.institution_id),
        "insurer": ref("Organization", codes.INSURER_ID),
        "item": [
            {"productOrService": {"coding": [{"system": codes.SERVICE, "code": check.service}]}}
        ],
    }
