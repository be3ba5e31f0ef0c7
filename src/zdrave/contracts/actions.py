"""Every write to contracts, people and covers. Each action validates first (a translated
``ValidationError`` naming the field), then writes inside one transaction with an audit row per
state change, so a refused request leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record, record_change
from zdrave.contracts.identifiers import check_egn, check_eik
from zdrave.contracts.models import (
    Contract,
    ContractMember,
    ContractStatus,
    ContractType,
    Cover,
    HolderKind,
    InsuredPerson,
    PolicyHolder,
    PremiumInstalment,
    SpecialConditions,
    TerminationReason,
)
from zdrave.contracts.validation import (
    check_amount,
    check_contract_terms,
    check_cover_terms,
    check_identity,
    check_member_role,
    check_past_date,
    check_schedule,
    check_sold_with,
    check_special_conditions,
    check_termination,
)
from zdrave.products import terms

# 004 Чл.24 т.2: "съвкупност от десет и повече лица".
GROUP_MINIMUM = 10


def register_person(
    *,
    actor,
    first_name: str,
    last_name: str,
    id_kind: str,
    id_number: str,
    middle_name: str = "",
    birth_date: dt.date | None = None,
    sex: str = "",
    email: str = "",
    user=None,
) -> InsuredPerson:
    number, birth, derived_sex = check_identity(id_kind, id_number, birth_date, sex)
    if not first_name.strip() or not last_name.strip():
        field = "first_name" if not first_name.strip() else "last_name"
        raise ValidationError({field: _("Name: first and last name are required.")})
    if InsuredPerson.objects.filter(id_kind=id_kind, id_number=number).exists():
        raise ValidationError(
            {"id_number": _("Identity number: this person is already registered.")}
        )
    with transaction.atomic():
        person = InsuredPerson.objects.create(
            first_name=first_name.strip(),
            middle_name=middle_name.strip(),
            last_name=last_name.strip(),
            id_kind=id_kind,
            id_number=number,
            birth_date=birth,
            sex=derived_sex,
            email=email,
            user=user,
        )
        record(actor=actor, verb="person.registered", obj=person, id_kind=id_kind)
    return person


def create_holder(
    *,
    actor,
    kind: str,
    name: str,
    identifier: str,
    person: InsuredPerson | None = None,
    users: Iterable = (),
) -> PolicyHolder:
    """A company holder is identified by its ЕИК; a person holder by ЕГН."""
    if kind == HolderKind.COMPANY:
        try:
            identifier = check_eik(identifier)
        except ValidationError as exc:
            raise ValidationError({"identifier": exc.messages}) from None
    else:
        try:
            identifier = check_egn(identifier)
        except ValidationError as exc:
            raise ValidationError({"identifier": exc.messages}) from None
    if PolicyHolder.objects.filter(kind=kind, identifier=identifier).exists():
        raise ValidationError({"identifier": _("ЕИК / ЕГН: this policyholder already exists.")})
    with transaction.atomic():
        holder = PolicyHolder.objects.create(
            kind=kind, name=name, identifier=identifier, person=person
        )
        holder.users.set(list(users))
        record(actor=actor, verb="holder.created", obj=holder, kind=kind)
    return holder


def create_contract(
    *,
    actor,
    number: str,
    type: str,  # noqa: A002 - the insurer's word for it
    holder: PolicyHolder,
    product_code: str,
    start: dt.date,
    end: dt.date,
    product_version: dt.date | None = None,
    aggregate_limit: Decimal | None = None,
    previous: Contract | None = None,
) -> Contract:
    """A draft contract under the product version on sale on ``start`` (or the one named), with
    the aggregate limit per person for the whole term if the contract sets one (004 Чл.26 т.1).
    ``previous``: the contract this one renews (``contracts.continuity``)."""
    if type not in ContractType.values:
        raise ValidationError(
            {"type": _("Contract type: choose individual, family or group (004 Чл.12).")}
        )
    if product_version is None:
        product_version = _version_on_sale(product_code, start)
    check_contract_terms(product_code, product_version, start, end)
    if aggregate_limit is not None:
        aggregate_limit = check_amount(
            aggregate_limit, "aggregate_limit", _("Aggregate limit per person (004 Чл.26 т.1)")
        )
    if Contract.objects.filter(number=number).exists():
        raise ValidationError(
            {"number": _("Contract number: %(number)s is already used.") % {"number": number}}
        )
    with transaction.atomic():
        contract = Contract.objects.create(
            number=number,
            type=type,
            holder=holder,
            product_code=product_code,
            product_version=product_version,
            start=start,
            end=end,
            aggregate_limit=aggregate_limit,
            previous=previous,
        )
        record(
            actor=actor,
            verb="contract.created",
            obj=contract,
            product=product_code,
            version=product_version,
            start=start,
            end=end,
            aggregate_limit=aggregate_limit,
            previous=previous.number if previous is not None else None,
        )
    return contract


def add_member(
    contract: Contract,
    person: InsuredPerson,
    role: str,
    *,
    actor,
    covered_from: dt.date | None = None,
    student: bool = False,
) -> ContractMember:
    check_member_role(contract.type, role, contract.members.count())
    covered_from = covered_from or contract.start
    if not contract.start <= covered_from <= contract.end:
        raise ValidationError(
            {
                "covered_from": _(
                    "Covered from: the date must fall within the contract (%(start)s – %(end)s)."
                )
                % {"start": contract.start.isoformat(), "end": contract.end.isoformat()}
            }
        )
    if contract.members.filter(person=person).exists():
        raise ValidationError({"person": _("Person: already on this contract.")})
    with transaction.atomic():
        member = ContractMember.objects.create(
            contract=contract, person=person, role=role, covered_from=covered_from, student=student
        )
        record(actor=actor, verb="member.added", obj=member, contract=contract.number, role=role)
    return member


def add_cover(
    contract: Contract,
    *,
    actor,
    product_code: str,
    member: ContractMember | None = None,
    package: int | None = None,
    option: str = "",
    clause: str = "",
    product_version: dt.date | None = None,
) -> Cover:
    if member is not None and member.contract_id != contract.pk:
        raise ValidationError({"member": _("Insured person: not on this contract.")})
    if product_version is None:
        if product_code == contract.product_code:
            product_version = contract.product_version
        else:
            product_version = _version_on_sale(product_code, contract.start)
    check_cover_terms(product_code, product_version, package, option, clause)
    check_sold_with(product_code, product_version, contract)
    with transaction.atomic():
        cover = Cover.objects.create(
            contract=contract,
            member=member,
            product_code=product_code,
            product_version=product_version,
            package=package,
            option=option,
            clause=clause,
        )
        record(
            actor=actor,
            verb="cover.added",
            obj=cover,
            contract=contract.number,
            product=product_code,
            package=package,
            option=option,
            clause=clause,
        )
    return cover


def put_in_force(contract: Contract, *, actor) -> Contract:
    """A draft with at least one insured person and one cover comes into force."""
    if contract.status != ContractStatus.DRAFT:
        raise ValidationError({"status": _("Status: only a draft contract can be put in force.")})
    if not contract.members.exists():
        raise ValidationError({"members": _("Insured persons: a contract needs at least one.")})
    if not contract.covers.exists():
        raise ValidationError({"covers": _("Covers: a contract needs at least one.")})
    if contract.type == ContractType.GROUP and contract.members.count() < GROUP_MINIMUM:
        raise ValidationError(
            {
                "members": _(
                    "Insured persons: a group contract insures ten or more people (004 Чл.24 т.2)."
                )
            }
        )
    with transaction.atomic():
        record_change(
            contract, "status", ContractStatus.IN_FORCE, actor=actor, verb="contract.status_changed"
        )
    return contract


def terminate_contract(contract: Contract, *, on: dt.date, reason: str, by) -> Contract:
    """Record a person's decision that ``contract`` ends early: cover ends at 00:00 of ``on``
    (004 Чл.27 т.2) and nothing is paid for events from that day (Чл.29 т.9). Only the fact:
    the refund (``engine.adjudication.health_contract.settlement``), the letter and the cards
    come with the contract's workflow. A termination effective today or earlier sets the status;
    a later one leaves the contract in force until then (``Contract.in_force_on``). The same
    decision submitted twice is recorded once."""
    check_termination(contract, on, reason, TerminationReason.values)
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        if locked.status not in (ContractStatus.IN_FORCE, ContractStatus.TERMINATED):
            raise ValidationError(
                {"status": _("Status: only a contract in force can be terminated.")}
            )
        if locked.terminated_on is not None:
            if (locked.terminated_on, locked.termination_reason) == (on, reason):
                return locked
            raise ValidationError(
                {
                    "on": _("Terminated as of: the contract is already terminated as of %(date)s.")
                    % {"date": locked.terminated_on.isoformat()}
                }
            )
        previous = locked.status
        locked.terminated_on = on
        locked.termination_reason = reason
        if on <= timezone.localdate():
            locked.status = ContractStatus.TERMINATED
        locked.save(update_fields=["terminated_on", "termination_reason", "status"])
        record(
            actor=by,
            verb="contract.terminated",
            obj=locked,
            on=on,
            reason=reason,
            previous=previous,
            status=locked.status,
        )
    contract.terminated_on, contract.termination_reason = on, reason
    contract.status = locked.status
    return locked


def schedule_premium(
    contract: Contract, instalments: Iterable[tuple[dt.date, Decimal]], *, by
) -> list[PremiumInstalment]:
    """The premium schedule of ``contract`` (004 Чл.25 т.4): ``(due, amount)`` pairs in euro;
    a single payment is one pair. A contract has one schedule; the same schedule submitted
    twice is stored once, a different one is refused (changes come with annexes, later)."""
    wanted = check_schedule(contract, instalments)
    if contract.status in (ContractStatus.TERMINATED, ContractStatus.EXPIRED):
        raise ValidationError({"instalments": _("Premium schedule: the contract has ended.")})
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).get()
        existing = list(contract.instalments.order_by("due"))
        if existing:
            if [(i.due, i.amount) for i in existing] == wanted:
                return existing
            raise ValidationError(
                {"instalments": _("Premium schedule: this contract already has one.")}
            )
        PremiumInstalment.objects.bulk_create(
            PremiumInstalment(contract=contract, due=due, amount=amount) for due, amount in wanted
        )
        record(
            actor=by,
            verb="premium.scheduled",
            obj=contract,
            instalments=[{"due": due, "amount": amount} for due, amount in wanted],
            total=sum((amount for _due, amount in wanted), start=Decimal("0.00")),
        )
    return list(contract.instalments.order_by("due"))


def add_premium_instalment(
    contract: Contract, due: dt.date, amount: Decimal, *, by, reason: str
) -> PremiumInstalment:
    """One more instalment on ``contract``'s schedule: the premium an annex adds for the rest of
    the year (004 Чл.27 т.2; issue 11). Due on ``due`` or, when an instalment already falls due
    that day, on the next free day. ``reason`` names the annex in the audit row."""
    amount = check_amount(
        amount, "amount", str(PremiumInstalment._meta.get_field("amount").verbose_name)
    )
    if contract.status in (ContractStatus.TERMINATED, ContractStatus.EXPIRED):
        raise ValidationError({"instalments": _("Premium schedule: the contract has ended.")})
    with transaction.atomic():
        Contract.objects.select_for_update().filter(pk=contract.pk).get()
        taken = set(contract.instalments.filter(due__gte=due).values_list("due", flat=True))
        while due in taken:
            due += dt.timedelta(days=1)
        instalment = PremiumInstalment.objects.create(contract=contract, due=due, amount=amount)
        record(
            actor=by,
            verb="premium.instalment_added",
            obj=contract,
            due=due,
            amount=amount,
            reason=reason,
        )
    return instalment


def record_premium_payment(
    instalment: PremiumInstalment, paid_on: dt.date, amount: Decimal, *, by
) -> PremiumInstalment:
    """Money received for ``instalment`` on ``paid_on``. The instalment counts as paid (004
    Чл.25 т.3, т.5) from the day the last of it came in; a payment larger than what is still
    owed is refused (matching a surplus to other instalments is billing's work)."""
    paid_on = check_past_date(paid_on, "paid_on", _("Paid on"))
    amount = check_amount(amount, "amount", _("Amount paid"))
    with transaction.atomic():
        locked = PremiumInstalment.objects.select_for_update().get(pk=instalment.pk)
        if locked.paid_on is not None:
            raise ValidationError(
                {
                    "amount": _("Amount paid: this instalment was paid in full on %(date)s.")
                    % {"date": locked.paid_on.isoformat()}
                }
            )
        if amount > locked.outstanding:
            raise ValidationError(
                {
                    "amount": _("Amount paid: only %(owed)s EUR is still owed on this instalment.")
                    % {"owed": locked.outstanding}
                }
            )
        locked.paid_amount += amount
        if locked.paid_amount == locked.amount:
            locked.paid_on = paid_on
        locked.save(update_fields=["paid_amount", "paid_on"])
        record(
            actor=by,
            verb="premium.payment_recorded",
            obj=locked,
            contract=locked.contract_id,
            due=locked.due,
            amount=amount,
            paid_on=paid_on,
            paid_amount=locked.paid_amount,
            paid_in_full=locked.paid_on is not None,
        )
    instalment.paid_amount, instalment.paid_on = locked.paid_amount, locked.paid_on
    return locked


def record_nhif_rights(person: InsuredPerson, *, rights: bool, checked_on: dt.date, by):
    """What НЗОК's register said of ``person``'s health-insurance rights on ``checked_on``
    (004 Чл.6; hospital care needs them, 002 III бел.*, 004 Чл.21(1) т.3)."""
    checked_on = check_past_date(checked_on, "nhif_checked_on", _("НЗОК rights confirmed on"))
    if not isinstance(rights, bool):
        raise ValidationError({"nhif_rights": _("НЗОК rights: answer yes or no.")})
    with transaction.atomic():
        locked = InsuredPerson.objects.select_for_update().get(pk=person.pk)
        if (locked.nhif_rights, locked.nhif_checked_on) == (rights, checked_on):
            return locked
        previous = locked.nhif_rights
        locked.nhif_rights, locked.nhif_checked_on = rights, checked_on
        locked.save(update_fields=["nhif_rights", "nhif_checked_on"])
        record(
            actor=by,
            verb="person.nhif_rights_checked",
            obj=locked,
            previous=previous,
            rights=rights,
            checked_on=checked_on,
        )
    person.nhif_rights, person.nhif_checked_on = rights, checked_on
    return locked


def set_special_conditions(
    member: ContractMember,
    *,
    agreed_on: dt.date,
    by,
    excluded_icd10: Iterable[str] = (),
    excluded_services: Iterable[str] = (),
    waiting: Iterable[dict] = (),
    limit: Decimal | None = None,
    loading_percent: Decimal | None = None,
    note: str = "",
) -> SpecialConditions | None:
    """The special conditions agreed in writing for ``member`` (004 Чл.10): they replace any
    earlier ones; none at all removes them. ``waiting`` items are ``{"months", "icd10",
    "services"}`` (004 Чл.20). Returns the stored row, or None when nothing is agreed."""
    agreed_on = check_past_date(agreed_on, "agreed_on", _("Agreed on"))
    fields = check_special_conditions(
        member.contract,
        excluded_icd10=excluded_icd10,
        excluded_services=excluded_services,
        waiting=waiting,
        limit=limit,
        loading_percent=loading_percent,
    )
    empty = not any(fields.values())
    with transaction.atomic():
        ContractMember.objects.select_for_update().filter(pk=member.pk).get()
        if empty:
            deleted, _rows = SpecialConditions.objects.filter(member=member).delete()
            if deleted:
                record(actor=by, verb="member.special_conditions_removed", obj=member)
            return None
        found, created = SpecialConditions.objects.update_or_create(
            member=member, defaults={**fields, "agreed_on": agreed_on, "note": note.strip()}
        )
        record(
            actor=by,
            verb="member.special_conditions_set",
            obj=member,
            contract=member.contract_id,
            created=created,
            agreed_on=agreed_on,
            **fields,
        )
    return found


def _version_on_sale(product_code: str, day: dt.date) -> dt.date:
    """The version of ``product_code`` on sale on ``day``; refused on the product field when
    none is."""
    try:
        return terms.version_in_force(product_code, day).effective_from
    except terms.UnknownTerms:
        raise ValidationError(
            {
                "product_code": _("Product: no version of %(code)s is on sale on %(start)s.")
                % {"code": product_code, "start": day.isoformat()}
            }
        ) from None
