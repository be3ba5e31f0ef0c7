"""The facts of a contract that claims depend on, written through the contracts actions: the
premium schedule and its payments (004 Чл.25), a termination (004 Чл.27 т.2, Чл.28), a person's
НЗОК rights and their special conditions (004 Чл.10). A refused write changes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from contracts.factories import (
    END,
    START,
    contract_with,
    health_contract,
    make_person,
    make_user,
    person_holder,
)
from zdrave.base.audit.models import AuditEvent
from zdrave.contracts import actions
from zdrave.contracts.eligibility import Ineligible, member_cover
from zdrave.contracts.models import (
    ContractStatus,
    ContractType,
    MemberRole,
    PremiumInstalment,
    SpecialConditions,
    TerminationReason,
)
from zdrave.engine.adjudication.health_contract import Termination

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    maria = make_person("Мария", "Петрова", dt.date(1988, 6, 14), female=True)
    contract = health_contract("I-1", ContractType.INDIVIDUAL, person_holder(maria, None))
    member = actions.add_member(contract, maria, MemberRole.HOLDER, actor=None)
    actions.add_cover(
        contract, actor=None, product_code="health", package=2, option="full", clause="Б1"
    )
    actions.put_in_force(contract, actor=None)
    return member


def refused(call, language="en") -> dict:
    with translation.override(language):
        with pytest.raises(ValidationError) as info:
            call()
        return info.value.message_dict


def monthly(count: int, amount="80.00"):
    return [
        (START.replace(month=1 + i % 12, year=START.year + i // 12), Decimal(amount))
        for i in range(count)
    ]


def verbs() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))


# ---- 004 Чл.25: the premium schedule ----------------------------------------------------


def test_004_chl25_t2_twelve_monthly_instalments_are_scheduled_once(member):
    contract = member.contract
    first = actions.schedule_premium(contract, monthly(12), by=None)
    again = actions.schedule_premium(contract, monthly(12), by=None)
    assert [i.pk for i in first] == [i.pk for i in again]
    assert PremiumInstalment.objects.filter(contract=contract).count() == 12
    assert [(i.due, i.amount, i.paid_on) for i in first[:2]] == [
        (dt.date(2026, 1, 1), Decimal("80.00"), None),
        (dt.date(2026, 2, 1), Decimal("80.00"), None),
    ]
    assert verbs().count("premium.scheduled") == 1


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "Premium schedule: at most 12 instalments in a year of the contract; 13 fall due in "
            "the year from 2026-01-01 (004 Чл.25 т.2).",
        ),
        (
            "bg",
            "График на премията: най-много 12 вноски в една година от договора; 13 са с падеж "
            "в годината от 2026-01-01 (004 Чл.25 т.2).",
        ),
    ],
)
def test_004_chl25_t2_more_than_twelve_instalments_a_year_are_refused(member, language, message):
    schedule = [*monthly(12), (dt.date(2026, 12, 15), Decimal("80.00"))]
    before = verbs()
    errors = refused(lambda: actions.schedule_premium(member.contract, schedule, by=None), language)
    assert errors == {"instalments": [message]}
    assert PremiumInstalment.objects.count() == 0
    assert verbs() == before


def test_004_chl25_t2_the_first_instalment_falls_due_by_the_start(member):
    late = [(dt.date(2026, 1, 2), Decimal("500.00")), (dt.date(2026, 7, 1), Decimal("500.00"))]
    errors = refused(lambda: actions.schedule_premium(member.contract, late, by=None))
    assert errors == {
        "instalments": [
            "Premium schedule: the first instalment is paid when the contract is concluded, so "
            "it falls due on or before the start, 2026-01-01 (004 Чл.25 т.2)."
        ]
    }
    assert PremiumInstalment.objects.count() == 0


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        pytest.param(
            [(START, Decimal("0.00"))],
            "Instalment 1 amount: must be more than 0 and at most 10000000.00 EUR.",
            id="zero",
        ),
        pytest.param(
            [(START, Decimal("10.005"))],
            "Instalment 1 amount: enter an amount in euro such as 120.50.",
            id="fraction-of-a-cent",
        ),
        pytest.param(
            [(START, "abc")],
            "Instalment 1 amount: enter an amount in euro such as 120.50.",
            id="not-a-number",
        ),
        pytest.param(
            [(START, Decimal("10.00")), (END + dt.timedelta(days=1), Decimal("10.00"))],
            "Premium schedule: every instalment falls due by the end of the contract, 2026-12-31.",
            id="after-the-end",
        ),
        pytest.param(
            [(START, Decimal("10.00")), (START, Decimal("10.00"))],
            "Premium schedule: two instalments fall due on one day.",
            id="same-day",
        ),
        pytest.param([], "Premium schedule: add at least one instalment.", id="empty"),
    ],
)
def test_a_bad_schedule_is_refused_naming_the_rule(member, schedule, message):
    errors = refused(lambda: actions.schedule_premium(member.contract, schedule, by=None))
    assert errors == {"instalments": [message]}
    assert PremiumInstalment.objects.count() == 0


def test_a_second_different_schedule_is_refused(member):
    actions.schedule_premium(member.contract, [(START, Decimal("960.00"))], by=None)
    errors = refused(lambda: actions.schedule_premium(member.contract, monthly(2), by=None))
    assert errors == {"instalments": ["Premium schedule: this contract already has one."]}
    assert list(PremiumInstalment.objects.values_list("amount", flat=True)) == [Decimal("960.00")]


def test_004_chl25_an_instalment_is_paid_when_the_last_of_it_comes_in(member):
    (instalment,) = actions.schedule_premium(member.contract, [(START, Decimal("960.00"))], by=None)
    actions.record_premium_payment(instalment, dt.date(2025, 12, 20), Decimal("500.00"), by=None)
    instalment.refresh_from_db()
    assert (instalment.paid_amount, instalment.paid_on) == (Decimal("500.00"), None)
    actions.record_premium_payment(instalment, dt.date(2026, 1, 3), Decimal("460.00"), by=None)
    instalment.refresh_from_db()
    assert (instalment.paid_amount, instalment.paid_on) == (Decimal("960.00"), dt.date(2026, 1, 3))
    assert verbs().count("premium.payment_recorded") == 2


@pytest.mark.parametrize(
    ("paid_on", "amount", "errors"),
    [
        pytest.param(
            dt.date(2026, 1, 3),
            Decimal("500.01"),
            {"amount": ["Amount paid: only 500.00 EUR is still owed on this instalment."]},
            id="more-than-owed",
        ),
        pytest.param(
            dt.date(2026, 1, 3),
            Decimal("-5.00"),
            {"amount": ["Amount paid: must be more than 0 and at most 10000000.00 EUR."]},
            id="negative",
        ),
        pytest.param(
            timezone.localdate() + dt.timedelta(days=1),
            Decimal("5.00"),
            {"paid_on": ["Paid on: cannot be in the future."]},
            id="tomorrow",
        ),
    ],
)
def test_a_bad_payment_is_refused_and_changes_nothing(member, paid_on, amount, errors):
    (instalment,) = actions.schedule_premium(member.contract, [(START, Decimal("960.00"))], by=None)
    actions.record_premium_payment(instalment, dt.date(2025, 12, 20), Decimal("460.00"), by=None)
    before = verbs()
    assert (
        refused(lambda: actions.record_premium_payment(instalment, paid_on, amount, by=None))
        == errors
    )
    instalment.refresh_from_db()
    assert (instalment.paid_amount, instalment.paid_on) == (Decimal("460.00"), None)
    assert verbs() == before


def test_a_paid_instalment_takes_no_more_money(member):
    (instalment,) = actions.schedule_premium(member.contract, [(START, Decimal("960.00"))], by=None)
    actions.record_premium_payment(instalment, dt.date(2025, 12, 20), Decimal("960.00"), by=None)
    errors = refused(
        lambda: actions.record_premium_payment(
            instalment, dt.date(2025, 12, 20), Decimal("960.00"), by=None
        )
    )
    assert errors == {"amount": ["Amount paid: this instalment was paid in full on 2025-12-20."]}
    instalment.refresh_from_db()
    assert instalment.paid_amount == Decimal("960.00")


# ---- 004 Чл.27 т.2, Чл.28: termination ---------------------------------------------------


def test_the_termination_reasons_are_the_engines():
    assert set(TerminationReason.values) == {t.value for t in Termination}


def test_004_chl27_t2_a_termination_ends_cover_at_00_00_of_its_day(member):
    contract = member.contract
    actions.terminate_contract(
        contract, on=dt.date(2026, 6, 1), reason=TerminationReason.MUTUAL, by=None
    )
    again = actions.terminate_contract(
        contract, on=dt.date(2026, 6, 1), reason=TerminationReason.MUTUAL, by=None
    )
    contract.refresh_from_db()
    # Effective on a day that has passed: the status says so too.
    assert (contract.terminated_on, contract.termination_reason, contract.status) == (
        dt.date(2026, 6, 1),
        "mutual",
        ContractStatus.TERMINATED,
    )
    assert again.pk == contract.pk
    assert contract.in_force_on(dt.date(2026, 5, 31))
    assert not contract.in_force_on(dt.date(2026, 6, 1))
    assert verbs().count("contract.terminated") == 1


def test_004_chl28_t5_a_termination_in_the_future_leaves_the_contract_in_force_until_then():
    person = make_person("Иван", "Петров", dt.date(1980, 1, 1))
    today = timezone.localdate()
    contract = actions.create_contract(
        actor=None,
        number="I-2",
        type=ContractType.INDIVIDUAL,
        holder=person_holder(person, None),
        product_code="health",
        start=today - dt.timedelta(days=30),
        end=today + dt.timedelta(days=334),
    )
    actions.add_member(contract, person, MemberRole.HOLDER, actor=None)
    actions.add_cover(
        contract, actor=None, product_code="health", package=2, option="full", clause="Б1"
    )
    actions.put_in_force(contract, actor=None)
    ends = today + dt.timedelta(days=40)
    actions.terminate_contract(contract, on=ends, reason=TerminationReason.NOTICE, by=None)
    contract.refresh_from_db()
    assert (contract.status, contract.terminated_on) == (ContractStatus.IN_FORCE, ends)
    assert contract.in_force_on(today)
    assert not contract.in_force_on(ends)


def test_004_chl27_t2_extra_care_ends_with_the_contract():
    user = make_user("ana")
    contract = contract_with(user, number="E-1", extra_care=True)
    today = timezone.localdate()
    actions.terminate_contract(
        contract, on=today + dt.timedelta(days=1), reason=TerminationReason.DEATH, by=None
    )
    assert member_cover(user, ["extra-care"], today=today).contract == contract
    with pytest.raises(Ineligible):
        member_cover(user, ["extra-care"], today=today + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("on", "reason", "errors"),
    [
        pytest.param(
            END + dt.timedelta(days=1),
            TerminationReason.MUTUAL,
            {
                "on": [
                    "Terminated as of: the date must fall within the contract (2026-01-01 – "
                    "2026-12-31); cover ends at 00:00 of it (004 Чл.27 т.2)."
                ]
            },
            id="after-the-term",
        ),
        pytest.param(
            dt.date(2026, 6, 1),
            "bored",
            {"reason": ["Reason: choose why the contract ends (004 Чл.25, Чл.28)."]},
            id="unknown-reason",
        ),
    ],
)
def test_a_bad_termination_is_refused_and_changes_nothing(member, on, reason, errors):
    contract = member.contract
    assert refused(lambda: actions.terminate_contract(contract, on=on, reason=reason, by=None)) == (
        errors
    )
    contract.refresh_from_db()
    assert (contract.terminated_on, contract.status) == (None, ContractStatus.IN_FORCE)


def test_a_contract_terminated_once_is_not_terminated_again_on_another_day(member):
    contract = member.contract
    actions.terminate_contract(
        contract, on=dt.date(2026, 6, 1), reason=TerminationReason.MUTUAL, by=None
    )
    errors = refused(
        lambda: actions.terminate_contract(
            contract, on=dt.date(2026, 7, 1), reason=TerminationReason.MUTUAL, by=None
        )
    )
    assert errors == {
        "on": ["Terminated as of: the contract is already terminated as of 2026-06-01."]
    }
    contract.refresh_from_db()
    assert contract.terminated_on == dt.date(2026, 6, 1)


def test_a_draft_is_not_terminated():
    person = make_person("Иван", "Петров", dt.date(1980, 1, 1))
    draft = health_contract("I-3", ContractType.INDIVIDUAL, person_holder(person, None))
    errors = refused(
        lambda: actions.terminate_contract(
            draft, on=dt.date(2026, 6, 1), reason=TerminationReason.MUTUAL, by=None
        )
    )
    assert errors == {"status": ["Status: only a contract in force can be terminated."]}


# ---- НЗОК rights (004 Чл.6; 002 III бел.*) ---------------------------------------------------


def test_nhif_rights_are_recorded_with_the_day_they_were_checked(member):
    person = member.person
    assert person.nhif_rights is True
    actions.record_nhif_rights(person, rights=False, checked_on=dt.date(2026, 3, 20), by=None)
    actions.record_nhif_rights(person, rights=False, checked_on=dt.date(2026, 3, 20), by=None)
    person.refresh_from_db()
    assert (person.nhif_rights, person.nhif_checked_on) == (False, dt.date(2026, 3, 20))
    assert verbs().count("person.nhif_rights_checked") == 1


# ---- special conditions (004 Чл.10, Чл.20, Чл.21(2), Чл.26) -------------------------------


def test_004_chl10_special_conditions_are_stored_normalised_and_replaced(member):
    actions.set_special_conditions(
        member,
        agreed_on=dt.date(2025, 12, 1),
        excluded_icd10=[" m54 ", "L60-L75"],
        excluded_services=["2.1*"],
        waiting=[{"months": 6, "icd10": ["k80"]}],
        limit=Decimal("5000"),
        loading_percent=Decimal("25"),
        by=None,
    )
    found = SpecialConditions.objects.get(member=member)
    assert (found.excluded_icd10, found.excluded_services, found.waiting) == (
        ["M54", "L60-L75"],
        ["2.1*"],
        [{"months": 6, "icd10": ["K80"], "services": []}],
    )
    assert (found.limit, found.loading_percent) == (Decimal("5000.00"), Decimal("25.00"))
    actions.set_special_conditions(
        member, agreed_on=dt.date(2025, 12, 2), excluded_icd10=["J45"], by=None
    )
    found.refresh_from_db()
    assert (found.excluded_icd10, found.limit, found.agreed_on) == (
        ["J45"],
        None,
        dt.date(2025, 12, 2),
    )
    assert actions.set_special_conditions(member, agreed_on=dt.date(2025, 12, 3), by=None) is None
    assert not SpecialConditions.objects.exists()
    assert verbs()[-3:] == [
        "member.special_conditions_set",
        "member.special_conditions_set",
        "member.special_conditions_removed",
    ]


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        pytest.param(
            {"excluded_icd10": ["back pain"]},
            {
                "excluded_icd10": [
                    "Diagnoses: “back pain” is not an ICD-10 code or range such as K07 or L60-L75."
                ]
            },
            id="not-icd10",
        ),
        pytest.param(
            {"excluded_services": ["9.9"]},
            {
                "excluded_services": [
                    "Services: “9.9” is not a service of this contract's product; give a code "
                    "such as 2.8.e, or 2.8* for a whole group."
                ]
            },
            id="unknown-service",
        ),
        pytest.param(
            {"waiting": [{"months": 0, "icd10": ["K80"]}]},
            {"waiting": ["Waiting period 1: give the months, from 1 to 60 (004 Чл.20)."]},
            id="zero-months",
        ),
        pytest.param(
            {"waiting": [{"months": 3}]},
            {"waiting": ["Waiting period 1: name the diagnoses or the services it applies to."]},
            id="waiting-for-nothing",
        ),
        pytest.param(
            {"limit": Decimal("-1")},
            {
                "limit": [
                    "Lower aggregate limit (004 Чл.26 т.1): must be more than 0 and at most "
                    "10000000.00 EUR."
                ]
            },
            id="negative-limit",
        ),
    ],
)
def test_bad_special_conditions_are_refused_naming_the_field(member, fields, errors):
    assert (
        refused(
            lambda: actions.set_special_conditions(
                member, agreed_on=dt.date(2025, 12, 1), by=None, **fields
            )
        )
        == errors
    )
    assert not SpecialConditions.objects.exists()
