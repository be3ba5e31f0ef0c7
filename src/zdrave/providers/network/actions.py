"""Every write of the provider network: institutions joining and leaving (with the members told,
004 Чл.24 т.4), their locations, doctors and agreed prices, front-desk accounts and API keys,
and the log of each eligibility check. Each runs in one transaction with an audit row."""

from __future__ import annotations

import datetime as dt
import functools
import json
import secrets
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import AuditEvent, audit_values, record
from zdrave.base.identity.permissions import can_act_for_institution, has_role
from zdrave.base.identity.roles import Role
from zdrave.claims.catalogue import HEALTH
from zdrave.contracts.identifiers import check_egn, check_eik
from zdrave.products import terms as product_terms
from zdrave.providers.network.fetch import health_membership, person_by_card, person_by_egn
from zdrave.providers.network.front_desk import Answer, UnknownService, answer_for
from zdrave.providers.network.models import (
    AgreedPrice,
    ApiToken,
    ChangeKind,
    Doctor,
    EligibilityCheck,
    Institution,
    InstitutionStatus,
    Location,
    NetworkChange,
    ProviderUser,
    Specialty,
    token_digest,
)
from zdrave.providers.network.tasks import notify_members_later

TOKEN_PREFIX = "zdp_"  # noqa: S105 - a marker that names the kind of key, not a secret


# -- institutions ----------------------------------------------------------------------------------


def _clean_institution(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)
    try:
        cleaned["eik"] = check_eik(str(data.get("eik", "")))
    except ValidationError as exc:
        errors["eik"] = exc.messages
    for name, label in (
        ("name", _("Name")),
        ("address", _("Address")),
        ("city", _("City")),
        ("phone", _("Phone")),
    ):
        cleaned[name] = " ".join(str(data.get(name, "")).split())
        if not cleaned[name]:
            errors.setdefault(name, []).append(_("%(field)s: required.") % {"field": label})
    unknown = [s for s in data.get("specialties", ()) if s not in Specialty.values]
    if unknown:
        errors["specialties"] = [
            _("Specialties: unknown specialty %(code)s.") % {"code": ", ".join(unknown)}
        ]
    packages = sorted({int(p) for p in data.get("packages", ())})
    try:
        known = {
            p.number for p in product_terms.version_in_force(HEALTH, timezone.localdate()).packages
        }
    except product_terms.UnknownTerms:
        known = set()
    if not packages or any(p not in known for p in packages):
        errors["packages"] = [
            _("Packages: choose at least one package of the health product (002).")
        ]
    cleaned["products"] = [{"product": HEALTH, "packages": packages}]
    cleaned.pop("packages", None)
    start, end = data.get("agreement_from"), data.get("agreement_to")
    if start is None:
        errors["agreement_from"] = [_("Agreement from: required.")]
    elif end is not None and end < start:
        errors["agreement_to"] = [
            _("Agreement until: must not be before the agreement's first day.")
        ]
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def add_institution(*, actor, site_url: str = "", **data) -> Institution:
    """A new institution joins the network from ``agreement_from``; the insured people it can
    serve are told (004 Чл.24 т.4). ``data``: name, eik, address, city, phone, email,
    specialties, packages, agreement_from, agreement_to."""
    cleaned = _clean_institution(data)
    if Institution.objects.filter(eik=cleaned["eik"]).exists():
        raise ValidationError(
            {"eik": [_("Company number (ЕИК): an institution with this number is already listed.")]}
        )
    institution = Institution.objects.create(
        name=cleaned["name"],
        eik=cleaned["eik"],
        address=cleaned["address"],
        city=cleaned["city"],
        phone=cleaned["phone"],
        email=cleaned.get("email", ""),
        specialties=sorted(set(cleaned.get("specialties", ()))),
        products=cleaned["products"],
        agreement_from=cleaned["agreement_from"],
        agreement_to=cleaned.get("agreement_to"),
    )
    record(actor=actor, verb="add_institution", obj=institution, eik=institution.eik)
    _change(
        institution, ChangeKind.JOINED, institution.agreement_from, actor=actor, site_url=site_url
    )
    return institution


@transaction.atomic
def update_institution(institution: Institution, *, actor, **data) -> Institution:
    """Change the listed details; what members see changes with them. The ЕИК stays."""
    data["eik"] = institution.eik
    cleaned = _clean_institution(data)
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    before = {}
    for name in ("name", "address", "city", "phone", "email", "specialties", "products",
                 "agreement_from", "agreement_to"):  # fmt: skip
        value = cleaned.get(name, getattr(institution, name))
        if name == "specialties":
            value = sorted(set(value))
        if getattr(institution, name) != value:
            before[name] = getattr(institution, name)
            setattr(institution, name, value)
    if before:
        institution.save()
        record(actor=actor, verb="update_institution", obj=institution, previous=before)
    return institution


@transaction.atomic
def leave_network(
    institution: Institution, *, actor, effective: dt.date, site_url: str = ""
) -> NetworkChange:
    """The institution leaves the network at 00:00 of ``effective`` (its agreement's last day
    is the day before); the insured people it served are told (004 Чл.24 т.4)."""
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if institution.status == InstitutionStatus.LEFT:
        raise ValidationError(_("The institution has already left the network."))
    if effective <= institution.agreement_from:
        raise ValidationError(
            {"effective": [_("Leaves from: must be after the agreement's first day.")]}
        )
    institution.status = InstitutionStatus.LEFT
    institution.agreement_to = effective - dt.timedelta(days=1)
    institution.save(update_fields=["status", "agreement_to"])
    record(actor=actor, verb="leave_network", obj=institution, effective=effective)
    return _change(institution, ChangeKind.LEFT, effective, actor=actor, site_url=site_url)


def _change(
    institution: Institution, kind: str, effective: dt.date, *, actor, site_url: str
) -> NetworkChange:
    change = NetworkChange.objects.create(
        institution=institution,
        kind=kind,
        effective=effective,
        site_url=site_url[:200],
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    record(actor=actor, verb=f"network_{kind}", obj=change, institution=institution.pk)
    transaction.on_commit(partial(notify_members_later, change.pk))
    return change


@transaction.atomic
def add_location(institution: Institution, *, actor, name: str, address: str, city: str,
                 phone: str = "") -> Location:  # fmt: skip
    location = Location.objects.create(
        institution=institution,
        name=" ".join(name.split()),
        address=" ".join(address.split()),
        city=" ".join(city.split()),
        phone=phone.strip(),
    )
    record(actor=actor, verb="add_location", obj=location, institution=institution.pk)
    return location


@transaction.atomic
def add_doctor(institution: Institution, *, actor, name: str, specialty: str,
               location: Location | None = None) -> Doctor:  # fmt: skip
    if specialty not in Specialty.values:
        raise ValidationError({"specialty": [_("Specialty: choose one from the list.")]})
    if location is not None and location.institution_id != institution.pk:
        raise ValidationError({"location": [_("Location: not a location of this institution.")]})
    doctor = Doctor.objects.create(
        institution=institution, name=" ".join(name.split()), specialty=specialty, location=location
    )
    record(actor=actor, verb="add_doctor", obj=doctor, institution=institution.pk)
    return doctor


@transaction.atomic
def set_price(
    institution: Institution,
    *,
    actor,
    service: str,
    price: Decimal,
    needs_preauthorisation: bool = False,
    product_version: dt.date | None = None,
) -> AgreedPrice:
    """The agreed price of one service row (002) under the health product version in force
    today (or ``product_version``), created or changed."""
    try:
        version = (
            product_terms.terms(HEALTH, product_version)
            if product_version is not None
            else product_terms.version_in_force(HEALTH, timezone.localdate())
        )
    except product_terms.UnknownTerms:
        raise ValidationError(
            {"service": [_("Service: the health product is not loaded.")]}
        ) from None
    found = version.find_service(service)
    if found is None or found[1].heading:
        raise ValidationError(
            {"service": [_("Service: %(code)s is not a service row of 002.") % {"code": service}]}
        )
    if price is None or price <= 0:
        raise ValidationError({"price": [_("Agreed price: must be more than 0 EUR.")]})
    row, created = AgreedPrice.objects.update_or_create(
        institution=institution,
        product_code=HEALTH,
        product_version=version.effective_from,
        service=service,
        defaults={"price": price, "needs_preauthorisation": needs_preauthorisation},
    )
    record(
        actor=actor,
        verb="add_price" if created else "change_price",
        obj=row,
        service=service,
        price=str(price),
        needs_preauthorisation=needs_preauthorisation,
    )
    return row


# -- front-desk accounts -------------------------------------------------------------------------


@transaction.atomic
def link_provider_user(user, institution: Institution, *, actor) -> ProviderUser:
    """The account ``user`` (role provider) acts for ``institution`` from now on."""
    if not has_role(user, Role.PROVIDER):
        raise ValidationError(
            {"user": [_("Account: only a medical provider account can be linked.")]}
        )
    link, _created = ProviderUser.objects.update_or_create(
        user=user, defaults={"institution": institution}
    )
    record(actor=actor, verb="link_provider_user", obj=link, institution=institution.pk)
    return link


@transaction.atomic
def issue_token(*, actor) -> tuple[ApiToken, str]:
    """A new API key for the provider user ``actor``; the key itself is returned once."""
    if not (has_role(actor, Role.PROVIDER) and getattr(actor, "provider_link", None)):
        raise PermissionDenied
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, digest=token_digest(key), prefix=key[:8])
    record(actor=actor, verb="issue_api_token", obj=token)
    return token, key


@transaction.atomic
def revoke_token(token: ApiToken, *, actor) -> ApiToken:
    if token.user_id != actor.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=actor, verb="revoke_api_token", obj=token)
    return token


# -- the front desk ------------------------------------------------------------------------------


def check_eligibility(
    *,
    actor,
    institution: Institution,
    service: str,
    day: dt.date,
    egn: str = "",
    card: str = "",
    via_api: bool = False,
    ip_address: str = "",
    path: str = "",
) -> Answer:
    """Answer the front desk of ``institution`` about the person with ``egn`` (or the card
    ``card``) and ``service`` on ``day``, and log who asked about whom: one
    ``EligibilityCheck`` row and, when a person matched, an audit row of the view of their data
    (``record_view``'s fields), which the member reads in their access log.

    The reads need no transaction (one statement on PostgreSQL, ``fetch.health_membership``);
    the two log rows are written together (``_log_check``). The API's lean path
    (``network.lean``) does the same steps with its own one-statement read: ``desk_egn``,
    ``desk_answer``, ``log_values``, ``log_record``."""
    if not can_act_for_institution(actor, institution):
        raise PermissionDenied
    if egn:
        number = desk_egn(egn)
        member = health_membership(day, egn=number, institution=institution, service=service)
        person = member.person if member is not None else person_by_egn(number)
        looked_up_by = "egn"
    elif card:
        person = person_by_card(card)
        member = (
            health_membership(day, person=person, institution=institution, service=service)
            if person is not None
            else None
        )
        looked_up_by = "card"
    else:
        raise ValidationError({"egn": [_("Personal number (ЕГН): type it, or a card number.")]})
    answer = desk_answer(institution, service, day, person=person, member=member)
    _log_check(
        *log_values(
            answer,
            actor=actor,
            institution=institution,
            person=person,
            looked_up_by=looked_up_by,
            via_api=via_api,
            ip_address=ip_address,
            path=path,
        )
    )
    return answer


def desk_egn(egn: str) -> str:
    """The ЕГН as typed, checked (its date and check digit); a ``ValidationError`` on ``egn``."""
    try:
        return check_egn(egn.strip())
    except ValidationError as exc:
        raise ValidationError({"egn": exc.messages}) from None


def desk_answer(institution, service: str, day: dt.date, *, person, member) -> Answer:
    """``answer_for``, an unknown service a ``ValidationError`` on ``service``."""
    try:
        return answer_for(institution, service, day, person=person, member=member)
    except UnknownService:
        raise ValidationError(
            {"service": [_("Service: %(code)s is not a service row of 002.") % {"code": service}]}
        ) from None


def log_values(
    answer: Answer,
    *,
    actor,
    institution: Institution,
    person,
    looked_up_by: str,
    via_api: bool,
    ip_address: str,
    path: str,
) -> tuple[dict, dict | None]:
    """The fields of one check's log rows by name: the ``EligibilityCheck`` and, when a person
    matched, the audit row of the view of their data (``audit_values``)."""
    check = {
        "asked_by": actor,
        "institution": institution,
        "person": person,
        "looked_up_by": looked_up_by,
        "service": answer.service,
        "day": answer.day,
        "verdict": answer.verdict,
        "insurer_pays": answer.insurer_pays,
        "member_pays": answer.member_pays,
        "reasons": [{"code": r.code, "clause": r.clause} for r in answer.reasons],
        "via_api": via_api,
    }
    seen = None
    if person is not None:
        seen = audit_values(
            actor=actor,
            verb="eligibility_check",
            obj=person,
            institution=institution.pk,
            service=answer.service,
            ip_address=ip_address,
            path=path,
        )
    return check, seen


def log_record(check: dict, seen: dict | None) -> tuple[str, list]:
    """PostgreSQL: the one statement that writes the log rows of ``log_values`` — each row sent
    as one JSON value the database turns into the table's row type (``json_populate_record``:
    every column converted by PostgreSQL's own input functions), the audit row with the check's
    id added to its details. One text value per row instead of a parameter per column: the
    client's preparing and sending of ~17 values was a fifth of the check's CPU (issue 12,
    performance). ``auto_now_add`` columns get the time now, as ``save`` gives them."""
    now = timezone.now()
    check_sql, seen_sql = _record_statements()
    values = [_record(EligibilityCheck, check, now)]
    if seen is None:
        return check_sql, values
    values.append(_record(AuditEvent, seen, now))
    return seen_sql, values


def _record(model, given: dict, now: dt.datetime) -> str:
    row = {}
    for column, name, kind, default in _record_plan(model):
        if kind == "now":
            value = now
        elif name in given:
            value = given[name]
            if kind == "relation" and value is not None:
                value = value.pk
        else:
            value = default()
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, dt.date):  # a datetime too
            value = value.isoformat()
        row[column] = value
    return json.dumps(row)


@functools.cache
def _record_plan(model) -> list[tuple[str, str, str, object]]:
    """Per column of ``model``'s INSERT: (column, field name, "now" | "relation" | "value", the
    field's default)."""
    return [
        (
            f.column,
            f.name,
            "now"
            if getattr(f, "auto_now_add", False)
            else "relation"
            if f.is_relation
            else "value",
            f.get_default,
        )
        for f in _insert_fields(model)
    ]


@functools.cache
def _record_statements() -> tuple[str, str]:
    """(the check alone, the check and its audit row): names from the models' own metadata
    (quoted), the rows as parameters."""
    quote = connection.ops.quote_name

    def select(model, alias: str, replace: dict | None = None) -> tuple[str, str]:
        columns = [f.column for f in _insert_fields(model)]
        picked = [(replace or {}).get(c, f"{alias}.{quote(c)}") for c in columns]
        return ", ".join(quote(c) for c in columns), ", ".join(picked)

    table = quote(EligibilityCheck._meta.db_table)
    columns, picked = select(EligibilityCheck, "r")
    check = (
        f"INSERT INTO {table} ({columns}) SELECT {picked} "  # noqa: S608
        f"FROM json_populate_record(NULL::{table}, %s::json) r"
    )
    seen_table = quote(AuditEvent._meta.db_table)
    seen_columns, seen_picked = select(
        AuditEvent, "s", {"details": "s.details || jsonb_build_object('check', c.id)"}
    )
    both = (
        f"WITH c AS ({check} RETURNING id) "  # noqa: S608
        f"INSERT INTO {seen_table} ({seen_columns}) SELECT {seen_picked} "
        f"FROM c, json_populate_record(NULL::{seen_table}, %s::json) s"
    )
    return check, both


@functools.cache
def _insert_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _log_check(check: dict, seen: dict | None) -> None:
    """Write the check and the audit row of the view (``log_values``; ``seen`` gets the check's
    id added to its details): on PostgreSQL one statement (``log_record``), elsewhere both in
    one transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(*log_record(check, seen))
        return
    with transaction.atomic():
        row = EligibilityCheck.objects.create(**check)
        if seen is not None:
            AuditEvent.objects.create(**{**seen, "details": {"check": row.pk, **seen["details"]}})
