"""``zdrave demo``: every role gets a log-in, the contracts are valid, and running it twice
changes nothing."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from zdrave.base.audit.models import AuditEvent
from zdrave.base.identity.models import Role
from zdrave.contracts.models import Contract, ContractMember, ContractStatus, Cover, InsuredPerson
from zdrave.engine.calendar import add_months

pytestmark = pytest.mark.django_db


def _demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def _counts() -> tuple[int, ...]:
    models = (get_user_model(), Contract, ContractMember, Cover, InsuredPerson, AuditEvent)
    return tuple(m.objects.count() for m in models)


def test_demo_prints_log_ins_for_every_role():
    output = _demo()
    lines = output.splitlines()
    assert lines[0] == "Demo log-ins (http://127.0.0.1:8000/accounts/login/):"
    assert lines[1].split() == ["user", "name", "password", "role", "name"]
    rows = {line.split()[0]: line.split()[1:3] for line in lines[3:]}
    assert rows["admin"] == ["demo12345", "administrator"]
    assert rows["employer"] == ["demo12345", "employer"]
    assert rows["therapist"] == ["demo12345", "specialist"]
    assert {role for _, role in rows.values()} == set(Role.values)


def test_demo_users_log_in_with_the_printed_password(client):
    _demo()
    response = client.post("/accounts/login/", {"username": "maria", "password": "demo12345"})
    assert response["Location"] == "/home/"
    therapist = get_user_model().objects.get(username="therapist")
    assert (therapist.role, therapist.partner_code) == (Role.SPECIALIST, "diagnose-me")


def test_demo_contracts():
    _demo()
    group = Contract.objects.get(number="ZH-DEMO-G001")
    assert group.type == "group"
    # 12 from the start, 2 more by the demo's annex (demo/groups.py, issue 11).
    assert group.members.count() == 14
    assert group.holder.users.get().username == "employer"
    assert [(c.package, c.option, c.clause) for c in group.covers.all()] == [
        (2, "basic", "Б1"),
        (3, "basic", "Б1"),
    ]
    family = Contract.objects.get(number="ZH-DEMO-F001")
    assert sorted(family.members.values_list("role", "student")) == [
        ("child", False),
        ("child", True),
        ("holder", False),
        ("spouse", False),
    ]
    assert family.covers.filter(product_code="extra-care").count() == 1
    assert Contract.objects.get(number="BD-DEMO-I001").covers.get().product_code == "best-doctors"
    assert set(Contract.objects.values_list("status", flat=True)) == {ContractStatus.IN_FORCE}
    assert InsuredPerson.objects.get(user__username="georgi").memberships.get().contract == group


def test_demo_contracts_have_premium_schedules_paid_up_to_today():
    """004 Чл.25 т.2–4: a single payment or instalments (at most twelve a year), each paid on its
    due date once that has come; the first before the start (Чл.25 т.3)."""
    _demo()
    today = timezone.localdate()
    maria = Contract.objects.get(number="ZH-DEMO-I001")
    (single,) = maria.instalments.all()
    assert (single.due, single.amount, single.paid_on) == (
        maria.start,
        Decimal("720.00"),
        maria.start - dt.timedelta(days=3),
    )
    family = Contract.objects.get(number="ZH-DEMO-F001")
    quarters = list(family.instalments.all())
    assert [(i.due.month, i.amount) for i in quarters] == [
        (1, Decimal("460.00")),
        (4, Decimal("460.00")),
        (7, Decimal("460.00")),
        (10, Decimal("460.00")),
    ]
    assert [i.paid_on for i in quarters[1:]] == [
        i.due if i.due <= today else None for i in quarters[1:]
    ]
    group = Contract.objects.get(number="ZH-DEMO-G001")
    # The schedule agreed at issue; an annex adds its own instalment (issue 11).
    months = list(group.instalments.filter(annex__isnull=True))
    assert (len(months), sum(i.amount for i in months)) == (12, Decimal("12600.00"))
    # The employer runs a month behind: what fell due in the last month is open.
    open_dues = [i.due for i in months if i.paid_on is None]
    assert open_dues == [i.due for i in months[1:] if add_months(i.due, 1) > today]
    elena = family.members.get(person__user__username="elena")
    assert elena.special_conditions.excluded_icd10 == ["K80"]


def test_demo_is_idempotent():
    _demo()
    before = _counts()
    # contracts: 4, the one sold online (demo/sales.py), billing's three (demo/billing.py) and
    # the Best Doctors contract with an unpaid premium (demo/bd_grounds.py)
    assert before[1] == 9
    second = _demo()
    assert _counts() == before
    assert "maria" in second


def test_demo_specialist_and_therapist_log_in_as_their_directory_profiles():
    from zdrave.member_services.specialists.models import Specialist

    call_command("specialists", "load", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())

    assert Specialist.objects.get(user__username="specialist").code == "dm-002"
    assert Specialist.objects.get(user__username="therapist").code == "dm-t01"
    assert Specialist.objects.filter(user__isnull=False).count() == 2


@pytest.mark.parametrize("username", ["specialist", "therapist"])
def test_demo_specialist_log_in_bears_the_name_of_its_directory_profile(username):
    from zdrave.member_services.specialists.models import Specialist

    call_command("specialists", "load", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())

    profile = Specialist.objects.get(user__username=username)
    assert profile.user.get_full_name() == profile.name_bg


def test_the_number_on_a_demo_card_finds_its_holder_at_the_front_desk(client):
    """The card sales issued (004 Чл.24 т.4) is read at a clinic's front desk: the portal wires
    the card number to the desk's look-up (interfaces/portal/cards.py)."""
    from zdrave.policy_admin.sales.models import Applicant

    _demo()
    card = Applicant.objects.exclude(card_number="").select_related("member__person").first()
    client.force_login(get_user_model().objects.get(username="clinic"))

    # The unknown card first: the desk lists its recent checks, with the names found.
    unknown = client.post(
        "/providers/front-desk/",
        {"egn": "", "card": "ZH-NO-SUCH-CARD", "service": "2.1.b", "day": timezone.localdate()},
    )
    response = client.post(
        "/providers/front-desk/",
        {"egn": "", "card": card.card_number, "service": "2.1.b", "day": timezone.localdate()},
    )

    assert card.member.person.full_name not in unknown.content.decode()
    assert card.member.person.full_name in response.content.decode()


def test_demo_complaints_include_one_about_a_treatment_abroad_case():
    """The complaints queue shows a complaint naming a case, due by the case's terms (001 т.79)."""
    from zdrave.member_rights.complaints.models import Complaint

    _demo()
    complaint = Complaint.objects.get(case__isnull=False)
    assert complaint.case.member.person.user.username == "petya"
    assert complaint.deadline_clause == "001 т.79"
