"""Every URL of the platform (from the URL resolver, the JSON API and the admin included), as
every role, with real ids, other people's ids, wrong ids and huge numbers, and hostile query
strings and form data (dates in year 1 and 9999, huge and negative numbers, 10 000-character
strings): no response is a server error, and no page shows another person's name or ЕГН."""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from security.conftest import module_database
from zdrave.base.identity.models import Role
from zdrave.claims.models import Claim
from zdrave.contracts.models import Contract, InsuredPerson
from zdrave.member_services.consultations import actions as consultation_actions
from zdrave.member_services.consultations.fetch import extra_care_cover as consultation_cover
from zdrave.member_services.second_opinion import actions as opinion_actions
from zdrave.member_services.second_opinion.fetch import extra_care_cover as opinion_cover
from zdrave.member_services.specialists.models import Specialist

# The database fixture below is module-wide; each test's own transaction (this mark) rolls
# back what its hostile POSTs changed, so every role walks the same data.
pytestmark = pytest.mark.django_db

HUGE = 10**30
WRONG = 999_999_999
LONG = "ж" * 10_000
HOSTILE_QUERIES = [
    {
        "week": "9999-12-31",
        "version": "0001-01-01",
        "page": "-1",
        "p": str(HUGE),
        "limit": str(HUGE),
        "q": LONG,
        "status": LONG[:300],
        "o": "-99",
        "lang": "xx",
        "kind": "x",
        "sent": "1",
        "next": "//evil.example/",
    },
    {
        "week": "0001-01-01",
        "version": "9999-12-31",
        "page": str(HUGE),
        "p": "-5",
        "limit": "-5",
        "q": "%' OR 1=1 --",
        "status": "a\x00b",
        "e": "1",
    },
]
HOSTILE_FORMS = [
    {
        **{f"preferred_{i}": "9999-12-31T23:59" for i in (1, 2, 3)},
        **{f"slot_{i}": "9999-12-31T23:00" for i in range(1, 6)},
        "birth_date": "0001-01-01",
        "product_version": "9999-12-31",
        "email": "a@" + "b" * 300 + ".bg",
        "theme": LONG,
        "note": LONG,
        "body": LONG,
        "documents_description": LONG,
        "question": LONG,
        "channel": "video",
        "phone": "+359" + "9" * 40,
        "slot": str(HUGE),
        "specialist": str(HUGE),
        "age": str(HUGE),
        "package": str(HUGE),
        "send": [str(HUGE), "-1"],
        "sex": "female",
        "first_name": LONG,
        "last_name": "Х",
        "id_kind": "passport",
        "id_number": "X1234567",
        "language": LONG,
        "accept": "on",
        "version": str(HUGE),
        "username": LONG,
        "password": LONG,
        "next": "//evil.example/",
    },
    {
        **{f"preferred_{i}": "0001-01-01T00:00" for i in (1, 2, 3)},
        **{f"slot_{i}": "0001-01-01T00:00" for i in range(1, 6)},
        "birth_date": "9999-12-31",
        "product_version": "0001-01-01",
        "slot": "-1",
        "specialist": "-1",
        "age": "-1",
        "package": "-1",
        "step": "-1",
        "report_language": "zz",
        "images_delivery": "zz",
        "images_link": "javascript:alert(1)",
        "question_language": "zz",
        "kind": "zz",
        "old_password": "x",
        "new_password1": "x",
        "new_password2": "y",
    },
]
# Staff with the health-data or administration roles see people by name and ЕГН on purpose
# (accounts.permissions); the others must never see someone they have no business with.
ROLES = [
    "anonymous",
    "member",
    "other_member",
    "employer",
    "underwriter",
    "claims_adjuster",
    "medical_expert",
    "service_coordinator",
    "administrator",
    "superuser",
    "partner",
    "specialist",
    "therapist",
]
USERNAMES = {
    "member": "maria",
    "other_member": "ivan",
    "employer": "employer",
    "underwriter": "underwriter",
    "claims_adjuster": "adjuster",
    "medical_expert": "medic",
    "service_coordinator": "coordinator",
    "administrator": "administrator-only",
    "superuser": "admin",
    "partner": "partner",
    "specialist": "specialist",
    "therapist": "therapist",
}
# Every admin screen (some 140 routes) is walked as the superuser, who sees them all, and as
# the coordinator, a staff role without health data; for the other roles the admin is one
# gate (admin.site.has_permission), checked at its index.
ADMIN_WALKERS = {"superuser", "service_coordinator"}
# Routes a hostile POST would only sign the walker out of its role.
NO_POST = {"identity:logout"}
# Routes whose POST may end or replace the session: the walker signs in again after them.
SESSION_CHANGING = {
    "identity:login",
    "identity:password_change",
    "identity:language",
    "second_opinion:sign_in",
    "second_opinion:set_password",
    "set_language",
}


@dataclass
class World:
    ids: dict[str, list] = field(default_factory=dict)
    forbidden: dict[str, list[str]] = field(default_factory=dict)


def _person(first: str, last: str) -> InsuredPerson:
    return InsuredPerson.objects.get(first_name=first, last_name=last)


def _identity(person: InsuredPerson) -> list[str]:
    return [f"{person.first_name} {person.last_name}", person.id_number]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    from django.test import override_settings

    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        module_database(django_db_blocker),
    ):
        devnull = open(os.devnull, "w")  # noqa: SIM115
        call_command("specialists", "load", stdout=devnull)
        call_command("demo", stdout=devnull)
        users = get_user_model().objects
        users.create_user(
            "administrator-only", password="x", role=Role.ADMINISTRATOR, is_staff=True
        )
        maria, ivan = users.get(username="maria"), users.get(username="ivan")
        partner = users.get(username="partner")
        specialist = Specialist.objects.get(user__username="specialist")
        therapist = Specialist.objects.get(user__username="therapist")
        cases, consultations = [], []
        for member in (maria, ivan):
            cases.append(
                opinion_actions.request_opinion(
                    actor=member,
                    cover=opinion_cover(member),
                    specialist=specialist,
                    email=member.email,
                    documents_description="Епикриза",
                )
            )
            consultation = consultation_actions.book_consultation(
                actor=member,
                cover=consultation_cover(member),
                therapist=therapist,
                email=member.email,
                theme="Тревожност",
                channel="video",
                preferred_times=[_days_ahead(3)],
            )
            consultation_actions.propose_dates(consultation, actor=partner, starts=[_days_ahead(2)])
            consultation_actions.choose_slot(
                consultation, actor=member, slot_id=consultation.current_slots().get().pk
            )
            consultations.append(consultation)
        opinion_actions.forward_request(cases[0], actor=partner, specialist=specialist)
        maria_p, ivan_p = _person("Мария", "Петрова"), _person("Иван", "Димитров")
        georgi_p = _person("Георги", "Николов")
        contracts = [c.number for c in Contract.objects.order_by("number")]
        claims = list(Claim.objects.order_by("number").values_list("number", flat=True))
        member_ids = [maria.pk, ivan.pk]
        people = [maria_p, ivan_p, georgi_p]
        world = World(
            ids={
                "second_opinion:pk": [c.pk for c in cases] + [specialist.pk, therapist.pk],
                "consultations:pk": [c.pk for c in consultations],
                "specialist_id": [therapist.pk, specialist.pk],
                "member_id": member_ids,
                "step": [1, 4, 5],
                "number": [*contracts, "a\x00b"],
                "claims:number": [*claims, "CL-2026-999999", "a\x00b"],
                "claims:kind": ["outpatient", "best_doctors", "x" * 300],
                "treatment_abroad:action": ["close", "x" * 300],
                "code": ["health", "extra-care", "x" * 300],
                "api:code": ["health", "a\x00b"],
                "effective_from": ["2022-11-01", "9999-12-31", "0001-01-01"],
                "token": ["x" * 64, LONG[:2000]],
                "object_id": [str(maria_p.pk), str(HUGE), "x" * 500],
                "app_label": ["policies", "opinions"],
                "uuid": ["00000000-0000-0000-0000-000000000000"],
                "int": [maria_p.pk, ivan.pk],
                "str": ["x", LONG[:2000]],
            },
            forbidden={
                "anonymous": [s for p in people for s in _identity(p)],
                "member": _identity(ivan_p) + _identity(georgi_p),
                "other_member": _identity(maria_p) + _identity(georgi_p),
                "employer": _identity(maria_p) + _identity(ivan_p),
                "partner": [p.id_number for p in people],
                "specialist": [p.id_number for p in people],
                "therapist": [p.id_number for p in people],
            },
        )
        yield world


def _days_ahead(days: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())


# -- the URL resolver ------------------------------------------------------------------------

PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def _route_text(pattern) -> str:
    text = str(pattern.pattern)
    if hasattr(pattern.pattern, "regex") and not hasattr(pattern.pattern, "_route"):
        text = REGEX_GROUP.sub(lambda m: f"<str:{m['name']}>", text)
        text = text.removeprefix("^").removesuffix("$").replace("\\", "")
    return text


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        route = prefix + _route_text(pattern)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _walk(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield route, namespace, name or ""


def all_routes() -> list[tuple[str, str, str]]:
    return sorted(set(_walk(get_resolver().url_patterns)))


def _values(world: World, namespace: str, converter: str, name: str) -> list:
    if converter == "int":
        real = world.ids.get(f"{namespace}:{name}") or world.ids.get(name) or world.ids["int"]
        return list(dict.fromkeys([*real, WRONG, HUGE]))
    if converter == "uuid":
        return world.ids["uuid"]
    return world.ids.get(f"{namespace}:{name}") or world.ids.get(name) or world.ids["str"]


def urls_for(world: World, route: str, namespace: str) -> list[str]:
    params = list(PARAM.finditer(route))
    if not params:
        return ["/" + route]
    choices = [_values(world, namespace, p["converter"] or "str", p["name"]) for p in params]
    longest = max(len(c) for c in choices)
    urls = []
    for i in range(longest):
        url = route
        for param, values in zip(params, choices, strict=True):
            url = url.replace(param.group(0), str(values[min(i, len(values) - 1)]), 1)
        urls.append("/" + url)
    return urls


# -- the walk --------------------------------------------------------------------------------


def _client(role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(username=USERNAMES[role]))
    return client


def _check(response, method: str, url: str, forbidden: list[str], problems: list[str]) -> None:
    where = f"{method} {url[:120]} → {response.status_code}"
    if response.status_code >= 500:
        problems.append(f"server error: {where}")
        return
    if not forbidden or response.streaming:
        return
    body = response.content.decode("utf-8", errors="replace")
    problems.extend(f"shows {secret!r}: {where}" for secret in forbidden if secret in body)


@pytest.mark.parametrize("role", ROLES)
def test_no_url_fails_or_shows_another_persons_data(world, role):
    client = _client(role)
    forbidden = world.forbidden.get(role, [])
    problems: list[str] = []
    statuses: Counter[int] = Counter()
    for route, namespace, name in all_routes():
        if route.startswith("admin/") and role not in ADMIN_WALKERS and route != "admin/":
            continue
        for method, url, data in _requests(world, route, namespace, name):
            response = client.get(url, data) if method == "GET" else client.post(url, data)
            statuses[response.status_code] += 1
            _check(response, method, url, forbidden, problems)
            if method == "POST" and name in SESSION_CHANGING and role != "anonymous":
                client = _client(role)
    assert problems == []
    # The walk reached pages, not only log-in redirects.
    assert statuses[200] > (5 if role == "anonymous" else 30), statuses


def _requests(world: World, route: str, namespace: str, name: str):
    """(method, url, data) for one route: the first id plain and hostile, every other id (the
    other person's, a wrong one, a huge one) with a hostile query string, and hostile form
    data POSTed to the first id, the other person's and the huge one. The admin gets GETs only
    (its forms would change the shared data)."""
    urls = urls_for(world, route, namespace)
    if route.startswith("admin/"):
        yield "GET", urls[0], HOSTILE_QUERIES[0]
        return
    yield "GET", urls[0], {}
    for n, url in enumerate(urls):
        yield "GET", url, HOSTILE_QUERIES[n % 2]
    if route.startswith("admin/") or name in NO_POST:
        return
    for n, url in enumerate(dict.fromkeys([urls[0], urls[min(1, len(urls) - 1)], urls[-1]])):
        yield "POST", url, HOSTILE_FORMS[n % 2]


def test_the_walk_reaches_every_part_of_the_platform():
    prefixes = {route.split("/")[0] for route, _, _ in all_routes()}
    assert {
        "admin",
        "api",
        "accounts",
        "products",
        "policies",
        "outbox",
        "documents",
        "extra-care",
        "i18n",
    } <= prefixes


@pytest.mark.parametrize(
    "url",
    ["/api/v1/products/a%00b", "/policies/a%00b/", "/outbox/?status=a%00b", "/products/?q=%00"],
)
def test_a_nul_character_in_the_address_is_a_bad_request(client, url):
    """PostgreSQL refuses text with NUL (DataError): a URL carrying one was a server error."""
    response = client.get(url)
    assert response.status_code == 400


def test_a_log_in_with_a_10000_character_user_name_is_refused_not_a_server_error(db):
    client = Client(raise_request_exception=False)
    response = client.post("/accounts/login/", {"username": LONG, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors


# -- what held in the issue-8 probe, kept with tests ----------------------------------------

XSS = '<script>alert("zdrave")</script>'


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models()}


# JSON endpoints a provider's system calls with its API key (no session, so no CSRF token).
API_KEY_PATHS = ("/api/v1/provider-claims/", "/fhir/R4/")


@pytest.mark.parametrize("role", ["member", "service_coordinator", "partner", "superuser"])
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(world, role):
    """Every state change is a POST behind Django's CSRF check: without the token the answer is
    403 (405 where the route takes no POST, 400 for an address no page can mean) and not one row
    is added or removed."""
    client = _client(role)
    client.handler.enforce_csrf_checks = True
    before = _row_counts()
    answered: Counter[int] = Counter()
    for route, namespace, name in all_routes():
        if route.startswith("admin/") or name in NO_POST:
            continue
        for url in urls_for(world, route, namespace)[:2]:
            response = client.post(url, HOSTILE_FORMS[0])
            answered[response.status_code] += 1
            # An endpoint signed by a provider's API key, not the session, answers 401 without it
            # (FHIR: 404 for an address that names no resource type).
            keyed = url.startswith(API_KEY_PATHS)
            refused = (400, 401, 403, 404, 405) if keyed else (400, 403, 405)
            assert response.status_code in refused, f"POST {url} → {response.status_code}"
    assert answered[403] > 30, answered
    assert _row_counts() == before


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/accounts/login/?next=//evil.example/", {"username": "maria", "password": "x"}),
        ("/accounts/login/?next=https://evil.example/", {"username": "maria", "password": "x"}),
        ("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"}),
    ],
    ids=["login-scheme-relative", "login-absolute", "set-language"],
)
def test_no_redirect_leaves_the_site(world, url, data):
    user = get_user_model().objects.get(username="maria")
    user.set_password("x")
    user.save()
    response = Client().post(url, data)
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize("role", ["member", "service_coordinator", "medical_expert", "superuser"])
def test_a_name_with_a_script_is_shown_as_text_everywhere(world, role):
    """A member's name (typed by staff or by the member) holding HTML is escaped on every page,
    the admin included: no page carries it as markup."""
    InsuredPerson.objects.filter(first_name="Мария", last_name="Петрова").update(first_name=XSS)
    client = _client(role)
    shown = 0
    for route, namespace, _name in all_routes():
        if route.startswith("admin/") and role != "superuser":
            continue
        for url in urls_for(world, route, namespace)[:1]:
            response = client.get(url)
            if response.streaming or response.status_code != 200:
                continue
            body = response.content.decode("utf-8", errors="replace")
            assert XSS not in body, url
            shown += "&lt;script&gt;alert(" in body
    if role in ("member", "superuser"):
        assert shown > 0  # the name was on some page, escaped


def test_signing_in_gives_a_new_session(world):
    client = Client()
    session = client.session
    session["before"] = "sign-in"
    session.save()
    before = session.session_key
    client.cookies["sessionid"] = before
    user = get_user_model().objects.get(username="maria")
    user.set_password("x")
    user.save()
    assert (
        client.post("/accounts/login/", {"username": "maria", "password": "x"}).status_code == 302
    )
    assert client.cookies["sessionid"].value != before
