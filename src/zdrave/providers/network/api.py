"""``/api/v1/eligibility/``: the front desk's question for a hospital system, with the provider
user's API key (``Authorization: Bearer zdp_…``; the keys are made on the front-desk page).

``GET /api/v1/eligibility/?egn=…&service=2.8.e[&date=YYYY-MM-DD]`` or ``?card=…`` (the number
of the insurer's legitimation card, ``fetch.register_card_resolver``) answers as the page does,
and is logged the same way (``actions.check_eligibility``, ``via_api``). The key's user acts for
their own institution only (``can_act_for_institution``); a revoked key, or one whose user is
no longer a provider linked to an institution, is refused with 401.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.responses import Status
from ninja.security import HttpBearer
from pydantic import Field

from zdrave.base.identity.permissions import can_act_for_institution
from zdrave.providers.network import actions
from zdrave.providers.network.fetch import key_holder
from zdrave.providers.network.models import token_digest


class ProviderKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        # One query (compiled once on PostgreSQL): the key, its user and institution.
        found = key_holder(token_digest(token))
        if found is None:
            return None
        link = getattr(found.user, "provider_link", None)
        institution = link.institution if link is not None else None
        if not can_act_for_institution(found.user, institution):
            return None
        request.user = found.user
        request.institution = institution
        return found.user


router = Router(tags=["eligibility"], auth=ProviderKey())


class Question(Schema):
    egn: str = Field("", max_length=10)
    card: str = Field("", max_length=40)
    service: str = Field(max_length=32)
    date: dt.date | None = None


class LimitOut(Schema):
    label: str
    money: bool
    limit: Decimal
    used: Decimal
    left: Decimal
    clause: str


class ReasonOut(Schema):
    code: str
    text: str
    clause: str


class AnswerOut(Schema):
    verdict: str
    verdict_text: str
    service: str
    service_name: str
    date: dt.date
    insured: str | None
    contract: str
    agreed_price: Decimal | None
    insurer_pays: Decimal
    member_pays: Decimal
    waiting_until: dt.date | None
    limits: list[LimitOut]
    reasons: list[ReasonOut]


class Problem(Schema):
    errors: dict[str, list[str]]


@router.get("/", response={200: AnswerOut, 422: Problem})
def eligibility(request: HttpRequest, question: Query[Question]):
    try:
        answer = actions.check_eligibility(
            actor=request.user,
            institution=request.institution,
            service=question.service,
            day=question.date or timezone.localdate(),
            egn=question.egn,
            card=question.card,
            via_api=True,
            ip_address=request.META.get("REMOTE_ADDR", ""),
            path=request.path,
        )
    except ValidationError as exc:
        return Status(
            422,
            {
                "errors": exc.message_dict
                if hasattr(exc, "error_dict")
                else {"__all__": exc.messages}
            },
        )
    return answer_body(answer)


def answer_body(answer) -> dict:
    """The answer as ``AnswerOut`` writes it (also the lean path's body, ``network.lean``)."""
    return {
        "verdict": answer.verdict,
        "verdict_text": answer.verdict_label,
        "service": answer.service,
        "service_name": answer.service_name,
        "date": answer.day,
        "insured": answer.person.full_name if answer.person else None,
        "contract": answer.contract_number,
        "agreed_price": answer.price,
        "insurer_pays": answer.insurer_pays,
        "member_pays": answer.member_pays,
        "waiting_until": answer.waiting_until,
        "limits": [
            {
                "label": x.label,
                "money": x.money,
                "limit": x.limit,
                "used": x.used,
                "left": x.left,
                "clause": x.clause,
            }
            for x in answer.limits
        ],  # fmt: skip
        "reasons": [{"code": r.code, "text": r.text, "clause": r.clause} for r in answer.reasons],
    }


class KeyOut(Schema):
    institution: str
    user: str


@router.get("/key", response=KeyOut)
def key(request: HttpRequest):
    """Whether the key works, and for which institution: what a hospital system checks when it
    is set up (and the benchmark's baseline: the same authentication, no eligibility work)."""
    return {"institution": request.institution.name, "user": request.user.username}
