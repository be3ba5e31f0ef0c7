"""What each step of a case means for the member, in plain words: who acts next, by when, and
the clause of the contract's own terms (001 for the 2019 terms, 003 for 2015).

Where the terms give a period it is used (001 т.72.1: the list of hospitals and the
pre-certificate are valid three months; 001 т.67: follow-up within 180 days of the return;
001 т.41 / 003 т.37: two months to reinstate). Where they only say "as soon as possible" (001
т.69) the service targets of docs/decisions.md (Treatment abroad, issue 13) apply, counted in
Bulgarian working days (``zdrave.engine.calendar``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from zdrave.claims.abroad import abroad_terms, contract_facts
from zdrave.engine.calendar import add_months, add_working_days
from zdrave.engine.terms.abroad import AbroadTerms, BenefitCode
from zdrave.treatment_abroad.models import AbroadCase, CaseStatus

S = CaseStatus

# Service targets where the terms set no period (docs/decisions.md), in working days.
DOCUMENTS_DAYS = 10
TO_EXPERTS_DAYS = 2
OPINION_DAYS = 15
PRECERTIFICATE_DAYS = 5
RETURN_DAYS = 5
CHOICE_DAYS_WITHOUT_VALIDITY = 20

# The clause of each step in the procedure of 001 (т.68–74) and 003 (т.64–69); a step whose
# clause is a benefit's takes it from the product data instead (``clause_of``).
PROCEDURE = {
    S.NOTIFIED: {"001": "001 т.69", "003": "003 т.65"},
    S.FILE_COMPLETE: {"001": "001 т.70", "003": "003 т.67"},
    S.EXPERT_REVIEW: {"001": "001 т.71", "003": "003 т.69"},
    S.OPINION_RECEIVED: {"001": "001 т.71", "003": "003 т.69"},
    S.HOSPITAL_CHOSEN: {"001": "001 т.72", "003": "003 т.10.5"},
    S.DISCHARGED: {"001": "001 т.73", "003": "003 т.69"},
    S.RETURNED: {"001": "001 т.73.1", "003": "003 т.69"},
    S.SUSPENDED: {"001": "001 т.40", "003": "003 т.36"},
    S.CONTRACT_ENDED: {"001": "001 т.41", "003": "003 т.37"},
    S.DECLINED: {"001": "001 т.71", "003": "003 т.69"},
    S.TREATED_IN_BULGARIA: {"001": "001 т.71", "003": "003 т.69"},
    S.REFUSED: {"001": "001 т.6", "003": "003 т.6"},
    S.LIMIT_EXHAUSTED: {"001": "001 т.28", "003": "003 т.25"},
    S.CLOSED: {"001": "001 т.73", "003": "003 т.69"},
}

NEXT = {
    S.NOTIFIED: (
        _("You"),
        _("Send us the medical documents: results, scans, the treating doctor's notes."),
    ),
    S.FILE_COMPLETE: (_("Your case manager"), _("Sends your medical file to the experts.")),
    S.EXPERT_REVIEW: (
        _("The medical experts"),
        _("Review your file and give their opinion and the hospitals they propose."),
    ),
    S.OPINION_RECEIVED: (
        _("You"),
        _("Decide: treatment abroad in one of the proposed hospitals, or in Bulgaria."),
    ),
    S.HOSPITAL_CHOSEN: (
        _("Your case manager"),
        _("Issues the pre-certificate to the hospital you chose."),
    ),
    S.PRECERTIFICATE_ISSUED: (
        _("Your case manager"),
        _("Books your travel and stay; treatment must begin while the pre-certificate is valid."),
    ),
    S.TRAVEL_BOOKED: (_("You"), _("Travel on the dates we sent you and go to the hospital.")),
    S.ADMITTED: (
        _("The hospital"),
        _("Treats you. Each full 24 hours in hospital earns the daily allowance."),
    ),
    S.DISCHARGED: (_("Your case manager"), _("Organises your return home.")),
    S.RETURNED: (
        _("You"),
        _("Ask for the daily allowance, medicines and follow-up care if you need them."),
    ),
    S.FOLLOW_UP: (_("Your case manager"), _("Organises the follow-up care you asked for.")),
    S.REASSESSMENT: (
        _("The medical experts"),
        _("Assess whether further treatment of the same condition is needed."),
    ),
    S.SUSPENDED: (
        _("The policyholder"),
        _("Pays every missed premium; the cover comes back from the next day."),
    ),
    S.TREATED_IN_BULGARIA: (_("Your case manager"), _("Closes the case.")),
}


def version_of(terms: AbroadTerms) -> str:
    """ "001" for the 2019 terms, "003" for the 2015 ones."""
    return terms.conditions_clause.split()[0]


def clause_of(terms: AbroadTerms, status: str) -> str:
    version = version_of(terms)
    if status in PROCEDURE:
        return PROCEDURE[status][version]
    if status in (S.PRECERTIFICATE_ISSUED,):
        return terms.precertificate.validity_clause or terms.precertificate.before_issue_clause
    if status == S.TRAVEL_BOOKED:
        return terms.benefit(BenefitCode.TRAVEL).clause
    if status == S.ADMITTED:
        benefit = terms.benefit(BenefitCode.DAILY_HOSPITAL_CASH)
        return benefit.daily_allowance.amount.clause
    if status == S.FOLLOW_UP:
        follow_up = terms.benefit(BenefitCode.FOLLOW_UP_CARE)
        return follow_up.within_days_of_return.clause if follow_up else ""
    if status == S.REASSESSMENT:
        return terms.reassessment.clause if terms.reassessment else ""
    return ""


def next_due(case: AbroadCase, terms: AbroadTerms, today: dt.date) -> dt.date | None:
    """The deadline of the step the case is in, from the day it entered it (``today``)."""
    validity = terms.precertificate.validity_months
    status = case.status
    if status == S.NOTIFIED:
        return add_working_days(today, DOCUMENTS_DAYS)
    if status == S.FILE_COMPLETE:
        return add_working_days(today, TO_EXPERTS_DAYS)
    if status in (S.EXPERT_REVIEW, S.REASSESSMENT):
        return add_working_days(today, OPINION_DAYS)
    if status == S.OPINION_RECEIVED:
        start = case.opinion_on or today
        if validity:  # 001 т.72.1: the list of hospitals is valid three months
            return add_months(start, validity)
        return add_working_days(start, CHOICE_DAYS_WITHOUT_VALIDITY)
    if status == S.HOSPITAL_CHOSEN:
        return add_working_days(today, PRECERTIFICATE_DAYS)
    if status in (S.PRECERTIFICATE_ISSUED, S.TRAVEL_BOOKED):
        issued = case.precertificate_issued or today
        if validity:  # 001 т.72.2: treatment begins within three months of the issue
            return add_months(issued, validity)
        return None
    if status == S.DISCHARGED:
        return add_working_days(today, RETURN_DAYS)
    if status in (S.RETURNED, S.FOLLOW_UP):
        follow_up = terms.benefit(BenefitCode.FOLLOW_UP_CARE)
        if follow_up and follow_up.within_days_of_return and case.returned_on:
            return case.returned_on + dt.timedelta(days=follow_up.within_days_of_return.days)
        return None
    if status == S.SUSPENDED:
        paid_until = contract_facts(case.member.contract).paid_until
        if paid_until:  # 001 т.41 / 003 т.37: reinstated within two months or ended for good
            return add_months(paid_until, terms.premium.reinstatement_months)
        return None
    return None


@dataclass(frozen=True)
class Timeline:
    who: str
    what: str
    due: dt.date | None
    clause: str
    overdue: bool


def timeline(case: AbroadCase, today: dt.date) -> Timeline | None:
    """What happens next on the case, for the member's page and the e-mails."""
    if case.status not in NEXT:
        return None
    who, what = NEXT[case.status]
    terms = abroad_terms(case.member.contract)
    return Timeline(
        who=str(who),
        what=str(what),
        due=case.next_due,
        clause=clause_of(terms, case.status),
        overdue=bool(case.next_due and case.next_due < today),
    )


def max_companions(terms: AbroadTerms, minor: bool) -> int:
    """001 т.57, т.59: one companion, two when the insured is under 18; 003 т.53, т.55: one."""
    return 2 if minor and version_of(terms) == "001" else 1
