"""Reminders for the group declarations not filled in (004 Чл.23 т.1: each person of a group of
up to 20 fills in their own declaration through an e-mailed link). Decision (docs/decisions.md):
3 Bulgarian working days after the last e-mail, at most 2 automatic reminders, staff may re-send
by hand; each reminder issues a new secret, so the older link stops working."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contracts.factories import make_user
from policy_admin.groupsales.helpers import census_csv
from policy_admin.sales.helpers import NO
from zdrave.base.audit.models import AuditEvent
from zdrave.base.identity.roles import Role
from zdrave.policy_admin.groupsales import actions, reminders
from zdrave.policy_admin.groupsales.models import DeclarationLink

pytestmark = pytest.mark.django_db
SOFIA = zoneinfo.ZoneInfo("Europe/Sofia")


def _start() -> dt.date:
    today = timezone.localdate()
    return dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)


def _apply(actor=None, n=10, key="r1"):
    rows = actions.read_group_census("c.csv", census_csv(n), start=_start()).rows
    return actions.apply_for_group(
        actor=actor,
        employer_name="Фирма ООД",
        eik="121000061",
        contact_name="Мария",
        email="hr@firma.bg",
        start=_start(),
        instalments=4,
        rows=rows,
        form_key=key,
    )


def _token(body: str) -> str:
    return re.search(r"/sales/group/sign-in/([^/\s]+)/", body).group(1)


def _sent_on(day: dt.date, hour: int = 10) -> None:
    DeclarationLink.objects.update(
        sent_at=dt.datetime(day.year, day.month, day.day, hour, tzinfo=SOFIA)
    )


def test_004_chl23_t1_reminder_after_three_bulgarian_working_days(mailoutbox):
    """Sent on Monday 21.12.2026: 24–26 December are Bulgarian holidays (Christmas Eve and
    Christmas) and the 26th, a Saturday, moves to Monday 28.12 (Labour Code), so the third
    working day is Tuesday 29.12, not Thursday 24.12."""
    _apply()
    _sent_on(dt.date(2026, 12, 21))
    mailoutbox.clear()
    assert reminders.send_due_reminders(dt.date(2026, 12, 28)) == {"reminded": 0, "exhausted": 0}
    assert reminders.send_due_reminders(dt.date(2026, 12, 29))["reminded"] == 10
    assert len(mailoutbox) == 10
    assert mailoutbox[0].subject.startswith("Напомняне")
    assert set(DeclarationLink.objects.values_list("reminders", flat=True)) == {1}


def test_a_reminder_issues_a_new_link_and_the_old_one_stops_working(mailoutbox):
    _apply()
    old = _token(next(m for m in mailoutbox if m.to == ["emp0@firma.bg"]).body)
    link = actions.link_for(old)
    _sent_on(timezone.localdate() - dt.timedelta(days=14))
    mailoutbox.clear()
    assert reminders.send_due_reminders()["reminded"] == 10
    new = _token(next(m for m in mailoutbox if m.to == ["emp0@firma.bg"]).body)
    assert new != old
    with pytest.raises(actions.LinkRefused):
        actions.link_for(old)
    assert actions.link_for(new).pk == link.pk
    # Running again the same day sends nothing more (sent_at moved to now).
    mailoutbox.clear()
    assert reminders.send_due_reminders()["reminded"] == 0
    assert mailoutbox == []
    assert AuditEvent.objects.filter(verb="group_application.declaration_link_resent").count() == 10


def test_at_most_two_automatic_reminders_and_signed_people_are_not_reminded(mailoutbox):
    application = _apply()
    link = actions.link_for(_token(next(m for m in mailoutbox if m.to == ["emp0@firma.bg"]).body))
    person = link.persons.get()
    actions.sign_declaration(link, person, answers=NO, signed_by="self", signer_name="С", sign=True)
    DeclarationLink.objects.exclude(pk=link.pk).update(reminders=reminders.MAX_REMINDERS)
    DeclarationLink.objects.filter(email="emp1@firma.bg").update(reminders=1)
    _sent_on(timezone.localdate() - dt.timedelta(days=14))
    mailoutbox.clear()
    done = reminders.send_due_reminders()
    assert done == {"reminded": 1, "exhausted": 8}
    assert [m.to for m in mailoutbox] == [["emp1@firma.bg"]]
    missing = reminders.missing(application.group_sale)
    assert len(missing) == 9
    assert all(m.next_reminder is None for m in missing)


def test_no_reminder_once_the_application_left_the_underwriter(mailoutbox):
    application = _apply()
    application.status = "declined"
    application.save(update_fields=["status"])
    _sent_on(timezone.localdate() - dt.timedelta(days=14))
    assert reminders.send_due_reminders()["reminded"] == 0


def test_the_daily_command_reminds_and_queues_itself(mailoutbox):
    _apply()
    _sent_on(timezone.localdate() - dt.timedelta(days=14))
    mailoutbox.clear()
    call_command("groupsales_daily", verbosity=0)
    assert len(mailoutbox) == 10
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path__endswith="groupsales_daily").count() == 1
    call_command("groupsales_daily", "--on", timezone.localdate().isoformat(), verbosity=0)
    assert DBTaskResult.objects.filter(task_path__endswith="groupsales_daily").count() == 1


def test_staff_resend_by_hand_once_on_double_submit_link_only_in_the_email(client, mailoutbox):
    application = _apply()
    client.force_login(make_user("uw", Role.UNDERWRITER))
    detail = reverse("groupsales:staff_detail", args=[application.reference])
    body = client.get(detail).content.decode()
    assert 'data-testid="missing-declarations"' in body
    link = DeclarationLink.objects.get(email="emp3@firma.bg")
    url = reverse("groupsales:resend", args=[application.reference, link.pk])
    mailoutbox.clear()
    assert client.post(url, {"seen": "0"}).status_code == 302
    assert client.post(url, {"seen": "0"}).status_code == 302  # the same page again
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["emp3@firma.bg"]
    link.refresh_from_db()
    assert link.reminders == 1
    token = _token(mailoutbox[0].body)
    page = client.get(detail).content.decode()
    assert token not in page
    assert "/sales/group/sign-in/" not in page
    assert client.post(url, {"seen": "x"}).status_code == 302  # a forged form: nothing sent
    assert len(mailoutbox) == 1


RESENDERS = {Role.UNDERWRITER, Role.ADMINISTRATOR}
SALES_STAFF = {Role.UNDERWRITER, Role.BILLING, Role.ADMINISTRATOR}


@pytest.mark.parametrize(("role", "status"), [(r, 302 if r in RESENDERS else 403) for r in Role])
def test_resend_by_role(client, mailoutbox, role, status):
    application = _apply()
    link = DeclarationLink.objects.order_by("pk").first()
    client.force_login(make_user("u", role))
    url = reverse("groupsales:resend", args=[application.reference, link.pk])
    assert client.post(url, {"seen": "0"}).status_code == status
    link.refresh_from_db()
    assert link.reminders == (1 if status == 302 else 0)


def test_resend_anonymous_goes_to_log_in(client, mailoutbox):
    application = _apply()
    link = DeclarationLink.objects.order_by("pk").first()
    url = reverse("groupsales:resend", args=[application.reference, link.pk])
    response = client.post(url, {"seen": "0"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_employer_sees_who_is_missing_only_for_its_own_group(client, mailoutbox):
    owner = make_user("firma", Role.EMPLOYER)
    application = _apply(actor=owner)
    DeclarationLink.objects.filter(email="emp2@firma.bg").update(reminders=2)
    url = reverse("groupsales:progress", args=[application.reference])
    assert client.get(url).status_code == 302  # anonymous: log in
    client.force_login(owner)
    body = client.get(url).content.decode()
    assert 'data-testid="missing-declarations"' in body
    assert "Служител2" in body
    assert "emp2@firma.bg" in body
    assert "няма оставащи" in body  # no automatic reminder left for emp2
    assert "Повторно изпращане" not in body
    assert "/resend/" not in body
    for role in Role:
        status = 200 if role in SALES_STAFF else 404
        client.force_login(make_user(f"other-{role}", role))
        assert client.get(url).status_code == status, role


def test_the_applied_page_lists_who_is_missing(client, mailoutbox):
    client.post(
        reverse("groupsales:quote"),
        {
            "start": _start().isoformat(),
            "instalments": "4",
            "census": SimpleUploadedFile("c.csv", census_csv(10), "text/csv"),
        },
    )
    client.post(
        reverse("groupsales:apply"),
        {
            "employer_name": "Фирма ООД",
            "eik": "121000061",
            "contact_name": "Мария",
            "email": "hr@firma.bg",
            "form_key": "a" * 32,
        },
    )
    body = client.get(reverse("groupsales:applied")).content.decode()
    assert 'data-testid="missing-declarations"' in body
    assert body.count('data-testid="reminder-count"') == 10
