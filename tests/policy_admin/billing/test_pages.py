"""The billing pages as each role sees them: the desk and statements for billing officers and
administrators, the loss ratios for underwriters; everyone else refused without a leak. A
payment form submitted twice books once; a termination shows its refund before it is decided
and its letter opens as a PDF."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from contracts.factories import make_user
from policy_admin.billing.conftest import billed_contract
from policy_admin.billing.statement_files import csv_file
from zdrave.base.identity.models import Role
from zdrave.policy_admin.billing.actions import tasks
from zdrave.policy_admin.billing.models import BillingTask, PremiumPayment, Termination

TODAY = timezone.localdate


def signed_in(client, role, name=None):
    user = make_user(name or f"u-{role}", role)
    client.force_login(user)
    return user


@pytest.mark.parametrize(
    ("role", "desk", "loss"),
    [
        pytest.param(Role.BILLING, 200, 403, id="billing"),
        pytest.param(Role.ADMINISTRATOR, 200, 200, id="administrator"),
        pytest.param(Role.UNDERWRITER, 403, 200, id="underwriter"),
        pytest.param(Role.CLAIMS_ADJUSTER, 403, 403, id="adjuster"),
        pytest.param(Role.MEMBER, 403, 403, id="member"),
        pytest.param(Role.EMPLOYER, 403, 403, id="employer"),
    ],
)
def test_who_opens_which_page(client, contract, role, desk, loss):
    signed_in(client, role)
    assert client.get(reverse("billing:desk")).status_code == desk
    assert client.get(reverse("billing:contract", args=[contract.number])).status_code == desk
    assert client.get(reverse("billing:statements")).status_code == desk
    assert client.get(reverse("billing:loss")).status_code == loss


def test_anonymous_goes_to_log_in(client, contract):
    response = client.get(reverse("billing:contract", args=[contract.number]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_arrears_task_is_not_found_by_an_underwriter(client, contract):
    tasks.open_arrears_tasks(contract.instalments.order_by("due")[1].due + dt.timedelta(days=16))
    task = BillingTask.objects.get()
    signed_in(client, Role.UNDERWRITER)
    assert client.get(reverse("billing:task", args=[task.pk])).status_code == 404
    assert client.get(reverse("billing:task_letter", args=[task.pk])).status_code == 404


def test_payment_form_twice_books_once(client, contract):
    signed_in(client, Role.BILLING)
    url = reverse("billing:contract", args=[contract.number])
    page = client.get(url)
    assert "Въвеждане на плащане" in page.content.decode()
    data = {
        "action": "pay",
        "amount": "300.00",
        "received_on": TODAY().isoformat(),
        "payer": "Мила",
        "form_key": "k-1",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert PremiumPayment.objects.count() == 1


def test_bad_payment_names_the_field(client, contract):
    signed_in(client, Role.BILLING)
    url = reverse("billing:contract", args=[contract.number])
    page = client.post(
        url,
        {"action": "pay", "amount": "5000", "received_on": TODAY().isoformat(), "form_key": "x"},
    )
    assert page.status_code == 200
    assert "Сума: по договор H-200 се дължат 900.00 EUR" in page.content.decode()
    assert PremiumPayment.objects.count() == 0


def test_termination_by_agreement_shows_the_refund_then_the_letter(client, db):
    contract = billed_contract("H-200", instalments=1, amount="365.00")
    signed_in(client, Role.BILLING)
    url = reverse("billing:contract", args=[contract.number])
    data = {"kind": "mutual", "effective_on": TODAY().isoformat(), "note": ""}
    preview = client.post(url, {**data, "action": "preview"}).content.decode()
    assert "Възстановяване" in preview
    assert Termination.objects.count() == 0
    assert client.post(url, {**data, "action": "terminate"}).status_code == 302
    done = Termination.objects.get()
    # 265 of 365 days left, minus the 20 % costs (004 Чл.25 т.7).
    assert done.refund == Decimal("212.00")
    assert "212,00" in preview
    letter = client.get(reverse("billing:termination_letter", args=[done.pk]))
    assert letter["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(letter.content)).pages[0].extract_text()
    assert "H-200" in text
    assert "Чл.25 т.7" in text


def test_statement_upload_lists_the_unmatched_line(client, contract):
    signed_in(client, Role.BILLING)
    day = TODAY() - dt.timedelta(days=1)
    data = csv_file(
        (day, "FT1", "Мила Петрова", "", "300,00", "H-200"),
        (day, "FT2", "Непознат", "", "77,00", "?"),
    )
    upload = SimpleUploadedFile("izvlechenie.csv", data, content_type="text/csv")
    response = client.post(reverse("billing:statements"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert "Извлечението е внесено." in page
    assert "Не е намерен договор" in page
    again = SimpleUploadedFile("izvlechenie.csv", data, content_type="text/csv")
    response = client.post(reverse("billing:statements"), {"file": again}, follow=True)
    assert "нищо не е отнесено повторно" in response.content.decode()
    assert PremiumPayment.objects.count() == 1


def test_bad_statement_file_is_refused_with_its_rule(client, db):
    signed_in(client, Role.BILLING)
    upload = SimpleUploadedFile("x.csv", b"Date;Amount\n1;2\n", content_type="text/csv")
    page = client.post(reverse("billing:statements"), {"file": upload}).content.decode()
    assert "липсват колоните" in page


def test_loss_ratio_page_draws_a_chart(client, db):
    signed_in(client, Role.UNDERWRITER)
    page = client.get(reverse("billing:loss")).content.decode()
    assert "Квоти на щетимост по групови договори" in page


def test_a_person_books_an_unmatched_line_and_sets_another_aside(client, contract):
    from zdrave.policy_admin.billing.actions.statements import import_statement
    from zdrave.policy_admin.billing.models import LineStatus

    user = signed_in(client, Role.BILLING)
    day = TODAY() - dt.timedelta(days=1)
    data = csv_file(
        (day, "FT7", "Петров ЕООД", "", "300,00", "за Мила"),
        (day, "FT8", "Непознат", "", "9,00", "?"),
    )
    statement = import_statement("x.csv", data, actor=user).statement
    first, second = statement.lines.order_by("index")
    url = reverse("billing:statement", args=[statement.pk])
    wrong = client.post(url, {"line": first.pk, "action": "match", "contract": "NO-SUCH"})
    assert "няма договор с номер NO-SUCH" in wrong.content.decode()
    assert (
        client.post(url, {"line": first.pk, "action": "match", "contract": "h-200"}).status_code
        == 302
    )
    assert (
        client.post(url, {"line": second.pk, "action": "aside", "note": "Връщаме."}).status_code
        == 302
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.contract) == (LineStatus.BOOKED, contract)
    assert second.status == LineStatus.SET_ASIDE
    assert PremiumPayment.objects.get().amount == Decimal("300.00")
