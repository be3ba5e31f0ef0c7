"""``zdrave demo``: demo users of every role, an employer with a group contract, individual and
family contracts with covers and premium schedules, and the partner's team — then the log-ins as
a table.

Premiums (illustrative amounts; the seeds give no tariff): Maria and Petya paid theirs in one
payment before the start; the family pays quarterly, each instalment on its due date, so until
the year is paid up a family claim waits for the rest (004 Чл.25 т.6); the employer pays monthly
and runs a month behind, so the instalments due in the last month are open and, once one is more
than 15 days late, group claims carry the insurer's right to terminate (Чл.25 т.5). Elena agreed
special conditions: gallstones (K80) are excluded for her (004 Чл.10, Чл.21(2)).

Idempotent: everything is looked up by its natural key (user name, ЕГН, ЕИК, contract number)
and created only when missing, all in one transaction. Passwords are set only when a user is
created, so a password changed in the demo stays changed.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.bg import vat

from zdrave.base.identity.models import Role
from zdrave.contracts import actions
from zdrave.contracts.identifiers import make_egn
from zdrave.contracts.models import (
    Contract,
    ContractMember,
    ContractType,
    HolderKind,
    IdKind,
    InsuredPerson,
    MemberRole,
    PolicyHolder,
)
from zdrave.engine.calendar import add_months
from zdrave.interfaces.demo.bd_grounds import build_demo_bd_grounds
from zdrave.interfaces.demo.billing import build_demo_billing
from zdrave.interfaces.demo.claims import build_demo_claims
from zdrave.interfaces.demo.complaints import build_demo_complaints
from zdrave.interfaces.demo.family_referral import build_demo_family_referrals
from zdrave.interfaces.demo.groups import build_demo_groups
from zdrave.interfaces.demo.groupsale import build_demo_group_sale
from zdrave.interfaces.demo.preauth import build_demo_preauth
from zdrave.interfaces.demo.privacy import build_demo_privacy
from zdrave.interfaces.demo.providers import build_demo_providers
from zdrave.interfaces.demo.renewal import build_demo_renewal
from zdrave.interfaces.demo.sales import build_demo_sales
from zdrave.interfaces.demo.settlement import build_demo_settlement
from zdrave.interfaces.demo.treatment_abroad import build_demo_treatment_abroad
from zdrave.member_services.specialists.actions import link_profile_to_user
from zdrave.products import terms

DEMO_PASSWORD = "demo12345"  # noqa: S105 - demo data, printed on purpose
PARTNER_CODE = "diagnose-me"
STAFF_GROUP = "Insurer staff"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    first_name: str
    last_name: str
    partner_code: str = ""
    language: str = "bg"


USERS = [
    DemoUser("admin", Role.ADMINISTRATOR, "Админ", "Системен"),
    DemoUser("underwriter", Role.UNDERWRITER, "Стефан", "Андреев"),
    DemoUser("adjuster", Role.CLAIMS_ADJUSTER, "Надежда", "Колева"),
    # The second pair of eyes: approves what "adjuster" overrides (claims four-eyes rule).
    DemoUser("adjuster2", Role.CLAIMS_ADJUSTER, "Борислав", "Христов"),
    DemoUser("medic", Role.MEDICAL_EXPERT, "Д-р Пламен", "Григоров"),
    DemoUser("coordinator", Role.SERVICE_COORDINATOR, "Весела", "Маринова"),
    DemoUser("billing", Role.BILLING, "Цветелина", "Пенева"),
    DemoUser("casemanager", Role.CASE_MANAGER, "Мартин", "Лазаров"),
    DemoUser("complaints", Role.COMPLAINTS_OFFICER, "Силвия", "Иванова"),
    DemoUser("dpo", Role.DATA_PROTECTION_OFFICER, "Кирил", "Петков"),
    DemoUser("clinic", Role.PROVIDER, "Десислава", "Радева"),
    DemoUser("employer", Role.EMPLOYER, "Ралица", "Тодорова"),
    DemoUser("maria", Role.MEMBER, "Мария", "Петрова"),
    DemoUser("ivan", Role.MEMBER, "Иван", "Димитров"),
    DemoUser("elena", Role.MEMBER, "Елена", "Димитрова"),
    DemoUser("georgi", Role.MEMBER, "Георги", "Николов"),
    DemoUser("petya", Role.MEMBER, "Петя", "Василева", language="en"),
    DemoUser("partner", Role.PARTNER, "Анна", "Партньорова", PARTNER_CODE),
    # The specialist and the therapist are directory profiles (DIRECTORY_PROFILES below) and
    # carry their names, so the team sees the same person on the case and in the directory.
    DemoUser("specialist", Role.SPECIALIST, "Томас", "Келер", PARTNER_CODE),
    DemoUser("therapist", Role.SPECIALIST, "Йоана", "Стефанова", PARTNER_CODE),
]
STAFF_ROLES_WITH_ADMIN = {
    Role.UNDERWRITER,
    Role.CLAIMS_ADJUSTER,
    Role.MEDICAL_EXPERT,
    Role.SERVICE_COORDINATOR,
}

EMPLOYEES = [
    ("Георги", "Николов", False),
    ("Калина", "Йорданова", True),
    ("Борис", "Стефанов", False),
    ("Виктория", "Илиева", True),
    ("Данаил", "Христов", False),
    ("Емилия", "Ангелова", True),
    ("Живко", "Попов", False),
    ("Зорница", "Михайлова", True),
    ("Камен", "Атанасов", False),
    ("Лилия", "Георгиева", True),
    ("Мартин", "Костов", False),
    ("Нели", "Павлова", True),
]
COMPANY_NAME = "Акме Софтуер ЕООД"
COMPANY_EIK_BODY = "20312345"


class Command(BaseCommand):
    help = "Create demo users, contracts and covers (idempotent) and print the log-ins."

    def handle(self, *args, **options):
        today = timezone.localdate()
        start = dt.date(today.year, 1, 1)
        try:
            with transaction.atomic():
                users = {u.username: _ensure_user(u) for u in USERS}
                _grant_staff_view(users)
                Demo(users, start).build()
                _link_directory_profiles(users)
                build_demo_claims(users, today)
                build_demo_billing(users, today)
                build_demo_bd_grounds(users, today)
                build_demo_complaints(users, today)
                build_demo_providers(users, today)
                build_demo_settlement(users, today)
                build_demo_sales(users, today)
                build_demo_treatment_abroad(users, today)
                build_demo_privacy(users)
                build_demo_groups(users, today)
                build_demo_preauth(users, today)
                build_demo_group_sale(users, today)
                build_demo_renewal(users, today)
                build_demo_family_referrals(users, today)
        except terms.UnknownTerms as exc:
            raise CommandError(f"product terms missing: {exc} (load the products first)") from exc
        self._print_logins(users)

    def _print_logins(self, users) -> None:
        rows = [("user name", "password", "role", "name")]
        for spec in USERS:
            user = users[spec.username]
            rows.append((spec.username, DEMO_PASSWORD, spec.role, user.get_full_name()))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        # scripts/run.sh names the address it serves on (--port / --bind).
        site = os.environ.get("ZDRAVE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
        self.stdout.write(f"Demo log-ins ({site}/accounts/login/):")
        for i, row in enumerate(rows):
            self.stdout.write(
                (
                    "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
                ).rstrip()
            )
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))


def _ensure_user(spec: DemoUser):
    user_model = get_user_model()
    user = user_model.objects.filter(username=spec.username).first()
    if user is not None:
        return user
    user = user_model(
        username=spec.username,
        role=spec.role,
        first_name=spec.first_name,
        last_name=spec.last_name,
        partner_code=spec.partner_code,
        language=spec.language,
        email=f"{spec.username}@demo.zdrave.example",
        is_staff=spec.role in STAFF_ROLES_WITH_ADMIN or spec.role == Role.ADMINISTRATOR,
        is_superuser=spec.role == Role.ADMINISTRATOR,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


# The demo specialist and therapist log in as these directory profiles (loaded by
# `zdrave specialists load`, which the run command calls first): a cardiologist and a
# clinical psychologist of the partner team.
DIRECTORY_PROFILES = {"specialist": "dm-002", "therapist": "dm-t01"}


def _link_directory_profiles(users) -> None:
    for username, code in DIRECTORY_PROFILES.items():
        link_profile_to_user(code, users[username], actor=None, partner_code=PARTNER_CODE)


def _grant_staff_view(users) -> None:
    """Insurer staff may look at contracts and the catalog in the back office, not change them."""
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["contracts", "products"], codename__startswith="view_"
        )
    )
    for user in users.values():
        if user.role in STAFF_ROLES_WITH_ADMIN:
            user.groups.add(group)


@dataclass(frozen=True)
class DemoPerson:
    first: str
    last: str
    birth: dt.date
    female: bool
    serial: int  # for the demo ЕГН
    user: str = ""  # the demo user name of the person, if they log in


@dataclass(frozen=True)
class DemoMember:
    person: DemoPerson
    role: str
    student: bool = False


@dataclass(frozen=True)
class DemoCover:
    product: str
    package: int | None = None
    option: str = ""
    clause: str = ""
    holder_only: bool = False  # the first member's own cover, else the whole contract's


@dataclass(frozen=True)
class DemoPremium:
    """A year's premium in ``instalments`` equal parts (004 Чл.25 т.2: at most twelve), paid
    ``months_late`` after each due date (the first always before the start)."""

    yearly: Decimal
    instalments: int = 1
    months_late: int = 0


@dataclass(frozen=True)
class DemoSpecial:
    """Special conditions agreed for one member (004 Чл.10): the index of the member on the
    contract and the ICD-10 codes excluded for them."""

    member: int
    excluded_icd10: tuple[str, ...]


@dataclass(frozen=True)
class DemoContract:
    number: str
    type: str
    product: str
    members: tuple[DemoMember, ...]
    covers: tuple[DemoCover, ...]
    premium: DemoPremium
    company: bool = False  # held by the demo employer, else by the first member
    special: tuple[DemoSpecial, ...] = ()


MARIA = DemoPerson("Мария", "Петрова", dt.date(1988, 6, 14), True, 11, "maria")
IVAN = DemoPerson("Иван", "Димитров", dt.date(1982, 2, 20), False, 21, "ivan")
ELENA = DemoPerson("Елена", "Димитрова", dt.date(1984, 9, 5), True, 22, "elena")
NIA = DemoPerson("Ния", "Димитрова", dt.date(2016, 4, 12), True, 23)
PETYA = DemoPerson("Петя", "Василева", dt.date(1979, 11, 30), True, 31, "petya")


def demo_contracts(start: dt.date) -> list[DemoContract]:
    """The demo contracts, running from ``start`` to the end of its year."""
    employees = tuple(
        DemoMember(
            DemoPerson(
                first,
                last,
                dt.date(1975 + i * 2, 1 + i % 12, 3 + i),
                female,
                100 + i,
                "georgi" if i == 0 else "",
            ),
            MemberRole.EMPLOYEE,
        )
        for i, (first, last, female) in enumerate(EMPLOYEES)
    )
    # 004 Чл.24 т.2: an adult child in education stays on the family contract up to 26.
    student = DemoPerson("Александър", "Димитров", dt.date(start.year - 21, 7, 1), False, 24)
    return [
        # 002: the employer buys the same packages for everyone on the list.
        DemoContract(
            "ZH-DEMO-G001",
            ContractType.GROUP,
            "health",
            employees,
            (DemoCover("health", 2, "basic", "Б1"), DemoCover("health", 3, "basic", "Б1")),
            DemoPremium(Decimal("12600.00"), 12, months_late=1),
            company=True,
        ),
        DemoContract(
            "ZH-DEMO-I001",
            ContractType.INDIVIDUAL,
            "health",
            (DemoMember(MARIA, MemberRole.HOLDER),),
            (
                DemoCover("health", 2, "full", "Б2", holder_only=True),
                DemoCover("health", 5, "full", "Б1", holder_only=True),
                DemoCover("extra-care", holder_only=True),
            ),
            DemoPremium(Decimal("720.00")),
        ),
        DemoContract(
            "ZH-DEMO-F001",
            ContractType.FAMILY,
            "health",
            (
                DemoMember(IVAN, MemberRole.HOLDER),
                DemoMember(ELENA, MemberRole.SPOUSE),
                DemoMember(NIA, MemberRole.CHILD),
                DemoMember(student, MemberRole.CHILD, student=True),
            ),
            (
                DemoCover("health", 2, "luxury", "Б2"),
                DemoCover("health", 3, "full", "Б2"),
                DemoCover("extra-care"),
            ),
            DemoPremium(Decimal("1840.00"), 4),
            special=(DemoSpecial(1, ("K80",)),),
        ),
        DemoContract(
            "BD-DEMO-I001",
            ContractType.INDIVIDUAL,
            "best-doctors",
            (DemoMember(PETYA, MemberRole.HOLDER),),
            (DemoCover("best-doctors"),),
            DemoPremium(Decimal("1200.00")),
        ),
    ]


class Demo:
    def __init__(self, users, start: dt.date):
        self.users = users
        self.start = start
        self.end = dt.date(start.year, 12, 31)

    def build(self) -> None:
        for spec in demo_contracts(self.start):
            self.build_contract(spec)

    def build_contract(self, spec: DemoContract) -> None:
        """People and holder first (looked up or created), then the contract with its members
        and covers, put in force; a contract that exists already is left as it is."""
        people = [self.person(member.person) for member in spec.members]
        if spec.company:
            holder = self.company_holder()
        else:
            holder = self.person_holder(people[0], self.users[spec.members[0].person.user])
        contract = self.contract(spec.number, spec.type, holder, spec.product)
        if contract is None:
            return
        members = [
            actions.add_member(contract, person, m.role, actor=None, student=m.student)
            for person, m in zip(people, spec.members, strict=True)
        ]
        for cover in spec.covers:
            actions.add_cover(
                contract,
                actor=None,
                product_code=cover.product,
                member=members[0] if cover.holder_only else None,
                package=cover.package,
                option=cover.option,
                clause=cover.clause,
            )
        self.premium(contract, spec.premium)
        for special in spec.special:
            self.special_conditions(members[special.member], special)
        actions.put_in_force(contract, actor=None)

    def premium(self, contract: Contract, premium: DemoPremium) -> None:
        """The schedule, the first instalment paid a few days before the start (004 Чл.25 т.3),
        each later one ``months_late`` after its due date if that day has come."""
        count = premium.instalments
        part = (premium.yearly / count).quantize(Decimal("0.01"))
        dues = [add_months(self.start, 12 * i // count) for i in range(count)]
        amounts = [part] * (count - 1) + [premium.yearly - part * (count - 1)]
        schedule = actions.schedule_premium(
            contract, list(zip(dues, amounts, strict=True)), by=None
        )
        today = timezone.localdate()
        for i, instalment in enumerate(schedule):
            paid_on = (
                self.start - dt.timedelta(days=3)
                if i == 0
                else add_months(instalment.due, premium.months_late)
            )
            if paid_on <= today:
                actions.record_premium_payment(instalment, paid_on, instalment.amount, by=None)

    def special_conditions(self, member: ContractMember, special: DemoSpecial) -> None:
        actions.set_special_conditions(
            member,
            agreed_on=self.start - dt.timedelta(days=10),
            excluded_icd10=special.excluded_icd10,
            by=None,
        )

    def person(self, spec: DemoPerson) -> InsuredPerson:
        number = make_egn(spec.birth, spec.serial, female=spec.female)
        found = InsuredPerson.objects.filter(id_kind=IdKind.EGN, id_number=number).first()
        if found is not None:
            return found
        user = self.users[spec.user] if spec.user else None
        return actions.register_person(
            actor=None,
            first_name=spec.first,
            last_name=spec.last,
            id_kind=IdKind.EGN,
            id_number=number,
            email=user.email if user else "",
            user=user,
        )

    def person_holder(self, person: InsuredPerson, user) -> PolicyHolder:
        found = PolicyHolder.objects.filter(
            kind=HolderKind.PERSON, identifier=person.id_number
        ).first()
        return found or actions.create_holder(
            actor=None,
            kind=HolderKind.PERSON,
            name=person.full_name,
            identifier=person.id_number,
            person=person,
            users=[user],
        )

    def company_holder(self) -> PolicyHolder:
        eik = COMPANY_EIK_BODY + vat.calc_check_digit_legal(COMPANY_EIK_BODY)
        found = PolicyHolder.objects.filter(kind=HolderKind.COMPANY, identifier=eik).first()
        return found or actions.create_holder(
            actor=None,
            kind=HolderKind.COMPANY,
            name=COMPANY_NAME,
            identifier=eik,
            users=[self.users["employer"]],
        )

    def contract(
        self, number: str, kind: str, holder: PolicyHolder, product: str
    ) -> Contract | None:
        """A new draft contract, or None when it already exists (then it is left as it is)."""
        if Contract.objects.filter(number=number).exists():
            return None
        return actions.create_contract(
            actor=None,
            number=number,
            type=kind,
            holder=holder,
            product_code=product,
            start=self.start,
            end=self.end,
        )
