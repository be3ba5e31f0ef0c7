"""Every write of group administration: annexes (004 Чл.27 т.2, Чл.24 т.4), the employer's
census (preview, then apply as one annex), preventive examinations (004 Чл.30 т.3).

Each action checks first (a translated ``ValidationError`` naming the field and the rule), then
writes in one transaction with audit rows, so a refused request leaves nothing behind. An annex
or a census is applied whole or not at all; the same submission twice makes one annex (its
``key``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.bg import egn as stdnum_egn

from zdrave.base.audit.models import AuditEvent, record
from zdrave.base.identity.permissions import can_underwrite_applications
from zdrave.contracts import actions as contracts
from zdrave.contracts.actions import GROUP_MINIMUM, add_premium_instalment
from zdrave.contracts.models import (
    Contract,
    ContractMember,
    ContractStatus,
    ContractType,
    Cover,
    IdKind,
    InsuredPerson,
    MemberRole,
    Sex,
)
from zdrave.contracts.validation import check_special_conditions
from zdrave.engine.contract_changes import (
    Change,
    DateRefusal,
    check_effective,
    covered_until,
    examination_request_deadline,
    premium_difference,
)
from zdrave.policy_admin.groups import census as census_rules
from zdrave.policy_admin.groups import emails
from zdrave.policy_admin.groups.bulk import aware_now_for_db, insert_rows, pks_by
from zdrave.policy_admin.groups.models import (
    Annex,
    AnnexLine,
    CensusStatus,
    CensusUpload,
    ChangeKind,
    ExaminationRequest,
    ExaminationSlot,
    ExaminationStatus,
    FamilyRequest,
)
from zdrave.policy_admin.sales.models import Decision
from zdrave.products import terms

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Changes:
    """What an annex does: census-style rows to add and change, members to remove."""

    added: list[dict]
    removed: list[dict]  # {"member": pk, "egn", names...}
    changed: list[dict]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


# -- dates and money ----------------------------------------------------------------------------


def check_dates(contract: Contract, changes: Changes, *, notified_on: dt.date, effective: dt.date):
    """004 Чл.27 т.2 and Чл.24 т.4 for each kind of change present; refused on ``effective``."""
    kinds = []
    if changes.added:
        kinds.append(Change.ADD)
    if changes.removed or changes.changed:
        kinds.append(Change.REMOVE)
    for kind in kinds:
        found = check_effective(
            kind,
            notice=notified_on,
            effective=effective,
            start=contract.start,
            end=contract.end,
            family=contract.type == ContractType.FAMILY,
        )
        if not found.ok:
            raise ValidationError({"effective": _date_message(found, contract)})


def _date_message(found, contract: Contract) -> str:
    earliest = found.earliest.strftime("%d.%m.%Y") if found.earliest else ""
    if found.refusal is DateRefusal.BEFORE_NOTICE:
        return _(
            "In force from: a person joins from 00:00 of the day after the notice at the "
            "earliest, %(date)s (004 Чл.24 т.4, Чл.27 т.2)."
        ) % {"date": earliest}
    if found.refusal is DateRefusal.NOTICE_TOO_LATE:
        return _(
            "In force from: a change is notified within 7 days, so it can take effect from "
            "%(date)s at the earliest (004 Чл.24 т.4)."
        ) % {"date": earliest}
    if found.refusal is DateRefusal.FAMILY_TOO_LATE:
        return _(
            "In force from: family members join no later than one month after the contract "
            "is concluded (004 Чл.27 т.2)."
        )
    return _("In force from: the date must fall within the contract (%(start)s – %(end)s).") % {
        "start": contract.start.strftime("%d.%m.%Y"),
        "end": contract.end.strftime("%d.%m.%Y"),
    }


def annual_premium_per_person(contract: Contract) -> Decimal:
    """The year's premium of one person of ``contract``: its scheduled premium over the people
    insured from its start (the tariff by package is the sales app's; docs/decisions.md)."""
    total = contract.instalments.filter(annex__isnull=True).aggregate(total=Sum("amount"))
    at_start = contract.members.filter(covered_from=contract.start).count()
    if not total["total"] or not at_start:
        return ZERO
    return (total["total"] / at_start).quantize(Decimal("0.01"))


# -- the annex ----------------------------------------------------------------------------------


def make_annex(
    contract: Contract,
    changes: Changes,
    *,
    actor,
    notified_on: dt.date,
    effective: dt.date,
    key: str,
) -> Annex:
    """The annex that adds, removes and changes the people in ``changes`` from 00:00 of
    ``effective`` (004 Чл.27 т.2), with the pro-rata premium for the rest of the year: an extra
    instalment for what is owed, a credit on the annex for what is returned. All or nothing;
    ``key`` makes a second submission return the first annex."""
    if not changes:
        raise ValidationError({"__all__": _("Annex: there is nothing to change.")})
    check_dates(contract, changes, notified_on=notified_on, effective=effective)
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        found = Annex.objects.filter(key=key).first()
        if found is not None:
            return found
        _check_contract(locked, changes, effective)
        annex = _write_annex(locked, changes, actor, notified_on, effective, key)
    return annex


def _check_contract(contract: Contract, changes: Changes, effective: dt.date) -> None:
    if contract.status != ContractStatus.IN_FORCE or (
        contract.terminated_on is not None and effective >= contract.terminated_on
    ):
        raise ValidationError({"__all__": _("Annex: only a contract in force can be changed.")})
    if contract.type == ContractType.GROUP:
        staying = (
            census_rules.members_in_force(contract, effective).count()
            - len(changes.removed)
            + len(changes.added)
        )
        if staying < GROUP_MINIMUM:
            raise ValidationError(
                {
                    "__all__": _(
                        "Annex: a group contract insures ten or more people; after this change "
                        "it would have %(count)s (004 Чл.24 т.2)."
                    )
                    % {"count": staying}
                }
            )
    wanted = {r["egn"] for r in changes.added}
    again = wanted & set(
        ContractMember.objects.filter(contract=contract, person__id_kind=IdKind.EGN).values_list(
            "person__id_number", flat=True
        )
    )
    if again:
        raise ValidationError(
            {
                "__all__": _(
                    "Annex: %(egn)s was insured on this contract before; a person rejoins by an "
                    "underwriter's decision, not by annex."
                )
                % {"egn": ", ".join(sorted(again)[:5])}
            }
        )


def _write_annex(contract, changes: Changes, actor, notified_on, effective, key) -> Annex:
    annual = annual_premium_per_person(contract)
    span = {"start": contract.start, "end": contract.end, "effective": effective}
    count = Annex.objects.filter(contract=contract).count()
    annex = Annex.objects.create(
        contract=contract,
        number=f"{contract.number}-A{count + 1:03d}",
        notified_on=notified_on,
        effective=effective,
        premium_difference=ZERO,
        key=key,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    base = census_rules.group_packages(contract)
    members = _add_people(contract, changes.added, effective)
    lines: list[Line] = []
    add_premium = premium_difference(annual, Change.ADD, **span)
    for row in changes.added:
        lines.append(_line(annex, ChangeKind.ADDED, members[row["egn"]], row, add_premium))
    removal = premium_difference(annual, Change.REMOVE, **span)
    last_day = covered_until(effective)
    removed_ids = [r["member"] for r in changes.removed]
    ContractMember.objects.filter(pk__in=removed_ids).update(covered_until=last_day)
    for row in changes.removed:
        lines.append(_line(annex, ChangeKind.REMOVED, row["member"], row, removal))
    changed_ids = [r["member"] for r in changes.changed]
    if changed_ids:
        close_covers(Cover.objects.filter(member_id__in=changed_ids), effective)
    for row in changes.changed:
        lines.append(_line(annex, ChangeKind.CHANGED, row["member"], row, ZERO))
    own = [(members[r["egn"]], r) for r in changes.added] + [
        (r["member"], r) for r in changes.changed
    ]
    insert_rows(
        Cover,
        [
            "contract",
            "member",
            "product_code",
            "product_version",
            "package",
            "option",
            "clause",
            "valid_from",
        ],
        (
            (
                contract.pk,
                member_id,
                contract.product_code,
                contract.product_version,
                int(package),
                row["option"],
                clause,
                effective,
            )
            for member_id, row in own
            if not _same_as_group(row, base)
            for package, clause in row["packages"].items()
        ),
    )
    insert_rows(
        AnnexLine,
        ["annex", "change", "member", "name", "packages", "option", "clause", "before", "premium"],
        ((annex.pk, *line) for line in lines),
    )
    total = sum((line.premium for line in lines), start=ZERO)
    annex.premium_difference = total
    if total > ZERO:
        annex.instalment = add_premium_instalment(
            contract, max(effective, notified_on), total, by=actor, reason=annex.number
        )
    annex.save(update_fields=["premium_difference", "instalment"])
    record(
        actor=actor,
        verb="annex.made",
        obj=annex,
        contract=contract.number,
        effective=effective,
        notified_on=notified_on,
        added=len(changes.added),
        removed=len(changes.removed),
        changed=len(changes.changed),
        premium_difference=total,
    )
    who = actor.pk if actor is not None and actor.is_authenticated else None
    at = aware_now_for_db()
    insert_rows(
        AuditEvent,
        ["actor", "verb", "object_type", "object_id", "at", "details"],
        (
            (
                who,
                f"member.{line.change}_by_annex",
                "contracts.contractmember",
                str(line.member_id),
                at,
                {
                    "annex": annex.number,
                    "effective": effective.isoformat(),
                    "covered_until": last_day.isoformat()
                    if line.change == ChangeKind.REMOVED
                    else None,
                },
            )
            for line in lines
        ),
    )
    return annex


def close_covers(covers, effective: dt.date) -> None:
    """End ``covers`` (a queryset) at 00:00 of ``effective`` (004 Чл.27 т.2): their last day is
    the day before, so services before the change keep the old cover. A cover that would only
    start on or after ``effective`` (an earlier annex with a later date) never applied and goes."""
    covers = covers.current()
    covers.filter(valid_from__gte=effective).delete()
    covers.update(valid_until=covered_until(effective))


def _same_as_group(row: dict, base: dict) -> bool:
    option = {o for o, _c in base.values()}
    return (
        set(row["packages"]) == {str(p) for p in base}
        and option == {row["option"]}
        and all(row["packages"][str(p)] == c for p, (_o, c) in base.items())
    )


class Line(NamedTuple):
    """An ``AnnexLine`` as its columns are written (without the annex)."""

    change: str
    member_id: int
    name: str
    packages: list[int]
    option: str
    clause: str
    before: dict
    premium: Decimal


def _line(annex, change, member_id, row, premium) -> Line:
    name = " ".join(
        p for p in (row.get("first_name"), row.get("middle_name"), row.get("last_name")) if p
    )
    packages = row.get("packages", {})
    return Line(
        change=str(change),
        member_id=member_id,
        name=name,
        packages=sorted(int(p) for p in packages),
        option=row.get("option", ""),
        clause=",".join(sorted(set(packages.values()) - {""})),
        before=row.get("before", {}),
        premium=premium,
    )


def _add_people(contract: Contract, rows: list[dict], effective: dt.date) -> dict[str, int]:
    """ЕГН → the new member's pk: people already registered are reused, the others created, in
    a few set-based queries."""
    if not rows:
        return {}
    wanted = {r["egn"]: r for r in rows}
    people = pks_by(InsuredPerson, "id_number", list(wanted), id_kind=IdKind.EGN)
    new = [egn for egn in wanted if egn not in people]
    insert_rows(
        InsuredPerson,
        [
            "first_name",
            "middle_name",
            "last_name",
            "id_kind",
            "id_number",
            "birth_date",
            "sex",
            "email",
            "nhif_rights",
        ],
        (
            (
                wanted[egn]["first_name"],
                wanted[egn].get("middle_name", ""),
                wanted[egn]["last_name"],
                IdKind.EGN,
                egn,
                stdnum_egn.get_birth_date(egn),
                Sex.FEMALE if int(egn[8]) % 2 else Sex.MALE,
                "",
                True,
            )
            for egn in new
        ),
    )
    if new:
        people.update(pks_by(InsuredPerson, "id_number", new, id_kind=IdKind.EGN))
    insert_rows(
        ContractMember,
        ["contract", "person", "role", "student", "covered_from"],
        ((contract.pk, people[egn], r["role"], False, effective) for egn, r in wanted.items()),
    )
    by_person = pks_by(ContractMember, "person", [people[e] for e in wanted], contract=contract.pk)
    return {egn: by_person[people[egn]] for egn in wanted}


# -- one person by annex (staff and the employer) ------------------------------------------------


def add_person(
    contract: Contract,
    row: dict,
    *,
    actor,
    effective: dt.date,
    key: str,
    notified_on: dt.date | None = None,
) -> Annex:
    """An annex adding one person, given as a census row (``egn``, names, ``role``,
    ``packages``, ``option``, ``clause``); the row is checked as a census row is."""
    notified_on = notified_on or timezone.localdate()
    done = Annex.objects.filter(key=key, contract=contract).first()
    if done is not None:
        return done
    current = census_rules.current_census(contract, effective)
    checked = census_rules.check_rows(
        contract, [{**row, "row": 1}], effective=effective, existing=set(current)
    )
    if checked.errors:
        raise ValidationError({_field(e["column"]): e["message"] for e in checked.errors})
    found = checked.rows[0]
    if found["egn"] in current:
        raise ValidationError({"egn": _("ЕГН: this person is already in the group.")})
    return make_annex(
        contract,
        Changes([found], [], []),
        actor=actor,
        notified_on=notified_on,
        effective=effective,
        key=key,
    )


def _field(column: str) -> str:
    return column if column in census_rules.COLUMNS else "__all__"


def remove_person(
    member: ContractMember,
    *,
    actor,
    effective: dt.date,
    key: str,
    notified_on: dt.date | None = None,
) -> Annex:
    """An annex removing ``member``: covered until the day before ``effective`` (004 Чл.27 т.2),
    the unused premium credited."""
    notified_on = notified_on or timezone.localdate()
    done = Annex.objects.filter(key=key, contract_id=member.contract_id).first()
    if done is not None:
        return done
    if member.covered_until is not None:
        raise ValidationError({"member": _("Insured person: already removed from the group.")})
    if effective <= member.covered_from:
        raise ValidationError(
            {
                "effective": _("In force from: the person is covered from %(date)s.")
                % {"date": member.covered_from.strftime("%d.%m.%Y")}
            }
        )
    person = member.person
    row = {
        "member": member.pk,
        "egn": person.id_number,
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "last_name": person.last_name,
    }
    return make_annex(
        member.contract,
        Changes([], [row], []),
        actor=actor,
        notified_on=notified_on,
        effective=effective,
        key=key,
    )


# -- a family contract's holder, online (004 Чл.27 т.2, Чл.10) ------------------------------------


def declaration_questions(contract: Contract):
    """The health declaration's questions of the contract's product version (004 Чл.9–10)."""
    version = terms.terms(contract.product_code, contract.product_version)
    return list(version.underwriting.declaration.questions) if version.underwriting else []


def _check_declaration(contract: Contract, answers: dict[str, bool | None]) -> list:
    """004 Чл.10: everyone insured fills in the declaration (a parent for a child, Чл.23 т.1).
    All "no": the annex is made at once. A "yes" the terms decline refuses it. Returns the
    questions answered "yes" that the terms refer (004 Чл.9): those go to an underwriter, who
    may accept the person on special conditions agreed in writing (004 Чл.10)."""
    questions = declaration_questions(contract)
    missing = [q for q in questions if answers.get(q.key) is None]
    if missing:
        raise ValidationError(
            {
                f"q_{missing[0].key}": _(
                    "Health declaration: answer every question (%(n)s open) (004 Чл.10)."
                )
                % {"n": len(missing)}
            }
        )
    yes = [q for q in questions if answers.get(q.key)]
    declined = [q for q in yes if q.outcome == "decline"]
    if declined:
        raise ValidationError(
            {
                f"q_{declined[0].key}": _(
                    "Health declaration: with this answer the person cannot be insured "
                    "(%(clause)s)."
                )
                % {"clause": declined[0].clause}
            }
        )
    return yes


def add_family_member(
    contract: Contract,
    person: dict,
    *,
    answers: dict[str, bool | None],
    signer_name: str,
    actor,
    effective: dt.date,
    key: str,
    notified_on: dt.date | None = None,
) -> Annex | FamilyRequest:
    """The holder of a family contract adds a spouse, partner or child by annex from 00:00 of
    ``effective`` (004 Чл.27 т.2: notified no later than a month after the contract was made;
    the person at least 3 months old, 004 Чл.7, and a child under 18, Чл.24 т.2, as the census
    rules check), with the health declaration answered (Чл.10) and the pro-rata premium for the
    rest of the term as an extra instalment. A "yes" the terms refer (004 Чл.9) makes no annex
    yet: a ``FamilyRequest`` for the underwriter (``decide_family_request``, 004 Чл.10).
    ``notified_on``: the day the insurer received the request (a paper one by post), today
    online."""
    if contract.type != ContractType.FAMILY:
        raise ValidationError({"__all__": _("Annex: this is not a family contract.")})
    done = Annex.objects.filter(key=key, contract=contract).first()
    if done is not None:
        return done
    asked = FamilyRequest.objects.filter(key=key, contract=contract).first()
    if asked is not None:
        return asked
    if person.get("role") not in (MemberRole.SPOUSE, MemberRole.COHABITANT, MemberRole.CHILD):
        raise ValidationError({"role": _("Role: a spouse, a cohabiting partner or a child.")})
    if not (signer_name or "").strip():
        raise ValidationError(
            {"signer_name": _("Name of who fills in the declaration: required to sign.")}
        )
    referred = _check_declaration(contract, answers)
    row = {**person, **_family_packages(contract)}
    if referred:
        return _refer_family_member(
            contract,
            row,
            answers=answers,
            referred=referred,
            signer_name=signer_name,
            actor=actor,
            effective=effective,
            key=key,
            notified_on=notified_on or timezone.localdate(),
        )
    annex = add_person(
        contract, row, actor=actor, effective=effective, key=key, notified_on=notified_on
    )
    record(
        actor=actor,
        verb="declaration.signed",
        obj=annex,
        person=person.get("egn", ""),
        answers={k: v for k, v in answers.items() if v is not None},
        signer_name=signer_name.strip(),
    )
    return annex


def _refer_family_member(
    contract, row, *, answers, referred, signer_name, actor, effective, key, notified_on
) -> FamilyRequest:
    """Checked now as the annex would be — the person (census rules), the dates on the day the
    holder asks (004 Чл.27 т.2, Чл.24 т.4) — so that the underwriter only weighs the risk."""
    current = census_rules.current_census(contract, effective)
    checked = census_rules.check_rows(
        contract, [{**row, "row": 1}], effective=effective, existing=set(current)
    )
    if checked.errors:
        raise ValidationError({_field(e["column"]): e["message"] for e in checked.errors})
    found = checked.rows[0]
    if found["egn"] in current:
        raise ValidationError({"egn": _("ЕГН: this person is already in the group.")})
    changes = Changes([found], [], [])
    check_dates(contract, changes, notified_on=notified_on, effective=effective)
    _check_contract(contract, changes, effective)
    if FamilyRequest.objects.filter(
        contract=contract, decision=Decision.PENDING, person__egn=found["egn"]
    ).exists():
        raise ValidationError(
            {"egn": _("ЕГН: a request for this person already waits for the underwriter.")}
        )
    person = {k: row.get(k, "") for k in ("egn", "first_name", "middle_name", "last_name", "role")}
    with transaction.atomic():
        Contract.objects.select_for_update().get(pk=contract.pk)
        asked = FamilyRequest.objects.filter(key=key).first()
        if asked is not None:
            return asked
        request = FamilyRequest.objects.create(
            contract=contract,
            person=person,
            answers={k: v for k, v in answers.items() if v is not None},
            referred=[{"key": q.key, "clause": q.clause} for q in referred],
            signer_name=signer_name.strip(),
            notified_on=notified_on,
            effective=effective,
            key=key,
            requested_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record(
            actor=actor,
            verb="family_request.referred",
            obj=request,
            contract=contract.number,
            person=person["egn"],
            referred=[q.key for q in referred],
            effective=effective,
        )
        record(
            actor=actor,
            verb="declaration.signed",
            obj=request,
            person=person["egn"],
            answers=request.answers,
            signer_name=request.signer_name,
        )
    return request


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
    if decision not in (Decision.ACCEPTED, Decision.SPECIAL, Decision.DECLINED):
        raise ValidationError(
            {"decision": _("Decision: choose accept, accept on special conditions or decline.")}
        )
    contract = request.contract
    fields = {"excluded_icd10": [], "excluded_services": [], "limit": None, "loading_percent": None}
    if decision == Decision.SPECIAL:
        fields = check_special_conditions(
            contract,
            excluded_icd10=excluded_icd10,
            excluded_services=excluded_services,
            waiting=(),
            limit=limit,
            loading_percent=loading_percent,
        )
        if not any(fields.values()):
            raise ValidationError(
                {
                    "excluded_icd10": _(
                        "Special conditions: name an excluded diagnosis or service, a lower "
                        "limit or a loading (004 Чл.10)."
                    )
                }
            )
    if decision == Decision.DECLINED and not note.strip():
        raise ValidationError(
            {"note": _("Reasons: say why the person is declined; the letter gives them.")}
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
    row = {**request.person, **_family_packages(contract)}
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


def _family_packages(contract: Contract) -> dict[str, str]:
    """The newcomer takes the family's cover: the contract's own, else the holder's."""
    base = census_rules.group_packages(contract)
    if not base:
        own = (
            Cover.objects.current()
            .filter(contract=contract, member__role=MemberRole.HOLDER)
            .exclude(package=None)
        )
        base = {c.package: (c.option, c.clause) for c in own}
    clauses = {c for _o, c in base.values()}
    return {
        "packages": ", ".join(str(p) for p in sorted(base)),
        "option": next(iter(base.values()), ("", ""))[0],
        "clause": clauses.pop() if len(clauses) == 1 else "",
    }


def remove_family_member(member: ContractMember, *, actor, effective: dt.date, key: str) -> Annex:
    """The holder takes a spouse, partner or child off their family contract by annex: covered
    until the day before ``effective`` (004 Чл.27 т.2), the unused premium credited. The holder
    stays: a contract without them is ended, not changed."""
    if member.contract.type != ContractType.FAMILY:
        raise ValidationError({"__all__": _("Annex: this is not a family contract.")})
    if member.role == MemberRole.HOLDER:
        raise ValidationError(
            {"member": _("Insured person: the policyholder cannot be removed by annex.")}
        )
    return remove_person(member, actor=actor, effective=effective, key=key)


# -- the census ---------------------------------------------------------------------------------


def preview_census(
    contract: Contract,
    *,
    actor,
    file_name: str,
    data: bytes,
    effective: dt.date,
    notified_on: dt.date | None = None,
) -> CensusUpload:
    """Read, check and compare a census file with the group, and store the result for the
    employer to look at; nothing in the group changes. A file that cannot be read is refused on
    ``file``; row errors are stored with the preview (and stop it being applied)."""
    notified_on = notified_on or timezone.localdate()
    try:
        read = census_rules.read_census(file_name, data)
    except census_rules.CensusFileError as exc:
        raise ValidationError({"file": exc.messages}) from None
    current = census_rules.current_census(contract, effective)
    checked = census_rules.check_rows(
        contract, read.rows, effective=effective, existing=set(current)
    )
    diff = census_rules.compare(current, checked.rows)
    changes = Changes(diff["added"], diff["removed"], diff["changed"])
    if not checked.errors and not changes:
        raise ValidationError({"file": _("Census file: the file is the same as the group now.")})
    check_dates(contract, changes, notified_on=notified_on, effective=effective)
    with transaction.atomic():
        upload = CensusUpload.objects.create(
            contract=contract,
            file_name=file_name[:200],
            encoding=read.encoding,
            notified_on=notified_on,
            effective=effective,
            rows=checked.rows,
            errors=checked.errors,
            diff={**diff, "annexes_seen": _annexes_seen(contract)},
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        record(
            actor=actor,
            verb="census.previewed",
            obj=upload,
            contract=contract.number,
            rows=len(read.rows),
            errors=len(checked.errors),
            added=len(diff["added"]),
            removed=len(diff["removed"]),
            changed=len(diff["changed"]),
        )
    return upload


def _annexes_seen(contract: Contract) -> int:
    return Annex.objects.filter(contract=contract).aggregate(last=Max("id"))["last"] or 0


def apply_census(upload: CensusUpload, *, actor) -> Annex:
    """The previewed census as one annex, exactly as previewed (no second upload); applying it
    twice gives the same annex. Refused while it has row errors, or when the group changed
    since the preview."""
    with transaction.atomic():
        locked = CensusUpload.objects.select_for_update().get(pk=upload.pk)
        if locked.status == CensusStatus.APPLIED and locked.annex_id:
            return locked.annex
        if locked.errors:
            raise ValidationError(
                {
                    "__all__": _(
                        "Census: %(count)s rows have errors; correct the file and upload it again."
                    )
                    % {"count": len({e["row"] for e in locked.errors})}
                }
            )
        if _annexes_seen(locked.contract) != locked.diff.get("annexes_seen", 0):
            raise ValidationError(
                {
                    "__all__": _(
                        "Census: the group changed after this preview; upload the file again."
                    )
                }
            )
        diff = locked.diff
        annex = make_annex(
            locked.contract,
            Changes(diff["added"], diff["removed"], diff["changed"]),
            actor=actor,
            notified_on=locked.notified_on,
            effective=locked.effective,
            key=f"census-{locked.pk}",
        )
        locked.status = CensusStatus.APPLIED
        locked.annex = annex
        locked.save(update_fields=["status", "annex"])
        record(actor=actor, verb="census.applied", obj=locked, annex=annex.number)
    return annex


# -- preventive examinations (004 Чл.30 т.3) -----------------------------------------------------


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
