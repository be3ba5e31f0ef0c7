"""The underwriter's decision on a family member referred by their health declaration
(004 Чл.10): accepted, on special conditions or declined."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.identity.permissions import can_underwrite_applications
from zdrave.contracts import actions as contracts
from zdrave.contracts.models import ContractMember, IdKind
from zdrave.policy_admin.groups import emails
from zdrave.policy_admin.groups.actions.family import family_packages
from zdrave.policy_admin.groups.actions.people import add_person
from zdrave.policy_admin.groups.models import Annex, ChangeKind, FamilyRequest
from zdrave.policy_admin.sales.actions import check_decision
from zdrave.policy_admin.sales.models import Decision


def decide_family_request(
    request: FamilyRequest,
    *,
    actor,
    decision: str,
    note: str = "",
    excluded_icd10: list[str] | tuple = (),
    excluded_services: list[str] | tuple = (),
    limit: Decimal | None = None,
    loading_percent: Decimal | None = None,
    today: dt.date | None = None,
) -> FamilyRequest:
    """The underwriter's decision on a referred family member, with the sales decision kinds
    (004 Чл.10): accept, accept on special conditions (excluded diagnoses or services, a lower
    limit, a premium loading — stored on the person's cover, applied by the engine to their
    claims) or decline with the reasons. Accepted, the annex adds them (004 Чл.27 т.2) from 00:00
    of the day after the decision or of the date asked if later, the month of Чл.27 т.2 judged
    on the day the holder asked (docs/decisions.md); declined, a letter with the reasons. Either
    way the holder is written to through the outbox. Deciding twice decides once."""
    if not can_underwrite_applications(actor):
        raise ValidationError(_("Only an underwriter decides a referred person."))
    if request.decision != Decision.PENDING:
        raise ValidationError({"decision": _("Decision: this person is already decided.")})
    contract = request.contract
    fields = check_decision(
        contract,
        decision=decision,
        note=note,
        excluded_icd10=excluded_icd10,
        excluded_services=excluded_services,
        limit=limit,
        loading_percent=loading_percent,
    )
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = FamilyRequest.objects.select_for_update().get(pk=request.pk)
        if locked.decision != Decision.PENDING:
            raise ValidationError({"decision": _("Decision: this person is already decided.")})
        locked.decision = decision
        locked.decided_on = today
        locked.decided_by = actor
        locked.decision_note = note.strip()
        locked.excluded_icd10 = fields["excluded_icd10"]
        locked.excluded_services = fields["excluded_services"]
        locked.special_limit = fields["limit"]
        locked.loading_percent = fields["loading_percent"]
        if decision != Decision.DECLINED:
            locked.annex = _annex_for_request(locked, actor=actor, today=today)
        locked.save()
        record(
            actor=actor,
            verb="family_request.decided",
            obj=locked,
            decision=decision,
            annex=locked.annex.number if locked.annex else None,
            excluded_icd10=fields["excluded_icd10"],
            excluded_services=fields["excluded_services"],
            limit=fields["limit"],
            loading_percent=fields["loading_percent"],
        )
        emails.send_family_decision(locked)
    return locked


def _annex_for_request(request: FamilyRequest, *, actor, today: dt.date) -> Annex:
    """004 Чл.27 т.2: the annex, notified on the day the holder asked."""
    contract = request.contract
    effective = max(request.effective, today + dt.timedelta(days=1))
    row = {**request.person, **family_packages(contract)}
    annex = add_person(
        contract,
        row,
        actor=actor,
        effective=effective,
        key=f"family-request-{request.pk}",
        notified_on=request.notified_on,
    )
    member = ContractMember.objects.get(
        contract=contract, person__id_kind=IdKind.EGN, person__id_number=request.person["egn"]
    )
    if request.decision == Decision.SPECIAL:
        contracts.set_special_conditions(
            member,
            agreed_on=today,
            by=actor,
            excluded_icd10=request.excluded_icd10,
            excluded_services=request.excluded_services,
            limit=request.special_limit,
            loading_percent=request.loading_percent,
            note=request.decision_note,
        )
        if request.loading_percent:
            _load_annex_premium(annex, request.loading_percent)
    return annex


def _load_annex_premium(annex: Annex, percent: Decimal) -> None:
    """004 Чл.10: a loading agreed for the person raises the premium their annex adds."""
    line = annex.lines.get(change=ChangeKind.ADDED)
    extra = (line.premium * percent / Decimal(100)).quantize(Decimal("0.01"))
    if not extra:
        return
    line.premium += extra
    line.save(update_fields=["premium"])
    annex.premium_difference += extra
    annex.save(update_fields=["premium_difference"])
    if annex.instalment is not None:
        annex.instalment.amount += extra
        annex.instalment.save(update_fields=["amount"])
