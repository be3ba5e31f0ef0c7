"""Marketing consent (004 Чл.33; GDPR Art. 7): given and withdrawn at any time, with its
history; the outbox sends nothing of a marketing kind without it."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMessage
from django.urls import reverse

from zdrave.base.outbox import consent as outbox_consent
from zdrave.base.outbox.mail import send_templated
from zdrave.base.outbox.models import OutboxMessage
from zdrave.member_rights.privacy import actions, consent
from zdrave.member_rights.privacy.models import ConsentChannel, ConsentEvent

pytestmark = pytest.mark.django_db


def survey(to):
    return send_templated(
        to,
        "Анкета за удовлетвореност",
        "privacy/email/survey",
        marketing=True,
        health_data=False,
    )


def test_004_chl33_no_consent_is_presumed_so_no_marketing_mail_goes(mila):
    assert survey(mila) is None
    assert not OutboxMessage.objects.filter(to__icontains="mila@example.bg").exists()


def test_004_chl33_marketing_mail_goes_with_consent_and_stops_when_withdrawn(mila, staff):
    actions.set_marketing_consent(mila, True, actor=mila)
    assert survey(mila) is not None

    actions.set_marketing_consent(mila, False, actor=mila)

    assert survey(mila) is None
    assert OutboxMessage.objects.filter(to__icontains="mila@example.bg").count() == 1


def test_only_the_recipients_who_agreed_get_a_marketing_message(mila, staff):
    other = staff["member"]
    actions.set_marketing_consent(mila, True, actor=mila)

    message = survey([mila, other])

    assert message.to == ["mila@example.bg"]


def test_a_marketing_message_built_by_hand_is_stopped_by_the_outbox_backend(mila, settings):
    email = EmailMessage("Новини", "Нов продукт", to=["mila@example.bg", "nobody@example.bg"])
    email.outbox_marketing = True

    assert email.send() == 0
    actions.set_marketing_consent(mila, True, actor=mila)
    email = EmailMessage("Новини", "Нов продукт", to=["mila@example.bg", "nobody@example.bg"])
    email.outbox_marketing = True
    assert email.send() == 1
    assert OutboxMessage.objects.get().to == ["mila@example.bg"]


def test_without_a_registered_rule_nobody_gets_marketing(monkeypatch):
    monkeypatch.setattr(outbox_consent, "_rules", [])
    assert outbox_consent.marketing_allowed("mila@example.bg") is False


def test_service_mail_is_not_a_marketing_message_and_needs_no_consent(mila):
    message = send_templated(mila, "Писмо", "privacy/email/survey", health_data=False)
    assert message is not None


def test_the_history_keeps_who_when_channel_and_text_version(mila, dpo):
    actions.set_marketing_consent(mila, True, actor=mila)
    actions.set_marketing_consent(mila, True, actor=mila)  # the same answer: no second row
    actions.set_marketing_consent(mila, False, actor=dpo, channel=ConsentChannel.PHONE)

    history = list(ConsentEvent.objects.filter(member=mila))
    assert [(e.given, e.channel, e.recorded_by) for e in history] == [
        (False, "phone", dpo),
        (True, "portal", mila),
    ]
    assert {e.text_version for e in history} == {consent.TEXT_VERSION}
    assert not consent.has_marketing_consent(mila)


def test_the_member_gives_and_withdraws_on_the_my_data_page(client, mila):
    client.force_login(mila)
    page = client.get(reverse("privacy:mine")).content.decode()
    assert "Не сте съгласни" in page

    response = client.post(reverse("privacy:consent"), {"given": "yes"}, follow=True)
    assert "Съгласни сте." in response.content.decode()
    response = client.post(reverse("privacy:consent"), {"given": "no"}, follow=True)

    page = response.content.decode()
    assert "Съгласието Ви е оттеглено" in page
    assert "оттеглено · На портала" in page
    assert "дадено · На портала" in page
    assert not consent.has_marketing_consent(mila)


def test_a_bad_consent_answer_changes_nothing(client, mila):
    client.force_login(mila)
    response = client.post(reverse("privacy:consent"), {"given": "maybe"}, follow=True)
    assert "Изберете дали сте съгласни." in response.content.decode()
    assert not ConsentEvent.objects.exists()
