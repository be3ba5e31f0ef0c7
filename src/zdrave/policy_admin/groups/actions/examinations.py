"""Preventive examinations of a group (004 Чл.30 т.3): the holder's request, the insurer's
schedule."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.contracts.models import Contract
from zdrave.engine.contract_changes import examination_request_deadline
from zdrave.policy_admin.groups import census as census_rules
from zdrave.policy_admin.groups.models import ExaminationRequest, ExaminationSlot, ExaminationStatus


def request_examinations(
    contract: Contract,
    *,
    actor,
    period_from: dt.date,
    period_to: dt.date,
    places: str,
    key: str,
    today: dt.date | None = None,
) -> ExaminationRequest:
    """The holder's request for preventive examinations in a period (004 Чл.30 т.3): sent no
    later than 6 months before the cover ends, for a period within the contract."""
    today = today or timezone.localdate()
    found = ExaminationRequest.objects.filter(key=key).first()
    if found is not None:
        return found
    deadline = examination_request_deadline(contract.end)
    if today > deadline:
        raise ValidationError(
            {
                "__all__": _(
                    "Request: preventive examinations are asked for no later than 6 months "
                    "before the cover ends, here by %(date)s (004 Чл.30 т.3)."
                )
                % {"date": deadline.strftime("%d.%m.%Y")}
            }
        )
    if period_to < period_from:
        raise ValidationError({"period_to": _("Wanted until: the date is before the start.")})
    if period_from <= today or not contract.start <= period_from <= period_to <= contract.end:
        raise ValidationError(
            {
                "period_from": _(
                    "Wanted from: the period must be after today and within the contract "
                    "(%(start)s – %(end)s)."
                )
                % {
                    "start": contract.start.strftime("%d.%m.%Y"),
                    "end": contract.end.strftime("%d.%m.%Y"),
                }
            }
        )
    with transaction.atomic():
        request = ExaminationRequest.objects.create(
            contract=contract,
            period_from=period_from,
            period_to=period_to,
            places=places.strip(),
            key=key,
            requested_by=actor if actor is not None and actor.is_authenticated else None,
            requested_on=today,
        )
        record(
            actor=actor,
            verb="examinations.requested",
            obj=request,
            contract=contract.number,
            period_from=period_from,
            period_to=period_to,
        )
    return request


def schedule_examinations(
    request: ExaminationRequest,
    *,
    actor,
    provider: str,
    days: list[dt.date],
    reserve: dt.date,
) -> ExaminationRequest:
    """The insurer's schedule (004 Чл.30 т.3): the provider, the main dates (the people in force
    spread over them in turn) and a reserve date for everyone who misses theirs. Scheduling
    again replaces the dates."""
    if not provider.strip():
        raise ValidationError({"provider": _("Provider: name the medical provider.")})
    days = sorted(set(days))
    if not days:
        raise ValidationError({"days": _("Dates: give at least one date.")})
    for day in [*days, reserve]:
        if not request.period_from <= day <= request.period_to:
            raise ValidationError(
                {
                    "days": _(
                        "Dates: every date falls in the period asked for (%(start)s – %(end)s)."
                    )
                    % {
                        "start": request.period_from.strftime("%d.%m.%Y"),
                        "end": request.period_to.strftime("%d.%m.%Y"),
                    }
                }
            )
    if reserve in days:
        raise ValidationError(
            {"reserve": _("Reserve date: choose a day other than the main dates.")}
        )
    with transaction.atomic():
        locked = ExaminationRequest.objects.select_for_update().get(pk=request.pk)
        members = list(
            census_rules.members_in_force(locked.contract, days[-1])
            .order_by("id")
            .values_list("pk", flat=True)
        )
        locked.slots.all().delete()
        ExaminationSlot.objects.bulk_create(
            [
                ExaminationSlot(request=locked, member_id=m, day=days[i % len(days)])
                for i, m in enumerate(members)
            ]
            + [
                ExaminationSlot(request=locked, member_id=m, day=reserve, reserve=True)
                for m in members
            ]
        )
        locked.provider = provider.strip()
        locked.status = ExaminationStatus.SCHEDULED
        locked.save(update_fields=["provider", "status"])
        record(
            actor=actor,
            verb="examinations.scheduled",
            obj=locked,
            provider=locked.provider,
            days=days,
            reserve=reserve,
            people=len(members),
        )
    return locked
