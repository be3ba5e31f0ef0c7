"""Why a best-doctors claim line may not be paid at all.

Each check returns the reasons it finds (empty = nothing against the line). A line collects every
reason that applies, so a member and a reviewer see all the grounds, not just the first one met.
"""

from __future__ import annotations

import datetime as dt

from zdrave.engine.adjudication import abroad_medicines
from zdrave.engine.adjudication.abroad_context import IN_HOSPITAL, STAY_ABROAD, USA, Context
from zdrave.engine.adjudication.abroad_facts import Line
from zdrave.engine.adjudication.abroad_reasons import exclusion_reason, reason
from zdrave.engine.calendar import add_months
from zdrave.engine.decisions import Reason
from zdrave.engine.terms.abroad import AbroadCircumstance, Benefit, BenefitCode, ContractType
from zdrave.engine.terms.common import icd10_matches

# ---- the claim as a whole -------------------------------------------------------------------


def claim_refusals(ctx: Context) -> list[Reason]:
    """Grounds that refuse every line: the condition, its history, the exclusions of §IV that
    turn on the diagnosis or the claim's circumstances."""
    return [*_condition(ctx), *_first_symptoms(ctx)]


def _condition(ctx: Context) -> list[Reason]:
    claim = ctx.facts.claim
    condition = ctx.terms.condition(claim.condition)
    if condition is None:
        return [
            reason(
                "condition-not-covered", ctx.terms.conditions_clause, f"({claim.condition.value})"
            )
        ]
    if condition.diagnosis_must_match and not any(
        icd10_matches(claim.diagnosis, pattern) for pattern in condition.diagnoses
    ):
        return [
            reason(
                "condition-not-covered",
                condition.definition_clause,
                f"{claim.diagnosis} is not a {condition.title.en.lower()} diagnosis.",
            )
        ]
    return []


def _first_symptoms(ctx: Context) -> list[Reason]:
    symptoms = ctx.facts.claim.first_symptoms
    if symptoms is None or ctx.waiting_last_day is None:
        return []
    terms, covered_from = ctx.terms, ctx.facts.insured.covered_from
    lookback = add_months(covered_from, -12 * terms.pre_existing.lookback_years)
    if lookback <= symptoms < covered_from:
        return [
            reason(
                "pre-existing-condition",
                terms.pre_existing.clause,
                f"First symptoms {symptoms.isoformat()}, cover from {covered_from.isoformat()}.",
            )
        ]
    if covered_from <= symptoms <= ctx.waiting_last_day:
        period = terms.waiting_period(ctx.facts.contract.type)
        return [
            reason(
                "symptoms-in-waiting-period",
                period.symptoms_clause,
                f"First symptoms {symptoms.isoformat()}; the period ran to "
                f"{ctx.waiting_last_day.isoformat()}.",
            )
        ]
    return []


def exclusions(ctx: Context, line: Line) -> list[Reason]:
    facts = ctx.facts
    circumstances = set(facts.claim.circumstances | line.circumstances)
    if line.country == ctx.terms.territory.excluded_countries[0] and line.benefit in STAY_ABROAD:
        circumstances.add(AbroadCircumstance.TREATED_IN_BULGARIA)
    if not facts.insured.resident:
        circumstances.add(AbroadCircumstance.NON_RESIDENT)
    found = []
    for exclusion in ctx.terms.exclusions:
        if exclusion.conditions and facts.claim.condition not in exclusion.conditions:
            continue
        if exclusion.benefits and line.benefit not in exclusion.benefits:
            continue
        by_code = any(icd10_matches(facts.claim.diagnosis, p) for p in exclusion.icd10)
        if by_code or circumstances & set(exclusion.circumstances):
            found.append(exclusion_reason(exclusion.code, exclusion.clause, exclusion.title.en))
    return found


# ---- the contract on the date of the service ---------------------------------------------


def cover_refusals(ctx: Context, line: Line) -> list[Reason]:
    return [*_in_force(ctx, line), *_premium(ctx, line), *_age(ctx, line), *_waiting(ctx, line)]


def _in_force(ctx: Context, line: Line) -> list[Reason]:
    contract, rules = ctx.facts.contract, ctx.terms.cover_period
    day = line.date
    if day < contract.start:
        return [
            reason(
                "before-cover-start",
                rules.start_clause,
                f"Cover starts {contract.start.isoformat()}.",
            )
        ]
    ended = (
        contract.terminated_on
        if contract.terminated_on and contract.terminated_on < contract.end
        else None
    )
    last_day = ended or contract.end
    if day <= last_day or _group_leaver_guarantee(ctx, line, last_day):
        return []
    if ended is not None:
        return [
            reason(
                "contract-terminated",
                rules.termination_clause,
                f"Terminated on {ended.isoformat()}.",
            )
        ]
    return [reason("after-cover-end", rules.end_clause, f"Cover ended {contract.end.isoformat()}.")]


def _group_leaver_guarantee(ctx: Context, line: Line, last_day: dt.date) -> bool:
    """001 т.21.1.5: a group member whose precertificate was issued before the cover ended keeps
    its benefits for up to six months after."""
    rules, precert = ctx.terms.cover_period, ctx.stage(line.date).precertificate
    benefit = ctx.terms.benefit(line.benefit)
    return bool(
        rules.group_leaver_months
        and ctx.facts.contract.type is ContractType.GROUP
        and precert is not None
        and precert.issued <= last_day
        and benefit is not None
        and benefit.requires_precertificate
        and line.date <= add_months(last_day, rules.group_leaver_months)
    )


def _premium(ctx: Context, line: Line) -> list[Reason]:
    """001 т.27.4 / 003 т.24 в): cover stops 30 days after an unpaid due date; т.40 / т.36:
    paying every missed premium restores it from 00:00 of the next day, if done within the two
    months of т.41 / т.37, after which the contract ends for good."""
    contract, rules = ctx.facts.contract, ctx.terms.premium
    paid_until = contract.paid_until
    if paid_until is None:
        return []
    # The next instalment falls due the day after paid_until; "30 дни след датата на падежа"
    # is counted as ЗЗД чл.72(1) counts days: the due date does not count, so cover holds to
    # 24:00 on the 30th day after it.
    due = paid_until + dt.timedelta(days=1)
    if line.date <= due + dt.timedelta(days=rules.lapse_days_after_due):
        return []
    detail = f"Premiums paid until {paid_until.isoformat()}."
    final_day = add_months(paid_until, rules.reinstatement_months)
    reinstated = contract.reinstated_on
    if reinstated is not None and reinstated <= final_day:
        if line.date > reinstated:
            return []
        return [
            reason(
                "before-reinstatement",
                rules.reinstatement_clause,
                f"All premiums paid on {reinstated.isoformat()}; cover resumed the day after.",
            )
        ]
    if line.date > final_day:
        return [reason("contract-lapsed", rules.final_termination_clause, detail)]
    return [reason("premium-unpaid", rules.lapse_clause, detail)]


def _age(ctx: Context, line: Line) -> list[Reason]:
    rules = ctx.terms.cover_period
    limit_day = add_months(ctx.facts.insured.birth_date, 12 * rules.max_age)
    if line.date >= limit_day:
        return [
            reason(
                "over-maximum-age",
                rules.max_age_clause,
                f"Turned {rules.max_age} on {limit_day.isoformat()}.",
            )
        ]
    return []


def _waiting(ctx: Context, line: Line) -> list[Reason]:
    last = ctx.waiting_last_day
    if last is None or line.date > last or line.date < ctx.facts.insured.covered_from:
        return []
    contract = ctx.facts.contract
    joiner = ctx.terms.group_joiners
    if (
        contract.type is ContractType.GROUP
        and joiner
        and ctx.facts.insured.covered_from > contract.start
    ):
        clause = joiner.clause
    else:
        clause = ctx.terms.waiting_period(contract.type).clause
    return [
        reason(
            "waiting-period", clause, f"Cover begins {(last + dt.timedelta(days=1)).isoformat()}."
        )
    ]


# ---- the benefit ------------------------------------------------------------------------------


def benefit_refusals(
    ctx: Context, line: Line, benefit: Benefit, earlier: list[Line]
) -> list[Reason]:
    found = [*_time_barred(ctx, line), *_precertificate(ctx, line, benefit), *_territory(ctx, line)]
    if benefit.per_claim is not None:
        found += _once_per_claim(ctx, line, benefit, earlier)
    if benefit.within_days_of_return is not None:
        found += _after_return(
            ctx,
            line.date,
            benefit.within_days_of_return.days,
            "follow-up-after-window",
            benefit.within_days_of_return.clause,
            benefit,
        )
    if benefit.code is BenefitCode.MEDICINES_AFTER_RETURN:
        found += abroad_medicines.medicines(ctx, line, benefit)
    if line.post_operative_medicine:
        found += abroad_medicines.post_operative(ctx, line, benefit)
    return found


def _time_barred(ctx: Context, line: Line) -> list[Reason]:
    submitted = line.submitted or ctx.facts.claim.submitted
    rule = ctx.terms.prescription
    if submitted is None or submitted <= add_months(line.date, 12 * rule.years):
        return []
    return [reason("time-barred", rule.clause, f"{rule.years} years from {line.date.isoformat()}.")]


def _precertificate(ctx: Context, line: Line, benefit: Benefit) -> list[Reason]:
    if not benefit.requires_precertificate:
        return []
    stage = ctx.stage(line.date)
    precert, rules = stage.precertificate, ctx.terms.precertificate
    if precert is None:
        return [
            reason("no-precertificate", benefit.precertificate_clause or rules.before_issue_clause)
        ]
    found = []
    if line.date < precert.issued and line.benefit in STAY_ABROAD:
        found.append(
            reason(
                "before-precertificate",
                rules.before_issue_clause,
                f"Issued {precert.issued.isoformat()}.",
            )
        )
    if (
        line.benefit in IN_HOSPITAL
        and line.hospital
        and precert.hospital
        and line.hospital != precert.hospital
    ):
        found.append(
            reason(
                "other-hospital",
                rules.one_hospital_clause,
                f"{line.hospital} instead of {precert.hospital}.",
            )
        )
    if rules.validity_months and rules.validity_clause and line.benefit in STAY_ABROAD:
        valid_until = add_months(precert.issued, rules.validity_months)
        if stage.stay_start is not None and stage.stay_start > valid_until:
            found.append(
                reason(
                    "precertificate-expired",
                    rules.validity_clause,
                    f"Valid until {valid_until.isoformat()}; the stay began {stage.stay_start.isoformat()}.",
                )
            )
    return found


def _territory(ctx: Context, line: Line) -> list[Reason]:
    territory = ctx.terms.territory
    if line.country != USA or line.benefit not in STAY_ABROAD or not territory.usa_option:
        return []
    included = ctx.facts.contract.usa_included
    if included is None:
        included = territory.usa_default_included
    return [] if included else [reason("usa-not-covered", territory.usa_clause or territory.clause)]


def _once_per_claim(
    ctx: Context, line: Line, benefit: Benefit, earlier: list[Line]
) -> list[Reason]:
    assert benefit.per_claim is not None
    used = sum(1 for h in ctx.same_claim_history() if h.benefit is line.benefit)
    used += sum(1 for e in earlier if e.benefit is line.benefit)
    # 001 т.74: a reassessment may require a new opinion; the claim goes on, so the count does.
    if used < benefit.per_claim.count + ctx.stage(line.date).extra_opinions:
        return []
    return [
        reason(
            "second-opinion-already-given",
            benefit.per_claim.clause,
            f"Claim {ctx.facts.claim.ref}.",
        )
    ]


def _after_return(
    ctx: Context, day: dt.date, days: int, code: str, clause: str, benefit: Benefit
) -> list[Reason]:
    returned = ctx.stage(day).returned_home
    if returned is None or day < returned:
        return [reason("not-returned-home", benefit.clause)]
    if (day - returned).days > days:
        return [
            reason(
                code,
                clause,
                f"Returned {returned.isoformat()}, {(day - returned).days} days before.",
            )
        ]
    return []
