"""The decision letter (explanation of benefits) of a claim, in Bulgarian or English, as HTML for
the browser and as a PDF (``zdrave.base.letters``).

It gathers the decision in force: every line, its decision, the clause it rests on in plain
words (docs/reason-codes.md), the amount; what is left of the package's yearly limits after this
claim; the bank fee (004 Чл.29 т.7) and payment to heirs (т.8); an earlier decision it replaced
and the difference; and how to object (004 Чл.30 т.1, Чл.31 т.1–2; 001 т.79 / 003 т.77 for a
Best Doctors claim), with the Financial Supervision Commission and the court. Reads only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zdrave.base.banking.iban import format_iban
from zdrave.base.letters.kit import SUPERVISOR_SITE, insurer_letterhead
from zdrave.base.letters.render import Letterhead, render_html, render_pdf
from zdrave.claims.catalogue import service_label
from zdrave.claims.display import ReasonText, decided_on_covers, reason_text
from zdrave.claims.fetch import case_for, final_versions, history_for, line_covers
from zdrave.claims.models import Claim, DecisionVersion, Outcome, Payee, Payment, PaymentStatus
from zdrave.engine.adjudication.health import usage_from_history
from zdrave.engine.adjudication.health_claims import Payee as EnginePayee
from zdrave.engine.adjudication.health_claims import payment_check
from zdrave.engine.adjudication.index import ProductIndex, index_for
from zdrave.engine.calendar import add_months
from zdrave.engine.terms import ProductVersion
from zdrave.products.terms import terms

TEMPLATE = "claims/letters/decision.html"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LetterLine:
    number: int
    service: str
    date: dt.date
    billed: Decimal
    currency: str
    outcome: str
    copay: Decimal
    payable: Decimal
    reasons: list[ReasonText]
    # The cover the line was decided on, when the claim's lines fall on two covers (an annex).
    cover: str = ""


@dataclass(frozen=True)
class LimitLeft:
    """What is left of one yearly money limit of a package after this claim (002 Годишен лимит;
    the reimbursement limit a sub-limit of both forms together, 002 бел.***)."""

    package: str
    what: str
    limit: Decimal
    used: Decimal
    year_from: dt.date
    year_to: dt.date
    clause: str

    @property
    def left(self) -> Decimal:
        return max(self.limit - self.used, ZERO)


@dataclass(frozen=True)
class Replacement:
    """The earlier decision the one in force replaced, and what changes for the money."""

    earlier: DecisionVersion
    difference: Decimal  # > 0 an extra payment, < 0 to be paid back
    reason: str

    @property
    def extra(self) -> Decimal:
        return max(self.difference, ZERO)

    @property
    def to_recover(self) -> Decimal:
        return max(-self.difference, ZERO)


@dataclass(frozen=True)
class DecisionLetter:
    claim: Claim
    version: DecisionVersion
    language: str
    person: str
    outcome: str
    lines: list[LetterLine]
    billed: Decimal
    payable: Decimal
    iban: str
    payee_name: str
    to_heirs: bool
    bank_fee_is_insureds: bool
    payments: list[Payment]
    limits: list[LimitLeft]
    replacement: Replacement | None
    objection: list[str]
    letterhead: Letterhead
    notes: list[str] = field(default_factory=list)

    @property
    def decided_on(self) -> dt.date:
        return timezone.localdate(self.version.decided_at)


def version_in_force(claim: Claim) -> DecisionVersion | None:
    """The last final decision (a version waiting for its second approval is not one yet)."""
    final = final_versions(claim)
    return final[-1] if final else None


def decision_letter(claim: Claim, language: str) -> DecisionLetter | None:
    """The letter of the decision in force on ``claim`` in ``language``; None before the claim
    is decided."""
    version = version_in_force(claim)
    if version is None:
        return None
    product = terms(claim.contract.product_code, claim.contract.product_version)
    with translation.override(language):
        index = index_for(product) if product.packages else None
        lines = _lines(claim, version, product, index, language)
        payments = list(claim.payments.order_by("created_at", "id"))
        return DecisionLetter(
            claim=claim,
            version=version,
            language=language,
            person=claim.member.person.full_name,
            outcome=str(Outcome(version.outcome).label),
            lines=lines,
            billed=sum((line.billed for line in lines), ZERO),
            payable=version.payable,
            iban=format_iban(claim.iban) if claim.iban else "",
            payee_name=claim.payee_name or claim.member.person.full_name,
            to_heirs=claim.payee == Payee.HEIRS,
            bank_fee_is_insureds=_bank_fee_is_insureds(version, payments),
            payments=payments,
            limits=_limits(claim, product, index, language) if index is not None else [],
            replacement=_replacement(claim, version),
            objection=objection(product, _event_day(claim), language),
            letterhead=_letterhead(product, language),
        )


# -- lines -------------------------------------------------------------------------------------


def _lines(claim, version, product, index, language) -> list[LetterLine]:
    rows = {row.index: row for row in claim.lines.all()}
    covers = (
        decided_on_covers(claim, list(rows.values()), index, language) if index is not None else {}
    )
    found = []
    for decided in sorted(version.lines, key=lambda d: d["index"]):
        row = rows.get(decided["index"])
        if row is None:
            continue
        reasons = [reason_text(r, product, language) for r in decided.get("reasons", [])]
        info = index.services.get(row.service) if index is not None else None
        if not reasons and info is not None and Decimal(decided["payable"]) > ZERO:
            reasons = [ReasonText(_("Covered by your package."), info.service.clause)]
        found.append(
            LetterLine(
                number=row.index + 1,
                service=service_label(info, language) if info is not None else row.service,
                date=row.date,
                billed=row.amount,
                currency=row.currency,
                outcome=str(Outcome(decided["outcome"]).label) if decided["outcome"] else "",
                copay=Decimal(decided["copay"]),
                payable=Decimal(decided["payable"]),
                reasons=reasons,
                cover=covers.get(row.index, ""),
            )
        )
    return found


# -- money -------------------------------------------------------------------------------------


def _bank_fee_is_insureds(version: DecisionVersion, payments: list[Payment]) -> bool:
    """004 Чл.29 т.7: a reimbursement of up to 20.00 лв (10.23 EUR) carries the bank fee."""
    transfers = [p for p in payments if p.amount > ZERO and p.status != PaymentStatus.CANCELLED]
    if transfers:
        return any(p.bank_fee_borne_by_insured for p in transfers)
    if version.payable <= ZERO:
        return False
    return payment_check(EnginePayee.INSURED, version.payable).bank_fee_borne_by_insured


def _replacement(claim: Claim, version: DecisionVersion) -> Replacement | None:
    earlier = [v for v in final_versions(claim) if v.number < version.number]
    if not earlier:
        return None
    previous = earlier[-1]
    return Replacement(previous, version.payable - previous.payable, version.reason)


def _limits(claim, product, index: ProductIndex, language: str) -> list[LimitLeft]:
    """The yearly money limits of the packages this claim's lines belong to, with what the
    person's decided claims used of them up to and including this one (the engine's own usage
    count: ``engine.adjudication.health.usage_from_history``)."""
    case = case_for(claim)
    history = history_for(claim.member_id, decided_by=claim.decided_at)
    usage = usage_from_history(dataclasses.replace(case, history=history), index)
    contract = claim.contract
    seen: set[tuple[int, int]] = set()
    found = []
    rows = list(claim.lines.order_by("index"))
    # Each line's own day's cover (an annex between two lines, 004 Чл.27 т.2); the last line's
    # cover of a package and year gives its limits (a higher option raises them from the annex).
    by_line = line_covers(claim, rows) if case.spans else {}
    for row in sorted(rows, key=lambda r: r.date, reverse=True) if by_line else rows:
        covers = by_line.get(row.index, case.covers)
        info = index.services.get(row.service)
        if info is None or info.package_number not in covers:
            continue
        key = (info.package_number, usage.year_of(row.date))
        if key in seen:
            continue
        seen.add(key)
        number, year = key
        package = index.packages[number]
        cover = covers[number]
        subscription, reimbursement, _printed = index.yearly(package, cover.option)
        used_all, _used_subscription, used_reimbursement = usage.package_row(year, number)
        year_from = add_months(contract.start, 12 * year)
        year_to = min(
            add_months(contract.start, 12 * (year + 1)) - dt.timedelta(days=1), contract.end
        )
        name = package.name.get(language)
        # Clause A has no reimbursement form (002 VII т.1).
        if reimbursement is not None and cover.clause != "A":
            shared = package.mutually_exhausting_forms
            found.append(
                LimitLeft(
                    name,
                    _("reimbursement of expenses"),
                    reimbursement,
                    used_all if shared else used_reimbursement,
                    year_from,
                    year_to,
                    (package.mutually_exhausting_clause if shared else None)
                    or package.yearly_limits_clause,
                )
            )
        if subscription is not None:
            found.append(
                LimitLeft(
                    name,
                    _("both forms together"),
                    subscription,
                    used_all,
                    year_from,
                    year_to,
                    package.yearly_limits_clause,
                )
            )
    return found


# -- objection ---------------------------------------------------------------------------------


def _event_day(claim: Claim) -> dt.date:
    first = claim.lines.order_by("date").values_list("date", flat=True).first()
    return first or claim.submitted


def objection(product: ProductVersion, event_day: dt.date, language: str) -> list[str]:
    """How to object, from the product's own terms: the complaint route, the answer's deadline
    where the terms set one, the Financial Supervision Commission and the court, and the
    prescription of rights counted from the insured event."""
    with translation.override(language):
        if product.abroad is not None:
            return _objection_abroad(product, event_day, language)
        return _objection_health(product, event_day)


def _objection_health(product: ProductVersion, event_day: dt.date) -> list[str]:
    handling = product.rules.claim_handling
    found = [
        _(
            "If you disagree with this decision, write to us at the insurer's correspondence "
            "address (004 Чл.30 т.1) or through this portal, saying which line you object to and "
            "why, and add any document we have not seen. We will look at the claim again and "
            "answer you in writing."
        ),
        _(
            "Disputes about the contract are settled by negotiation and, failing agreement, under "
            "Bulgarian law (004 Чл.31 т.2): you may complain to the Financial Supervision "
            "Commission (Комисия за финансов надзор, %(site)s), which supervises insurers, or "
            "bring the matter before the competent Bulgarian court."
        )
        % {"site": SUPERVISOR_SITE},
    ]
    if handling is not None:
        found.append(
            _prescription(handling.prescription_years, handling.prescription_clause, event_day)
        )
    return found


def _objection_abroad(product: ProductVersion, event_day: dt.date, language: str) -> list[str]:
    abroad = product.abroad
    insurer = product.insurer
    rule = abroad.complaints
    contacts = ", ".join(c for c in (insurer.phone, insurer.email) if c)
    if rule.months is not None:
        answer = ngettext("within %(months)s month", "within %(months)s months", rule.months) % {
            "months": rule.months
        }
    else:
        answer = _("within %(low)s to %(high)s working days, depending on the complaint") % {
            "low": rule.working_days_min or rule.working_days_max,
            "high": rule.working_days_max,
        }
    found = [
        _(
            "If you disagree with this decision, you may file a complaint at any stage: in writing "
            "at any office of the insurer or by its official contacts (%(contacts)s). You get a "
            "reference number and a written answer %(answer)s of filing (%(clause)s)."
        )
        % {
            "contacts": contacts or insurer.name.get(language),
            "answer": answer,
            "clause": rule.clause,
        },
        _(
            "If the complaint is not upheld, you may turn to the Financial Supervision Commission "
            "(Комисия за финансов надзор, %(site)s) and other competent bodies; disputes not "
            "settled by agreement go to the competent Bulgarian court."
        )
        % {"site": SUPERVISOR_SITE},
    ]
    found.append(_prescription(abroad.prescription.years, abroad.prescription.clause, event_day))
    return found


def _prescription(years: int, clause: str, event_day: dt.date) -> str:
    expires = add_months(event_day, 12 * years)
    return ngettext(
        "Your rights under the contract expire %(years)s year after the insured event "
        "(%(clause)s): for this claim, on %(day)s.",
        "Your rights under the contract expire %(years)s years after the insured event "
        "(%(clause)s): for this claim, on %(day)s.",
        years,
    ) % {"years": years, "clause": clause, "day": f"{expires:%d.%m.%Y}"}


def _letterhead(product: ProductVersion, language: str) -> Letterhead:
    return insurer_letterhead(product.insurer, language)


# -- output ------------------------------------------------------------------------------------


def _context(letter: DecisionLetter, *, links: dict | None = None) -> dict:
    claim = letter.claim
    with translation.override(letter.language):
        subject = _("Decision on claim %(number)s") % {"number": claim.number}
        annex = {"title": _("How to object"), "paragraphs": letter.objection}
    return {
        "letter": letter,
        "reference": claim.number,
        "date": letter.decided_on,
        "subject": subject,
        "recipient": [letter.person],
        "letterhead": letter.letterhead,
        "annex": annex,
        "links": links or {},
    }


def letter_html(letter: DecisionLetter, *, links: dict | None = None) -> str:
    return render_html(TEMPLATE, _context(letter, links=links), language=letter.language)


def letter_pdf(letter: DecisionLetter) -> bytes:
    return render_pdf(TEMPLATE, _context(letter), language=letter.language)


def pdf_name(claim: Claim) -> str:
    return f"{claim.number}.pdf"
