"""The complaint's answer deadline from the terms of the contract it is about (the engine's
``answer_deadline``: 001 т.79, 003 т.77; 004 silent) and its flag for the queue."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zdrave.engine.complaints import AnswerDeadline, Flag, answer_deadline, answer_flag
from zdrave.engine.terms.abroad import ComplaintRule
from zdrave.products.terms import terms


def rule_for(contract) -> ComplaintRule | None:
    """The product's complaints clause; None for a product whose terms have none (004) and for
    a complaint about no contract (the insurer's general rule then applies)."""
    if contract is None:
        return None
    product = terms(contract.product_code, contract.product_version)
    return product.abroad.complaints if product.abroad is not None else None


def deadline_for(contract, received_on: dt.date) -> AnswerDeadline:
    return answer_deadline(rule_for(contract), received_on)


def flag_of(complaint, today: dt.date | None = None) -> Flag:
    return answer_flag(complaint.due_on, today or timezone.localdate(), complaint.answered_on)
