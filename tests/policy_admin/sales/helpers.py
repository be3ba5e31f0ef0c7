"""Shared data of the sales tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from zdrave.contracts.identifiers import make_egn
from zdrave.policy_admin.sales import actions

NO = dict.fromkeys(
    [
        "chronic_disease",
        "disability_50",
        "prior_registered_disease",
        "mental_illness",
        "epilepsy",
        "addiction",
        "stroke",
        "heart_attack",
        "heart_surgery",
        "severe_heart_or_lung_disease",
        "multiple_sclerosis",
        "oncology",
        "severe_liver_or_kidney_disease",
        "aids",
        "severe_autoimmune_disease",
        "severe_chronic_infection",
        "organ_transplant",
        "professional_athlete",
        "dangerous_sport",
    ],
    False,
)
FULL = [{"package": 2, "option": "full", "clause": "Б1"}]


def next_month() -> dt.date:
    today = timezone.localdate()
    return dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)


def egn(birth: dt.date, serial: int, female: bool = False) -> str:
    return make_egn(birth, serial, female=female)


def sign(person, *, actor, by="self", **yes):
    return actions.save_declaration(
        person,
        actor=actor,
        answers={**NO, **yes},
        signed_by=by,
        signer_name="Мария Петрова",
        sign=True,
    )
