"""Messages and objections are written once however often the form is sent (a double click, a
reload): POST/redirect/GET with the form's one-time key, as everywhere on the platform."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from treatment_abroad.test_case_path import opened
from zdrave.treatment_abroad.actions import talk
from zdrave.treatment_abroad.models import CaseMessage, Objection

KEY = "0f3c8a8e6f1d4f6bb0a7e3d2c1b4a596"


def test_message_sent_twice_is_one_message(member, manager):
    case = opened(member)
    user = member.person.user
    first = talk.post_message(case, actor=user, body="Кога пътувам?", idempotency_key=KEY)
    again = talk.post_message(case, actor=user, body="Кога пътувам?", idempotency_key=KEY)
    assert first.pk == again.pk
    assert CaseMessage.objects.filter(case=case).count() == 1


def test_objection_sent_twice_has_one_incoming_number(member, manager, version):
    """001 т.78 / 003 т.76: one objection, one incoming number."""
    case = opened(member)
    user = member.person.user
    first = talk.file_objection(case, actor=user, text="Не съм съгласна.", idempotency_key=KEY)
    again = talk.file_objection(case, actor=user, text="Не съм съгласна.", idempotency_key=KEY)
    assert first.number == again.number
    assert Objection.objects.filter(case=case).count() == 1


def test_the_pages_redirect_and_write_once(member, manager):
    case = opened(member)
    client = Client()
    client.force_login(member.person.user)
    for action, data, model in (
        ("message", {"body": "Здравейте", "form_key": KEY}, CaseMessage),
        (
            "objection",
            {"text": "Възразявам.", "form_key": KEY.replace("0", "1")},
            Objection,
        ),
    ):
        url = reverse("treatment_abroad:act", args=[case.number, action])
        first = client.post(url, data)
        second = client.post(url, data)
        assert (first.status_code, second.status_code) == (302, 302)
        assert model.objects.filter(case=case).count() == 1
    page = client.get(reverse("treatment_abroad:detail", args=[case.number])).content.decode()
    assert page.count('name="form_key"') >= 2  # each keyed form carries a fresh key
