"""Best Doctors early termination decided on billing's page (not the automatic lapse):
001 т.27.1 agreement, т.27.2 the policyholder's application when the insurable interest falls
away (premium recalculated, difference returned), т.27.3 misrepresentation (the insurer's right
within a month; premium kept, unpaid premium until the end claimed); 003 т.24 а) agreement,
б) three months' notice by either party, cover ending at 24:00 of the day named. After it the
Best Doctors engine pays nothing for later dates."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from claims.test_best_doctors_refunds import medicine, petya, reasons_of, refund  # noqa: F401
from contracts.factories import make_person, make_user, person_holder
from policy_admin.billing.test_best_doctors_lapse import best_doctors_contract
from zdrave.base.identity.models import Role
from zdrave.claims.models import ClaimStatus
from zdrave.contracts import actions
from zdrave.contracts.models import Contract, ContractStatus, ContractType, MemberRole
from zdrave.engine.calendar import add_months
from zdrave.policy_admin.billing.actions.termination import terminate
from zdrave.policy_admin.billing.best_doctors import first_day_after_notice
from zdrave.policy_admin.billing.models import Termination

DAY = dt.timedelta(days=1)
TODAY = timezone.localdate
OLD_TERMS = dt.date(2015, 10, 1)  # 003, as tests/policy_admin/billing/test_best_doctors_lapse


def yearly(number="BD-500", *, terms="001"):
    """365.00 EUR for 365 days paid before a start 100 days ago: one euro a day."""
    user = make_user(f"u-{number}", email=f"{number.lower()}@example.bg")
    person = make_person("Петя", "Стоянова", dt.date(1979, 3, 8), female=True, user=user)
    start = TODAY() - dt.timedelta(days=100)
    contract = actions.create_contract(
        actor=None,
        number=number,
        type=ContractType.INDIVIDUAL,
        holder=person_holder(person, user),
        product_code="best-doctors",
        start=start,
        end=start + dt.timedelta(days=364),
    )
    actions.add_member(contract, person, MemberRole.HOLDER, actor=None)
    actions.add_cover(contract, actor=None, product_code="best-doctors")
    (item,) = actions.schedule_premium(contract, [(start, Decimal("365.00"))], by=None)
    actions.record_premium_payment(item, start - 3 * DAY, item.amount, by=None)
    actions.put_in_force(contract, actor=None)
    if terms == "003":
        Contract.objects.filter(pk=contract.pk).update(product_version=OLD_TERMS)
    contract.refresh_from_db()
    return contract


@pytest.fixture
def cveta(db):
    return make_user("cveta", Role.BILLING, email="cveta@insurer.bg")


def letter_text(termination) -> str:
    pdf = mail.outbox[-1].attachments[0][1]
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize(
    ("terms", "clause"),
    [pytest.param("001", "001 т.27.1", id="001-t27.1"), pytest.param("003", "003 т.24 а)", id="003-t24a")],
)  # fmt: skip
def test_agreement_returns_the_premium_for_the_days_after_the_agreed_date(cveta, terms, clause):
    contract = yearly(terms=terms)
    done = terminate(contract, kind="bd-mutual", effective_on=TODAY(), actor=cveta)
    # 100 days in force of 365 paid: 265.00 back, nothing kept for costs (no 004 Чл.25 т.7).
    assert (done.refund, done.premium_to_claim, done.costs_kept) == (
        Decimal("265.00"), Decimal("0.00"), Decimal("0.00"),
    )  # fmt: skip
    assert done.clause == clause
    contract.refresh_from_db()
    assert (contract.status, contract.terminated_on) == (ContractStatus.TERMINATED, TODAY())
    assert clause in letter_text(done)


def test_001_offers_only_its_kinds_and_003_only_its(cveta):
    with pytest.raises(ValidationError) as error:
        terminate(yearly("BD-1"), kind="bd-holder-notice", effective_on=TODAY(), actor=cveta,
                  since=TODAY())  # fmt: skip
    assert "kind" in error.value.message_dict
    with pytest.raises(ValidationError):
        terminate(yearly("BD-3", terms="003"), kind="bd-interest-lost", effective_on=TODAY(),
                  actor=cveta, since=TODAY())  # fmt: skip
    with pytest.raises(ValidationError):
        terminate(yearly("BD-4"), kind="mutual", effective_on=TODAY(), actor=cveta)
    assert Termination.objects.count() == 0


@pytest.mark.parametrize(
    ("ends_after_application", "ok"),
    [pytest.param(-1, False, id="001-t27.2-day-before-application-refused"),
     pytest.param(0, True, id="001-t27.2-day-of-application")],
)  # fmt: skip
def test_001_t27_2_holder_application_recorded_and_premium_recalculated(
    cveta, ends_after_application, ok
):
    contract = yearly()
    applied = TODAY() - dt.timedelta(days=10)
    effective = applied + dt.timedelta(days=ends_after_application)
    call = {"kind": "bd-interest-lost", "effective_on": effective, "actor": cveta, "since": applied}
    if not ok:
        with pytest.raises(ValidationError) as error:
            terminate(contract, **call)
        assert "001 т.27.2" in str(error.value)
        return
    done = terminate(contract, **call)
    assert done.requested_on == applied
    # In force 90 days (start 100 days ago, ends at 00:00 ten days ago): 275.00 returned.
    assert (done.refund, done.clause) == (Decimal("275.00"), "001 т.27.2")
    text = letter_text(done)
    assert "001 т.27.2" in text
    assert applied.strftime("%d.%m.%Y") in text


@pytest.mark.parametrize(
    ("learned_months_ago_extra_days", "ok"),
    [pytest.param(0, True, id="001-t27.3-last-day-of-the-month"),
     pytest.param(1, False, id="001-t27.3-month-passed")],
)  # fmt: skip
def test_001_t27_3_misrepresentation_within_a_month(cveta, learned_months_ago_extra_days, ok):
    contract = yearly()
    # The last day to act is add_months(learned, 1): learned so that today is that day.
    learned = TODAY() - dt.timedelta(days=1)
    while add_months(learned, 1) > TODAY():
        learned -= DAY
    learned -= dt.timedelta(days=learned_months_ago_extra_days)
    call = {
        "kind": "bd-misrepresentation",
        "effective_on": TODAY(),
        "actor": cveta,
        "since": learned,
    }
    if not ok:
        with pytest.raises(ValidationError) as error:
            terminate(contract, **call)
        assert "001 т.27.3" in str(error.value)
        return
    done = terminate(contract, **call)
    assert (done.refund, done.premium_to_claim, done.requested_on) == (
        Decimal("0.00"), Decimal("0.00"), None,
    )  # fmt: skip
    assert "001 т.27.3" in letter_text(done)


def test_001_t27_3_unpaid_premium_until_the_termination_is_claimed(cveta):
    # Quarterly 300.00 from 200 days ago, only the first paid.
    contract = best_doctors_contract("BD-Q")
    dues = [i.due for i in contract.instalments.order_by("due")]
    done = terminate(contract, kind="bd-misrepresentation", effective_on=TODAY(), actor=cveta,
                     since=TODAY() - 3 * DAY)  # fmt: skip
    third = (TODAY() - dues[2]).days / (dues[3] - dues[2]).days
    expected = Decimal("300.00") + (Decimal("300.00") * Decimal(third)).quantize(Decimal("0.01"))
    assert abs(done.premium_to_claim - expected) <= Decimal("0.01")
    assert done.refund == Decimal("0.00")


@pytest.mark.parametrize("kind", ["bd-holder-notice", "bd-insurer-notice"])
@pytest.mark.parametrize(
    ("shift", "ok"),
    [pytest.param(-1, False, id="003-t24b-less-than-three-months"),
     pytest.param(0, True, id="003-t24b-exactly-three-months")],
)  # fmt: skip
def test_003_t24b_three_months_notice(cveta, kind, shift, ok):
    contract = yearly(terms="003")
    notice = TODAY() - 5 * DAY
    first = first_day_after_notice(notice)
    assert first == add_months(notice, 3) + DAY  # 24:00 of notice + 3 months
    effective = first + dt.timedelta(days=shift)
    call = {"kind": kind, "effective_on": effective, "actor": cveta, "since": notice}
    if not ok:
        with pytest.raises(ValidationError) as error:
            terminate(contract, **call)
        assert "003 т.24 б)" in str(error.value)
        return
    done = terminate(contract, **call)
    days_in_force = (effective - contract.start).days
    assert done.refund == Decimal(365 - days_in_force).quantize(Decimal("0.01"))
    assert done.clause == "003 т.24 б)"
    assert done.requested_on == (notice if kind == "bd-holder-notice" else None)
    contract.refresh_from_db()
    # Ends in the future: in force until then.
    assert contract.status == ContractStatus.IN_FORCE
    assert contract.terminated_on == effective
    assert not contract.in_force_on(effective)
    assert contract.in_force_on(effective - DAY)
    text = letter_text(done)
    assert "003 т.24 б)" in text
    assert (effective - DAY).strftime("%d.%m.%Y") in text


def test_the_same_decision_twice_is_recorded_once(cveta):
    contract = yearly()
    first = terminate(contract, kind="bd-mutual", effective_on=TODAY(), actor=cveta)
    again = terminate(contract, kind="bd-mutual", effective_on=TODAY(), actor=cveta)
    assert first.pk == again.pk
    assert Termination.objects.count() == 1
    assert len(mail.outbox) == 1


def test_after_termination_the_best_doctors_engine_pays_nothing_for_later_dates(petya, cveta):  # noqa: F811
    # Petya's 001 contract (tests/claims/test_best_doctors_refunds.py) ended 10 days ago by
    # agreement (001 т.27.1): a medicine bought 20 days ago is refunded, one of 5 days ago not.
    terminate(petya.contract, kind="bd-mutual", effective_on=TODAY() - 10 * DAY, actor=cveta)
    before = refund(petya, key="before", lines=[medicine("40.00", day=20)])
    assert (before.payable, before.lines.get().outcome) == (Decimal("40.00"), "approved")
    after = refund(petya, key="after", lines=[medicine("40.00", day=5)])
    assert after.payable == Decimal("0.00")
    assert after.lines.get().outcome != "approved"
    assert after.status != ClaimStatus.PAYMENT_SCHEDULED


@pytest.mark.parametrize(
    ("role", "status"),
    [pytest.param(Role.BILLING, 302, id="billing-may"),
     pytest.param(Role.ADMINISTRATOR, 302, id="administrator-may"),
     pytest.param(Role.UNDERWRITER, 403, id="underwriter-may-not"),
     pytest.param(Role.CLAIMS_ADJUSTER, 403, id="adjuster-may-not"),
     pytest.param(Role.MEMBER, 403, id="member-may-not"),
     pytest.param(Role.EMPLOYER, 403, id="employer-may-not")],
)  # fmt: skip
def test_who_may_terminate_a_best_doctors_contract(client, db, role, status):
    contract = yearly()
    client.force_login(make_user(f"r-{role}", role))
    url = reverse("billing:contract", args=[contract.number])
    data = {"action": "terminate", "kind": "bd-mutual", "effective_on": TODAY().isoformat()}
    assert client.post(url, data).status_code == status
    assert Termination.objects.count() == (1 if status == 302 else 0)


@pytest.mark.parametrize("language", ["bg", "en"])
def test_the_page_offers_the_kinds_previews_and_terminates(client, cveta, language):
    contract = yearly(terms="001")
    cveta.language = language
    cveta.save(update_fields=["language"])
    client.force_login(cveta)
    url = reverse("billing:contract", args=[contract.number])
    page = client.get(url).content.decode()
    assert 'value="bd-interest-lost"' in page
    assert 'value="bd-holder-notice"' not in page
    assert ("Предсрочно прекратяване" if language == "bg" else "Terminate early") in page
    data = {"kind": "bd-interest-lost", "effective_on": TODAY().isoformat(), "note": ""}
    bad = client.post(url, {**data, "action": "preview"}).content.decode()
    assert "since" in bad  # the application's date is required
    data["since"] = (TODAY() - 2 * DAY).isoformat()
    preview = client.post(url, {**data, "action": "preview"}).content.decode()
    assert "265" in preview
    assert "001 т.27.2" in preview
    assert client.post(url, {**data, "action": "terminate"}).status_code == 302
    done = Termination.objects.get()
    letter = client.get(reverse("billing:termination_letter", args=[done.pk]))
    assert letter["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(letter.content)).pages)
    assert "001 т.27.2" in text
