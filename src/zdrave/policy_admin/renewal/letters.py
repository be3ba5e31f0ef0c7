"""Renewal's letters to the policyholder, as PDF through ``zdrave.base.letters``: the renewal
offer, the confirmation of the renewed contract, and the annex raising the premium after the
holder accepted the proposal of 004 Чл.25 т.8."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from zdrave.engine.money import format_eur
from zdrave.policy_admin.renewal.models import PremiumAnswer, RenewalOffer


def _day(value) -> str:
    return date_format(value, "d.m.Y")


def _recipient(contract) -> list[str]:
    return [contract.holder.name, _("Policyholder of contract %(n)s") % {"n": contract.number}]


def offer_context(offer: RenewalOffer) -> dict:
    contract = offer.contract
    paragraphs = [
        _(
            "Contract %(n)s ends on %(end)s. We offer to renew it for another year, from %(start)s "
            "to %(new_end)s, with the same packages, for a yearly premium of %(premium)s "
            "(this year: %(current)s), in %(count)s instalment(s), the first due on %(start)s."
        )
        % {
            "n": contract.number,
            "end": _day(contract.end),
            "start": _day(offer.start),
            "new_end": _day(offer.end),
            "premium": format_eur(offer.premium),
            "current": format_eur(offer.previous_premium),
            "count": len(offer.instalments),
        },
        _(
            "The premium follows the insurer's tariff in force on the new start and each "
            "person's age then. The tariff is illustrative: the general conditions give no prices."
        ),
    ]
    paragraphs += [
        _("%(name)s: %(premium)s a year.")
        % {"name": p["name"], "premium": format_eur(Decimal(p["premium"]))}
        for p in offer.persons
    ]
    paragraphs += [
        _("%(name)s is not offered another year: %(reason)s") % p for p in offer.left_out
    ]
    paragraphs.append(
        _(
            "Please accept or decline online by %(day)s. Renewed without a break, nobody waits a "
            "new waiting period and no new health declaration is needed (001 т.25, 003 т.23, "
            "applied to 004 Чл.19–20); the new cover starts at 00:00 of %(start)s once the first "
            "instalment is paid (004 Чл.24 т.3)."
        )
        % {"day": _day(offer.answer_by), "start": _day(offer.start)}
    )
    return {
        "reference": f"{contract.number}/O{offer.pk}",
        "date": offer.offered_on,
        "recipient": _recipient(contract),
        "subject": _("Renewal offer: contract %(n)s") % {"n": contract.number},
        "salutation": _("Dear %(name)s,") % {"name": contract.holder.name},
        "paragraphs": paragraphs,
        "signature": _("Sales department"),
    }


def accepted_context(offer: RenewalOffer) -> dict:
    new = offer.new_contract
    return {
        "reference": f"{new.number}/O{offer.pk}",
        "date": offer.answered_on,
        "recipient": _recipient(new),
        "subject": _("Contract %(n)s renewed") % {"n": offer.contract.number},
        "salutation": _("Dear %(name)s,") % {"name": new.holder.name},
        "paragraphs": [
            _(
                "Thank you for renewing. Your new contract %(new)s runs from %(start)s to "
                "%(end)s and continues contract %(old)s. Its first instalment of %(first)s is due "
                "on %(start)s; cover starts at 00:00 of that day once it is paid (004 Чл.24 т.3)."
            )
            % {
                "new": new.number,
                "old": offer.contract.number,
                "start": _day(new.start),
                "end": _day(new.end),
                "first": format_eur(Decimal(offer.instalments[0])),
            },
        ],
        "signature": _("Sales department"),
    }


def annex_context(answer: PremiumAnswer) -> dict:
    task = answer.task
    contract = task.contract
    return {
        "reference": answer.number,
        "date": answer.answered_on,
        "recipient": _recipient(contract),
        "subject": _("Annex %(a)s to contract %(n)s: the premium")
        % {"a": answer.number, "n": contract.number},
        "salutation": _("Dear %(name)s,") % {"name": contract.holder.name},
        "paragraphs": [
            _(
                "You accepted our proposal of a yearly premium of %(premium)s (004 Чл.25 т.8). "
                "By this annex (004 Чл.27 т.1) the premium changes from 00:00 of %(day)s: the "
                "difference for the rest of the term, %(extra)s, is one more instalment due on "
                "%(day)s."
            )
            % {
                "premium": format_eur(task.proposed_premium or 0),
                "day": _day(answer.effective),
                "extra": format_eur(answer.extra or 0),
            },
        ],
        "signature": _("Underwriting department"),
    }
