"""Underwriting terms: who may be insured, under which contract type, for how long, and what the
health declaration decides.

The engine (``zdrave.engine.underwriting``) reads one ``Underwriting`` per product version and
decides ``accept`` / ``refer`` / ``decline`` for each person. Every rule carries its clause; a
rule's ``outcome`` is what breaking it means (``decline``, or ``refer`` to an underwriter where
the terms allow acceptance on special conditions, 004 Чл.10).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from zdrave.engine.terms.common import Citation, Strict, Text

Verdict = Literal["refer", "decline"]


class ContractType(StrEnum):
    INDIVIDUAL = "individual"  # индивидуален
    FAMILY = "family"  # семеен
    GROUP = "group"  # групов


class Role(StrEnum):
    HOLDER = "holder"  # застраховащ, insured himself
    SPOUSE = "spouse"  # съпруг(а)
    COHABITANT = "cohabitant"  # фактическо съжителство / партньор
    CHILD = "child"  # дете
    EMPLOYEE = "employee"  # член на групата


PARTNER_ROLES = frozenset({Role.SPOUSE, Role.COHABITANT})


class AgeMethod(StrEnum):
    """How an age in years is counted at the contract start."""

    COMPLETED = "completed"  # навършени години (001 т.5, 004 Чл.1)
    HALF_YEAR_ROUNDS_UP = "half-year-rounds-up"  # 6 months or more count as a year (003 т.5)


class AgeCounting(Strict):
    method: AgeMethod
    clause: Citation


class PersonRule(Strict):
    """One way a person in ``roles`` may belong to a contract type: an age range at the start
    (inclusive, in the version's years; ``min_age_months`` in completed months) and, for adult
    children, being a student and unmarried."""

    code: str
    clause: Citation
    title: Text
    roles: list[Role] = Field(min_length=1)
    min_age_months: int = Field(default=0, ge=0)
    max_age_years: int | None = Field(default=None, ge=0)
    requires_student: bool = False
    requires_unmarried: bool = False


class TermRule(Strict):
    """How long a contract of this type may run (003 т.20)."""

    min_years: int | None = Field(default=None, ge=1)
    max_years: int | None = Field(default=None, ge=1)
    clause: Citation


class DeclarationWaiver(Strict):
    """A group larger than ``group_size_over`` (with a legal-entity policyholder where
    ``legal_entity_holder``) may be insured without health declarations."""

    group_size_over: int = Field(ge=1)
    legal_entity_holder: bool = False
    clause: Citation


class ContractTypeRule(Strict):
    type: ContractType
    clause: Citation
    title: Text
    persons: list[PersonRule] = Field(min_length=1)
    max_persons: int | None = Field(default=None, ge=1)
    max_partners: int | None = Field(default=None, ge=1)  # spouses and cohabitants together
    partners_clause: Citation | None = None
    # Children only together with a parent (001 т.14, 003 т.14).
    children_need_parent_clause: Citation | None = None
    min_group_size: int | None = Field(default=None, ge=2)
    employer_paid_required: bool = False
    employer_paid_clause: Citation | None = None
    term: TermRule | None = None
    declaration_required: bool = True
    declaration_clause: Citation
    declaration_waiver: DeclarationWaiver | None = None

    @model_validator(mode="after")
    def _clauses(self) -> ContractTypeRule:
        if self.max_partners is not None and self.partners_clause is None:
            raise ValueError("max_partners needs partners_clause")
        if self.employer_paid_required and self.employer_paid_clause is None:
            raise ValueError("employer_paid_required needs employer_paid_clause")
        if self.type is ContractType.GROUP and self.min_group_size is None:
            raise ValueError("a group contract type needs min_group_size")
        return self

    def rules_for(self, role: Role) -> list[PersonRule]:
        return [r for r in self.persons if role in r.roles]


class ReferBand(Strict):
    """Ages that the general rule leaves out but an underwriter may accept on special
    conditions (004 Чл.9 persons of 65 to 70, Чл.10)."""

    from_years: int
    to_years: int
    outcome: Verdict = "refer"
    clause: Citation
    title: Text


class AgeAtEnd(Strict):
    """The insured's age when the contract ends. ``until_birthday``: the term must end no later
    than the birthday of ``max_years`` (001 т.23); otherwise the completed years on the last day
    must not exceed ``max_years``. Beyond it the outcome is ``outcome`` up to ``refer_up_to``
    years, decline after."""

    max_years: int
    until_birthday: bool = False
    clause: Citation
    outcome: Verdict = "decline"
    refer_up_to: int | None = None


class PersonCondition(Strict):
    """A yes/no fact about the person (residence, НЗОК rights) the terms require."""

    outcome: Verdict
    clause: Citation
    title: Text


class DeclarationQuestion(Strict):
    """One question of the health declaration (004 Чл.9 categories); a "yes" gives ``outcome``."""

    key: str
    outcome: Verdict
    clause: Citation
    title: Text

    @model_validator(mode="after")
    def _key(self) -> DeclarationQuestion:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", self.key):
            raise ValueError(f"declaration key {self.key!r} must be snake_case")
        return self


class Declaration(Strict):
    """The health declaration (Здравна декларация)."""

    clause: Citation
    missing_outcome: Verdict = "refer"
    # Filled in by a parent or guardian below this age (004 Чл.23 т.1).
    by_parent_under_years: int | None = None
    by_parent_clause: Citation | None = None
    # A declaration older than this before the start must be confirmed (004 Чл.23 т.2).
    valid_months: int | None = Field(default=None, ge=1)
    valid_clause: Citation | None = None
    # A renewal without a break needs no new declaration (001 т.25, 003 т.23).
    not_required_on_renewal_clause: Citation | None = None
    questions: list[DeclarationQuestion] = Field(min_length=1)

    @model_validator(mode="after")
    def _pairs(self) -> Declaration:
        if (self.by_parent_under_years is None) != (self.by_parent_clause is None):
            raise ValueError("by_parent_under_years and by_parent_clause go together")
        if (self.valid_months is None) != (self.valid_clause is None):
            raise ValueError("valid_months and valid_clause go together")
        keys = [q.key for q in self.questions]
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            raise ValueError(f"duplicate declaration question(s): {dupes}")
        return self

    def question(self, key: str) -> DeclarationQuestion | None:
        return next((q for q in self.questions if q.key == key), None)


class Underwriting(Strict):
    age: AgeCounting
    # Every insured person, whatever the contract type (004 Чл.1, Чл.7).
    min_age_months: int = Field(default=0, ge=0)
    max_age_years: int
    age_clause: Citation
    refer_band: ReferBand | None = None
    # On a renewal without a break the maximum entry age does not apply (001 т.13, 003 т.13).
    renewal_lifts_max_age_clause: Citation | None = None
    age_at_end: AgeAtEnd
    residence: PersonCondition
    nhif_rights: PersonCondition | None = None
    contract_types: list[ContractTypeRule] = Field(min_length=1)
    declaration: Declaration
    # 004 Чл.17: covers offered only in combination with another (packages 5 and 6 of 002).
    packages_not_sold_alone: list[int] = Field(default_factory=list)
    packages_not_sold_alone_clause: Citation | None = None

    @model_validator(mode="after")
    def _types_unique(self) -> Underwriting:
        types = [t.type for t in self.contract_types]
        dupes = sorted({t.value for t in types if types.count(t) > 1})
        if dupes:
            raise ValueError(f"contract type(s) given twice: {dupes}")
        return self

    def contract_type(self, kind: ContractType | str) -> ContractTypeRule | None:
        return next((t for t in self.contract_types if t.type == kind), None)

    @property
    def rules(self) -> list[Strict]:
        """Every rule with a clause, for summaries (``zdrave products check``)."""
        found: list[Strict] = [self.age, self.age_at_end, self.residence, self.declaration]
        found += [r for r in (self.refer_band, self.nhif_rights) if r is not None]
        for kind in self.contract_types:
            found.append(kind)
            found.extend(kind.persons)
        found.extend(self.declaration.questions)
        return found
