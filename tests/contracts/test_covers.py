"""Contracts and covers are checked against the product terms before anything is written."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from contracts.factories import END, START, health_contract, make_person, make_user, person_holder
from zdrave.base.audit.models import AuditEvent
from zdrave.contracts import actions
from zdrave.contracts.models import Contract, ContractStatus, ContractType, Cover, MemberRole

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    user = make_user("maria")
    maria = make_person("Мария", "Петрова", dt.date(1988, 6, 14), female=True, user=user)
    contract = health_contract("I-1", ContractType.INDIVIDUAL, person_holder(maria, user))
    member = actions.add_member(contract, maria, MemberRole.HOLDER, actor=None)
    return contract, member


def _refused(language: str, **cover) -> dict:
    with translation.override(language), pytest.raises(ValidationError) as info:
        actions.add_cover(cover.pop("contract"), actor=None, product_code="health", **cover)
    return info.value.message_dict


def test_002_iii_hospital_package_has_no_minimal_option(contract):
    contract, member = contract
    errors = _refused(
        "en", contract=contract, member=member, package=3, option="minimal", clause="Б1"
    )
    assert errors == {
        "option": [
            "Option: package 3 (Hospital care) does not offer the option Minimal; "
            "it offers Basic, Full, Luxury (002 III)."
        ]
    }
    assert not Cover.objects.exists()


def test_002_unknown_option_is_refused_in_bulgarian(contract):
    contract, member = contract
    errors = _refused(
        "bg", contract=contract, member=member, package=3, option="minimal", clause="Б1"
    )
    assert errors == {
        "option": [
            "Опция: пакет 3 (Болнична медицинска помощ) не предлага опция Минимална; "
            "предлага Основна, Пълна, Луксозна (002 III)."
        ]
    }


def test_002_unknown_package_is_refused(contract):
    contract, member = contract
    errors = _refused("en", contract=contract, member=member, package=6, option="basic", clause="A")
    assert errors == {
        "package": ["Package: there is no package 6; the product has packages 1, 2, 3, 5 (002)."]
    }


def test_002_vii_clause_must_be_one_the_package_offers(contract):
    contract, member = contract
    errors = _refused("en", contract=contract, member=member, package=2, option="full", clause="")
    assert errors == {
        "clause": [
            "Clause: package 2 (Outpatient care) is offered with clause A / Б1 / Б2, not — (002 VII)."
        ]
    }


def test_002_i_prevention_package_takes_no_clause(contract):
    contract, member = contract
    errors = _refused(
        "en", contract=contract, member=member, package=1, option="basic", clause="Б1"
    )
    assert errors == {
        "clause": ["Clause: package 1 (Health promotion and prevention) has no clauses (002 I)."]
    }
    cover = actions.add_cover(
        contract, actor=None, member=member, product_code="health", package=1, option="basic"
    )
    assert (cover.package, cover.option, cover.clause) == (1, "basic", "")


def test_valid_health_cover_is_written_with_an_audit_row(contract):
    contract, member = contract
    cover = actions.add_cover(
        contract,
        actor=None,
        member=member,
        product_code="health",
        package=2,
        option="full",
        clause="Б1",
    )
    assert (cover.product_version, cover.package, cover.option, cover.clause) == (
        dt.date(2022, 11, 1),
        2,
        "full",
        "Б1",
    )
    event = AuditEvent.objects.get(verb="cover.added")
    assert (event.object_type, event.object_id) == ("contracts.cover", str(cover.pk))
    assert event.details == {
        "contract": "I-1",
        "product": "health",
        "package": 2,
        "option": "full",
        "clause": "Б1",
    }


def test_whole_product_covers_take_no_package(contract):
    contract, member = contract
    with translation.override("en"), pytest.raises(ValidationError) as info:
        actions.add_cover(contract, actor=None, product_code="extra-care", package=2, option="full")
    assert info.value.message_dict == {
        "package": ["Package: extra-care is covered as a whole, without packages."]
    }
    cover = actions.add_cover(contract, actor=None, product_code="extra-care")
    assert cover.product_version == dt.date(
        2021, 1, 1
    )  # the extra-care version on sale on 2026-01-01


def test_contract_names_a_product_version_that_exists():
    user = make_user("ivan")
    ivan = make_person("Иван", "Димитров", dt.date(1982, 2, 20), user=user)
    holder = person_holder(ivan, user)
    with translation.override("en"), pytest.raises(ValidationError) as info:
        actions.create_contract(
            actor=None,
            number="X-1",
            type="individual",
            holder=holder,
            product_code="health",
            product_version=dt.date(2020, 1, 1),
            start=START,
            end=END,
        )
    assert info.value.message_dict == {
        "product_version": ["Product version: health has no version in force from 2020-01-01."]
    }
    with translation.override("en"), pytest.raises(ValidationError) as info:
        actions.create_contract(
            actor=None,
            number="X-1",
            type="individual",
            holder=holder,
            product_code="dental",
            start=START,
            end=END,
        )
    assert info.value.message_dict == {
        "product_code": ["Product: no version of dental is on sale on 2026-01-01."]
    }
    with translation.override("en"), pytest.raises(ValidationError) as info:
        actions.create_contract(
            actor=None,
            number="X-1",
            type="individual",
            holder=holder,
            product_code="health",
            start=dt.date(2021, 1, 1),
            end=END,
        )
    assert info.value.message_dict == {
        "product_code": ["Product: no version of health is on sale on 2021-01-01."]
    }
    assert not Contract.objects.exists()


def test_004_chl24_t2_individual_contract_insures_one_person(contract):
    contract, _member = contract
    other = make_person("Петър", "Петров", dt.date(1990, 1, 1))
    with translation.override("en"), pytest.raises(ValidationError) as info:
        actions.add_member(contract, other, MemberRole.HOLDER, actor=None)
    assert info.value.message_dict == {
        "person": ["Person: an individual contract insures exactly one person (004 Чл.24 т.2)."]
    }
    with translation.override("en"), pytest.raises(ValidationError) as info:
        actions.add_member(contract, other, MemberRole.EMPLOYEE, actor=None)
    assert info.value.message_dict == {
        "role": [
            "Role on the contract: “Employee” is not allowed on a contract of type “Individual” (004 Чл.24 т.2)."
        ]
    }
    assert contract.members.count() == 1


def test_004_chl24_t2_group_contract_needs_ten_people():
    from contracts.factories import _eik

    employer = make_user("employer", role="employer")
    holder = actions.create_holder(
        actor=None, kind="company", name="Акме", identifier=_eik("12100001"), users=[employer]
    )
    group = health_contract("G-1", ContractType.GROUP, holder)
    for i in range(9):
        actions.add_member(
            group,
            make_person(f"Лице{i}", "Груп", dt.date(1980 + i, 1, 1)),
            MemberRole.EMPLOYEE,
            actor=None,
        )
    actions.add_cover(
        group, actor=None, product_code="health", package=2, option="basic", clause="A"
    )
    with translation.override("en"), pytest.raises(ValidationError) as info:
        actions.put_in_force(group, actor=None)
    assert info.value.message_dict == {
        "members": ["Insured persons: a group contract insures ten or more people (004 Чл.24 т.2)."]
    }
    group.refresh_from_db()
    assert group.status == ContractStatus.DRAFT
    actions.add_member(
        group, make_person("Лице9", "Груп", dt.date(1990, 1, 1)), MemberRole.EMPLOYEE, actor=None
    )
    actions.put_in_force(group, actor=None)
    group.refresh_from_db()
    assert group.status == ContractStatus.IN_FORCE
    assert (
        AuditEvent.objects.filter(verb="contract.status_changed", object_id=str(group.pk)).count()
        == 1
    )


@pytest.mark.parametrize(
    ("language", "message"),
    [
        pytest.param(
            "en",
            "Product: Extra Care is an add-on sold only with Health insurance (000 а) стъпка 1); "
            "this contract is DZI Best Doctors medical insurance.",
            id="000-a-step-1-extra-care-only-with-health-en",
        ),
        pytest.param(
            "bg",
            "Продукт: Екстра грижа е допълнение, което се продава само с Здравна застраховка "
            "(000 а) стъпка 1); този договор е Медицинска застраховка „ДЗИ Best Doctors“.",
            id="000-a-step-1-extra-care-only-with-health-bg",
        ),
    ],
)
def test_000_extra_care_is_not_added_to_a_best_doctors_contract(language, message):
    user = make_user("ivan")
    ivan = make_person("Иван", "Димитров", dt.date(1982, 2, 20), user=user)
    contract = actions.create_contract(
        actor=None,
        number="BD-1",
        type=ContractType.INDIVIDUAL,
        holder=person_holder(ivan, user),
        product_code="best-doctors",
        start=START,
        end=END,
    )
    events = AuditEvent.objects.count()

    with translation.override(language), pytest.raises(ValidationError) as info:
        actions.add_cover(contract, actor=None, product_code="extra-care")

    assert info.value.message_dict == {"product_code": [message]}
    assert not Cover.objects.filter(product_code="extra-care").exists()
    assert AuditEvent.objects.count() == events
