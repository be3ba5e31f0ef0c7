"""Accept, refer or decline: each person, then the application (the most severe of its persons'
decisions and of its own reasons, so a user sees at once that something must change)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from zdrave.engine.calendar import add_months, age_in_months, age_in_years
from zdrave.engine.decisions import (
    ApplicationDecision,
    PersonDecision,
    Reason,
    UnderwritingOutcome,
    most_severe,
)
from zdrave.engine.scenario import ScenarioError
from zdrave.engine.terms.underwriting import (
    PARTNER_ROLES,
    AgeMethod,
    ContractType,
    ContractTypeRule,
    PersonRule,
    Role,
    Underwriting,
)
from zdrave.engine.underwriting import reasons as r
from zdrave.engine.underwriting.facts import Applicant, Application

ACCEPT = UnderwritingOutcome.ACCEPT
REFER = UnderwritingOutcome.REFER
DECLINE = UnderwritingOutcome.DECLINE

Finding = tuple[UnderwritingOutcome, Reason]


def decide(app: Application, terms: Underwriting) -> ApplicationDecision:
    kind = terms.contract_type(app.contract_type)
    if kind is None:
        reason = r.CONTRACT_TYPE_NOT_OFFERED.reason(
            terms.age_clause, f"({app.contract_type.value})"
        )
        persons = tuple(PersonDecision(p.id, DECLINE, (reason,)) for p in app.persons)
        return ApplicationDecision(DECLINE, persons, (reason,))
    persons = tuple(_person(app, p, kind, terms) for p in app.persons)
    own = _application_findings(app, kind) + _package_findings(app, terms)
    outcome = most_severe([p.decision for p in persons] + [o for o, _ in own])
    return ApplicationDecision(outcome, persons, tuple(reason for _, reason in own))


def age_years(birth: dt.date, on: dt.date, method: AgeMethod) -> int:
    """Age in years as the terms count it: completed years, or (003 т.5) with six or more
    months past the birthday counted as a full year."""
    years = age_in_years(birth, on)
    if method is AgeMethod.HALF_YEAR_ROUNDS_UP and age_in_months(birth, on) - 12 * years >= 6:
        years += 1
    return years


# ---- the person --------------------------------------------------------------------------


def _person(
    app: Application, person: Applicant, kind: ContractTypeRule, terms: Underwriting
) -> PersonDecision:
    found: list[Finding] = []
    general_age = _general_age(app, person, terms)
    found += general_age
    found += _role(app, person, kind, terms, skip_age=bool(general_age))
    found += _age_at_end(app, person, terms)
    found += _residence_and_rights(person, terms)
    found += _declaration(app, person, kind, terms)
    decision = most_severe([o for o, _ in found])
    return PersonDecision(person.id, decision, tuple(reason for _, reason in found))


def _general_age(app: Application, person: Applicant, terms: Underwriting) -> list[Finding]:
    months = age_in_months(person.birth_date, app.start)
    years = age_years(person.birth_date, app.start, terms.age.method)
    if months < terms.min_age_months:
        detail = f"(aged {months} months at {app.start.isoformat()}; minimum {terms.min_age_months} months)"
        return [(DECLINE, r.AGE_UNDER_MINIMUM.reason(terms.age_clause, detail))]
    if years <= terms.max_age_years:
        return []
    if app.renewal and terms.renewal_lifts_max_age_clause:
        return []  # 001 т.13 / 003 т.13: no maximum entry age on a renewal
    band = terms.refer_band
    detail = f"(aged {years} at {app.start.isoformat()}; maximum {terms.max_age_years})"
    if band and band.from_years <= years <= band.to_years:
        outcome = REFER if band.outcome == "refer" else DECLINE
        return [(outcome, r.AGE_SPECIAL_CONDITIONS.reason(band.clause, detail))]
    return [(DECLINE, r.AGE_OVER_MAXIMUM.reason(terms.age_clause, detail))]


def _role(
    app: Application, person: Applicant, kind: ContractTypeRule, terms: Underwriting, skip_age: bool
) -> list[Finding]:
    rules = kind.rules_for(person.role)
    if not rules:
        detail = f"({person.role.value} in a {kind.type.value} contract)"
        return [(DECLINE, r.ROLE_NOT_ALLOWED.reason(kind.clause, detail))]
    years = age_years(person.birth_date, app.start, terms.age.method)
    months = age_in_months(person.birth_date, app.start)
    fitting = [rule for rule in rules if _age_fits(rule, years, months, terms)]
    for rule in fitting:
        if not _other_failures(rule, person):
            return []
    if fitting:
        rule = fitting[0]
        return [(DECLINE, reason) for reason in _other_failures(rule, person)]
    if skip_age:
        return []
    ranges = "; ".join(f"{rule.title.en}" for rule in rules)
    detail = f"(aged {years} at {app.start.isoformat()}; {ranges})"
    below = all(not _old_enough(rule, years, months) for rule in rules)
    code = r.AGE_UNDER_MINIMUM if below else r.AGE_OVER_MAXIMUM
    return [(DECLINE, code.reason(rules[0].clause, detail))]


def _old_enough(rule: PersonRule, years: int, months: int) -> bool:
    # A minimum in whole years is counted the way the terms count years (003 т.5 rounds).
    if rule.min_age_months and rule.min_age_months % 12 == 0:
        return years >= rule.min_age_months // 12
    return months >= rule.min_age_months


def _age_fits(rule: PersonRule, years: int, months: int, terms: Underwriting) -> bool:
    if not _old_enough(rule, years, months):
        return False
    # A maximum equal to the general one is the general rule's business (renewal, 65-70 band).
    if rule.max_age_years is None or rule.max_age_years >= terms.max_age_years:
        return True
    return years <= rule.max_age_years


def _other_failures(rule: PersonRule, person: Applicant) -> list[Reason]:
    found = []
    if rule.requires_student and not person.student:
        found.append(r.CHILD_NOT_STUDENT.reason(rule.clause))
    if rule.requires_unmarried and person.married:
        found.append(r.CHILD_MARRIED.reason(rule.clause))
    return found


def _age_at_end(app: Application, person: Applicant, terms: Underwriting) -> list[Finding]:
    rule = terms.age_at_end
    years = age_in_years(person.birth_date, app.end)
    if rule.until_birthday:
        limit = add_months(person.birth_date, 12 * rule.max_years)
        if app.end <= limit:
            return []
        detail = f"(the term ends {app.end.isoformat()}, after the {rule.max_years}th birthday {limit.isoformat()})"
    else:
        if years <= rule.max_years:
            return []
        detail = f"(aged {years} on {app.end.isoformat()}; maximum {rule.max_years})"
    if rule.outcome == "refer" and (rule.refer_up_to is None or years <= rule.refer_up_to):
        return [(REFER, r.AGE_AT_END_SPECIAL_CONDITIONS.reason(rule.clause, detail))]
    return [(DECLINE, r.AGE_AT_END_OVER_MAXIMUM.reason(rule.clause, detail))]


def _residence_and_rights(person: Applicant, terms: Underwriting) -> list[Finding]:
    found: list[Finding] = []
    if not person.resident:
        outcome = REFER if terms.residence.outcome == "refer" else DECLINE
        found.append((outcome, r.NOT_RESIDENT.reason(terms.residence.clause)))
    rights = terms.nhif_rights
    if rights is not None and not person.nhif_rights:
        outcome = REFER if rights.outcome == "refer" else DECLINE
        found.append((outcome, r.NO_NHIF_RIGHTS.reason(rights.clause)))
    return found


def _declaration(
    app: Application, person: Applicant, kind: ContractTypeRule, terms: Underwriting
) -> list[Finding]:
    rules = terms.declaration
    given = person.declaration
    if given is None:
        if not _declaration_needed(app, kind, terms):
            return []
        outcome = REFER if rules.missing_outcome == "refer" else DECLINE
        return [(outcome, r.DECLARATION_MISSING.reason(kind.declaration_clause))]
    found: list[Finding] = []
    for key, answer in given.answers.items():
        question = rules.question(key)
        if question is None:
            known = ", ".join(q.key for q in rules.questions)
            raise ScenarioError(
                f"{person.path}.declaration.answers.{key}",
                f"unknown question; expected one of {known}",
            )
        if answer:
            outcome = REFER if question.outcome == "refer" else DECLINE
            found.append(
                (
                    outcome,
                    Reason(
                        r.declared_code(key), question.clause, f"Declared: {question.title.en}."
                    ),
                )
            )
    # ЗЗД чл.72: counted forward from the signature, ending on the corresponding day.
    if (
        given.signed
        and rules.valid_months
        and rules.valid_clause
        and add_months(given.signed, rules.valid_months) < app.start
    ):
        found.append(
            (
                REFER,
                r.DECLARATION_OUTDATED.reason(
                    rules.valid_clause, f"(signed {given.signed.isoformat()})"
                ),
            )
        )
    minor = (
        rules.by_parent_under_years is not None
        and age_in_years(person.birth_date, app.start) < rules.by_parent_under_years
    )
    if minor and rules.by_parent_clause and given.signed_by == "self":
        found.append((REFER, r.DECLARATION_NOT_BY_PARENT.reason(rules.by_parent_clause)))
    return found


def _declaration_needed(app: Application, kind: ContractTypeRule, terms: Underwriting) -> bool:
    if not kind.declaration_required:
        return False
    if app.renewal and terms.declaration.not_required_on_renewal_clause:
        return False
    waiver = kind.declaration_waiver
    if waiver and app.group_size is not None and app.group_size > waiver.group_size_over:
        return waiver.legal_entity_holder and not app.legal_entity_holder
    return True


# ---- the application ---------------------------------------------------------------------


def _package_findings(app: Application, terms: Underwriting) -> list[Finding]:
    """004 Чл.17: „Възстановяване на разходи“ (002 package 5) and „Дентална медицина“ (package
    6) are not offered on their own, only with another cover."""
    alone = set(terms.packages_not_sold_alone)
    if not app.packages or not alone or not set(app.packages) <= alone:
        return []
    clause = terms.packages_not_sold_alone_clause or terms.age_clause
    detail = f"(packages {', '.join(str(n) for n in sorted(set(app.packages)))})"
    return [(DECLINE, r.PACKAGES_NOT_SOLD_ALONE.reason(clause, detail))]


def _application_findings(app: Application, kind: ContractTypeRule) -> list[Finding]:
    found: list[Finding] = []
    roles = [p.role for p in app.persons]
    if kind.max_persons is not None and len(app.persons) > kind.max_persons:
        detail = f"({len(app.persons)} persons; at most {kind.max_persons})"
        found.append((DECLINE, r.TOO_MANY_PERSONS.reason(kind.clause, detail)))
    if kind.type is ContractType.GROUP:
        found += _group_findings(app, kind)
    partners = sum(1 for role in roles if role in PARTNER_ROLES)
    if kind.max_partners is not None and kind.partners_clause and partners > kind.max_partners:
        detail = f"({partners} spouses or partners)"
        found.append((DECLINE, r.FAMILY_TOO_MANY_PARTNERS.reason(kind.partners_clause, detail)))
    if kind.children_need_parent_clause and Role.CHILD in roles and not _has_parent(roles):
        found.append(
            (DECLINE, r.FAMILY_CHILDREN_WITHOUT_PARENT.reason(kind.children_need_parent_clause))
        )
    found += _term_findings(app, kind)
    return found


def _has_parent(roles: Iterable[Role]) -> bool:
    return any(role in PARTNER_ROLES or role is Role.HOLDER for role in roles)


def _group_findings(app: Application, kind: ContractTypeRule) -> list[Finding]:
    found: list[Finding] = []
    size = app.group_size or len(app.persons)
    if kind.min_group_size and size < kind.min_group_size:
        detail = f"({size} persons; at least {kind.min_group_size})"
        found.append((DECLINE, r.GROUP_TOO_SMALL.reason(kind.clause, detail)))
    if kind.employer_paid_required and kind.employer_paid_clause and not app.employer_paid:
        found.append((DECLINE, r.GROUP_NOT_EMPLOYER_PAID.reason(kind.employer_paid_clause)))
    return found


def _term_findings(app: Application, kind: ContractTypeRule) -> list[Finding]:
    term = kind.term
    if term is None:
        return []
    # A term of N years runs from the start to the day before the N-th anniversary (the policy
    # ends at 24:00 on its last day, 003 т.22); ending on the anniversary itself is tolerated.
    if term.min_years and app.end < add_months(app.start, 12 * term.min_years) - dt.timedelta(
        days=1
    ):
        detail = (
            f"({app.start.isoformat()} to {app.end.isoformat()}; at least {term.min_years} years)"
        )
        return [(DECLINE, r.TERM_TOO_SHORT.reason(term.clause, detail))]
    if term.max_years and app.end > add_months(app.start, 12 * term.max_years):
        detail = (
            f"({app.start.isoformat()} to {app.end.isoformat()}; at most {term.max_years} years)"
        )
        return [(DECLINE, r.TERM_TOO_LONG.reason(term.clause, detail))]
    return []
