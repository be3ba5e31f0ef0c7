"""The health declaration of a person joining a family contract (004 Чл.9–10)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zdrave.contracts.models import Contract
from zdrave.products import terms


def declaration_questions(contract: Contract):
    """The health declaration's questions of the contract's product version (004 Чл.9–10)."""
    version = terms.terms(contract.product_code, contract.product_version)
    return list(version.underwriting.declaration.questions) if version.underwriting else []


def check_declaration(contract: Contract, answers: dict[str, bool | None]) -> list:
    """004 Чл.10: everyone insured fills in the declaration (a parent for a child, Чл.23 т.1).
    All "no": the annex is made at once. A "yes" the terms decline refuses it. Returns the
    questions answered "yes" that the terms refer (004 Чл.9): those go to an underwriter, who
    may accept the person on special conditions agreed in writing (004 Чл.10)."""
    questions = declaration_questions(contract)
    missing = [q for q in questions if answers.get(q.key) is None]
    if missing:
        raise ValidationError(
            {
                f"q_{missing[0].key}": _(
                    "Health declaration: answer every question (%(n)s open) (004 Чл.10)."
                )
                % {"n": len(missing)}
            }
        )
    yes = [q for q in questions if answers.get(q.key)]
    declined = [q for q in yes if q.outcome == "decline"]
    if declined:
        raise ValidationError(
            {
                f"q_{declined[0].key}": _(
                    "Health declaration: with this answer the person cannot be insured "
                    "(%(clause)s)."
                )
                % {"clause": declined[0].clause}
            }
        )
    return yes
