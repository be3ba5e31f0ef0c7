"""``zdrave demo``: demo users of every role, an employer with a group contract, individual and
family contracts with covers, and the partner's team — then the log-ins as a table.

Idempotent: everything is looked up by its natural key (user name, ЕГН, ЕИК, contract number)
and created only when missing, all in one transaction. Passwords are set only when a user is
created, so a password changed in the demo stays changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
    ContractType,
    HolderKind,
    IdKind,
    InsuredPerson,
    MemberRole,
    PolicyHolder,
)
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
    DemoUser("medic", Role.MEDICAL_EXPERT, "Д-р Пламен", "Григоров"),
    DemoUser("coordinator", Role.SERVICE_COORDINATOR, "Весела", "Маринова"),
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
        except terms.UnknownTerms as exc:
            raise CommandError(f"product terms missing: {exc} (load the products first)") from exc
        self._print_logins(users)

    def _print_logins(self, users) -> None:
        rows = [("user name", "password", "role", "name")]
        for spec in USERS:
            user = users[spec.username]
            rows.append((spec.username, DEMO_PASSWORD, spec.role, user.get_full_name()))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        self.stdout.write("Demo log-ins (http://127.0.0.1:8000/accounts/login/):")
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


class Demo:
    def __init__(self, users, start: dt.date):
        self.users = users
        self.start = start
        self.end = dt.date(start.year, 12, 31)
        self.serial = 0

    def build(self) -> None:
        self.group_contract()
        self.individual_contract()
        self.family_contract()
        self.abroad_contract()

    # -- people -------------------------------------------------------------------------------

    def person(
        self, first: str, last: str, birth: dt.date, *, female: bool, user=None, serial: int
    ) -> InsuredPerson:
        number = make_egn(birth, serial, female=female)
        found = InsuredPerson.objects.filter(id_kind=IdKind.EGN, id_number=number).first()
        if found is not None:
            return found
        return actions.register_person(
            actor=None,
            first_name=first,
            last_name=last,
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

    # -- contracts ----------------------------------------------------------------------------

    def group_contract(self) -> None:
        eik = COMPANY_EIK_BODY + vat.calc_check_digit_legal(COMPANY_EIK_BODY)
        holder = PolicyHolder.objects.filter(kind=HolderKind.COMPANY, identifier=eik).first()
        holder = holder or actions.create_holder(
            actor=None,
            kind=HolderKind.COMPANY,
            name=COMPANY_NAME,
            identifier=eik,
            users=[self.users["employer"]],
        )
        contract = self.contract("ZH-DEMO-G001", ContractType.GROUP, holder, "health")
        if contract is None:
            return
        for i, (first, last, female) in enumerate(EMPLOYEES):
            birth = dt.date(1975 + i * 2, 1 + i % 12, 3 + i)
            user = self.users["georgi"] if i == 0 else None
            person = self.person(first, last, birth, female=female, user=user, serial=100 + i)
            actions.add_member(contract, person, MemberRole.EMPLOYEE, actor=None)
        # 002: the employer buys the same packages for everyone on the list.
        actions.add_cover(
            contract, actor=None, product_code="health", package=2, option="basic", clause="Б1"
        )
        actions.add_cover(
            contract, actor=None, product_code="health", package=3, option="basic", clause="Б1"
        )
        actions.put_in_force(contract, actor=None)

    def individual_contract(self) -> None:
        maria = self.person(
            "Мария",
            "Петрова",
            dt.date(1988, 6, 14),
            female=True,
            user=self.users["maria"],
            serial=11,
        )
        contract = self.contract(
            "ZH-DEMO-I001",
            ContractType.INDIVIDUAL,
            self.person_holder(maria, self.users["maria"]),
            "health",
        )
        if contract is None:
            return
        member = actions.add_member(contract, maria, MemberRole.HOLDER, actor=None)
        actions.add_cover(
            contract,
            actor=None,
            member=member,
            product_code="health",
            package=2,
            option="full",
            clause="Б2",
        )
        actions.add_cover(
            contract,
            actor=None,
            member=member,
            product_code="health",
            package=5,
            option="full",
            clause="Б1",
        )
        actions.add_cover(contract, actor=None, member=member, product_code="extra-care")
        actions.put_in_force(contract, actor=None)

    def family_contract(self) -> None:
        ivan = self.person(
            "Иван",
            "Димитров",
            dt.date(1982, 2, 20),
            female=False,
            user=self.users["ivan"],
            serial=21,
        )
        elena = self.person(
            "Елена",
            "Димитрова",
            dt.date(1984, 9, 5),
            female=True,
            user=self.users["elena"],
            serial=22,
        )
        child = self.person("Ния", "Димитрова", dt.date(2016, 4, 12), female=True, serial=23)
        student = self.person(
            "Александър", "Димитров", dt.date(self.start.year - 21, 7, 1), female=False, serial=24
        )
        contract = self.contract(
            "ZH-DEMO-F001",
            ContractType.FAMILY,
            self.person_holder(ivan, self.users["ivan"]),
            "health",
        )
        if contract is None:
            return
        actions.add_member(contract, ivan, MemberRole.HOLDER, actor=None)
        actions.add_member(contract, elena, MemberRole.SPOUSE, actor=None)
        actions.add_member(contract, child, MemberRole.CHILD, actor=None)
        # 004 Чл.24 т.2: an adult child in education stays on the family contract up to 26.
        actions.add_member(contract, student, MemberRole.CHILD, actor=None, student=True)
        actions.add_cover(
            contract, actor=None, product_code="health", package=2, option="luxury", clause="Б2"
        )
        actions.add_cover(
            contract, actor=None, product_code="health", package=3, option="full", clause="Б2"
        )
        actions.add_cover(contract, actor=None, product_code="extra-care")
        actions.put_in_force(contract, actor=None)

    def abroad_contract(self) -> None:
        petya = self.person(
            "Петя",
            "Василева",
            dt.date(1979, 11, 30),
            female=True,
            user=self.users["petya"],
            serial=31,
        )
        contract = self.contract(
            "BD-DEMO-I001",
            ContractType.INDIVIDUAL,
            self.person_holder(petya, self.users["petya"]),
            "best-doctors",
        )
        if contract is None:
            return
        actions.add_member(contract, petya, MemberRole.HOLDER, actor=None)
        actions.add_cover(contract, actor=None, product_code="best-doctors")
        actions.put_in_force(contract, actor=None)
