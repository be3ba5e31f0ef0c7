"""A family member whose health declaration has a "yes" the product terms refer (004 Чл.9) is
not refused online: the holder's request waits in the underwriter's queue with the sales
applications, and the underwriter accepts, accepts on special conditions (004 Чл.10: agreed in
writing, stored on the person's cover, applied to their claims) or declines. Accepted, the annex
adds the person (004 Чл.27 т.2) from 00:00 of the day after the decision or the date asked if
later, the month of Чл.27 т.2 judged on the day the holder asked (docs/decisions.md); declined, a
letter with the reason. Either way an e-mail to the holder through the outbox."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contracts.factories import make_user
from zdrave.base.identity.models import Role
from zdrave.claims.fetch import special_facts
from zdrave.contracts.models import ContractMember, PremiumInstalment
from zdrave.engine.calendar import add_months
from zdrave.policy_admin.groups import actions
from zdrave.policy_admin.groups.actions import declarations
from zdrave.policy_admin.groups.models import Annex, FamilyRequest
from zdrave.policy_admin.sales.models import Decision

from .test_family_annexes import child, family_contract, start_for_last_day

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def today():
    return timezone.localdate()


@pytest.fixture
def holder_user(db):
    return make_user("ivan", email="ivan@example.bg")


@pytest.fixture
def family(holder_user):
    return family_contract(holder_user, start=today() - dt.timedelta(days=5))


@pytest.fixture
def underwriter(db):
    return make_user("uw", Role.UNDERWRITER, email="uw@example.bg")


def oncology_yes(contract):
    answers = {q.key: False for q in actions.declaration_questions(contract)}
    answers["oncology"] = True
    return answers


def refer(contract, user, *, effective=None, key="k1", person=None):
    return actions.add_family_member(
        contract,
        person or child(),
        answers=oncology_yes(contract),
        signer_name="Иван Димитров",
        actor=user,
        effective=effective or today() + DAY,
        key=key,
    )


def test_004_chl9_a_referred_yes_makes_a_request_not_an_annex(family, holder_user):
    request = refer(family, holder_user)
    assert isinstance(request, FamilyRequest)
    assert request.decision == Decision.PENDING
    assert request.notified_on == today()
    assert request.effective == today() + DAY
    assert request.person["first_name"] == "Ния"
    assert request.answers["oncology"] is True
    assert request.referred == [{"key": "oncology", "clause": "004 Чл.9"}]
    assert request.signer_name == "Иван Димитров"
    assert not Annex.objects.exists()
    assert not ContractMember.objects.filter(person__first_name="Ния").exists()
    # The same form twice is one request (its key).
    assert refer(family, holder_user) == request
    assert FamilyRequest.objects.count() == 1


def test_004_chl9_a_yes_the_terms_decline_is_still_refused(family, holder_user, monkeypatch):
    questions = actions.declaration_questions(family)
    declining = [questions[0].model_copy(update={"outcome": "decline"}), *questions[1:]]
    monkeypatch.setattr(declarations, "declaration_questions", lambda _contract: declining)
    answers = {q.key: False for q in questions}
    answers[questions[0].key] = True
    with pytest.raises(ValidationError) as refused:
        actions.add_family_member(
            family,
            child(),
            answers=answers,
            signer_name="Иван Димитров",
            actor=holder_user,
            effective=today() + DAY,
            key="d1",
        )
    assert f"q_{questions[0].key}" in refused.value.message_dict
    assert not FamilyRequest.objects.exists()
    assert not Annex.objects.exists()


def test_004_chl27_t2_a_request_after_the_month_is_refused_at_once(holder_user):
    contract = family_contract(holder_user, start=start_for_last_day(today() - DAY))
    with pytest.raises(ValidationError) as refused:
        refer(contract, holder_user)
    assert "004 Чл.27 т.2" in refused.value.message_dict["effective"][0]
    assert not FamilyRequest.objects.exists()


def test_004_chl10_accepted_on_special_conditions_annex_from_the_day_after(
    family, holder_user, underwriter
):
    request = refer(family, holder_user)
    mail.outbox.clear()
    decided = actions.decide_family_request(
        request,
        actor=underwriter,
        decision=Decision.SPECIAL,
        excluded_icd10=["C50"],
        note="Изключено: онкологично заболяване.",
    )
    assert decided.decision == Decision.SPECIAL
    annex = decided.annex
    assert annex.effective == today() + DAY
    assert annex.notified_on == request.notified_on
    member = ContractMember.objects.get(contract=family, person__first_name="Ния")
    assert member.covered_from == today() + DAY
    # 004 Чл.10: on the person's cover, and the engine's claims facts carry it.
    assert member.special_conditions.excluded_icd10 == ["C50"]
    assert special_facts(member.special_conditions).excluded_icd10 == ("C50",)
    # The pro-rata premium as any annex adds it (issue 11), as an extra instalment.
    assert annex.premium_difference > 0
    assert annex.instalment.amount == annex.premium_difference
    [sent] = mail.outbox
    assert sent.to == ["ivan@example.bg"]
    assert annex.number in sent.body
    assert sent.attachments[0][2] == "application/pdf"


def test_004_chl10_a_loading_raises_the_annex_premium(family, holder_user, underwriter):
    plain = actions.decide_family_request(
        refer(family, holder_user), actor=underwriter, decision=Decision.ACCEPTED
    )
    other = child(serial=777, birth=dt.date(2018, 5, 5))
    other["first_name"] = "Ива"
    loaded = actions.decide_family_request(
        refer(family, holder_user, key="k2", person=other),
        actor=underwriter,
        decision=Decision.SPECIAL,
        loading_percent=Decimal("50"),
    )
    base = plain.annex.premium_difference
    assert loaded.annex.premium_difference == base + (base / 2).quantize(Decimal("0.01"))
    assert loaded.annex.instalment.amount == loaded.annex.premium_difference


def test_004_chl27_t2_effective_is_the_date_asked_when_later(family, holder_user, underwriter):
    asked = today() + dt.timedelta(days=10)
    decided = actions.decide_family_request(
        refer(family, holder_user, effective=asked), actor=underwriter, decision="accepted"
    )
    assert decided.annex.effective == asked


def test_004_chl27_t2_the_month_is_judged_on_the_day_the_holder_asked(holder_user, underwriter):
    """Asked on the last day of the month, decided after it: the annex is still made."""
    contract = family_contract(holder_user, start=start_for_last_day(today()))
    request = refer(contract, holder_user)
    later = today() + dt.timedelta(days=3)
    assert later > add_months(contract.start, 1)
    decided = actions.decide_family_request(
        request, actor=underwriter, decision=Decision.ACCEPTED, today=later
    )
    assert decided.annex.effective == later + DAY
    assert decided.annex.notified_on == today()


def test_004_chl10_declined_letter_with_the_reason_and_no_annex(family, holder_user, underwriter):
    request = refer(family, holder_user)
    mail.outbox.clear()
    with pytest.raises(ValidationError) as no_reason:
        actions.decide_family_request(request, actor=underwriter, decision=Decision.DECLINED)
    assert "note" in no_reason.value.message_dict
    decided = actions.decide_family_request(
        request, actor=underwriter, decision=Decision.DECLINED, note="Активно лечение."
    )
    assert decided.annex is None
    assert not Annex.objects.exists()
    assert not ContractMember.objects.filter(person__first_name="Ния").exists()
    [sent] = mail.outbox
    assert "Активно лечение." in sent.body
    assert sent.attachments[0][1].startswith(b"%PDF")
    with pytest.raises(ValidationError):
        actions.decide_family_request(decided, actor=underwriter, decision=Decision.ACCEPTED)


def test_004_chl10_special_conditions_need_a_condition(family, holder_user, underwriter):
    request = refer(family, holder_user)
    with pytest.raises(ValidationError) as refused:
        actions.decide_family_request(request, actor=underwriter, decision=Decision.SPECIAL)
    assert "excluded_icd10" in refused.value.message_dict
    request.refresh_from_db()
    assert request.decision == Decision.PENDING
    assert not PremiumInstalment.objects.filter(annex__isnull=False).exists()


@pytest.mark.parametrize(
    "role",
    [r for r in Role.values if r != Role.UNDERWRITER],
)
def test_only_an_underwriter_decides(family, holder_user, role):
    request = refer(family, holder_user)
    with pytest.raises(ValidationError):
        actions.decide_family_request(
            request, actor=make_user(f"x-{role}", role), decision=Decision.ACCEPTED
        )
    request.refresh_from_db()
    assert request.decision == Decision.PENDING


# -- pages ----------------------------------------------------------------------------------------


def _form_data(contract, key):
    return {
        **child(),
        "effective": (today() + DAY).isoformat(),
        "signer_name": "Иван Димитров",
        "form_key": key,
        **{f"q_{k}": ("yes" if v else "no") for k, v in oncology_yes(contract).items()},
    }


def test_pages_holder_asks_underwriter_decides_holder_sees_it(
    client, family, holder_user, underwriter
):
    client.force_login(holder_user)
    key = uuid.uuid4().hex
    done = client.post(reverse("groups:family_add", args=[family.number]), _form_data(family, key))
    assert done.status_code == 302
    assert done["Location"] == reverse("groups:family", args=[family.number])
    client.post(reverse("groups:family_add", args=[family.number]), _form_data(family, key))
    request = FamilyRequest.objects.get()
    page = client.get(done["Location"]).content.decode()
    assert "Ния" in page
    assert reverse("groups:family_request", args=[request.pk]) in page
    holder_view = client.get(reverse("groups:family_request", args=[request.pk]))
    assert holder_view.status_code == 200
    assert holder_view.context["form"] is None
    assert client.post(reverse("groups:family_request", args=[request.pk]), {}).status_code == 403

    client.force_login(underwriter)
    queue = client.get(reverse("sales:queue")).content.decode()
    assert reverse("groups:family_request", args=[request.pk]) in queue
    url = reverse("groups:family_request", args=[request.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"decision": "special"})
    assert bad.status_code == 200
    assert "004 Чл.10" in bad.content.decode()
    decided = client.post(url, {"decision": "special", "excluded_icd10": "C50", "note": ""})
    assert decided.status_code == 302
    assert (
        reverse("groups:family_request", args=[request.pk])
        not in client.get(reverse("sales:queue")).content.decode()
    )

    client.force_login(holder_user)
    page = client.get(reverse("groups:family", args=[family.number])).content.decode()
    assert "C50" in page
    letter = client.get(reverse("groups:family_request_letter", args=[request.pk]))
    assert letter.status_code == 200
    assert "C50" in letter.content.decode()
    pdf = client.get(reverse("groups:family_request_pdf", args=[request.pk]))
    assert pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "role",
    [r for r in Role.values if r != Role.UNDERWRITER],
)
def test_other_roles_do_not_see_the_request(client, family, holder_user, role):
    request = refer(family, holder_user)
    client.force_login(make_user(f"other-{role}", role))
    url = reverse("groups:family_request", args=[request.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "accepted"}).status_code == 404
    request.refresh_from_db()
    assert request.decision == Decision.PENDING


def test_the_letter_waits_for_the_decision(client, family, holder_user):
    request = refer(family, holder_user)
    client.force_login(holder_user)
    assert client.get(reverse("groups:family_request_letter", args=[request.pk])).status_code == 404


def test_anonymous_goes_to_log_in(client, family, holder_user):
    request = refer(family, holder_user)
    response = client.get(reverse("groups:family_request", args=[request.pk]))
    assert response.status_code == 302
