"""Demo group sale (issue 11), so the underwriter's pages have a group applied for online:

- "Демо Строй ООД" applied for ten employees from the first of next month; a group of ten needs
  a declaration from everyone (004 Чл.23 т.1; over 20 it would not, т.3); nine signed theirs
  with every answer "no" and were accepted by the engine; Велина Колева declared a chronic
  disease and waits in the underwriting queue (004 Чл.10); the group is listed at
  /sales/group/all/.

- "Демо Офис ЕООД", applied for by the demo employer (Ралица Тодорова) itself, so that its
  page /sales/group/mine/<reference>/ lists who has not filled in the declaration yet: eight of
  ten signed, Пламен Русев was reminded once (a new link, 004 Чл.23 т.1) and Соня Велева not yet.

Built through the same actions as the pages; idempotent (one form key).
"""

from __future__ import annotations

import datetime as dt

from zdrave.contracts.identifiers import make_egn
from zdrave.policy_admin.groupsales import actions
from zdrave.policy_admin.sales.models import Application

KEY = "demo-group-sale"
OFFICE_KEY = "demo-group-sale-office"
OFFICE_NAMES = [
    ("Пламен", "Русев"),
    ("Соня", "Велева"),
    ("Тихомир", "Антов"),
    ("Ула", "Бонева"),
    ("Филип", "Христов"),
    ("Цвета", "Чакърова"),
    ("Шишман", "Юруков"),
    ("Яна", "Ангелова"),
    ("Васил", "Динев"),
    ("Мила", "Кирова"),
]
EIK = "201000005"
NAMES = [
    ("Велина", "Колева"),
    ("Асен", "Стоянов"),
    ("Борис", "Тодоров"),
    ("Галя", "Маринова"),
    ("Димо", "Пеев"),
    ("Елена", "Русева"),
    ("Живко", "Генов"),
    ("Зорница", "Илиева"),
    ("Камен", "Лазаров"),
    ("Лора", "Николова"),
]
NO = dict.fromkeys(
    [
        "chronic_disease",
        "disability_50",
        "prior_registered_disease",
        "mental_illness",
        "epilepsy",
        "addiction",
        "stroke",
        "heart_attack",
        "heart_surgery",
        "severe_heart_or_lung_disease",
        "multiple_sclerosis",
        "oncology",
        "severe_liver_or_kidney_disease",
        "aids",
        "severe_autoimmune_disease",
        "severe_chronic_infection",
        "organ_transplant",
        "professional_athlete",
        "dangerous_sport",
    ],
    False,
)


def build_demo_group_sale(users, today: dt.date) -> None:
    if Application.objects.filter(form_key=KEY).exists():
        return
    start = dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    lines = ["ЕГН;Име;Фамилия;Роля;Пакети;Опция;Клауза;Е-поща"]
    for i, (first, last) in enumerate(NAMES):
        egn = make_egn(dt.date(1980 + i, 1 + i, 10 + i), 200 + i, female=first.endswith("а"))
        lines.append(f"{egn};{first};{last};служител;1, 2;basic;Б1;{first.lower()}@demo-stroy.bg")
    found = actions.read_group_census("demo.csv", ("\n".join(lines) + "\n").encode(), start=start)
    application = actions.apply_for_group(
        actor=None,
        employer_name="Демо Строй ООД",
        eik=EIK,
        contact_name="Стела Петкова",
        email="hr@demo-stroy.bg",
        start=start,
        instalments=4,
        rows=found.rows,
        form_key=KEY,
    )
    for link in application.group_sale.links.order_by("pk"):
        for person in link.persons.all():
            actions.sign_declaration(
                link,
                person,
                answers=dict(NO, chronic_disease=person.first_name == "Велина"),
                signed_by="self",
                signer_name=person.full_name,
                sign=True,
            )
    build_demo_office_group_sale(users, today)


def build_demo_office_group_sale(users, today: dt.date) -> None:
    """The demo employer's own group application with two declarations missing."""
    from zdrave.policy_admin.groupsales import reminders

    if Application.objects.filter(form_key=OFFICE_KEY).exists():
        return
    start = dt.date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    lines = ["ЕГН;Име;Фамилия;Роля;Пакети;Опция;Клауза;Е-поща"]
    for i, (first, last) in enumerate(OFFICE_NAMES):
        egn = make_egn(dt.date(1982 + i, 2 + i, 5 + i), 300 + i, female=first.endswith("а"))
        lines.append(f"{egn};{first};{last};служител;2, 3;basic;Б1;{first.lower()}@demo-ofis.bg")
    found = actions.read_group_census("demo.csv", ("\n".join(lines) + "\n").encode(), start=start)
    application = actions.apply_for_group(
        actor=users["employer"],
        employer_name="Демо Офис ЕООД",
        eik="201000012",
        contact_name="Ралица Тодорова",
        email="hr@demo-ofis.bg",
        start=start,
        instalments=1,
        rows=found.rows,
        form_key=OFFICE_KEY,
    )
    links = list(application.group_sale.links.order_by("pk"))
    for link in links[2:]:
        for person in link.persons.all():
            actions.sign_declaration(
                link,
                person,
                answers=NO,
                signed_by="self",
                signer_name=person.full_name,
                sign=True,
            )
    reminders.resend_link(links[0], actor=users["underwriter"], seen_reminders=0)
