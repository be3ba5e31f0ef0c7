"""The staff pages of claims (issue 10, "Staff: queue, review, decide"): who may open which page,
the queue sorted by the statutory clock on the Bulgarian calendar (004 Чл.29 т.2), overrides
with a reason and a second person's approval (four eyes), the medical expert's opinion without
payment data, and the dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import InternalError, connection
from django.urls import reverse
from django.utils import timezone

from claims.staff_data import IBAN, PAYEE, received_on, submit
from contracts.factories import make_user
from interfaces.portal.test_every_page_words import defects, visible_text
from zdrave.base.audit.models import AuditEvent
from zdrave.base.identity.models import Role
from zdrave.claims.actions import decide as deciding
from zdrave.claims.models import Claim, ClaimStatus, DecisionVersion
from zdrave.claims.views import context
from zdrave.engine.calendar import add_working_days

S = ClaimStatus
ROLES = {
    "adjuster": Role.CLAIMS_ADJUSTER,
    "medical": Role.MEDICAL_EXPERT,
    "administrator": Role.ADMINISTRATOR,
    "coordinator": Role.SERVICE_COORDINATOR,
    "underwriter": Role.UNDERWRITER,
}


@pytest.fixture
def users(member_user, adjuster, medical_expert):
    people = {"member": member_user, "adjuster": adjuster, "medical": medical_expert}
    for name, role in ROLES.items():
        if name not in people:
            people[name] = make_user(name, role)
    return people


@pytest.fixture
def referred(member, member_user):
    """A claim without an ICD-10 code: the engine refers it to the medical expert."""
    claim = submit(member, member_user, key="ref", diagnosis="")
    assert claim.status == S.REFERRED_MEDICAL
    return claim


@pytest.fixture
def paid_out(member, member_user):
    """A complete claim the engine decided alone and scheduled for payment."""
    claim = submit(member, member_user, key="auto", amount="80.00")
    assert claim.status == S.PAYMENT_SCHEDULED
    return claim


def _as(client, user):
    client.force_login(user)
    return client


# -- who opens what ----------------------------------------------------------------------------

PAGES = {
    # page: who gets 200; everyone else signed in gets 403, nobody signed in the log-in page
    "queue": {"adjuster", "medical"},
    "review": {"adjuster", "medical"},
    "approve": {"adjuster"},
    "dashboard": {"adjuster", "administrator"},
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize(
    "who",
    ["adjuster", "medical", "administrator", "member", "coordinator", "underwriter", "anonymous"],
)
def test_each_page_opens_for_its_roles_and_refuses_the_others(client, users, referred, page, who):
    url = {
        "queue": reverse("claims:queue"),
        "review": reverse("claims:review", args=[referred.number]),
        "approve": reverse("claims:approve", args=[referred.number]),
        "dashboard": reverse("claims:dashboard"),
    }[page]
    if who != "anonymous":
        client.force_login(users[who])
    response = client.get(url)
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("identity:login"))
    else:
        assert response.status_code == (200 if who in PAGES[page] else 403)


@pytest.mark.parametrize("who", ["medical", "administrator", "member", "coordinator"])
def test_only_an_adjuster_decides_and_nothing_changes_for_the_others(client, users, referred, who):
    response = _as(client, users[who]).post(
        reverse("claims:decide", args=[referred.number]), {"payable_0": "10.00", "reason_0": "x"}
    )
    assert response.status_code == 403
    referred.refresh_from_db()
    assert referred.status == S.REFERRED_MEDICAL
    assert DecisionVersion.objects.filter(claim=referred).count() == 1  # the engine's proposal


def test_the_medical_expert_opens_only_claims_referred_to_the_medical_expert(
    client, users, referred, paid_out
):
    client = _as(client, users["medical"])
    assert client.get(reverse("claims:review", args=[paid_out.number])).status_code == 404
    queue = client.get(reverse("claims:queue"))
    assert [row["claim"].number for row in queue.context["rows"]] == [referred.number]
    adjusters = _as(client, users["adjuster"]).get(reverse("claims:queue"))
    # The adjusters' open work: the referred claim; the scheduled payment is not work.
    assert [row["claim"].number for row in adjusters.context["rows"]] == [referred.number]


def test_an_unknown_number_is_not_found_for_staff(client, users):
    response = _as(client, users["adjuster"]).get(reverse("claims:review", args=["CL-2026-999"]))
    assert response.status_code == 404


# -- the review ---------------------------------------------------------------------------------


def test_every_view_of_a_claim_is_logged(client, users, referred):
    _as(client, users["adjuster"]).get(
        reverse("claims:review", args=[referred.number]), REMOTE_ADDR="203.0.113.9"
    )
    _as(client, users["medical"]).get(reverse("claims:review", args=[referred.number]))
    rows = AuditEvent.objects.filter(verb="claim_viewed").order_by("id")
    assert [(r.actor.username, r.object_id) for r in rows] == [
        ("adj1", str(referred.pk)),
        ("doc1", str(referred.pk)),
    ]
    assert rows[0].details["ip_address"] == "203.0.113.9"


def test_review_shows_the_engine_proposal_documents_clock_and_payee_to_the_adjuster(
    client, users, referred
):
    response = _as(client, users["adjuster"]).get(reverse("claims:review", args=[referred.number]))
    html = response.content.decode()
    line = response.context["lines"][0]
    # 002 II.8: the MRI line is covered in full under option Б2; the engine proposes 150.00.
    assert (line["engine"]["outcome"], line["engine"]["payable"]) == ("approved", "150.00")
    assert IBAN in html
    assert PAYEE in html
    # Photos are shown in the page through the logged download of medical files.
    files = referred.files.select_related("file")
    assert files.count() == 6
    for claim_file in files:
        assert f'src="{reverse("documents:download", args=[claim_file.file.public_id])}"' in html
    due = add_working_days(referred.complete_on, 15)
    assert response.context["clock"].due == due
    assert due.strftime("%d.%m.%Y") in html


@pytest.mark.postgres
def test_the_review_computes_the_engine_proposal_in_a_read_only_transaction(referred, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has no read-only transactions")

    def writes(claim):
        Claim.objects.filter(pk=claim.pk).update(provider="changed by a page")

    monkeypatch.setattr(deciding, "engine_decision", writes)
    with pytest.raises(InternalError, match="read-only transaction"):
        context.engine_proposal(referred)
    referred.refresh_from_db()
    assert referred.provider == "МЦ Здраве"


def test_the_medical_expert_never_sees_the_account_or_payment(client, users, referred):
    client = _as(client, users["medical"])
    pages = [
        client.get(reverse("claims:review", args=[referred.number])),
        client.get(reverse("claims:queue")),
        client.post(reverse("claims:medical", args=[referred.number]), {"icd10": "XYZ"}),
    ]
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert IBAN not in html
        assert PAYEE not in html
        assert "150,00" not in html  # no amounts: the medical questions only
    assert "decide_form" not in pages[0].context


# -- overrides and four eyes ---------------------------------------------------------------------


def test_an_override_without_a_reason_is_refused_naming_the_field(client, users, referred):
    response = _as(client, users["adjuster"]).post(
        reverse("claims:decide", args=[referred.number]),
        {"payable_0": "90,00", "reason_0": "  ", "note": ""},
    )
    assert response.status_code == 200
    assert "Ред 1 — Причина: промяната на решението изисква причина." in response.content.decode()
    referred.refresh_from_db()
    assert referred.status == S.REFERRED_MEDICAL
    assert referred.versions.count() == 1
    assert referred.payable == Decimal("0.00")


def test_a_bad_amount_is_refused_naming_the_field(client, users, referred):
    response = _as(client, users["adjuster"]).post(
        reverse("claims:decide", args=[referred.number]),
        {"payable_0": "деветдесет", "reason_0": "отстъпка"},
    )
    assert "Ред 1 — Сума за плащане: въведете сума в евро, например 12.50." in response.text
    assert referred.versions.count() == 1


def test_four_eyes_through_the_pages(client, users, referred, second_adjuster):
    adjuster = users["adjuster"]
    client = _as(client, adjuster)
    response = client.post(
        reverse("claims:decide", args=[referred.number]),
        {"payable_0": "90.00", "reason_0": "Фактурата показва отстъпка"},
    )
    assert response.status_code == 302
    referred.refresh_from_db()
    assert referred.status == S.AWAITING_APPROVAL

    # The proposer sees the proposal but cannot approve it; nothing changes.
    page = client.get(reverse("claims:approve", args=[referred.number]))
    assert page.context["may_approve"] is False
    assert "Вие предложихте това решение" in page.text
    refused = client.post(
        reverse("claims:approve", args=[referred.number]), {"decision": "approve"}
    )
    assert refused.status_code == 403
    referred.refresh_from_db()
    assert referred.status == S.AWAITING_APPROVAL
    assert referred.payable == Decimal("0.00")

    # A second adjuster approves: the decision is final and the payment scheduled.
    client = _as(client, second_adjuster)
    page = client.get(reverse("claims:approve", args=[referred.number]))
    assert page.context["may_approve"] is True
    assert "Фактурата показва отстъпка" in page.text
    done = client.post(reverse("claims:approve", args=[referred.number]), {"decision": "approve"})
    assert done.status_code == 302
    referred.refresh_from_db()
    assert referred.status == S.PAYMENT_SCHEDULED
    assert referred.payable == Decimal("90.00")
    version = referred.versions.order_by("-number").first()
    assert (version.decided_by, version.approved_by) == (adjuster, second_adjuster)
    assert referred.payments.get().amount == Decimal("90.00")


def test_a_decision_sent_twice_proposes_once(client, users, referred):
    client = _as(client, users["adjuster"])
    url = reverse("claims:decide", args=[referred.number])
    data = {"payable_0": "90.00", "reason_0": "Отстъпка по фактурата"}
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == 302
    assert again.status_code == 200
    assert "не може да премине" in again.text
    assert referred.versions.count() == 2  # the engine's, then the adjuster's proposal
    assert referred.events.filter(kind="decision_proposed").count() == 1


def test_sending_back_needs_a_reason(client, users, referred, second_adjuster):
    _as(client, users["adjuster"]).post(
        reverse("claims:decide", args=[referred.number]),
        {"payable_0": "0", "reason_0": "Услугата не е назначена"},
    )
    client = _as(client, second_adjuster)
    url = reverse("claims:approve", args=[referred.number])
    refused = client.post(url, {"decision": "send_back", "note": ""})
    assert "Причина: посочете защо решението се връща." in refused.text
    referred.refresh_from_db()
    assert referred.status == S.AWAITING_APPROVAL
    client.post(url, {"decision": "send_back", "note": "Липсва назначение, поискайте го"})
    referred.refresh_from_db()
    assert referred.status == S.REFERRED_ADJUSTER
    assert referred.events.order_by("-id").first().note == "Липсва назначение, поискайте го"


def test_a_possible_duplicate_links_the_other_claim_and_a_decision_without_change_is_final(
    client, users, member, member_user
):
    first = submit(member, member_user, key="dup-a")
    second = submit(member, member_user, key="dup-b", invoice="INV-dup-a")
    assert second.status == S.REFERRED_ADJUSTER  # the same invoice as the first
    client = _as(client, users["adjuster"])
    review = client.get(reverse("claims:review", args=[second.number]))
    assert review.context["duplicates"] == [
        {"line": 1, "rule": review.context["duplicates"][0]["rule"], "number": first.number}
    ]
    assert str(review.context["duplicates"][0]["rule"]) in (
        "Същият номер на фактура от същия изпълнител",
        "Същото лице, дата на услугата и сума",
    )
    assert f'href="{reverse("claims:review", args=[first.number])}"' in review.text
    # 002 II.8.e: one MRI a year under option Пълна; the engine refuses the second. Keeping
    # its proposal is no override and pays nothing: final at once, no second person.
    assert review.context["proposal"]["payable"] == "0.00"
    response = client.post(reverse("claims:decide", args=[second.number]), {"note": ""})
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.status, second.payable) == (S.REJECTED, Decimal("0.00"))
    version = second.versions.order_by("-number").first()
    assert (version.decided_by, version.needs_approval) == (users["adjuster"], False)
    assert second.payments.count() == 0


# -- the medical expert ------------------------------------------------------------------------


def test_the_medical_expert_codes_the_diagnosis_and_the_opinion_reaches_the_engine(
    client, users, referred
):
    client = _as(client, users["medical"])
    bad = client.post(
        reverse("claims:medical", args=[referred.number]),
        {"icd10": "XYZ", "necessity": "necessary", "pre_existing": "no"},
    )
    assert "Код на диагнозата: „XYZ“ не е код по МКБ-10 (например M54.5)." in bad.text
    referred.refresh_from_db()
    assert (referred.status, referred.diagnosis) == (S.REFERRED_MEDICAL, "")

    done = client.post(
        reverse("claims:medical", args=[referred.number]),
        {
            "icd10": "m54.5",
            "necessity": "not-related-to-diagnosis",
            "pre_existing": "no",
            "opinion": "ЯМР без връзка с болките",
        },
    )
    assert done.status_code == 302
    referred.refresh_from_db()
    assert referred.status == S.REFERRED_ADJUSTER
    assert referred.diagnosis == "M54.5"
    assert referred.circumstances == ["not-related-to-diagnosis"]
    # 004 Чл.21(1) т.17: the engine now refuses the line the expert found unrelated.
    review = _as(client, users["adjuster"]).get(reverse("claims:review", args=[referred.number]))
    line = review.context["lines"][0]
    assert (line["engine"]["outcome"], line["engine"]["payable"]) == ("rejected", "0.00")
    assert "Стоки и услуги без пряка връзка с вписаната диагноза" in review.text


def test_the_medical_expert_returns_a_claim_only_with_a_reason(client, users, referred):
    client = _as(client, users["medical"])
    url = reverse("claims:refer", args=[referred.number])
    refused = client.post(url, {"note": ""})
    assert refused.status_code == 200
    assert "Какво трябва да знае ликвидаторът: посочете защо." in refused.text
    referred.refresh_from_db()
    assert referred.status == S.REFERRED_MEDICAL
    client.post(url, {"note": "Нужна е епикриза"})
    referred.refresh_from_db()
    assert referred.status == S.REFERRED_ADJUSTER


def test_an_adjuster_refers_a_claim_to_the_medical_expert(client, users, member, member_user):
    submit(member, member_user, key="first")
    claim = submit(member, member_user, key="again", invoice="INV-first")
    assert claim.status == S.REFERRED_ADJUSTER
    _as(client, users["adjuster"]).post(
        reverse("claims:refer", args=[claim.number]),
        {"to": "referred_medical", "note": "Необходимо ли е второ ЯМР?"},
    )
    claim.refresh_from_db()
    assert claim.status == S.REFERRED_MEDICAL
    assert claim.events.order_by("-id").first().note == "Необходимо ли е второ ЯМР?"


def test_reopening_needs_a_reason_and_decides_again_as_a_new_version(
    client, users, referred, second_adjuster
):
    client = _as(client, users["adjuster"])
    client.post(
        reverse("claims:decide", args=[referred.number]),
        {"payable_0": "0", "reason_0": "Не е назначено"},
    )
    _as(client, second_adjuster).post(
        reverse("claims:approve", args=[referred.number]), {"decision": "approve"}
    )
    referred.refresh_from_db()
    assert referred.status == S.REJECTED
    client = _as(client, users["adjuster"])
    url = reverse("claims:reopen", args=[referred.number])
    refused = client.post(url, {"note": " "})
    assert "Причина: посочете защо претенцията се отваря отново." in refused.text
    referred.refresh_from_db()
    assert referred.status == S.REJECTED
    client.post(url, {"note": "Жалба с назначение от лекар"})
    referred.refresh_from_db()
    assert referred.status == S.REOPENED
    # Decided again: a new version; the earlier ones stay readable on the page.
    client.post(reverse("claims:decide", args=[referred.number]), {"note": "Назначението е налице"})
    referred.refresh_from_db()
    assert referred.status == S.PAYMENT_SCHEDULED
    assert list(referred.versions.values_list("number", "payable")) == [
        (1, Decimal("150.00")),
        (2, Decimal("0.00")),
        (3, Decimal("150.00")),
    ]
    page = client.get(reverse("claims:review", args=[referred.number]))
    assert [row["version"].number for row in page.context["versions"]] == [3, 2, 1]


def test_a_scheduled_payment_is_not_reopened(client, users, paid_out):
    response = _as(client, users["adjuster"]).post(
        reverse("claims:reopen", args=[paid_out.number]), {"note": "Жалба"}
    )
    assert response.status_code == 200
    assert "не може да премине" in response.text
    paid_out.refresh_from_db()
    assert paid_out.status == S.PAYMENT_SCHEDULED


# -- the queue ---------------------------------------------------------------------------------

TODAY = dt.date(2027, 1, 15)


@pytest.fixture
def january(monkeypatch, member, member_user):
    """Three complete claims received around Christmas 2026, seen on 15 January 2027."""
    claims = {
        day: received_on(
            submit(member, member_user, key=str(day), amount=amount, diagnosis=""), day
        )
        for day, amount in (
            (dt.date(2027, 1, 4), "300.00"),
            (dt.date(2026, 12, 18), "100.00"),
            (dt.date(2026, 12, 21), "200.00"),
        )
    }
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return claims


def test_queue_sorts_by_due_date_and_flags_overdue_on_the_bulgarian_calendar(
    client, users, january
):
    # 004 Чл.29 т.2: paid within 15 working days of the last document. From 18 Dec 2026 the
    # days skip 24–26 and 28 Dec (Christmas, the 26th on a Saturday moved to Monday) and
    # 1 Jan 2027: the 15th working day is Thursday 14 January.
    assert add_working_days(dt.date(2026, 12, 18), 15) == dt.date(2027, 1, 14)
    response = _as(client, users["adjuster"]).get(reverse("claims:queue"))
    rows = [
        (r["claim"].submitted, r["clock"].due, r["clock"].flag) for r in response.context["rows"]
    ]
    assert rows == [
        (dt.date(2026, 12, 18), dt.date(2027, 1, 14), "overdue"),
        (dt.date(2026, 12, 21), dt.date(2027, 1, 15), "at_risk"),
        (dt.date(2027, 1, 4), dt.date(2027, 1, 25), "on_time"),
    ]
    html = response.text
    numbers = [january[d].number for d in (dt.date(2026, 12, 18), dt.date(2026, 12, 21))]
    assert html.index(numbers[0]) < html.index(numbers[1])
    assert "14.01.2027" in html
    assert "Просрочена" in html
    assert "В риск" in html


def test_queue_filters(client, users, january):
    client = _as(client, users["adjuster"])

    def numbers(**query):
        response = client.get(reverse("claims:queue"), query)
        return [r["claim"].submitted for r in response.context["rows"]]

    assert numbers(due="overdue") == [dt.date(2026, 12, 18)]
    assert numbers(due="at_risk") == [dt.date(2026, 12, 18), dt.date(2026, 12, 21)]
    assert numbers(amount_min="150", amount_max="250,00") == [dt.date(2026, 12, 21)]
    assert numbers(status="referred_medical", product="health") == [
        dt.date(2026, 12, 18),
        dt.date(2026, 12, 21),
        dt.date(2027, 1, 4),
    ]
    assert numbers(status="paid") == []
    assert numbers(mine="on") == []
    bad = client.get(reverse("claims:queue"), {"amount_min": "300", "amount_max": "100"})
    assert "Сума до (EUR): не може да е по-малка от сумата от." in bad.text


def test_taking_a_claim_assigns_it_and_records_who(client, users, january):
    claim = january[dt.date(2027, 1, 4)]
    client = _as(client, users["adjuster"])
    response = client.post(reverse("claims:queue"), {"number": claim.number})
    assert response.status_code == 302
    assert response["Location"] == reverse("claims:review", args=[claim.number])
    claim.refresh_from_db()
    assert claim.assigned_to == users["adjuster"]
    assert claim.status == S.REFERRED_MEDICAL  # taking does not move the claim
    assert claim.events.filter(kind="assigned").count() == 1
    assert AuditEvent.objects.filter(verb="claim_assigned", object_id=str(claim.pk)).count() == 1
    # Taking it again changes nothing; "assigned to me" shows it alone.
    client.post(reverse("claims:queue"), {"number": claim.number})
    assert claim.events.filter(kind="assigned").count() == 1
    mine = client.get(reverse("claims:queue"), {"mine": "on"})
    assert [r["claim"].pk for r in mine.context["rows"]] == [claim.pk]


def test_a_member_cannot_take_a_claim(client, users, referred):
    response = _as(client, users["member"]).post(
        reverse("claims:queue"), {"number": referred.number}
    )
    assert response.status_code == 403
    referred.refresh_from_db()
    assert referred.assigned_to is None


# -- the dashboard -----------------------------------------------------------------------------


def test_dashboard_counts_automation_times_and_overdue(client, users, member, member_user):
    submit(member, member_user, key="auto-1", amount="60.00")
    # 002 II.8.e: a second MRI in the year is refused by the engine alone.
    assert submit(member, member_user, key="auto-2", amount="70.00").status == S.REJECTED
    late = received_on(submit(member, member_user, key="late", diagnosis=""), dt.date(2026, 11, 2))
    duplicate = submit(member, member_user, key="dup", amount="60.00", invoice="INV-auto-1")
    _as(client, users["adjuster"]).post(reverse("claims:decide", args=[duplicate.number]), {})
    duplicate.refresh_from_db()
    assert duplicate.status == S.REJECTED
    response = client.get(reverse("claims:dashboard"))
    figures = response.context["figures"]
    assert (figures.total, figures.decided, figures.automatic) == (4, 3, 2)
    assert figures.automatic_percent == Decimal("66.7")
    assert {s: n for s, _label, n in figures.by_status if n} == {
        "payment_scheduled": 1,
        "rejected": 2,
        "referred_medical": 1,
    }
    assert [r.claim.number for r in figures.overdue] == [late.number]
    assert (figures.to_decision.count, figures.to_scheduled.count, figures.to_paid.count) == (
        3,
        1,
        0,
    )
    assert "66.7 %" in response.text or "66,7 %" in response.text
    assert late.number in response.text

    # The administrator sees the same figures and no claim, person or diagnosis.
    admin = _as(client, users["administrator"]).get(reverse("claims:dashboard"))
    assert admin.context["figures"].total == 4
    for claim in Claim.objects.all():
        assert claim.number not in admin.text
    assert "Тестов" not in admin.text.split("<main", 1)[1]
    assert "M54.5" not in admin.text
    assert "<svg" in admin.text


# -- words ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["bg", "en"])
def test_staff_pages_read_in_their_language_without_codes(
    client, users, referred, paid_out, second_adjuster, settings, language
):
    settings.LANGUAGE_CODE = language
    for user in (*users.values(), second_adjuster):
        user.language = language
        user.save(update_fields=["language"])
    client = _as(client, users["adjuster"])
    client.post(
        reverse("claims:decide", args=[referred.number]),
        {"payable_0": "90.00", "reason_0": "отстъпка"},
    )
    pages = {
        "adjuster": [
            reverse("claims:queue"),
            reverse("claims:review", args=[referred.number]),
            reverse("claims:review", args=[paid_out.number]),
            reverse("claims:approve", args=[referred.number]),
            reverse("claims:dashboard"),
        ],
        "administrator": [reverse("claims:dashboard")],
    }
    found = {}
    for who, urls in pages.items():
        client = _as(client, users[who])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            bad = defects(visible_text(response.text, language), language) - {"отстъпка"}
            if bad:
                found[f"{who} {url}"] = bad
    medical = _as(client, users["medical"])
    Claim.objects.filter(pk=referred.pk).update(status=S.REFERRED_MEDICAL)
    for url in (reverse("claims:queue"), reverse("claims:review", args=[referred.number])):
        bad = defects(visible_text(medical.get(url).text, language), language)
        if bad:
            found[f"medical {url}"] = bad
    assert found == {}
