"""Every write of group administration, one module a subject:

- ``annexes``: the annex that adds, removes and changes people (004 Чл.27 т.2, Чл.24 т.4);
- ``people``: one person added or removed by annex (staff and the employer);
- ``census``: the employer's census, previewed, then applied as one annex;
- ``declarations``: a newcomer's health declaration (004 Чл.9–10);
- ``family``: a family contract's holder adds or removes a member online (004 Чл.27 т.2);
- ``underwriting``: the underwriter decides a referred family member (004 Чл.10);
- ``examinations``: preventive examinations, requested and scheduled (004 Чл.30 т.3).

Each action checks first (a translated ``ValidationError`` naming the field and the rule), then
writes in one transaction with audit rows, so a refused request leaves nothing behind. An annex
or a census is applied whole or not at all; the same submission twice makes one annex (its
``key``).

The public names are importable from here too (``groups.actions.add_person``), so views, the
demo and other apps need not know which module holds them. A test that replaces a name patches
the module that uses it (``groups.actions.annexes.insert_rows``)."""

from __future__ import annotations

from zdrave.policy_admin.groups.actions.annexes import (
    Changes,
    annual_premium_per_person,
    check_dates,
    close_covers,
    make_annex,
)
from zdrave.policy_admin.groups.actions.census import apply_census, preview_census
from zdrave.policy_admin.groups.actions.declarations import declaration_questions
from zdrave.policy_admin.groups.actions.examinations import (
    request_examinations,
    schedule_examinations,
)
from zdrave.policy_admin.groups.actions.family import add_family_member, remove_family_member
from zdrave.policy_admin.groups.actions.people import add_person, remove_person
from zdrave.policy_admin.groups.actions.underwriting import decide_family_request

__all__ = [
    "Changes",
    "add_family_member",
    "add_person",
    "annual_premium_per_person",
    "apply_census",
    "check_dates",
    "close_covers",
    "declaration_questions",
    "decide_family_request",
    "make_annex",
    "preview_census",
    "remove_family_member",
    "remove_person",
    "request_examinations",
    "schedule_examinations",
]
