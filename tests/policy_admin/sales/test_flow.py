"""The sale from application to contract through the real actions, one rule a test, ids citing
the clause: the declaration (004 Чл.23), underwriting (Чл.6–10), the underwriter's special
conditions changing a claim decision, the conclusion (Чл.22, 24, 25)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from policy_admin.sales.helpers import FULL, egn, next_month, sign
from zdrave.claims.actions.decide import adjudicate_claim
from zdrave.claims.models import Claim, ClaimLine
from zdrave.contracts.models import SpecialConditions
from zdrave.engine.calendar import add_months, add_working_days
from zdrave.engine.terms.loader import default_products_root, load_catalog
from zdrave.policy_admin.sales import actions
from zdrave.policy_admin.sales.models import ApplicationStatus, Decision, Outcome


@pytest.fixture(autouse=True)
def _english():
    """The refusals are asserted in English (the Bulgarian catalogue is tested by the pages)."""
    with translation.override("en"):
        yield


CATALOG = load_catalog(default_products_root())
DOCS = ["claim-form", "ambulatory-sheet", "imaging-report", "invoice", "fiscal-receipt"]


def submit_signed(application, mother, father, child, buyer, **father_yes):
    sign(mother, actor=buyer)
    sign(father, actor=buyer, **father_yes)
    sign(child, actor=buyer, by="parent")
    return actions.submit_application(application, actor=buyer)


def test_004_chl23_t1_a_half_filled_declaration_is_kept_as_a_draft(family, buyer):
    _application, mother, _father, _child = family
    draft = actions.save_declaration(
        mother,
        actor=buyer,
        answers={"chronic_disease": False},
        signed_by="self",
        signer_name="",
        sign=False,
    )
    assert draft.is_draft
    assert draft.answers == {"chronic_disease": False}
    with pytest.raises(ValidationError, match="answer every question"):
        actions.save_declaration(
            mother,
            actor=buyer,
            answers={"chronic_disease": False},
            signed_by="self",
            signer_name="Мария",
            sign=True,
        )
    mother.declaration.refresh_from_db()
    assert mother.declaration.is_draft


def test_004_chl23_t1_a_child_under_18_is_declared_by_a_parent(family, buyer):
    _application, _mother, _father, child = family
    with pytest.raises(ValidationError, match="parent or guardian"):
        sign(child, actor=buyer, by="self")
    assert sign(child, actor=buyer, by="parent").signed_on == timezone.localdate()


def test_004_chl23_t1_no_submission_without_every_signed_declaration(family, buyer):
    application, mother, _father, _child = family
    sign(mother, actor=buyer)
    with pytest.raises(ValidationError, match="Петър Петров, Ива Петрова"):
        actions.submit_application(application, actor=buyer)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_004_chl9_chl10_a_declared_disease_is_referred_the_others_accepted(family, buyer):
    application, mother, father, child = family
    submit_signed(application, mother, father, child, buyer, chronic_disease=True)
    application.refresh_from_db()
    father.refresh_from_db()
    mother.refresh_from_db()
    assert application.status == ApplicationStatus.REFERRED
    assert (father.outcome, father.decision) == (Outcome.REFER, Decision.PENDING)
    assert father.reasons[0]["clause"] == "004 Чл.9"
    assert (mother.outcome, mother.decision) == (Outcome.ACCEPT, Decision.ACCEPTED)


def test_004_chl10_only_an_underwriter_decides(family, buyer):
    application, mother, father, child = family
    submit_signed(application, mother, father, child, buyer, chronic_disease=True)
    with pytest.raises(ValidationError):
        actions.decide_person(father, actor=buyer, decision=Decision.ACCEPTED)


def test_004_chl10_special_conditions_need_a_condition(family, buyer, underwriter):
    application, mother, father, child = family
    submit_signed(application, mother, father, child, buyer, chronic_disease=True)
    with pytest.raises(ValidationError, match="Special conditions"):
        actions.decide_person(father, actor=underwriter, decision=Decision.SPECIAL)
    with pytest.raises(ValidationError, match="nonsense"):
        actions.decide_person(
            father, actor=underwriter, decision=Decision.SPECIAL, excluded_icd10=["nonsense"]
        )


def test_004_chl10_a_loading_reprices_the_person(family, buyer, underwriter):
    application, mother, father, child = family
    submit_signed(application, mother, father, child, buyer, chronic_disease=True)
    father.refresh_from_db()
    before = father.yearly_premium
    actions.decide_person(
        father, actor=underwriter, decision=Decision.SPECIAL, loading_percent=Decimal("20")
    )
    father.refresh_from_db()
    application.refresh_from_db()
    assert father.yearly_premium == (before * Decimal("1.2")).quantize(Decimal("0.01"))
    assert application.status == ApplicationStatus.ACCEPTED


def test_004_chl10_a_declined_person_is_left_out_of_the_contract(family, buyer, underwriter):
    application, mother, father, child = family
    submit_signed(application, mother, father, child, buyer, chronic_disease=True)
    with pytest.raises(ValidationError, match="say why"):
        actions.decide_person(father, actor=underwriter, decision=Decision.DECLINED)
    actions.decide_person(
        father, actor=underwriter, decision=Decision.DECLINED, note="Тежко състояние."
    )
    application.refresh_from_db()
    actions.conclude_contract(application, actor=buyer)
    application.refresh_from_db()
    names = sorted(m.person.first_name for m in application.contract.members.all())
    assert names == ["Ива", "Мария"]


def test_004_chl17_dental_alone_is_refused_on_the_person(family, buyer):
    application, *_ = family
    with pytest.raises(ValidationError, match="004 Чл.17"):
        actions.add_person(
            application,
            actor=buyer,
            first_name="Ана",
            last_name="Петрова",
            egn=egn(dt.date(2000, 1, 1), 14, True),
            role="child",
            student=True,
            choices=[{"package": 6, "option": "basic", "clause": "Б1"}],
        )
    assert application.persons.count() == 3


@pytest.mark.parametrize(
    ("days", "ok"),
    [
        pytest.param(0, False, id="004-chl24-t3-start-today-already-past-00-00"),
        pytest.param(-1, False, id="start-in-the-past"),
        pytest.param(1, True, id="004-chl24-t3-start-tomorrow-at-00-00"),
    ],
)
def test_the_start_date_must_be_after_today(buyer, days, ok):
    start = timezone.localdate() + dt.timedelta(days=days)
    run = lambda: actions.start_application(  # noqa: E731
        actor=buyer, contract_type="individual", start=start, instalments=1, email="b@example.bg"
    )
    if ok:
        assert run().start == start
    else:
        with pytest.raises(ValidationError, match="Start"):
            run()


def test_a_double_submitted_form_creates_one_application(buyer):
    start = next_month()
    first = actions.start_application(
        actor=buyer,
        contract_type="individual",
        start=start,
        instalments=1,
        email="b@example.bg",
        form_key="a" * 32,
    )
    again = actions.start_application(
        actor=buyer,
        contract_type="individual",
        start=start,
        instalments=1,
        email="b@example.bg",
        form_key="a" * 32,
    )
    assert first.pk == again.pk


@pytest.mark.parametrize(
    ("months_before", "extra_days", "outcome"),
    [
        pytest.param(
            3, 0, Outcome.ACCEPT, id="004-chl23-t2-signed-3-months-before-on-the-corresponding-day"
        ),
        pytest.param(3, 1, Outcome.REFER, id="004-chl23-t2-signed-3-months-and-a-day-before"),
    ],
)
def test_004_chl23_t2_a_declaration_is_valid_three_months(
    buyer, months_before, extra_days, outcome
):
    start = next_month()
    application = actions.start_application(
        actor=buyer, contract_type="individual", start=start, instalments=1, email="b@example.bg"
    )
    person = actions.add_person(
        application,
        actor=buyer,
        first_name="Иван",
        last_name="Иванов",
        egn=egn(dt.date(1990, 1, 1), 15),
        role="holder",
        choices=FULL,
    )
    declaration = sign(person, actor=buyer)
    declaration.signed_on = add_months(start, -months_before) - dt.timedelta(days=extra_days)
    declaration.save()
    actions.submit_application(application, actor=buyer)
    person.refresh_from_db()
    assert person.outcome == outcome


def _claim(member, day, diagnosis="M54.5"):
    claim = Claim.objects.create(
        contract=member.contract,
        member=member,
        form="reimbursement",
        submitted=day + dt.timedelta(days=2),
        diagnosis=diagnosis,
        documents=DOCS,
    )
    ClaimLine.objects.create(
        claim=claim, member=member, index=0, service="2.8.e", date=day, amount=Decimal("150.00")
    )
    adjudicate_claim(claim.pk, catalog=CATALOG)
    claim.refresh_from_db()
    return claim


def test_004_chl10_underwriter_special_conditions_change_the_claim_decision(
    family, buyer, underwriter, billing
):
    application, mother, father, child = family
    submit_signed(application, mother, father, child, buyer, chronic_disease=True)
    actions.decide_person(
        father,
        actor=underwriter,
        decision=Decision.SPECIAL,
        excluded_icd10=["M50-M54"],
        note="Хронична дископатия.",
    )
    application.refresh_from_db()
    actions.conclude_contract(application, actor=buyer)
    application.refresh_from_db()
    contract = application.contract
    assert contract.number == f"ZH-{application.start.year}-{application.pk:06d}"
    father.refresh_from_db()
    mother.refresh_from_db()
    assert SpecialConditions.objects.get(member=father.member).excluded_icd10 == ["M50-M54"]
    first = contract.instalments.order_by("due").first()
    actions.record_first_payment(
        application, actor=billing, paid_on=timezone.localdate(), amount=first.amount
    )
    day = application.start + dt.timedelta(days=3)
    excluded = _claim(father.member, day)
    assert excluded.outcome == "rejected"
    assert excluded.lines.get().reasons[0]["code"] == "special-condition-excluded"
    # The same claim for the mother is not refused: only the instalments still due hold it
    # (004 Чл.25 т.6, a family paying in four instalments).
    same = _claim(mother.member, day)
    assert same.outcome == "pending"
    assert "special-condition-excluded" not in [r["code"] for r in same.lines.get().reasons]


def test_004_chl25_t3_no_cover_before_the_first_premium_is_paid(family, buyer, underwriter):
    application, mother, father, child = family
    submit_signed(application, mother, father, child, buyer)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    actions.conclude_contract(application, actor=buyer)
    application.refresh_from_db()
    mother.refresh_from_db()
    claim = _claim(mother.member, application.start + dt.timedelta(days=3))
    assert claim.outcome == "rejected"


def test_004_chl24_t4_cards_within_seven_working_days_and_concluding_twice_is_once(family, buyer):
    application, mother, father, child = family
    submit_signed(application, mother, father, child, buyer)
    application.refresh_from_db()
    actions.conclude_contract(application, actor=buyer)
    again = actions.conclude_contract(application, actor=buyer)
    application.refresh_from_db()
    assert again.contract_id == application.contract_id
    assert application.cards_due == add_working_days(application.issued_on, 7)
    cards = [p.card_number for p in application.persons.all()]
    assert len(set(cards)) == 3
    assert all(c.startswith("ZK") for c in cards)
    schedule = list(application.contract.instalments.order_by("due"))
    assert [i.due for i in schedule][0] == application.start
    assert sum(i.amount for i in schedule) == application.payable_premium


def test_004_chl24_t2_an_individual_contract_insures_one_person(buyer):
    application = actions.start_application(
        actor=buyer,
        contract_type="individual",
        start=next_month(),
        instalments=1,
        email="b@example.bg",
    )
    actions.add_person(
        application,
        actor=buyer,
        first_name="Иван",
        last_name="Иванов",
        egn=egn(dt.date(1990, 1, 1), 16),
        role="holder",
        choices=FULL,
    )
    with pytest.raises(ValidationError, match="004 Чл.24 т.2"):
        actions.add_person(
            application,
            actor=buyer,
            first_name="Ана",
            last_name="Иванова",
            egn=egn(dt.date(1991, 1, 1), 17, True),
            role="spouse",
            choices=FULL,
        )
    assert application.persons.count() == 1


def test_004_chl24_t2_a_family_has_one_couple_refused_before_submission(family, buyer):
    application, mother, father, child = family
    second = actions.add_person(
        application,
        actor=buyer,
        first_name="Анна",
        last_name="Петрова",
        egn=egn(dt.date(1990, 1, 1), 18, True),
        role="cohabitant",
        choices=FULL,
    )
    for person in (mother, father, second):
        sign(person, actor=buyer)
    sign(child, actor=buyer, by="parent")
    with pytest.raises(ValidationError, match="004 Чл.24 т.2"):
        actions.submit_application(application, actor=buyer)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert not application.persons.exclude(outcome="").exists()
