"""Billing's letters to the policyholder, as PDF (attached to the e-mail, downloaded by staff)
through ``zdrave.base.letters``: the arrears notice (004 Чл.25 т.5), the termination with its
refund or amount due (Чл.28, Чл.25 т.7–10), and the proposal of a higher premium (Чл.25 т.8)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from zdrave.base.letters.render import render_html, render_pdf
from zdrave.engine.money import format_eur
from zdrave.policy_admin.billing.lapses import BEST_DOCTORS, lapse_of
from zdrave.policy_admin.billing.models import BillingTask, Termination

TEMPLATE = "letters/base.html"


def _day(value) -> str:
    return date_format(value, "d.m.Y")


def holder_language(contract) -> str:
    for user in contract.holder.users.all():
        if getattr(user, "language", ""):
            return user.language
    return "bg"


def _recipient(contract) -> list[str]:
    return [contract.holder.name, _("Policyholder of contract %(n)s") % {"n": contract.number}]


def arrears_context(task: BillingTask) -> dict:
    contract, instalment = task.contract, task.instalment
    return {
        "reference": f"{contract.number}/A{task.pk}",
        "date": task.notice_sent_on or timezone.localdate(),
        "recipient": _recipient(contract),
        "subject": _("Premium instalment overdue: contract %(n)s") % {"n": contract.number},
        "salutation": _("Dear %(name)s,") % {"name": contract.holder.name},
        "paragraphs": [
            _(
                "The premium instalment of %(amount)s due on %(due)s under contract %(n)s has not "
                "been paid in full: %(owed)s is still owed."
            )
            % {
                "amount": format_eur(instalment.amount),
                "due": _day(instalment.due),
                "n": contract.number,
                "owed": format_eur(instalment.outstanding),
            },
            _(
                "It is more than 15 days overdue. Under Art. 25(5) of the general conditions "
                "(004 Чл.25 т.5) and Art. 368 of the Insurance Code the insurer has the right to "
                "terminate the contract. Your cover continues for now."
            ),
            _(
                "Please pay the amount owed, with the contract number %(n)s in the payment "
                "details. If you have paid already, please ignore this letter."
            )
            % {"n": contract.number},
        ],
        "signature": _("Billing department"),
    }


def lapse_context(task: BillingTask) -> dict:
    """Best Doctors: the cover stopped by itself 30 days after the due date (001 т.27.4 / 003
    т.24 в)); every missed premium paid within two months restores it (т.40 / т.36), else the
    contract ends for good (т.41 / т.37)."""
    contract = task.contract
    lapse = lapse_of(contract)
    owed = sum((i.outstanding for i in contract.instalments.filter(paid_on__isnull=True)), 0)
    paragraphs = []
    if lapse is not None:
        paragraphs = [
            _(
                "The premium due on %(due)s under contract %(n)s was not paid within 30 days. "
                "Under %(clause)s of the general conditions the cover stopped at 00:00 on "
                "%(stops)s: treatment from that day is not covered."
            )
            % {
                "due": _day(lapse.due),
                "n": contract.number,
                "clause": lapse.lapse_clause,
                "stops": _day(lapse.stops),
            },
            _(
                "If every missed premium (now %(owed)s) is paid by %(last)s, the cover is "
                "restored from 00:00 of the day after the payment (%(clause)s); treatment "
                "between the two dates stays uncovered."
            )
            % {
                "owed": format_eur(owed),
                "last": _day(lapse.last_day_to_pay),
                "clause": lapse.reinstatement_clause,
            },
            _(
                "If they are not paid by then, the contract ends for good on %(ends)s: premiums "
                "paid are not returned, nothing is paid under the contract and it cannot be "
                "restored (%(clause)s)."
            )
            % {"ends": _day(lapse.ends_on), "clause": lapse.final_clause},
        ]
    paragraphs.append(
        _("Please pay with the contract number %(n)s in the payment details.")
        % {"n": contract.number}
    )
    return {
        "reference": f"{contract.number}/L{task.pk}",
        "date": task.notice_sent_on or timezone.localdate(),
        "recipient": _recipient(contract),
        "subject": _("Cover stopped for an unpaid premium: contract %(n)s")
        % {"n": contract.number},
        "salutation": _("Dear %(name)s,") % {"name": contract.holder.name},
        "paragraphs": paragraphs,
        "signature": _("Billing department"),
    }


def _best_doctors_ended(termination: Termination) -> list[str]:
    contract = termination.contract
    return [
        _(
            "Contract %(n)s was not restored within two months of the date its premiums were "
            "paid until, so it ended for good at 00:00 on %(day)s (%(clause)s)."
        )
        % {
            "n": contract.number,
            "day": _day(termination.effective_on),
            "clause": termination.clause,
        },
        _(
            "Premiums paid are not returned, no amounts are due or paid under the contract, and "
            "it cannot be restored (%(clause)s)."
        )
        % {"clause": termination.clause},
    ]


def _best_doctors_grounds(termination: Termination) -> list[str]:
    """001 т.27.1–27.3 / 003 т.24 а)–б): the ground, the policyholder's request where it was
    theirs, and that nothing is paid for events after the end of cover."""
    lines = []
    if termination.requested_on:
        lines.append(
            _("We received your written request on %(day)s (%(clause)s).")
            % {"day": _day(termination.requested_on), "clause": termination.clause}
        )
    if termination.kind == "bd-misrepresentation":
        lines.append(
            _(
                "When the contract was made a circumstance the insurer asked about in writing was "
                "stated inaccurately or withheld; the insurer keeps the premium paid and may claim "
                "the premium for the time until the termination (001 т.27.3)."
            )
        )
    elif termination.kind == "bd-interest-lost":
        lines.append(
            _(
                "The premium is recalculated for the time the contract was in force and the "
                "difference is returned to the policyholder (001 т.27.2)."
            )
        )
    elif termination.kind in ("bd-holder-notice", "bd-insurer-notice"):
        lines.append(
            _("With three months' notice the contract ends at 24:00 on %(day)s (003 т.24 б)).")
            % {"day": _day(termination.effective_on - dt.timedelta(days=1))}
        )
    lines.append(
        _("Nothing is paid for treatment or costs after the end of cover (%(clause)s).")
        % {"clause": termination.clause}
    )
    return lines


def termination_context(termination: Termination) -> dict:
    contract = termination.contract
    # A Best Doctors contract ends for non-payment only by itself (the daily sweep).
    if contract.product_code == BEST_DOCTORS and termination.kind == "premium-overdue":
        return {
            "reference": f"{contract.number}/T{termination.pk}",
            "date": termination.decided_on,
            "recipient": _recipient(contract),
            "subject": _("Termination of contract %(n)s") % {"n": contract.number},
            "salutation": _("Dear %(name)s,") % {"name": contract.holder.name},
            "paragraphs": _best_doctors_ended(termination),
            "signature": _("Billing department"),
        }
    paragraphs = [
        _("Contract %(n)s is terminated: %(kind)s. Cover ends at 00:00 on %(day)s.")
        % {
            "n": contract.number,
            "kind": termination.get_kind_display(),
            "day": _day(termination.effective_on),
        }
    ]
    if termination.refund > 0:
        paragraphs.append(
            _("We refund %(refund)s of the premium paid for the time after that (%(clause)s).")
            % {"refund": format_eur(termination.refund), "clause": termination.clause}
        )
    else:
        paragraphs.append(
            _("No premium is refunded (%(clause)s).") % {"clause": termination.clause}
        )
    if termination.costs_kept > 0:
        paragraphs.append(
            _(
                "The costs of making and keeping the contract built into the premium, "
                "%(percent)s %% of the unexpired premium (%(costs)s), are deducted (004 Чл.25 т.7)."
            )
            % {
                "percent": termination.costs_percent.normalize(),
                "costs": format_eur(termination.costs_kept),
            }
        )
    if termination.premium_to_claim > 0:
        paragraphs.append(
            _("Premium still due for the time the insurer carried the risk: %(due)s.")
            % {"due": format_eur(termination.premium_to_claim)}
        )
    if contract.product_code == BEST_DOCTORS:
        paragraphs[1:1] = _best_doctors_grounds(termination)
    else:
        paragraphs.append(
            _(
                "Please return the insurance cards within 3 days of the termination (004 Чл.25 "
                "т.9); costs incurred after the end of cover are not reimbursed."
            )
        )
    if termination.note:
        paragraphs.append(termination.note)
    return {
        "reference": f"{contract.number}/T{termination.pk}",
        "date": termination.decided_on,
        "recipient": _recipient(contract),
        "subject": _("Termination of contract %(n)s") % {"n": contract.number},
        "salutation": _("Dear %(name)s,") % {"name": contract.holder.name},
        "paragraphs": paragraphs,
        "signature": _("Billing department"),
    }


def repricing_context(task: BillingTask) -> dict:
    contract = task.contract
    return {
        "reference": f"{contract.number}/R{task.pk}",
        "date": task.notice_sent_on or timezone.localdate(),
        "recipient": _recipient(contract),
        "subject": _("Proposal of a higher premium: contract %(n)s") % {"n": contract.number},
        "salutation": _("Dear %(name)s,") % {"name": contract.holder.name},
        "paragraphs": [
            _(
                "The gross loss ratio of contract %(n)s has reached %(ratio)s %%. Under Art. 25(8) "
                "of the general conditions (004 Чл.25 т.8) we propose a yearly premium of "
                "%(premium)s."
            )
            % {
                "n": contract.number,
                "ratio": task.loss_ratio,
                "premium": format_eur(task.proposed_premium or 0),
            },
            _(
                "If you do not accept the proposal, the insurer has the right to terminate the "
                "contract early and refunds the premium paid for the time after the termination."
            ),
        ],
        "signature": _("Underwriting department"),
    }


def pdf(context_of, obj, language: str) -> bytes:
    with translation.override(language):
        context = context_of(obj)
    return render_pdf(TEMPLATE, context, language=language)


def html(context_of, obj, language: str) -> str:
    with translation.override(language):
        context = context_of(obj)
    return render_html(TEMPLATE, context, language=language)
