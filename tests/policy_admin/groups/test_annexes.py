"""Annexes changing a group's insured people (004 Чл.27 т.2, Чл.24 т.4): the 00:00 boundary,
the 7 days, the pro-rata premium, the annex document; all or nothing, once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from zdrave.base.audit.models import AuditEvent
from zdrave.claims.fetch import memberships_in_force
from zdrave.contracts.eligibility import Ineligible, member_cover
from zdrave.contracts.models import ContractMember, Cover, InsuredPerson, PremiumInstalment
from zdrave.engine.contract_changes import pro_rata
from zdrave.engine.money import format_eur
from zdrave.policy_admin.groups import actions
from zdrave.policy_admin.groups.letters import annex_pdf
from zdrave.policy_admin.groups.models import Annex, AnnexLine

from .conftest import egn
from .helpers import today, tomorrow

pytestmark = pytest.mark.django_db
NEW = {
    "egn": "",
    "first_name": "Нова",
    "middle_name": "",
    "last_name": "Служителка",
    "role": "employee",
    "packages": "2, 3",
    "option": "basic",
    "clause": "Б1",
}


def newcomer(serial=301, birth=dt.date(1990, 5, 5)):
    return {**NEW, "egn": egn(birth, serial, female=True)}


def test_004_chl27_t2_added_person_is_covered_from_0000_of_the_named_day(group, employer):
    annex = actions.add_person(group, newcomer(), actor=employer, effective=tomorrow(), key="k1")
    member = ContractMember.objects.get(contract=group, person__first_name="Нова")
    assert member.covered_from == tomorrow()
    assert annex.effective == tomorrow()
    assert annex.number == "G-TEST-1-A001"
    # The group's own covers apply: no covers of her own.
    assert not Cover.objects.filter(member=member).exists()
    assert list(memberships_in_force([member.person_id], "health", today())) == []
    assert list(memberships_in_force([member.person_id], "health", tomorrow())) == [member]


def test_004_chl24_t4_addition_on_the_notice_day_is_refused(group, employer):
    with pytest.raises(ValidationError) as refused:
        actions.add_person(group, newcomer(), actor=employer, effective=today(), key="k1")
    assert "004 Чл.24 т.4" in str(refused.value)
    assert not Annex.objects.exists()
    assert not InsuredPerson.objects.filter(first_name="Нова").exists()


def test_pro_rata_premium_for_an_addition_is_an_extra_instalment(group, employer):
    annex = actions.add_person(group, newcomer(), actor=employer, effective=tomorrow(), key="k1")
    expected = pro_rata(Decimal("1050.00"), start=group.start, end=group.end, effective=tomorrow())
    assert annex.premium_difference == expected
    assert annex.instalment.amount == expected
    assert PremiumInstalment.objects.filter(contract=group).count() == 13


def test_004_chl27_t2_removed_person_is_covered_until_the_day_before(group, employer):
    member = group.members.select_related("person", "contract").first()
    annex = actions.remove_person(member, actor=employer, effective=tomorrow(), key="r1")
    member.refresh_from_db()
    assert member.covered_until == today()
    assert annex.premium_difference < 0
    assert annex.instalment is None
    # Still covered today; from 00:00 tomorrow nothing is in force for them.
    assert list(memberships_in_force([member.person_id], "health", today())) == [member]
    assert list(memberships_in_force([member.person_id], "health", tomorrow())) == []


def test_004_chl24_t4_removal_reaches_back_7_days_not_8(group, employer):
    member = group.members.select_related("person", "contract").first()
    with pytest.raises(ValidationError) as refused:
        actions.remove_person(
            member, actor=employer, effective=today() - dt.timedelta(days=8), key="r1"
        )
    assert "004 Чл.24 т.4" in str(refused.value)
    member.refresh_from_db()
    assert member.covered_until is None
    actions.remove_person(
        member, actor=employer, effective=today() - dt.timedelta(days=7), key="r2"
    )
    member.refresh_from_db()
    assert member.covered_until == today() - dt.timedelta(days=8)


def test_removed_member_loses_the_cover_a_claim_or_service_needs(group, employer):
    """A claim for a day after the last covered day finds no membership (claims' form offers
    nobody) and no cover (Extra Care / eligibility)."""
    user = employer.__class__.objects.create_user("worker", role="member", password="x")
    member = group.members.select_related("person", "contract").first()
    member.person.user = user
    member.person.save()
    actions.remove_person(member, actor=employer, effective=today() - dt.timedelta(days=3), key="r")
    assert list(memberships_in_force([member.person_id], "health", today())) == []
    with pytest.raises(Ineligible):
        member_cover(user, ["health"], today=today())
    assert member_cover(user, ["health"], today=today() - dt.timedelta(days=4))


def test_double_submit_makes_one_annex(group, employer):
    first = actions.add_person(group, newcomer(), actor=employer, effective=tomorrow(), key="same")
    again = actions.add_person(group, newcomer(), actor=employer, effective=tomorrow(), key="same")
    assert first.pk == again.pk
    assert Annex.objects.count() == 1
    assert ContractMember.objects.filter(contract=group).count() == 13


def test_004_chl24_t2_a_group_keeps_ten_people(group, employer):
    members = list(group.members.select_related("person", "contract"))
    for i, member in enumerate(members[:2]):
        actions.remove_person(member, actor=employer, effective=tomorrow(), key=f"r{i}")
    with pytest.raises(ValidationError) as refused:
        actions.remove_person(members[2], actor=employer, effective=tomorrow(), key="r3")
    assert "004 Чл.24 т.2" in str(refused.value)
    members[2].refresh_from_db()
    assert members[2].covered_until is None


def test_bad_row_refuses_the_annex_with_the_field_named(group, employer):
    with pytest.raises(ValidationError) as refused:
        actions.add_person(
            group,
            {**newcomer(), "egn": "8001010003"},
            actor=employer,
            effective=tomorrow(),
            key="x",
        )
    assert "egn" in refused.value.message_dict
    assert not Annex.objects.exists()


def test_own_option_makes_own_covers(group, employer):
    actions.add_person(
        group, {**newcomer(), "option": "full"}, actor=employer, effective=tomorrow(), key="k"
    )
    member = ContractMember.objects.get(contract=group, person__first_name="Нова")
    assert sorted(Cover.objects.filter(member=member).values_list("package", "option")) == [
        (2, "full"),
        (3, "full"),
    ]


def test_audit_rows_for_the_annex_and_each_person(group, employer):
    annex = actions.add_person(group, newcomer(), actor=employer, effective=tomorrow(), key="k")
    assert AuditEvent.objects.filter(verb="annex.made", object_id=str(annex.pk)).count() == 1
    line = AnnexLine.objects.get(annex=annex)
    assert AuditEvent.objects.filter(
        verb="member.added_by_annex", object_id=str(line.member_id), actor=employer
    ).exists()


@pytest.mark.parametrize("language", ["bg", "en"])
def test_annex_pdf_shows_the_people_and_the_date(group, employer, language):
    annex = actions.add_person(group, newcomer(), actor=employer, effective=tomorrow(), key="k")
    text = "".join(
        page.extract_text() for page in PdfReader(BytesIO(annex_pdf(annex, language))).pages
    )
    assert annex.number in text
    assert "Нова Служителка" in text
    assert tomorrow().strftime("%d.%m.%Y") in text
    assert format_eur(annex.premium_difference).replace("\xa0", " ") in text.replace("\xa0", " ")
    assert ("Анекс" if language == "bg" else "Annex") in text
