"""A group contract sold online, clause by clause: 004 Чл.24 т.2 (ten or more), Чл.23 т.1 and
т.3 (declarations, waived over 20), Чл.10 (referral), Чл.24 т.3 / Чл.25 т.3 (cover begins once
the first premium is paid), the group-size band of the tariff."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from contracts.factories import make_user
from policy_admin.groupsales.helpers import census_csv
from policy_admin.sales.helpers import NO
from zdrave.base.identity.roles import Role
from zdrave.base.outbox.models import OutboxMessage
from zdrave.contracts.identifiers import make_egn
from zdrave.contracts.models import Contract, HolderKind
from zdrave.policy_admin.groups import actions as groups
from zdrave.policy_admin.groups.census import CensusFileError
from zdrave.policy_admin.groups.fetch import census_rows
from zdrave.policy_admin.groupsales import actions
from zdrave.policy_admin.groupsales.models import DeclarationLink, GroupSale
from zdrave.policy_admin.sales import actions as sales
from zdrave.policy_admin.sales.fetch import underwriting_queue
from zdrave.policy_admin.sales.models import Application, ApplicationStatus, Decision, Outcome
from zdrave.policy_admin.sales.tariff import cover_begins

pytestmark = pytest.mark.django_db
EIK = "121000061"  # a valid ЕИК (check digit)


def _start() -> dt.date:
    today = timezone.localdate()
    return dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)


def _apply(rows, key="k1", eik=EIK, start=None):
    return actions.apply_for_group(
        actor=None,
        employer_name="Фирма ООД",
        eik=eik,
        contact_name="Мария Петрова",
        email="hr@firma.bg",
        start=start or _start(),
        instalments=4,
        rows=rows,
        form_key=key,
    )


def _census(n, **kw):
    return actions.read_group_census("c.csv", census_csv(n, **kw), start=_start())


def test_004_chl24_t2_group_band_discounts_the_premium():
    small = _census(10).rows
    price = actions.price_group(small, start=_start(), instalments=1)
    assert price.group_discount_percent == Decimal(5)
    big = _census(21).rows
    assert actions.price_group(big, start=_start(), instalments=1).group_discount_percent == 10


def test_004_chl24_t2_group_below_ten_is_refused_and_nothing_written():
    rows = _census(9).rows
    with pytest.raises(ValidationError, match="004 Чл.24 т.2"):
        _apply(rows)
    assert Application.objects.count() == 0


def test_bad_eik_is_refused_naming_the_field():
    rows = _census(10).rows
    with pytest.raises(ValidationError) as exc:
        _apply(rows, eik="121000062")
    assert "eik" in exc.value.message_dict
    assert Application.objects.count() == 0


def test_004_chl24_t3_start_in_the_past_or_today_is_refused():
    with pytest.raises(ValidationError, match="004 Чл.24 т.3"):
        actions.read_group_census("c.csv", census_csv(10), start=timezone.localdate())


def test_census_row_errors_bad_egn_and_missing_email():
    found = actions.read_group_census("c.csv", census_csv(10, bad_egn=True), start=_start())
    assert [e["column"] for e in found.errors] == ["egn"]
    assert len(found.rows) == 10
    found = _census(10, emails=False)
    assert {e["column"] for e in found.errors} == {"email"}
    assert "004 Чл.23 т.1" in found.errors[0]["message"]


def test_unreadable_census_file_is_refused():
    with pytest.raises(CensusFileError):
        actions.read_group_census("c.csv", b"a,b\n1,2\n", start=_start())


def test_double_submit_is_one_application(mailoutbox):
    rows = _census(10).rows
    first = _apply(rows, key="same")
    again = _apply(rows, key="same")
    assert first.pk == again.pk
    assert Application.objects.count() == 1


def test_004_chl23_t1_group_of_ten_waits_for_every_declaration(mailoutbox):
    found = _census(10, children=1)
    application = _apply(found.rows)
    sale = application.group_sale
    assert sale.declarations_needed
    # one link per employee; the child's declaration is on its parent's link (Чл.23 т.1)
    assert DeclarationLink.objects.count() == 10
    first = DeclarationLink.objects.order_by("pk").first()
    assert first.persons.count() == 2
    assert application.status == ApplicationStatus.REFERRED
    assert not underwriting_queue().exists()  # nobody is referred before declaring


def test_004_chl23_t3_group_over_twenty_needs_no_declaration(mailoutbox):
    application = _apply(_census(21, emails=False).rows)
    application.refresh_from_db()
    assert not application.group_sale.declarations_needed
    assert application.status == ApplicationStatus.ACCEPTED
    assert set(application.persons.values_list("decision", flat=True)) == {Decision.ACCEPTED}
    assert DeclarationLink.objects.count() == 0


def _token(message_body: str) -> str:
    return re.search(r"/sales/group/sign-in/([^/\s]+)/", message_body).group(1)


def _declare_all(application, mailoutbox, refer_first=False):
    for i, mail in enumerate(mailoutbox):
        if "sign-in" not in mail.body:
            continue
        link = actions.link_for(_token(mail.body))
        for person in link.persons.all():
            answers = dict(NO, chronic_disease=refer_first and i == 0)
            actions.sign_declaration(
                link,
                person,
                answers=answers,
                signed_by="parent" if person.role == "child" else "self",
                signer_name="Служител",
                sign=True,
            )


def test_004_chl10_declared_condition_goes_to_the_underwriter(mailoutbox, underwriter):
    application = _apply(_census(10).rows)
    _declare_all(application, mailoutbox, refer_first=True)
    queue = list(underwriting_queue())
    assert len(queue) == 1
    assert queue[0].outcome == Outcome.REFER
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFERRED
    sales.decide_person(queue[0], actor=underwriter, decision=Decision.ACCEPTED)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED


def _to(address):
    return [m for m in OutboxMessage.objects.order_by("pk") if address in m.to]


def test_the_link_in_the_outbox_copy_is_masked(settings):
    settings.EMAIL_BACKEND = "zdrave.base.outbox.backends.OutboxBackend"
    _apply(_census(10).rows)
    stored = _to("emp0@firma.bg")[0]
    assert "/sales/group/sign-in/" in stored.body_text
    sent = email.message_from_bytes(stored.raw_mime, policy=email.policy.default)
    token = _token(sent.get_body(preferencelist=("plain",)).get_content())
    assert token not in stored.body_text


def test_a_forged_link_is_refused():
    with pytest.raises(actions.LinkRefused):
        actions.link_for("forged")


def test_issue_group_contract_employer_holder_and_cover_after_payment(
    mailoutbox, underwriter, billing
):
    application = _apply(_census(10).rows)
    _declare_all(application, mailoutbox)
    application.refresh_from_db()
    with pytest.raises(ValidationError):
        actions.issue_group_contract(application, actor=billing)  # refused role
    issued = actions.issue_group_contract(application, actor=underwriter)
    again = actions.issue_group_contract(issued, actor=underwriter)
    assert again.contract_id == issued.contract_id
    contract = Contract.objects.get(pk=issued.contract_id)
    assert contract.type == "group"
    assert contract.holder.kind == HolderKind.COMPANY
    assert contract.holder.identifier == EIK
    owner = issued.owner
    assert owner.role == Role.EMPLOYER
    assert not owner.has_usable_password()
    assert contract.holder.users.filter(pk=owner.pk).exists()
    assert contract.members.count() == 10
    assert contract.instalments.count() == 4
    assert issued.persons.exclude(card_number="").count() == 10
    # the sign-in link goes to the employer by e-mail with the policy attached
    mail = [m for m in mailoutbox if m.to == ["hr@firma.bg"]][-1]
    assert "/accounts/password/reset/" in mail.body
    assert mail.attachments[0][0] == f"{contract.number}.pdf"
    # 004 Чл.24 т.3, Чл.25 т.3: no cover before the first instalment is paid
    first = contract.instalments.order_by("due").first()
    assert cover_begins(contract.start, None) is None
    sales.record_first_payment(
        issued, actor=billing, paid_on=timezone.localdate(), amount=first.amount
    )
    first.refresh_from_db()
    assert cover_begins(contract.start, first.paid_on) == contract.start


def test_individual_start_still_refuses_group():
    with pytest.raises(ValidationError):
        sales.start_application(
            actor=None, contract_type="group", start=_start(), instalments=1, email="a@b.bg"
        )
    assert GroupSale.objects.count() == 0


def _issued_group(mailoutbox, underwriter, billing):
    application = _apply(_census(10).rows)
    _declare_all(application, mailoutbox)
    application.refresh_from_db()
    issued = actions.issue_group_contract(application, actor=underwriter)
    first = issued.contract.instalments.order_by("due").first()
    sales.record_first_payment(
        issued, actor=billing, paid_on=timezone.localdate(), amount=first.amount
    )
    return issued


def test_the_sold_group_works_in_the_employer_portal(client, mailoutbox, underwriter, billing):
    issued = _issued_group(mailoutbox, underwriter, billing)
    contract = issued.contract
    owner = issued.owner
    owner.set_password("a-long-password-1")
    owner.save()
    client.force_login(owner)
    home = client.get(reverse("groups:home")).content.decode()
    assert contract.number in home
    page = client.get(reverse("groups:group", args=[contract.number])).content.decode()
    assert "Служител0" in page
    # a census change: one new employee with a mistyped ЕГН, refused row by row, nothing changes
    current = census_rows(contract)
    new = make_egn(dt.date(1990, 5, 5), 300, female=True)
    typo = new[:-1] + str((int(new[-1]) + 1) % 10)

    def file(egn):
        lines = ["ЕГН,Име,Фамилия,Роля,Пакети,Опция,Клауза"]
        for row in current:
            packages = ",".join(sorted(row["packages"]))
            lines.append(
                f"{row['egn']},{row['first_name']},{row['last_name']},{row['role']},"
                f'"{packages}",{row["option"]},Б1'
            )
        lines.append(f'{egn},Нова,Служителка,служител,"1,2",full,Б1')
        return "\n".join(lines).encode()

    bad = groups.preview_census(
        contract, actor=owner, file_name="c.csv", data=file(typo), effective=contract.start
    )
    assert [e["column"] for e in bad.errors] == ["egn"]
    assert contract.members.count() == 10
    good = groups.preview_census(
        contract, actor=owner, file_name="c.csv", data=file(new), effective=contract.start
    )
    assert not good.errors
    assert len(good.diff["added"]) == 1
    annex = groups.apply_census(good, actor=owner)
    assert annex.lines.count() == 1
    assert contract.members.count() == 11


def test_an_employer_sees_only_its_own_sold_group(client, mailoutbox, underwriter, billing):
    issued = _issued_group(mailoutbox, underwriter, billing)
    other = make_user("other-employer", Role.EMPLOYER)
    client.force_login(other)
    response = client.get(reverse("groups:group", args=[issued.contract.number]))
    assert response.status_code == 404
