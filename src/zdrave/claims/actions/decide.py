"""Deciding claims: the engine's automatic decision, referrals, an adjuster's decision with
overrides, the second approval (four eyes), reopening, and decision versions.

The insured person's membership row is locked before their claim is decided: their limit usage
is the sum of their decided lines, so two claims of one person are decided one after the other
and a limit is never exceeded (``tests/claims/test_concurrency.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import AuditEvent, audit_values, record
from zdrave.base.identity.permissions import (
    can_approve_claim_decisions,
    can_reopen_claim_on_complaint,
    can_review_claims_medically,
    can_work_claims,
)
from zdrave.claims import abroad, states
from zdrave.claims.actions import together
from zdrave.claims.actions.files import attach_pieces
from zdrave.claims.actions.pay import (
    committed_amount,
    new_payment,
    payment_held,
    schedule_payment,
)
from zdrave.claims.fetch import Intake, case_for, lock_claim
from zdrave.claims.models import (
    Claim,
    ClaimEvent,
    ClaimForm,
    ClaimLine,
    ClaimStatus,
    DecisionVersion,
    Outcome,
)
from zdrave.claims.states import By
from zdrave.claims.tasks import announce, notify_member, queued_row
from zdrave.claims.validation import clean_icd10
from zdrave.engine.adjudication.facts import CIRCUMSTANCES
from zdrave.engine.adjudication.health import adjudicate_health, usage_from_history
from zdrave.engine.adjudication.index import index_for
from zdrave.engine.decisions import ClaimDecision, ClaimOutcome
from zdrave.engine.terms.loader import Catalog
from zdrave.products.terms import terms

ZERO = Decimal("0.00")
S = ClaimStatus
DECISION_FIELDS = ["outcome", "eligible", "copay", "payable", "paid_quantity", "reasons"]
STATUS_OF = {
    Outcome.APPROVED: S.APPROVED,
    Outcome.PARTIAL: S.PARTIALLY_APPROVED,
    Outcome.REJECTED: S.REJECTED,
}
MAX_REASON = 1000


def four_eyes_threshold() -> Decimal:
    """Total payout above which a person's decision needs a second approval, and above which
    the engine does not decide alone (``ZDRAVE_CLAIMS_FOUR_EYES_EUR``, docs/decisions.md)."""
    return Decimal(str(getattr(settings, "CLAIMS_FOUR_EYES_EUR", "1000.00")))


# -- the engine ----------------------------------------------------------------------------------


def engine_decision(
    claim: Claim,
    *,
    member=None,
    rows=None,
    catalog: Catalog | None = None,
    loaded: Intake | None = None,
) -> ClaimDecision:
    """The engine's decision on ``claim`` as it stands (caller holds the person's lock;
    ``member`` and the line ``rows`` when the caller has them loaded). A Best Doctors claim is
    decided by the treatment-abroad engine (``claims.abroad``; 001 / 003 §VII). ``catalog``: the
    products to decide with (tests and the benchmark use their own); default the platform's.
    ``loaded``: what a submission read under the lock (``fetch.lock_for_intake``)."""
    contract = claim.contract
    if contract.product_code == abroad.PRODUCT:
        return abroad.decide_abroad(claim, member=member, rows=rows)
    version = catalog.version if catalog is not None else terms
    index = index_for(version(contract.product_code, contract.product_version))
    case = case_for(claim, member=member, lines=rows, loaded=loaded)
    return adjudicate_health(case, index, usage_from_history(case, index))


def adjudicate_claim(claim_id: int, *, catalog: Catalog | None = None) -> ClaimDecision:
    """Decide a claim with the engine and store the decision on its lines, without moving its
    status: the plain ORM path the adjudication benchmark times as its baseline. ``catalog`` as
    for ``engine_decision``."""
    with transaction.atomic():
        claim = lock_claim(claim_id)
        rows = list(claim.lines.order_by("index"))
        decision = engine_decision(claim, rows=rows, catalog=catalog)
        lines = _engine_lines(decision, rows)
        _store(claim, decision.outcome.value, lines, decision, rows)
        claim.save()
    return decision


def _engine_lines(decision: ClaimDecision, rows: list[ClaimLine]) -> list[dict]:
    quantities = {row.index: row.quantity for row in rows}
    return [
        {
            "index": d.index,
            "outcome": d.outcome.value,
            "eligible": str(d.eligible),
            "copay": str(d.copay),
            "payable": str(d.payable),
            "quantity": getattr(d, "quantity", quantities.get(d.index, 0) if d.payable else 0),
            "reasons": [r.to_json() for r in d.reasons],
            "override": None,
        }
        for d in decision.lines
    ]


def _store(
    claim: Claim,
    outcome: str,
    lines: list[dict],
    decision: ClaimDecision | None,
    rows: list[ClaimLine] | None = None,
) -> None:
    """Copy a decision onto the claim's lines and save them (what limits and the member's page
    read); the claim itself is saved by the caller."""
    rows = list(claim.lines.all()) if rows is None else rows
    _copy(claim, rows, lines, outcome)
    ClaimLine.objects.bulk_update(rows, DECISION_FIELDS)
    if decision is not None:
        claim.missing_documents = list(decision.missing_documents)


def auto_decide(claim_id: int) -> Claim:
    """Run the engine on a claim that became complete (documents added later) and act on its
    answer: ``decide_locked`` in a transaction of its own."""
    with transaction.atomic():
        claim = lock_claim(claim_id)
        if claim.status in (S.SUBMITTED, S.PENDING_DOCUMENTS, S.REOPENED):
            decide_locked(claim, list(claim.lines.order_by("index")))
    return claim


def decide_locked(claim: Claim, rows: list[ClaimLine], *, member=None, new: bool = False) -> str:
    """Act on the engine's answer with no person in the loop where the answer is clear
    (004 Чл.29 т.2); caller holds the person's lock and the claim's ``rows``. Returns the
    e-mail to send (``emails.SUBJECTS`` key):

    - documents missing → waiting for documents (the request goes out at once);
    - a possible duplicate, no ICD-10 code, or a payout above the four-eyes threshold → a person;
    - otherwise the decision is final and the payment scheduled, within the same second.

    ``new``: the claim was created in this transaction (no earlier version or payment to read).
    """
    decision = engine_decision(claim, member=member, rows=rows)
    lines = _engine_lines(decision, rows)
    if decision.outcome is ClaimOutcome.PENDING:
        claim.missing_documents = list(decision.missing_documents)
        claim.complete_on = None
        if claim.documents_requested_on is None:
            claim.documents_requested_on = timezone.localdate()
        note = ", ".join(decision.missing_documents)
        if claim.status != S.PENDING_DOCUMENTS:
            states.move(
                claim,
                S.PENDING_DOCUMENTS,
                "documents_requested",
                by=By.ENGINE,
                actor=None,
                note=note,
            )
        else:
            claim.save()
            states.note(claim, "documents_requested", actor=None, text=note)
        return _mail(claim, "documents_requested")
    claim.missing_documents = []
    claim.complete_on = claim.complete_on or timezone.localdate()
    referral = _referral(claim, decision)
    # Sent to a person, the engine's answer is a proposal (not final: no earlier decision for
    # the member's page or the letter to compare with); decided alone, it is the decision.
    version = _propose(
        claim, lines, decision, by=None, reason="", first=new, needs_approval=referral is not None
    )
    if referral is not None:
        target, why = referral
        states.move(claim, target, "referred", by=By.ENGINE, actor=None, note=why)
        return _mail(claim, "received")
    claim.decided_automatically = True
    _store(claim, version.outcome, version.lines, None, rows)
    claim.missing_documents = []
    target = STATUS_OF[Outcome(version.outcome)]
    if claim.payable > ZERO:
        # Decided and scheduled in one step: the claim is saved once, two steps are recorded.
        states.move(claim, target, "auto_decided", by=By.ENGINE, actor=None, save=False)
        schedule_payment(claim, actor=None, by=By.ENGINE, version=version, first=new)
    else:
        states.move(claim, target, "auto_decided", by=By.ENGINE, actor=None)
    record(actor=None, verb="claim_auto_decided", obj=claim, version=version.number)
    return _mail(claim, "decided")


def decide_new(
    claim: Claim, rows: list[ClaimLine], loaded: Intake, *, actor, last: bool = False
) -> Claim:
    """Store a new claim already decided: the engine decides the unsaved claim and lines (the
    person's lock held, ``loaded`` read with it), then the claim, its lines, files, decision,
    payment, steps and audit row are written together (``actions.together``: one statement on
    PostgreSQL) — the path a member's submission takes (``benchmarks/claims_online.py``). The
    same outcomes as ``decide_locked``. ``last``: the caller's ``atomic`` block ends with this
    call (its ``COMMIT`` may go with the write: ``together.execute``)."""
    decision = engine_decision(claim, member=loaded.member, rows=rows, loaded=loaded)
    lines = _engine_lines(decision, rows)
    today = timezone.localdate()
    steps = [("submitted", S.SUBMITTED, S.SUBMITTED, actor, "")]
    mail = "decided"
    if decision.outcome is ClaimOutcome.PENDING:
        claim.missing_documents = list(decision.missing_documents)
        claim.documents_requested_on = today
        claim.status = S.PENDING_DOCUMENTS
        steps.append(
            (
                "documents_requested",
                S.SUBMITTED,
                claim.status,
                None,
                ", ".join(claim.missing_documents),
            )
        )
        mail = "documents_requested"
    else:
        claim.complete_on = today
        referral = _referral(claim, decision)
        if referral is not None:
            claim.status, why = referral
            steps.append(("referred", S.SUBMITTED, claim.status, None, why))
            mail = "received"
        else:
            claim.status = STATUS_OF[Outcome(_outcome(lines))]
            claim.decided_automatically = True
            steps.append(("auto_decided", S.SUBMITTED, claim.status, None, ""))
            _copy(claim, rows, lines, _outcome(lines))
            # 004 Чл.29 т.8: a payment the payee rules refuse waits for an adjuster.
            # A subscription claim waits for the provider's monthly statement (004 Чл.29 т.12).
            paid_now = claim.payable > ZERO and claim.form != ClaimForm.SUBSCRIPTION
            held = payment_held(claim, first=True) if paid_now else ""
            if held:
                steps.append(("payment_held", claim.status, claim.status, None, held))
            elif paid_now:
                steps.append(("payment_scheduled", claim.status, S.PAYMENT_SCHEDULED, None, ""))
                claim.status = S.PAYMENT_SCHEDULED
    # 004 Чл.29 т.1: the incoming number, from the row's own id (reserved with the lock) —
    # unique without a counter.
    claim.pk = loaded.claim_id
    claim.number = f"CL-{claim.submitted.year}-{claim.pk:06d}"
    for row in rows:
        row.claim = claim
    created = [claim, *rows]
    writes = [
        together.inserts([claim]),
        together.inserts(rows),
        *attach_pieces(claim, loaded.files),
    ]
    if decision.outcome is not ClaimOutcome.PENDING:
        # A proposal only (not final) when the claim went to a person: see decide_locked.
        version = _version(
            claim,
            1,
            lines,
            decision,
            by=None,
            reason="",
            needs_approval=not claim.decided_automatically,
        )
        version.pk = loaded.version_id
        writes.append(together.inserts([version]))
        created.append(version)
        if claim.status == S.PAYMENT_SCHEDULED:
            payment = new_payment(claim, version)
            payment.pk = loaded.payment_id
            writes.append(together.inserts([payment]))
            created.append(payment)
    writes.append(together.insert_rows(ClaimEvent, states.step_rows(claim, steps)))
    audit = audit_values(actor=actor, verb="claim_submitted", obj=claim, status=claim.status)
    writes.append(together.insert_rows(AuditEvent, [audit]))
    writes.extend(together.observed(created, actor=actor))
    # The decision e-mail's task row joins the write: it commits with the claim, and only then
    # does the worker see it (``tasks.queued_row``); other e-mails as ``_mail``.
    queued = queued_row(claim.pk, mail)
    if queued is not None:
        writes.append(together.inserts([queued]))
    together.execute(writes, last=last)
    # Nothing here touches the database: the callbacks run after the block's commit.
    if queued is not None:
        transaction.on_commit(lambda: announce(queued))
    else:
        _mail(claim, mail)
    return claim


def _copy(claim: Claim, rows: list[ClaimLine], lines: list[dict], outcome: str) -> None:
    """A decision's ``lines`` onto the line ``rows`` and its totals onto ``claim``, in memory:
    nothing is saved."""
    by_index = {d["index"]: d for d in lines}
    for row in rows:
        decided = by_index[row.index]
        row.outcome = decided["outcome"]
        row.eligible = Decimal(decided["eligible"])
        row.copay = Decimal(decided["copay"])
        row.payable = Decimal(decided["payable"])
        row.paid_quantity = decided["quantity"]
        row.reasons = decided["reasons"]
    claim.outcome = outcome
    claim.payable = _payable(lines)
    claim.decided_at = timezone.now()


def _mail(claim: Claim, what: str) -> str:
    transaction.on_commit(lambda: notify_member(claim.pk, what))
    return what


def _referral(claim: Claim, decision: ClaimDecision) -> tuple[str, str] | None:
    if not claim.diagnosis:
        return S.REFERRED_MEDICAL, _("The diagnosis needs an ICD-10 code from a medical expert.")
    if claim.duplicate_flags:
        return S.REFERRED_ADJUSTER, _("A line may already have been claimed.")
    if decision.payable > four_eyes_threshold():
        return S.REFERRED_ADJUSTER, _("The amount is above the limit for automatic payment.")
    return None


def _propose(
    claim, lines, decision, *, by, reason: str, needs_approval=False, first=False
) -> DecisionVersion:
    if first:
        number = 1
    else:
        last = claim.versions.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    version = _version(
        claim, number, lines, decision, by=by, reason=reason, needs_approval=needs_approval
    )
    version.save(force_insert=True)
    return version


def _version(
    claim, number: int, lines, decision, *, by, reason: str, needs_approval: bool
) -> DecisionVersion:
    """A decision version, not yet saved."""
    outcome = _outcome(lines)
    return together.instance(
        DecisionVersion,
        claim=claim,
        number=number,
        decided_by=by,
        outcome=outcome,
        payable=_payable(lines),
        lines=lines,
        engine=decision.to_json() if decision is not None else {},
        reason=reason,
        needs_approval=needs_approval,
    )


def _payable(lines: list[dict]) -> Decimal:
    return sum((Decimal(d["payable"]) for d in lines), ZERO)


def _outcome(lines: list[dict]) -> str:
    outcomes = {d["outcome"] for d in lines}
    if outcomes <= {Outcome.APPROVED}:
        return Outcome.APPROVED
    if all(Decimal(d["payable"]) == ZERO for d in lines):
        return Outcome.REJECTED
    return Outcome.PARTIAL


def _finalise(claim: Claim, version: DecisionVersion, *, actor, by: By, kind: str) -> None:
    _store(claim, version.outcome, version.lines, None)
    claim.missing_documents = []
    states.move(claim, STATUS_OF[Outcome(version.outcome)], kind, by=by, actor=actor)
    record(actor=actor, verb=f"claim_{kind}", obj=claim, version=version.number)
    _mail(claim, "decided")


# -- people ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Override:
    """An adjuster's change of one line: the amount to pay (0 refuses it) and why."""

    index: int
    payable: Decimal
    reason: str


def parse_override(index: int, payable: str, reason: str) -> Override:
    try:
        amount = Decimal(payable.replace(",", ".").strip())
    except InvalidOperation:
        raise ValidationError(
            {"payable": _("Amount to pay: enter an amount in euro, such as 12.50.")}
        ) from None
    if amount < ZERO or amount.as_tuple().exponent < -2:
        raise ValidationError({"payable": _("Amount to pay: zero or more, in euro and cents.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Reason: an override needs a reason.")})
    return Override(index, amount.quantize(Decimal("0.01")), reason.strip()[:MAX_REASON])


def refer(claim: Claim, *, to: str, actor, note: str = "") -> Claim:
    """An adjuster sends a claim to the medical expert, or the medical expert back with their
    answer, or an adjuster takes one from the queue."""
    if to == S.REFERRED_MEDICAL and not can_work_claims(actor):
        raise PermissionDenied
    if to == S.REFERRED_ADJUSTER and not (
        can_work_claims(actor) or can_review_claims_medically(actor)
    ):
        raise PermissionDenied
    by = By.MEDICAL if can_review_claims_medically(actor) else By.ADJUSTER
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        states.move(claim, to, "referred", by=by, actor=actor, note=note)
        record(actor=actor, verb="claim_referred", obj=claim, to=to)
    return claim


def code_diagnosis(
    claim: Claim, *, actor, icd10: str, note: str = "", circumstances: Iterable[str] = ()
) -> Claim:
    """The medical expert gives the ICD-10 code (and their view on necessity or a pre-existing
    condition in ``note``) and returns the claim to the adjusters. ``circumstances``: what the
    opinion found that the engine's exclusions read (``pre-existing`` 004 Чл.21(1) т.2,
    ``not-related-to-diagnosis`` т.17, ``planned-before-contract`` т.22, ``no-symptoms`` т.23);
    they are added to the claim's, so the adjuster's decision applies them."""
    if not can_review_claims_medically(actor):
        raise PermissionDenied
    code = clean_icd10(icd10)
    if not code:
        raise ValidationError(
            {"icd10": _("Diagnosis code: enter the ICD-10 code (such as M54.5).")}
        )
    unknown = set(circumstances) - CIRCUMSTANCES
    if unknown:
        raise ValidationError({"circumstances": _("Circumstances: choose from the list.")})
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        claim.diagnosis = code
        claim.circumstances = sorted({*claim.circumstances, *circumstances})
        states.move(
            claim, S.REFERRED_ADJUSTER, "medical_opinion", by=By.MEDICAL, actor=actor, note=note
        )
        record(
            actor=actor,
            verb="claim_diagnosis_coded",
            obj=claim,
            icd10=code,
            circumstances=sorted(circumstances),
        )
    return claim


def decide(claim: Claim, *, actor, overrides: list[Override] = (), note: str = "") -> str:
    """An adjuster's decision: the engine's proposal with the adjuster's overrides. An override
    or a payout above the four-eyes threshold waits for a second person; otherwise the decision
    is final. Returns the claim's new status."""
    if not can_work_claims(actor):
        raise PermissionDenied
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        rows = list(claim.lines.order_by("index"))
        decision = engine_decision(claim, rows=rows)
        if decision.outcome is ClaimOutcome.PENDING and not overrides:
            raise ValidationError(
                {"status": _("Status: documents are still missing; ask for them or override.")}
            )
        lines = _apply(_engine_lines(decision, rows), overrides, actor)
        needs = bool(overrides) or _payable(lines) > four_eyes_threshold()
        version = _propose(
            claim, lines, decision, by=actor, reason=note.strip(), needs_approval=needs
        )
        if needs:
            states.move(
                claim,
                S.AWAITING_APPROVAL,
                "decision_proposed",
                by=By.ADJUSTER,
                actor=actor,
                note=note,
            )
            record(actor=actor, verb="claim_decision_proposed", obj=claim, version=version.number)
            return claim.status
        _finalise(claim, version, actor=actor, by=By.ADJUSTER, kind="decided")
        _pay_difference(claim, actor=actor)
        return claim.status


def _apply(lines: list[dict], overrides, actor) -> list[dict]:
    by_index = {d["index"]: d for d in lines}
    for override in overrides:
        line = by_index.get(override.index)
        if line is None:
            raise ValidationError({"index": _("Line: there is no such line on this claim.")})
        line["payable"] = str(override.payable)
        line["outcome"] = Outcome.APPROVED if override.payable > ZERO else Outcome.REJECTED
        if override.payable > ZERO and override.payable < Decimal(line["eligible"]) - Decimal(
            line["copay"]
        ):
            line["outcome"] = Outcome.PARTIAL
        line["override"] = {"reason": override.reason, "by": actor.get_username()}
        line["reasons"] = [
            *line["reasons"],
            {"code": "override", "clause": "", "message": override.reason},
        ]
    return lines


def approve(claim: Claim, *, actor, note: str = "") -> str:
    """The second person approves the proposed decision (never the one who proposed it)."""
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        version = claim.versions.order_by("-number").first()
        if version is None or claim.status != S.AWAITING_APPROVAL:
            raise ValidationError({"status": _("Status: there is no decision to approve.")})
        if not can_approve_claim_decisions(actor, version):
            raise PermissionDenied
        version.approved_by = actor
        version.approved_at = timezone.now()
        version.save(update_fields=["approved_by", "approved_at"])
        _finalise(claim, version, actor=actor, by=By.APPROVER, kind="approved")
        if note.strip():
            states.note(claim, "approval_note", actor=actor, text=note)
        _pay_difference(claim, actor=actor)
        return claim.status


def send_back(claim: Claim, *, actor, note: str) -> Claim:
    """The second person does not approve: the claim goes back to the adjusters with why."""
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        version = claim.versions.order_by("-number").first()
        if version is None or not can_approve_claim_decisions(actor, version):
            raise PermissionDenied
        if not note.strip():
            raise ValidationError({"note": _("Reason: say why the decision goes back.")})
        states.move(claim, S.REFERRED_ADJUSTER, "sent_back", by=By.APPROVER, actor=actor, note=note)
    return claim


def reopen(claim: Claim, *, actor, note: str, by: By = By.ADJUSTER) -> Claim:
    """Reopen a decided or paid claim (new documents, a complaint, an engine fix): it is decided
    again as a new version; the earlier decision stays readable. ``by=By.COMPLAINTS``: the
    complaints officer upholding a complaint about the claim (the note names the complaint)."""
    allowed = can_reopen_claim_on_complaint if by == By.COMPLAINTS else can_work_claims
    if not allowed(actor):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError({"note": _("Reason: say why the claim is reopened.")})
    with transaction.atomic():
        claim = lock_claim(claim.pk)
        states.move(claim, S.REOPENED, "reopened", by=by, actor=actor, note=note)
        record(actor=actor, verb="claim_reopened", obj=claim)
    return claim


def _pay_difference(claim: Claim, *, actor) -> None:
    # A later decision paying less records the amount to recover (never a silent overwrite).
    if claim.payable != committed_amount(claim):
        schedule_payment(claim, actor=actor, by=By.ADJUSTER)
