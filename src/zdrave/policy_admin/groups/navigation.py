"""The member's menu link to their preventive-examination slot, shown only to a member who has
one (imported by ``apps.py``, so the models load only when a menu is built, as
``member_services/navigation.py`` does)."""

from __future__ import annotations


def holds_family_contract(user) -> bool:
    from zdrave.policy_admin.groups.fetch import family_contracts

    return family_contracts(user).exists()


def has_slot(user) -> bool:
    from zdrave.policy_admin.groups.fetch import member_slots

    return bool(member_slots(user))
