"""Demo provider network (issue 12): a few medical institutions in Sofia, Plovdiv and Varna with
their specialties, locations, doctors and agreed prices (illustrative amounts in euro), and the
demo log-in ``clinic`` at the front desk of the Sofia medical centre.

Idempotent: an institution is looked up by its ЕИК and created only when missing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from stdnum.bg import vat

from zdrave.providers.network import actions
from zdrave.providers.network.models import Institution


@dataclass(frozen=True)
class DemoInstitution:
    name: str
    eik_body: str  # eight digits; the check digit is computed
    address: str
    city: str
    phone: str
    specialties: tuple[str, ...]
    packages: tuple[int, ...]
    # (service row of 002, price in EUR, needs pre-authorisation)
    prices: tuple[tuple[str, str, bool], ...] = ()
    locations: tuple[tuple[str, str, str], ...] = ()  # (name, address, city)
    doctors: tuple[tuple[str, str], ...] = ()  # (name, specialty)
    staff: tuple[str, ...] = ()  # demo user names at its front desk
    email: str = ""


INSTITUTIONS = (
    DemoInstitution(
        "МЦ „Здраве“ София",
        "13145678",
        "бул. „Витоша“ 120",
        "София",
        "+359 2 980 1234",
        ("general", "cardiology", "neurology", "imaging", "laboratory"),
        (1, 2),
        prices=(
            ("2.1.a", "40.00", False),
            ("2.1.b", "60.00", False),
            ("2.2.a", "30.00", False),
            ("2.6.a", "40.00", False),
            ("2.7.a", "12.00", False),
            ("2.7.c", "25.00", False),
            ("2.8.a", "45.00", False),
            ("2.8.c", "35.00", False),
            # Expensive diagnostics the insurer approves in advance (issue 12).
            ("2.8.d", "120.00", True),
            ("2.8.e", "180.00", True),
        ),
        locations=(("Филиал Люлин", "ж.к. „Люлин“ 5, бл. 512", "София"),),
        doctors=(
            ("Д-р Иван Стоянов", "cardiology"),
            ("Д-р Мила Георгиева", "neurology"),
            ("Д-р Петър Колев", "imaging"),
        ),
        staff=("clinic",),
        email="reception@zdrave-sofia.example",
    ),
    DemoInstitution(
        "ДКЦ „Тракия“ Пловдив",
        "11567890",
        "ул. „Капитан Райчо“ 45",
        "Пловдив",
        "+359 32 600 700",
        ("dermatology", "ent", "ophthalmology", "orthopaedics", "physiotherapy"),
        (2,),
        prices=(("2.1.a", "35.00", False), ("2.1.b", "55.00", False), ("2.8.a", "40.00", False)),
        doctors=(("Д-р Ана Димова", "dermatology"), ("Д-р Никола Тодоров", "orthopaedics")),
    ),
    DemoInstitution(
        "УМБАЛ „Морска“ Варна",
        "10312345",
        "бул. „Христо Смирненски“ 1",
        "Варна",
        "+359 52 302 851",
        ("hospital", "surgery", "cardiology", "gynaecology"),
        (2, 3),
        prices=(
            ("2.1.b", "70.00", False),
            ("3.1", "800.00", False),  # hospital care always needs approval (002 III)
            ("3.8.a", "450.00", False),
        ),
        locations=(("Клиника по кардиология", "ул. „Цар Освободител“ 100", "Варна"),),
        doctors=(("Проф. Георги Петров", "surgery"), ("Д-р Яна Маринова", "gynaecology")),
    ),
)


def build_demo_providers(users, today: dt.date) -> None:
    start = dt.date(today.year, 1, 1)
    for spec in INSTITUTIONS:
        eik = spec.eik_body + vat.calc_check_digit_legal(spec.eik_body)
        if Institution.objects.filter(eik=eik).exists():
            continue
        institution = actions.add_institution(
            actor=None,
            name=spec.name,
            eik=eik,
            address=spec.address,
            city=spec.city,
            phone=spec.phone,
            email=spec.email,
            specialties=list(spec.specialties),
            packages=list(spec.packages),
            agreement_from=start,
            agreement_to=None,
        )
        for service, price, preauth in spec.prices:
            actions.set_price(
                institution,
                actor=None,
                service=service,
                price=Decimal(price),
                needs_preauthorisation=preauth,
            )
        for name, address, city in spec.locations:
            actions.add_location(institution, actor=None, name=name, address=address, city=city)
        for name, specialty in spec.doctors:
            actions.add_doctor(institution, actor=None, name=name, specialty=specialty)
        for username in spec.staff:
            actions.link_provider_user(users[username], institution, actor=None)
