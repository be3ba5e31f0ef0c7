"""The renewal offer of a contract, priced: who is offered another year, who is not and why,
and the premium by the tariff in force at the new start (the same packages, options and clauses,
each person's age band at the new start, the group discount for the new size, each person's
agreed loading). Reads only; ``actions.offer_renewal`` stores what this returns.

Who is not offered (004 Чл.24 т.2–3): a person older than 65 at the new end; on a family
contract, a child of 18 who is not a student, or a student of 26 at the new start; anyone the
tariff does not price (its age bands). A loss-ratio loading for groups is not added: the seeds
give the insurer a right to propose a higher premium when the loss ratio reaches 100 % (004
Чл.25 т.8), not a formula (docs/decisions.md, "Renewal offers").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from zdrave.contracts.models import Contract, ContractType, Cover, MemberRole, SpecialConditions
from zdrave.engine.calendar import age_in_years
from zdrave.engine.tariff import Choice, PersonRequest, QuoteError, QuoteRequest, price_quote
from zdrave.engine.terms.health import ClauseCode, OptionCode
from zdrave.policy_admin.renewal.models import PremiumAnswer
from zdrave.policy_admin.sales import tariff as tariffs
from zdrave.products import terms

DAY = dt.timedelta(days=1)
# Offers go out 45 days before the contract's end: a month and a half to read, compare and
# answer before the last day of cover, and time for the first instalment of the new term to be
# paid before it starts (004 Чл.24 т.3) — docs/decisions.md, "Renewal offers".
LEAD_DAYS = 45
MAX_AGE_AT_END = 65  # 004 Чл.24 т.3
CHILD_AGE, STUDENT_AGE = 18, 26  # 004 Чл.24 т.2


class NoRenewal(ValueError):
    """The contract cannot be offered a renewal (the message says why, translated)."""


@dataclass(frozen=True)
class OfferDraft:
    start: dt.date
    end: dt.date
    product_version: dt.date
    tariff_version: dt.date
    instalments: tuple[Decimal, ...]
    premium: Decimal
    previous_premium: Decimal
    persons: list[dict] = field(default_factory=list)
    left_out: list[dict] = field(default_factory=list)


def offer_day(contract: Contract) -> dt.date:
    """The first day the daily run offers a renewal of ``contract``."""
    return contract.end - dt.timedelta(days=LEAD_DAYS)


def schedule_rows(contract: Contract):
    """The contract's own schedule, without the instalments annexes added (groups' annexes,
    the higher premium of 004 Чл.25 т.8): its count is the plan the holder chose."""
    extras = PremiumAnswer.objects.filter(instalment__isnull=False).values("instalment_id")
    return contract.instalments.filter(annex__isnull=True).exclude(pk__in=extras)


def _choices(covers: list[Cover]) -> list[dict]:
    return [
        {"package": c.package, "option": c.option, "clause": c.clause} for c in covers if c.package
    ]


def _left_out_reason(contract: Contract, member, start: dt.date, end: dt.date) -> str | None:
    person = member.person
    if age_in_years(person.birth_date, end) > MAX_AGE_AT_END:
        return _("Older than 65 at the end of the new term (004 Чл.24 т.3).")
    if contract.type == ContractType.FAMILY and member.role == MemberRole.CHILD:
        age = age_in_years(person.birth_date, start)
        if age >= STUDENT_AGE or (age >= CHILD_AGE and not member.student):
            return _(
                "No longer a child of the family at the new start: 18, or 26 for a student "
                "(004 Чл.24 т.2)."
            )
    return None


def draft_offer(contract: Contract) -> OfferDraft:
    """The renewal of ``contract`` for one year from the day after its end, priced."""
    start = contract.end + DAY
    end = tariffs.one_year_end(start)
    try:
        version = tariffs.product_for(start, contract.product_code)
        tariff = tariffs.tariff_for(contract.product_code, version.effective_from, start)
    except (terms.UnknownTerms, tariffs.NoTariff):
        raise NoRenewal(
            _("No product and tariff are on sale for %(date)s.") % {"date": start}
        ) from None
    packages = tariffs.packages_of(version)
    shared = list(contract.covers.filter(member__isnull=True))
    own: dict[int, list[Cover]] = {}
    for cover in contract.covers.filter(member__isnull=False):
        own.setdefault(cover.member_id, []).append(cover)
    loadings = dict(
        SpecialConditions.objects.filter(member__contract=contract).values_list(
            "member_id", "loading_percent"
        )
    )
    members = (
        contract.members.filter(Q(covered_until__isnull=True) | Q(covered_until__gte=contract.end))
        .select_related("person")
        .order_by("pk")
    )
    persons, requests, left_out = [], [], []
    for member in members:
        name = member.person.full_name
        reason = _left_out_reason(contract, member, start, end)
        choices = _choices(shared + own.get(member.pk, []))
        if reason is None and not choices:
            reason = _("No package on the contract.")
        request = None
        if reason is None:
            request = PersonRequest(
                str(member.pk),
                member.person.birth_date,
                tuple(
                    Choice(c["package"], OptionCode(c["option"]), ClauseCode(c["clause"]))
                    for c in choices
                ),
                Decimal(loadings.get(member.pk) or 0),
            )
            try:  # alone first, so one person the tariff cannot price leaves only them out
                price_quote(tariff, QuoteRequest(start=start, persons=(request,)), packages)
            except QuoteError as exc:
                reason = _("The tariff cannot price this person: %(why)s") % {"why": str(exc)}
        if reason is not None:
            left_out.append({"name": name, "reason": reason})
            continue
        requests.append(request)
        persons.append(
            {
                "member": member.pk,
                "person": member.person_id,
                "name": name,
                "role": member.role,
                "student": member.student,
                "age": age_in_years(member.person.birth_date, start),
                "choices": choices,
            }
        )
    if not requests:
        raise NoRenewal(_("Nobody on the contract can be offered another year."))
    own_rows = list(schedule_rows(contract))
    count = len(own_rows) if tariff.instalment_plan(len(own_rows)) else 1
    try:
        quote = price_quote(
            tariff,
            QuoteRequest(
                start=start,
                persons=tuple(requests),
                instalments=count,
                group_size=len(requests) if contract.type == ContractType.GROUP else None,
            ),
            packages,
        )
    except QuoteError as exc:
        raise NoRenewal(str(exc)) from None
    for person, price in zip(persons, quote.persons, strict=True):
        person["premium"] = str(price.yearly)
    return OfferDraft(
        start=start,
        end=end,
        product_version=version.effective_from,
        tariff_version=tariff.effective_from,
        instalments=quote.instalments,
        premium=quote.payable,
        previous_premium=sum((i.amount for i in contract.instalments.all()), start=Decimal(0)),
        persons=persons,
        left_out=left_out,
    )
