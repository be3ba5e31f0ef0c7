"""The statement as PDF (``base.letters``) and CSV, and the recovery letter (004 Чл.29 т.10.5:
the insurer tells the debtor in writing the amount, the terms and the way to repay). Reads
only."""

from __future__ import annotations

import csv
import io

from django.utils import translation
from django.utils.translation import gettext as _

from zdrave.base.letters.render import render_pdf
from zdrave.claims.actions.bank import insurer_account
from zdrave.engine.money import format_eur
from zdrave.providers.settlement.models import Debtor, Recovery, Statement

STATEMENT_TEMPLATE = "settlement/statement_letter.html"
LETTER_TEMPLATE = "letters/base.html"


def statement_rows(statement: Statement):
    return (
        statement.claims.select_related("claim__member__person")
        .prefetch_related("claim__lines")
        .order_by("claim__submitted", "id")
    )


def statement_context(statement: Statement) -> dict:
    return {
        "reference": statement.number,
        "date": statement.closed_at.date(),
        "subject": _("Settlement statement for %(month)s") % {"month": f"{statement.month:%m.%Y}"},
        "recipient": [statement.institution.name, statement.institution.address],
        "statement": statement,
        "rows": statement_rows(statement),
        "offsets": statement.offsets.select_related("provider_claim__claim"),
    }


def statement_pdf(statement: Statement, language: str) -> bytes:
    with translation.override(language):
        return render_pdf(STATEMENT_TEMPLATE, statement_context(statement), language=language)


def statement_csv(statement: Statement) -> str:
    """One row per claim (no diagnosis: the institution has it), then the offsets and the
    total; semicolon-separated, as Bulgarian spreadsheets open it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            "statement",
            "reference",
            "claim",
            "patient",
            "service",
            "date",
            "billed",
            "eligible",
            "copay",
            "insurer_pays",
        ]
    )
    for row in statement_rows(statement):
        claim = row.claim
        lines = list(claim.lines.all())
        writer.writerow(
            [
                statement.number,
                row.reference,
                claim.number,
                claim.member.person.full_name,
                " ".join(line.service for line in lines),
                lines[0].date.isoformat() if lines else "",
                row.billed,
                sum(line.eligible for line in lines),
                sum(line.copay for line in lines),
                claim.payable,
            ]
        )
    for offset in statement.offsets.select_related("provider_claim__claim"):
        writer.writerow(
            [
                statement.number,
                "",
                offset.provider_claim.claim.number,
                "",
                "",
                "",
                "",
                "",
                "",
                -offset.amount,
            ]
        )
    writer.writerow([statement.number, "", "", "", "", "", "", "", "", statement.payable])
    return out.getvalue()


def recovery_context(recovery: Recovery) -> dict:
    billed = recovery.provider_claim
    claim = billed.claim
    if recovery.debtor == Debtor.MEMBER:
        recipient = [claim.member.person.full_name]
    else:
        recipient = [billed.institution.name, billed.institution.address]
    account = insurer_account()
    return {
        "reference": f"RC-{recovery.pk:06d}",
        "date": recovery.opened_at.date(),
        "subject": _("Repayment of an amount paid without grounds"),
        "recipient": recipient,
        "paragraphs": [
            _(
                "On claim %(claim)s (%(provider)s, reference %(reference)s) the insurer paid "
                "%(amount)s that it did not owe: %(ground)s."
            )
            % {
                "claim": claim.number,
                "provider": billed.institution.name,
                "reference": billed.reference,
                "amount": format_eur(recovery.amount),
                "ground": recovery.get_ground_display(),
            },
            *([recovery.note] if recovery.note else []),
            _(
                "Under 004 Чл.29 т.10 this amount is to be repaid to the insurer. Please pay "
                "%(amount)s within 30 days to %(name)s, IBAN %(iban)s, quoting %(reference)s."
            )
            % {
                "amount": format_eur(recovery.amount),
                "name": account.name,
                "iban": account.iban,
                "reference": f"RC-{recovery.pk:06d}",
            },
            _(
                "A medical institution's amount is otherwise offset against its next monthly "
                "statement (004 Чл.29 т.10.5: the amount, the terms and the way of repayment)."
            )
            if recovery.debtor == Debtor.PROVIDER
            else _(
                "The insurer may also withhold an amount above the limit from a later "
                "reimbursement claim of yours (004 Чл.26 т.2)."
            ),
        ],
        "signature": _("Provider settlement"),
    }


def recovery_pdf(recovery: Recovery, language: str) -> bytes:
    with translation.override(language):
        return render_pdf(LETTER_TEMPLATE, recovery_context(recovery), language=language)
