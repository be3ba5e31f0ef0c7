"""A claim as its member reads it: every step in plain words (never a code), the decision per
line with the clause it rests on, what is missing and by when, the payments and earlier
decisions. Reads only; the page logs the view (``views.member.detail``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zdrave.claims import states
from zdrave.claims.catalogue import Covered, covered_of, document_names, language, service_label
from zdrave.claims.clocks import Clock, clock_for
from zdrave.claims.fetch import final_versions, line_covers
from zdrave.claims.models import (
    Claim,
    ClaimStatus,
    DecisionVersion,
    Outcome,
    Payment,
    PaymentStatus,
)
from zdrave.claims.states import account_can_change
from zdrave.engine.adjudication.index import ProductIndex
from zdrave.engine.adjudication.reasons import EXCLUDED_PREFIX, REASON_CODES
from zdrave.engine.terms import ProductVersion
from zdrave.products.display import clause_label, option_label

S = ClaimStatus
ZERO = Decimal("0.00")
DECIDED = (
    S.APPROVED,
    S.PARTIALLY_APPROVED,
    S.REJECTED,
    S.PAYMENT_SCHEDULED,
    S.PAID,
    S.PAYMENT_FAILED,
)
# A complete claim the member still waits for money on.
WAITING = (
    S.SUBMITTED,
    S.REFERRED_ADJUSTER,
    S.REFERRED_MEDICAL,
    S.AWAITING_APPROVAL,
    S.APPROVED,
    S.PARTIALLY_APPROVED,
    S.PAYMENT_SCHEDULED,
    S.REOPENED,
)
# Steps a member reads; a kind not listed reads as the status it led to.
STEP_TEXT = {
    "submitted": gettext_lazy("We received your claim."),
    "documents_requested": gettext_lazy("We asked for documents that are missing."),
    "documents_added": gettext_lazy("Documents were added to the claim."),
    "auto_decided": gettext_lazy("The claim was decided at once: %(status)s."),
    "medical_opinion": gettext_lazy("Our doctor gave an opinion; a claims specialist continues."),
    "decision_proposed": gettext_lazy("A decision was proposed; a second colleague checks it."),
    "approved": gettext_lazy("The claim was decided: %(status)s."),
    "decided": gettext_lazy("The claim was decided: %(status)s."),
    "sent_back": gettext_lazy("The proposed decision is being looked at again."),
    "reopened": gettext_lazy("The claim was reopened to be decided again."),
    "payment_scheduled": gettext_lazy("The payment was scheduled."),
    "overpayment": gettext_lazy("A new decision pays less than was paid before."),
    "withdrawn": gettext_lazy("The claim was withdrawn."),
    "account_changed": gettext_lazy("A new bank account was given for the payment."),
    "paid": gettext_lazy("The money was paid."),
    "payment_failed": gettext_lazy("The bank returned the payment."),
    "payment_returned": gettext_lazy("The bank returned the payment."),
}
REFERRED_TEXT = {
    S.REFERRED_MEDICAL: gettext_lazy("Our doctor is looking at the medical questions."),
    S.REFERRED_ADJUSTER: gettext_lazy("A claims specialist is looking at the claim."),
}
# Internal notes between colleagues are not the member's reading.
HIDDEN_STEPS = frozenset({"approval_note"})
PAYMENT_TEXT = {
    PaymentStatus.SCHEDULED: gettext_lazy("Scheduled"),
    PaymentStatus.EXPORTED: gettext_lazy("Sent to the bank"),
    PaymentStatus.PAID: gettext_lazy("Paid"),
    PaymentStatus.RETURNED: gettext_lazy("Returned by the bank"),
    PaymentStatus.CANCELLED: gettext_lazy("Cancelled"),
    PaymentStatus.TO_RECOVER: gettext_lazy("To be paid back by you"),
}


@dataclass(frozen=True)
class Step:
    at: dt.datetime
    text: str
    who: str
    note: str = ""


@dataclass(frozen=True)
class ReasonText:
    text: str
    clause: str


@dataclass(frozen=True)
class LineView:
    number: int
    service: str
    date: dt.date
    amount: Decimal
    currency: str
    outcome: str
    eligible: Decimal
    copay: Decimal
    payable: Decimal
    reasons: list[ReasonText]
    # The cover the line was decided on, when the claim's lines fall on two covers (an annex).
    cover: str = ""


@dataclass(frozen=True)
class VersionView:
    version: DecisionVersion
    outcome: str
    lines: list[LineView]


@dataclass(frozen=True)
class PaymentView:
    payment: Payment
    status: str
    reason: str  # why the money is to be recovered: the later decision's reason

    @property
    def recover(self) -> bool:
        return self.payment.amount < ZERO

    @property
    def amount(self) -> Decimal:
        return abs(self.payment.amount)


@dataclass
class ClaimPage:
    claim: Claim
    person: str
    status: str
    decided: bool
    steps: list[Step]
    lines: list[LineView]
    missing: list[str]
    clock: Clock | None
    payments: list[PaymentView]
    paid: Decimal
    earlier: list[VersionView] = field(default_factory=list)
    can_withdraw: bool = False
    can_change_account: bool = False
    can_add_documents: bool = True
    # 004 Чл.29 т.2: paid within 15 working days of the last document; shown until it is paid.
    pay_by: dt.date | None = None
    documents: list[tuple[str, object]] = field(default_factory=list)


def claim_page(claim: Claim, user) -> ClaimPage:
    covered = covered_of(claim.member)
    names = document_names(covered.version)
    decided = claim.status in DECIDED and bool(claim.outcome)
    versions = final_versions(claim)
    current = versions[-1] if versions else None
    rows = list(claim.lines.order_by("index"))
    covers = decided_on_covers(claim, rows, covered.index, language()) if decided else {}
    lines = [
        _line_view(covered, row.index, row, _decided_line(current, row.index), covers)
        for row in rows
    ]
    payments = [
        PaymentView(p, str(PAYMENT_TEXT[PaymentStatus(p.status)]), _recovery_reason(p))
        for p in claim.payments.select_related("version").order_by("created_at", "id")
    ]
    paid = claim.payments.filter(status=PaymentStatus.PAID).aggregate(t=Sum("amount"))["t"]
    missing = [names.get(k, k) for k in claim.missing_documents]
    return ClaimPage(
        claim=claim,
        person=claim.member.person.full_name,
        status=claim.get_status_display(),
        decided=decided,
        steps=steps(claim, user),
        lines=lines,
        missing=missing,
        clock=clock_for(claim) if claim.status == S.PENDING_DOCUMENTS else None,
        pay_by=clock_for(claim).pay_by if claim.complete_on and claim.status in WAITING else None,
        payments=payments,
        paid=paid or ZERO,
        earlier=[_version_view(covered, claim, v) for v in versions[:-1]],
        can_withdraw=states.allowed(claim.status, S.WITHDRAWN, states.By.MEMBER),
        can_change_account=account_can_change(claim) and claim.status != S.REJECTED,
        can_add_documents=claim.status != S.WITHDRAWN,
        documents=[(names.get(f.key, f.key), f.file) for f in claim.files.select_related("file")],
    )


def steps(claim: Claim, user) -> list[Step]:
    found = []
    for event in claim.events.select_related("actor").order_by("at", "id"):
        if event.kind in HIDDEN_STEPS:
            continue
        found.append(
            Step(
                at=event.at,
                text=_step_text(event),
                who=_who(event, claim, user),
                note=event.note if event.kind == "withdrawn" else "",
            )
        )
    return found


def _step_text(event) -> str:
    status = ClaimStatus(event.to_status).label if event.to_status else ""
    if event.kind == "referred" and event.to_status in REFERRED_TEXT:
        return str(REFERRED_TEXT[event.to_status])
    text = STEP_TEXT.get(event.kind)
    if text is None:
        return _("Status: %(status)s.") % {"status": status}
    return str(text) % {"status": str(status).lower()}


def _who(event, claim: Claim, user) -> str:
    if event.actor_id is None:
        return _("automatically")
    if event.actor_id == user.pk:
        return _("you")
    if event.actor_id in (claim.submitted_by_id, claim.member.person.user_id):
        return claim.member.person.full_name
    return _("our claims team")


def _decided_line(version: DecisionVersion | None, index: int) -> dict | None:
    if version is None:
        return None
    return next((d for d in version.lines if d.get("index") == index), None)


def decided_on_covers(claim: Claim, rows, index: ProductIndex, lang: str) -> dict[int, str]:
    """By line index, the cover (package, option, clause) each line was decided on — only when
    the lines fall on different covers (an annex between them: each line is decided on the
    cover of its own day, 004 Чл.27 т.2); empty otherwise."""
    if len({row.date for row in rows}) < 2:
        return {}
    by_line = line_covers(claim, rows)
    if len({frozenset(covers.items()) for covers in by_line.values()}) < 2:
        return {}
    found = {}
    for row in rows:
        info = index.services.get(row.service)
        if info is None:
            continue
        cover = by_line[row.index].get(info.package_number)
        if cover is None:
            found[row.index] = _("no cover for this package on that day")
            continue
        found[row.index] = _("%(package)s, option %(option)s, clause %(clause)s") % {
            "package": info.package.name.get(lang),
            "option": option_label(cover.option),
            "clause": clause_label(cover.clause),
        }
    return found


def _line_view(
    covered: Covered, index: int, row, decided: dict | None, covers: dict[int, str] | None = None
) -> LineView:
    info = covered.index.services.get(row.service)
    outcome = Outcome(decided["outcome"]).label if decided and decided.get("outcome") else ""
    return LineView(
        number=index + 1,
        service=service_label(info) if info else row.service,
        date=row.date,
        amount=row.amount,
        currency=row.currency,
        outcome=str(outcome) or _("Not decided yet"),
        eligible=Decimal(decided["eligible"]) if decided else ZERO,
        copay=Decimal(decided["copay"]) if decided else ZERO,
        payable=Decimal(decided["payable"]) if decided else ZERO,
        reasons=[
            reason_text(r, covered.version, language()) for r in (decided or {}).get("reasons", [])
        ],
        cover=(covers or {}).get(index, ""),
    )


def _version_view(covered: Covered, claim: Claim, version: DecisionVersion) -> VersionView:
    rows = {row.index: row for row in claim.lines.all()}
    return VersionView(
        version=version,
        outcome=str(Outcome(version.outcome).label) if version.outcome else "",
        lines=[
            _line_view(covered, d["index"], rows[d["index"]], d)
            for d in version.lines
            if d.get("index") in rows
        ],
    )


def reason_text(reason: dict, product: ProductVersion, language: str) -> ReasonText:
    """A reason of the decision in plain words with its clause, as the member reads it on the
    claim's page and in the decision letter: the reason codes' own texts
    (docs/reason-codes.md), an exclusion by its item of 004 Чл.21, an override by the adjuster's
    words."""
    code = str(reason.get("code", ""))
    clause = str(reason.get("clause", ""))
    if code == "override":
        return ReasonText(
            _("Changed by our claims team: %(why)s") % {"why": reason.get("message", "")}, clause
        )
    if code.startswith(EXCLUDED_PREFIX):
        wanted = code.removeprefix(EXCLUDED_PREFIX)
        for exclusion in product.rules.exclusions:
            if exclusion.code == wanted:
                return ReasonText(
                    _("Not covered: %(what)s.") % {"what": exclusion.title.get(language)}, clause
                )
    known = REASON_CODES.get(code)
    if known is not None:
        return ReasonText(known.en if language.startswith("en") else known.bg, clause)
    return ReasonText(str(reason.get("message", "")), clause)


def _recovery_reason(payment: Payment) -> str:
    if payment.status != PaymentStatus.TO_RECOVER:
        return ""
    return payment.version.reason or _("A later decision on the claim pays less than was paid.")
