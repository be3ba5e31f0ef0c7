"""Medicines under the best-doctors terms: bought in Bulgaria after the return (001 VIII-2-Д1,
003 VIII-2-D) and the post-operative medicines bought abroad before it (001 т.53, 003 т.49)."""

from __future__ import annotations

import datetime as dt

from zdrave.engine.adjudication.abroad_context import Context
from zdrave.engine.adjudication.abroad_facts import Line
from zdrave.engine.adjudication.abroad_reasons import reason
from zdrave.engine.decisions import Reason
from zdrave.engine.terms.abroad import Benefit


def medicines(ctx: Context, line: Line, benefit: Benefit) -> list[Reason]:
    claim, found = ctx.facts.claim, []
    stay = benefit.minimum_stay
    if stay is not None and (claim.hospital_nights or 0) <= stay.more_than_nights:
        found.append(
            reason(
                "stay-too-short", stay.clause, f"{claim.hospital_nights or 0} nights in hospital."
            )
        )
    # Bought after the return (001 т.63 "след лечение в чужбина"); no window from the return:
    # 001 т.73.2's 180 days are for follow-up care, and 001 т.9.10's for the invoice.
    returned = ctx.stage(line.purchased).returned_home
    if returned is None or line.purchased < returned:
        found.append(reason("not-returned-home", benefit.clause))
    cap = benefit.dose_cap
    if cap is not None and line.dose_days is not None and line.dose_days > cap.max_days:
        found.append(
            reason(
                "dose-over-two-months",
                cap.clause,
                f"A dose for {line.dose_days} days; at most {cap.max_days}.",
            )
        )
    invoice = benefit.invoice_within_days_of_purchase
    submitted = line.submitted or claim.submitted
    if (
        invoice is not None
        and submitted is not None
        and (submitted - line.purchased).days > invoice.days
    ):
        found.append(
            reason(
                "invoice-submitted-late", invoice.clause, f"Bought {line.purchased.isoformat()}."
            )
        )
    abroad = line.country is not None and line.country not in ctx.terms.territory.excluded_countries
    if benefit.in_bulgaria_only_clause and abroad:
        found.append(
            reason(
                "medicine-bought-abroad",
                benefit.in_bulgaria_only_clause,
                f"Country {line.country}.",
            )
        )
    if (
        benefit.deducts_other_payers_clause
        and line.nhif_paid + line.other_insurer_paid >= line.amount > 0
    ):
        found.append(reason("paid-by-other-payer", benefit.deducts_other_payers_clause))
    return found


def post_operative(ctx: Context, line: Line, benefit: Benefit) -> list[Reason]:
    """001 т.53 / 003 т.49: post-operative medicines bought before the return, for 30 days from
    the end of the treatment abroad (a supply reaching past them is cut in ``post_operative_days``)."""
    rule = benefit.post_operative_medicines
    if rule is None:
        return [
            reason("benefit-not-covered", ctx.terms.benefits_clause, "(post-operative medicine)")
        ]
    stage, found = ctx.stage(line.purchased), []
    in_bulgaria = line.country in ctx.terms.territory.excluded_countries
    if in_bulgaria or (stage.returned_home is not None and line.purchased > stage.returned_home):
        found.append(
            reason(
                "post-operative-medicine-after-return",
                rule.clause,
                f"Bought {line.purchased.isoformat()}.",
            )
        )
    if stage.treatment_ended is not None:
        last = stage.treatment_ended + dt.timedelta(days=rule.days)
        if line.purchased > last:
            found.append(
                reason(
                    "post-operative-medicine-30-days",
                    rule.clause,
                    f"Treatment ended {stage.treatment_ended.isoformat()}; cover ran to "
                    f"{last.isoformat()}.",
                )
            )
    return found


def post_operative_days(ctx: Context, line: Line, benefit: Benefit) -> tuple[int, int] | None:
    """(days covered, days of the supply) when a post-operative supply reaches past the 30 days
    of 001 т.53 / 003 т.49; None when it does not or the facts are not given."""
    rule = benefit.post_operative_medicines
    ended = ctx.stage(line.purchased).treatment_ended
    if rule is None or ended is None or line.dose_days is None:
        return None
    last = ended + dt.timedelta(days=rule.days)
    covered = (last - line.purchased).days + 1
    if covered >= line.dose_days:
        return None
    return max(covered, 0), line.dose_days
