"""The holder of a family contract adds a spouse or child by annex online — no later than one
month after the contract was made (004 Чл.27 т.2), a child from 3 months of age (004 Чл.7), the
health declaration answered (004 Чл.10, by a parent for a child, Чл.23 т.1), the premium for the
rest of the term added — and removes one (covered to the day before, Чл.27 т.2)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contracts.factories import make_person, make_user, person_holder
from zdrave.base.identity.models import Role
from zdrave.contracts import actions as contract_actions
from zdrave.contracts.models import ContractMember, ContractType, MemberRole, PremiumInstalment
from zdrave.engine.calendar import add_months
from zdrave.policy_admin.groups import actions
from zdrave.policy_admin.groups.models import Annex

from .conftest import egn

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def today():
    return timezone.localdate()


def start_for_last_day(last_day: dt.date) -> dt.date:
    """A start whose month for adding family members (004 Чл.27 т.2) ends on ``last_day``."""
    day = last_day - dt.timedelta(days=27)
    while add_months(day, 1) != last_day:
        day -= DAY
    return day


def family_contract(holder_user, *, start: dt.date, number="F-500"):
    ivan = make_person("Иван", "Димитров", dt.date(1982, 2, 20), user=holder_user)
    elena = make_person("Елена", "Димитрова", dt.date(1984, 9, 5), female=True)
    contract = contract_actions.create_contract(
        actor=None,
        number=number,
        type=ContractType.FAMILY,
        holder=person_holder(ivan, holder_user),
        product_code="health",
        start=start,
        end=add_months(start, 12) - DAY,
    )
    contract_actions.add_member(contract, ivan, MemberRole.HOLDER, actor=None)
    contract_actions.add_member(contract, elena, MemberRole.SPOUSE, actor=None)
    contract_actions.add_cover(
        contract, actor=None, product_code="health", package=2, option="full", clause="Б1"
    )
    contract_actions.schedule_premium(contract, [(start, Decimal("730.00"))], by=None)
    contract_actions.put_in_force(contract, actor=None)
    return contract


@pytest.fixture
def holder_user(db):
    return make_user("ivan", email="ivan@example.bg")


@pytest.fixture
def family(holder_user):
    return family_contract(holder_user, start=today() - dt.timedelta(days=5))


def all_no(contract):
    return {q.key: False for q in actions.declaration_questions(contract)}


def child(serial=501, birth=dt.date(2016, 4, 12)):
    return {
        "egn": egn(birth, serial, female=True),
        "first_name": "Ния",
        "middle_name": "",
        "last_name": "Димитрова",
        "role": "child",
    }


def add(contract, user, person=None, *, effective=None, answers=None, key="k1"):
    return actions.add_family_member(
        contract,
        person or child(),
        answers=all_no(contract) if answers is None else answers,
        signer_name="Иван Димитров",
        actor=user,
        effective=effective or today() + DAY,
        key=key,
    )


def test_004_chl27_t2_child_added_from_0000_of_the_day_with_pro_rata_premium(family, holder_user):
    annex = add(family, holder_user)
    again = add(family, holder_user)
    assert annex.pk == again.pk
    member = ContractMember.objects.get(contract=family, person__first_name="Ния")
    assert (member.role, member.covered_from) == (MemberRole.CHILD, today() + DAY)
    # 730.00 for two people for the year: 365.00 each, for the days from tomorrow to the end.
    days_left = (family.end - today()).days
    assert annex.premium_difference == (Decimal("365.00") * days_left / 365).quantize(
        Decimal("0.01")
    )
    assert PremiumInstalment.objects.filter(contract=family).count() == 2
    assert annex.lines.get().packages == [2]


@pytest.mark.parametrize(
    ("days_after_last", "allowed"),
    [
        pytest.param(0, True, id="004-chl27-t2-notice-on-the-last-day-of-the-month"),
        pytest.param(1, False, id="004-chl27-t2-notice-a-day-later-refused"),
    ],
)
def test_004_chl27_t2_one_month_after_the_contract_was_made(holder_user, days_after_last, allowed):
    contract = family_contract(
        holder_user, start=start_for_last_day(today() - days_after_last * DAY)
    )
    if allowed:
        assert add(contract, holder_user).effective == today() + DAY
        return
    with pytest.raises(ValidationError) as refused:
        add(contract, holder_user)
    assert "004 Чл.27 т.2" in str(refused.value)
    assert not Annex.objects.exists()


def test_004_chl24_t4_a_member_joins_from_the_day_after_the_notice(family, holder_user):
    with pytest.raises(ValidationError) as refused:
        add(family, holder_user, effective=today())
    assert "004 Чл.24 т.4" in str(refused.value)
    assert not Annex.objects.exists()


@pytest.mark.parametrize(
    ("age_days_at_effective", "allowed"),
    [
        pytest.param(-1, False, id="004-chl7-newborn-a-day-before-3-months-refused"),
        pytest.param(0, True, id="004-chl7-newborn-on-the-day-of-3-months"),
    ],
)
def test_004_chl7_newborn_joins_from_3_months(family, holder_user, age_days_at_effective, allowed):
    effective = today() + DAY
    # Born so that 3 months are reached exactly on ``effective`` (+/- a day).
    birth = effective - dt.timedelta(days=1)
    while add_months(birth, 3) > effective:
        birth -= DAY
    birth -= age_days_at_effective * DAY
    person = child(serial=777, birth=birth)
    if allowed:
        assert add(family, holder_user, person).pk
        return
    with pytest.raises(ValidationError):
        add(family, holder_user, person)
    assert not Annex.objects.exists()


def test_004_chl10_every_question_answered(family, holder_user):
    answers = all_no(family)
    first = next(iter(answers))
    answers[first] = None
    with pytest.raises(ValidationError) as refused:
        add(family, holder_user, answers=answers)
    assert f"q_{first}" in refused.value.message_dict
    assert not Annex.objects.exists()


def test_004_chl27_t2_spouse_removed_covered_to_the_day_before(family, holder_user):
    spouse = ContractMember.objects.get(contract=family, role=MemberRole.SPOUSE)
    annex = actions.remove_family_member(
        spouse, actor=holder_user, effective=today() + DAY, key="r1"
    )
    spouse.refresh_from_db()
    assert spouse.covered_until == today()
    assert annex.premium_difference < 0
    holder = ContractMember.objects.get(contract=family, role=MemberRole.HOLDER)
    with pytest.raises(ValidationError):
        actions.remove_family_member(holder, actor=holder_user, effective=today() + DAY, key="r2")


def test_the_pages_for_the_holder_add_and_remove(client, family, holder_user):
    client.force_login(holder_user)
    page = client.get(reverse("groups:family", args=[family.number]))
    assert page.status_code == 200
    form = client.get(reverse("groups:family_add", args=[family.number]))
    assert form.status_code == 200
    key = form.context["form"].initial.get("form_key") or form.context["form"]["form_key"].value()
    data = {
        **child(),
        "effective": (today() + DAY).isoformat(),
        "signer_name": "Иван Димитров",
        "form_key": key,
        **{f"q_{k}": "no" for k in all_no(family)},
    }
    done = client.post(reverse("groups:family_add", args=[family.number]), data)
    assert done.status_code == 302
    client.post(reverse("groups:family_add", args=[family.number]), data)
    assert Annex.objects.count() == 1
    annex_page = client.get(done["Location"])
    assert annex_page.status_code == 200
    # Half-filled: the page comes back with the message, nothing made.
    data2 = {**data, "form_key": uuid.uuid4().hex, "egn": egn(dt.date(2017, 1, 1), 42)}
    data2.pop(f"q_{next(iter(all_no(family)))}")
    again = client.post(reverse("groups:family_add", args=[family.number]), data2)
    assert again.status_code == 200
    assert "004 Чл.10" in again.content.decode()
    assert Annex.objects.count() == 1
    spouse = ContractMember.objects.get(contract=family, role=MemberRole.SPOUSE)
    url = reverse("groups:family_remove", args=[family.number, spouse.pk])
    assert client.get(url).status_code == 200
    removed = client.post(
        url, {"effective": (today() + DAY).isoformat(), "form_key": uuid.uuid4().hex}
    )
    assert removed.status_code == 302
    spouse.refresh_from_db()
    assert spouse.covered_until == today()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        pytest.param(Role.MEMBER, 404, id="another-member"),
        pytest.param(Role.EMPLOYER, 404, id="employer"),
        pytest.param(Role.BILLING, 404, id="billing"),
    ],
)
def test_only_the_holder_opens_the_family_pages(client, family, role, status):
    client.force_login(make_user(f"other-{role}", role))
    for name in ("groups:family", "groups:family_add"):
        assert client.get(reverse(name, args=[family.number])).status_code == status
    spouse = ContractMember.objects.get(contract=family, role=MemberRole.SPOUSE)
    url = reverse("groups:family_remove", args=[family.number, spouse.pk])
    assert (
        client.post(url, {"effective": (today() + DAY).isoformat(), "form_key": "x"}).status_code
        == status
    )
    spouse.refresh_from_db()
    assert spouse.covered_until is None


def test_anonymous_goes_to_log_in(client, family):
    response = client.get(reverse("groups:family", args=[family.number]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
