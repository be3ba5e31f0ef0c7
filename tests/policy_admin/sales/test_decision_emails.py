"""The underwriting decision e-mailed to the applicant through the outbox (004 Чл.10): accepted,
accepted on special conditions, declined — one e-mail once nobody waits for the underwriter,
with each person's decision letter attached."""

from __future__ import annotations

from decimal import Decimal

from django.core import mail

from policy_admin.sales.helpers import sign
from zdrave.policy_admin.sales import actions
from zdrave.policy_admin.sales.models import Decision


def submitted(family, buyer, **father_yes):
    application, mother, father, child = family
    sign(mother, actor=buyer)
    sign(father, actor=buyer, **father_yes)
    sign(child, actor=buyer, by="parent")
    actions.submit_application(application, actor=buyer)
    return application, father


def test_004_chl10_all_accepted_by_the_engine_one_email_with_three_letters(family, buyer):
    application, _father = submitted(family, buyer)
    [sent] = mail.outbox
    assert sent.to == ["buyer@example.bg"]
    assert application.reference in sent.subject
    assert sent.body.count("Прието") == 3 or sent.body.count("Accepted") == 3
    assert [a[2] for a in sent.attachments] == ["application/pdf"] * 3


def test_004_chl10_no_email_while_a_person_waits_for_the_underwriter(family, buyer):
    submitted(family, buyer, chronic_disease=True)
    assert mail.outbox == []


def test_004_chl10_special_conditions_are_emailed_when_decided(family, buyer, underwriter):
    _application, father = submitted(family, buyer, chronic_disease=True)
    actions.decide_person(
        father, actor=underwriter, decision=Decision.SPECIAL, loading_percent=Decimal("20")
    )
    [sent] = mail.outbox
    assert "Петър Петров" in sent.body
    assert len(sent.attachments) == 3


def test_004_chl10_a_declined_person_is_emailed_with_the_reasons(family, buyer, underwriter):
    _application, father = submitted(family, buyer, chronic_disease=True)
    actions.decide_person(
        father, actor=underwriter, decision=Decision.DECLINED, note="Тежко състояние."
    )
    [sent] = mail.outbox
    assert "Тежко състояние." in sent.body
