"""What every check of a best-doctors claim line reads besides the line: the terms, the facts,
the last day of the waiting period and the stages of treatment abroad within the claim."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zdrave.engine.adjudication.abroad_facts import ClaimFacts, HistoryLine, Precertificate
from zdrave.engine.calendar import add_months
from zdrave.engine.terms.abroad import AbroadTerms, BenefitCode, ContractType

# Benefits of the stay abroad itself: they are what the precertificate's validity and hospital
# govern, and what "costs incurred in Bulgaria" (001 т.10.1) can never be.
STAY_ABROAD = frozenset(
    {
        BenefitCode.TREATMENT_ABROAD,
        BenefitCode.TRAVEL,
        BenefitCode.ACCOMMODATION,
        BenefitCode.DAILY_HOSPITAL_CASH,
        BenefitCode.REPATRIATION,
    }
)
IN_HOSPITAL = frozenset({BenefitCode.TREATMENT_ABROAD, BenefitCode.DAILY_HOSPITAL_CASH})
USA = "US"


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of treatment abroad within the claim: the first, or one that a reassessment
    after the return opened (001 т.74, "ще се счита за продължаване на същата претенция"). The
    precertificate, the return home and the end of treatment of a line are those of its stage."""

    begins: dt.date | None  # None: the first stage
    precertificate: Precertificate | None
    returned_home: dt.date | None
    # The end of the treatment abroad (001 т.73); when the scenario does not say, the return
    # home, which the shared format calls "the end of the treatment-abroad stage".
    treatment_ended: dt.date | None
    stay_start: dt.date | None  # first day of the stay abroad in this stage
    extra_opinions: int  # second opinions BDU required in reassessments up to this stage


@dataclass(frozen=True, slots=True)
class Context:
    terms: AbroadTerms
    facts: ClaimFacts
    waiting_last_day: dt.date | None  # None: a renewal without a break has no waiting period
    stages: tuple[Stage, ...]

    @classmethod
    def build(cls, terms: AbroadTerms, facts: ClaimFacts) -> Context:
        return cls(terms, facts, _waiting_last_day(terms, facts), _stages(facts))

    def same_claim_history(self) -> list[HistoryLine]:
        return [h for h in self.facts.history if h.claim_ref == self.facts.claim.ref]

    def stage(self, day: dt.date) -> Stage:
        found = self.stages[0]
        for stage in self.stages[1:]:
            if stage.begins is not None and stage.begins <= day:
                found = stage
        return found


def _is_continuous_renewal(terms: AbroadTerms, facts: ClaimFacts) -> bool:
    contract = facts.contract
    if not contract.renewal_of_previous:
        return False
    if contract.previous_end is None:
        return True
    return (contract.start - contract.previous_end).days <= terms.renewal.max_gap_days


def _waiting_last_day(terms: AbroadTerms, facts: ClaimFacts) -> dt.date | None:
    """The day the waiting period expires; cover begins at 00:00 the day after (001 т.21.1).
    A term in months expires on the same date of the last month (ЗЗД чл.72(2))."""
    if _is_continuous_renewal(terms, facts):
        return None
    contract, insured = facts.contract, facts.insured
    begins = insured.covered_from
    if (
        contract.type is ContractType.GROUP
        and terms.group_joiners is not None
        and insured.covered_from > contract.start
    ):
        begins = _next_insurance_month(contract.start, insured.covered_from)
        return add_months(begins, terms.group_joiners.months)
    return add_months(begins, terms.waiting_period(contract.type).months)


def _next_insurance_month(start: dt.date, joined: dt.date) -> dt.date:
    months = 0
    while add_months(start, months) < joined:
        months += 1
    return add_months(start, months)


def _stages(facts: ClaimFacts) -> tuple[Stage, ...]:
    claim = facts.claim
    bounds: list[dt.date | None] = [None, *(r.confirmed for r in claim.reassessments)]
    stay_dates = [line.date for line in claim.lines if line.benefit in STAY_ABROAD]
    stay_dates += [
        h.date for h in facts.history if h.claim_ref == claim.ref and h.benefit in STAY_ABROAD
    ]

    def stay_start(index: int) -> dt.date | None:
        begins = bounds[index]
        ends = bounds[index + 1] if index + 1 < len(bounds) else None
        return min(
            (
                d
                for d in stay_dates
                if (begins is None or d >= begins) and (ends is None or d < ends)
            ),
            default=None,
        )

    stages = [
        Stage(
            None,
            claim.precertificate,
            claim.returned_home,
            claim.treatment_ended or claim.returned_home,
            stay_start(0),
            0,
        )
    ]
    extra = 0
    for i, again in enumerate(claim.reassessments, start=1):
        extra += 1 if again.second_opinion_required else 0
        stages.append(
            Stage(
                again.confirmed,
                again.precertificate,
                again.returned_home,
                again.treatment_ended or again.returned_home,
                stay_start(i),
                extra,
            )
        )
    return tuple(stages)
