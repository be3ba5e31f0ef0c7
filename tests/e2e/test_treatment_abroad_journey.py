"""Journey (001 т.68–74, т.30; issue 13): Petya (Best Doctors, 2019 terms, English) notifies a
cancer diagnosis with a scan; the case manager completes the file, sends it to the experts and
records their opinion with two hospitals; Petya chooses one; the case manager issues the
pre-certificate (reserved against the limit), books travel and stay with one companion, records
the admission, the discharge, the return and the hospital's bill (each a claim paid to the
provider's IBAN); Petya asks for the daily allowance (EUR 100 per full 24 hours) and the refund
of the medicines for after the operation she bought before the return (001 т.53). The claims
office (not a role of this journey: two adjusters and the bank, through their actions) decides
the bills above the four-eyes threshold and sends every payment in one SEPA batch, which the
bank pays; Petya reads the statement: every amount decided, in which batch, paid on which day,
and what is left of the limits."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from e2e.helpers import log_in, screenshot
from zdrave.base.identity.models import User
from zdrave.claims.actions import bank
from zdrave.claims.actions import decide as claim_decide
from zdrave.claims.models import Claim, ClaimStatus, PaymentStatus
from zdrave.treatment_abroad.models import AbroadCase, CaseCost, CostStatus

IBAN = "BG80BNBG96611020345678"
HOSPITAL_IBAN = "DE89370400440532013000"
AGENCY_IBAN = "BG18RZBB91550123456789"


def _claims_office_pays(case) -> str:
    """The claims office's day: the adjusters decide the case's claims the four-eyes rule sent
    to them, a batch carries every scheduled payment to the bank, and the bank pays it."""
    first, second = User.objects.get(username="adjuster"), User.objects.get(username="adjuster2")
    ids = case.costs.exclude(claim=None).values_list("claim_id", flat=True)
    for claim in Claim.objects.filter(pk__in=ids):
        if claim.status == ClaimStatus.REFERRED_ADJUSTER:
            claim_decide.decide(claim, actor=first)
            claim.refresh_from_db()
        if claim.status == ClaimStatus.AWAITING_APPROVAL:
            claim_decide.approve(claim, actor=second)
    result = bank.create_batch(actor=first, execution_date=bank.first_execution_date())
    bank.confirm_batch_paid(result.batch, actor=first, on=timezone.localdate())
    assert set(Claim.objects.filter(pk__in=ids).values_list("payments__status", flat=True)) == {
        PaymentStatus.PAID
    }
    return result.batch.message_id


def _switch_user(page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)


def _do(page, name: str, fields: dict[str, str] | None = None) -> None:
    """Open the step's form on the case page, fill it by label and send it."""
    section = page.locator(f"#do-{name}")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    for label, value in (fields or {}).items():
        field = section.get_by_label(label, exact=True)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    section.get_by_role("button").click()


def _day(days_back: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days_back)).isoformat()


def test_treatment_abroad_from_notification_to_statement(page, demo, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    scan = tmp_path / "mammography.png"
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (90, 90, 90)).save(buffer, format="PNG")
    scan.write_bytes(buffer.getvalue())

    # 001 т.69: the notification, in English for Petya
    log_in(page, "petya")
    page.goto("/treatment-abroad/")
    page.get_by_role("link", name="Tell us about a diagnosis").click()
    page.get_by_label("Covered condition").select_option(label="Cancer")
    page.get_by_label("Diagnosis (ICD-10 code)").fill("I10")
    page.get_by_label("Treating doctor").fill("Dr Radoslava Metodieva")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("alert")).to_contain_text("001 т.42")  # not a cancer diagnosis
    page.get_by_label("Diagnosis (ICD-10 code)").fill("C50.4")
    page.get_by_label("Medical document").set_input_files(str(scan))
    page.get_by_role("button", name="Open the case").click()
    case = AbroadCase.objects.exclude(idempotency_key="demo-abroad-petya").get()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {case.number}")
    next_step = page.get_by_role("region", name="What happens next")
    expect(next_step).to_contain_text("Send us the medical documents")
    expect(next_step).to_contain_text("001 т.69")
    _do(page, "message", {"Message": "When will the experts answer?"})

    # 001 т.70–71: the case manager completes the file and records the experts' opinion
    _switch_user(page, "casemanager")
    page.goto("/treatment-abroad/queue/")
    page.get_by_role("link", name=case.number).click()
    expect(page.get_by_role("region", name="Съобщения")).to_contain_text("When will the experts")
    _do(page, "file_complete")
    _do(page, "send_to_experts")
    _do(
        page,
        "opinion",
        {"Становище": "Операция и химиотерапия.", "Предложени болници": "Charité Berlin\nAKH Wien"},
    )
    expect(page.get_by_text("Становището е получено: вашето решение").first).to_be_visible()

    # 001 т.72: Petya chooses a hospital
    _switch_user(page, "petya")
    page.goto(f"/treatment-abroad/{case.number}/")
    page.get_by_label("Treatment abroad at Charité Berlin").check()
    page.locator("#do-choose").get_by_role("button").click()
    expect(page.get_by_text("Hospital chosen").first).to_be_visible()

    # 001 т.72, т.28: the pre-certificate reserves the estimate against the limit
    _switch_user(page, "casemanager")
    page.goto(f"/treatment-abroad/{case.number}/")
    _do(page, "precertificate", {"Прогнозна сума на болницата (евро)": "30000"})
    statement = page.get_by_role("region", name="Извлечение")
    expect(statement).to_contain_text("Резервирано от лимита")
    # Ten days pass before the travel (the pre-certificate is valid three months, 001 т.72.1).
    day = timezone.localdate() - dt.timedelta(days=10)
    AbroadCase.objects.filter(pk=case.pk).update(precertificate_issued=day)
    CaseCost.objects.filter(case=case, status=CostStatus.RESERVED).update(date=day)

    # 001 т.57–60: travel and stay for Petya and one companion
    _do(
        page,
        "travel",
        {
            "Дата на пътуването": _day(9),
            "Пътуване (евро)": "700",
            "Настаняване (евро)": "1200",
            "Придружители": "1",
            "Туристическа агенция, на която се плаща": "Best Doctors Travel",
            "IBAN на агенцията": AGENCY_IBAN,
        },
    )
    _do(page, "admit", {"Дата и час": f"{_day(8)}T09:00"})
    _do(page, "discharge", {"Дата и час": f"{_day(3)}T10:00"})  # five full days (001 т.30)
    _do(page, "returned", {"Дата": _day(2)})
    _do(
        page,
        "bill",
        {
            "За какво е сметката": "Сметка на болницата",
            "Сума (EUR)": "25000",
            "Дата на сметката": _day(3),
            "Получател": "Charité Berlin",
            "IBAN на доставчика": HOSPITAL_IBAN,
        },
    )
    expect(page.get_by_role("region", name="Извлечение")).to_contain_text("25\u202f000,00 €")

    # 001 т.30: the daily allowance at the end; 001 т.53: medicines bought before the return
    _switch_user(page, "petya")
    page.goto(f"/treatment-abroad/{case.number}/")
    _do(page, "allowance", {"IBAN to pay to": IBAN})
    _do(
        page,
        "medicines",
        {
            "Amount paid (EUR)": "120",
            "Bought on": _day(3),
            "Country of purchase": "DE",
            "IBAN to pay to": IBAN,
        },
    )
    statement = page.get_by_role("region", name="Statement")
    expect(statement).to_contain_text("Daily allowance: 5 full days")
    expect(statement).to_contain_text("Medicines for after the operation")

    # The claims office pays everything through one SEPA batch (pain.001.001.09).
    batch = _claims_office_pays(case)
    page.reload()
    statement = page.get_by_role("region", name="Statement")
    paid_on = f"paid on {timezone.localdate():%d.%m.%Y}"
    # (the case manager's lines keep the words they were written in: Bulgarian)
    for what in ("Сметка на болницата", "Пътуване", "Daily allowance", "Medicines for after"):
        row = statement.get_by_role("row").filter(has_text=what).first
        expect(row).to_contain_text(f"SEPA batch {batch}")
        expect(row).to_contain_text(paid_on)
    expect(statement).to_contain_text("decided by")
    # paid on the case: hospital 25 000 + travel 700 + stay 1 200 + allowance 500 + medicines 120
    expect(statement.get_by_role("row").filter(has_text="Paid on this case")).to_contain_text(
        "27\u202f520,00 €"
    )
    expect(statement).to_contain_text("left")
    screenshot(page, "treatment-abroad-statement")
    # The statement with its batches still fits a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
