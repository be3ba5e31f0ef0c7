"""Every write of a group contract sold online, and the checks before it.

The path: ``read_group_census`` (the employer's census file, checked row by row with
``groups.census``) → ``price_group`` (the tariff's group-size band, 004 Чл.24 т.2) →
``apply_for_group`` (the application with every person; the engine underwrites at once the people
who need no declaration — a group over 20 with a legal-entity holder, 004 Чл.23 т.3 — and each
other employee is e-mailed a link to fill their own declaration and their children's, Чл.23 т.1)
→ ``sign_declaration`` (through the link; the engine then decides that person, Чл.6–10; a
referral goes to the underwriter's queue, Чл.10) → ``issue_group_contract`` (staff: the employer
as holder, its account and sign-in link, the contract through ``sales.actions.conclude_contract``;
cover starts only once the first premium is paid, Чл.24 т.3 and Чл.25 т.3).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.identity.permissions import can_issue_group_contracts
from zdrave.base.identity.roles import Role
from zdrave.contracts import actions as contracts
from zdrave.contracts.identifiers import birth_date_from_egn, check_eik
from zdrave.contracts.models import Contract, ContractType, HolderKind, MemberRole, PolicyHolder
from zdrave.engine.decisions import UnderwritingOutcome
from zdrave.engine.tariff import QuoteError, QuotePrice
from zdrave.engine.terms.underwriting import ContractType as UwContractType
from zdrave.engine.underwriting import decide
from zdrave.engine.underwriting import reasons as uw
from zdrave.policy_admin.groups import census
from zdrave.policy_admin.groupsales import emails
from zdrave.policy_admin.groupsales.models import DeclarationLink, GroupSale
from zdrave.policy_admin.sales import actions as sales
from zdrave.policy_admin.sales import tariff as tariffs
from zdrave.policy_admin.sales.fetch import is_minor, underwriting_facts
from zdrave.policy_admin.sales.models import (
    Applicant,
    Application,
    ApplicationStatus,
    Decision,
    Outcome,
)
from zdrave.products import terms

LINK_SALT = "zdrave.groupsales.declaration-link"
# 004 Чл.23 т.2: a declaration serves three months; the link lives as long.
LINK_VALID_FOR = dt.timedelta(days=92)


def _error(field_name: str, message: str) -> ValidationError:
    return ValidationError({field_name: message})


def _today() -> dt.date:
    return timezone.localdate()


# ---- the census and the price ----------------------------------------------------------------


@dataclass
class GroupCensus:
    """The checked rows of the employer's file (``email`` kept from the file) and its row
    errors; ``minimum`` / ``waiver_over`` are the product's group rules (004 Чл.24 т.2, Чл.23
    т.3)."""

    rows: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    minimum: int = 10
    waiver_over: int | None = None

    @property
    def declarations_needed(self) -> bool:
        return self.waiver_over is None or len(self.rows) <= self.waiver_over


def group_rules(start: dt.date):
    """The product's group contract rule on sale on ``start`` (underwriting.yaml)."""
    version = tariffs.product_for(start)
    kind = (
        version.underwriting.contract_type(UwContractType.GROUP) if version.underwriting else None
    )
    if kind is None:
        raise _error(
            "start", _("Start: no group contract is on sale for %(date)s.") % {"date": start}
        )
    return version, kind


def check_start(start) -> None:
    """004 Чл.24 т.3: cover begins at 00:00 of the start; a day already begun cannot be one."""
    if not isinstance(start, dt.date) or start <= _today():
        raise _error(
            "start",
            _(
                "Start: choose a day after today; cover begins at 00:00 of the start date "
                "(004 Чл.24 т.3)."
            ),
        )


def read_group_census(name: str, data: bytes, *, start: dt.date) -> GroupCensus:
    """The employer's census read and checked as for a group in force (ЕГН checksum, age and
    role by the engine, packages by 002 and 004 Чл.17, duplicates). Raises
    ``census.CensusFileError`` for a file that cannot be read at all."""
    check_start(start)
    version, kind = group_rules(start)
    read = census.read_census(name, data)
    stand_in = Contract(
        type=ContractType.GROUP,
        product_code=version.product,
        product_version=version.effective_from,
        start=start,
        end=tariffs.one_year_end(start),
    )
    checked = census.check_rows(stand_in, read.rows, effective=start, existing=set(), base={})
    emails_by_row = {r["row"]: r.get("email", "").strip() for r in read.rows}
    rows = [{**r, "email": emails_by_row.get(r["row"], "")} for r in checked.rows]
    waiver = kind.declaration_waiver
    found = GroupCensus(
        rows=rows,
        errors=list(checked.errors),
        minimum=kind.min_group_size or 10,
        waiver_over=waiver.group_size_over if waiver and waiver.legal_entity_holder else None,
    )
    if found.declarations_needed:
        found.errors += _address_errors(rows)
        bad = {e["row"] for e in found.errors}
        found.rows = [r for r in found.rows if r["row"] not in bad]
        found.errors.sort(key=lambda e: e["row"])
    return found


def _address_errors(rows: list[dict]) -> list[dict]:
    """An employee's declaration goes by e-mail (004 Чл.23 т.1: filled in by the person); a
    child's goes to the parent above it in the file."""
    errors = []
    for row in rows:
        if row["role"] == MemberRole.CHILD:
            continue
        address = row.get("email", "")
        if not address or "@" not in address or " " in address:
            errors.append(
                {
                    "row": row["row"],
                    "column": "email",
                    "message": _(
                        "E-mail: required for a group of up to %(n)s people, so that the person "
                        "fills in their own health declaration (004 Чл.23 т.1, т.3)."
                    )
                    % {"n": 20},
                }
            )
    return errors


def choices_of(row: dict) -> list[dict]:
    """A census row's packages as the sales app's choices."""
    return [
        {"package": int(number), "option": row["option"], "clause": clause}
        for number, clause in sorted(row["packages"].items(), key=lambda item: int(item[0]))
    ]


def price_group(rows: list[dict], *, start: dt.date, instalments: int) -> QuotePrice:
    """The group's premium: each person by package, option, clause and age band, less the
    tariff's group-size discount (004 Чл.24 т.2), per year and per instalment (Чл.25 т.2)."""
    version = tariffs.product_for(start)
    tariff = tariffs.tariff_for(version.product, version.effective_from, start)
    if tariff.instalment_plan(instalments) is None:
        raise _error(
            "instalments",
            _("Instalments: choose one of %(counts)s a year (004 Чл.25 т.2).")
            % {"counts": ", ".join(str(p.count) for p in tariff.instalments)},
        )
    persons = [(r["egn"], birth_date_from_egn(r["egn"]), choices_of(r), None) for r in rows]
    try:
        return tariffs.price(version, tariff, start, persons, instalments, group_size=len(persons))
    except QuoteError as exc:
        raise _error(
            "census", _("Packages: %(problem)s") % {"problem": sales.quote_message(exc) or exc}
        ) from None


# ---- applying --------------------------------------------------------------------------------


def check_employer(*, employer_name: str, eik: str, contact_name: str, email: str) -> str:
    """The employer's details; returns the ЕИК in its checked form (python-stdnum)."""
    if not employer_name.strip():
        raise _error("employer_name", _("Employer: the company's name is required."))
    try:
        eik = check_eik(eik)
    except ValidationError as exc:
        raise ValidationError({"eik": exc.messages}) from None
    if not contact_name.strip():
        raise _error("contact_name", _("Contact person: a name is required."))
    if not email or "@" not in email:
        raise _error("email", _("E-mail: the sign-in link and the policy are sent there."))
    return eik


def apply_for_group(
    *,
    actor,
    employer_name: str,
    eik: str,
    contact_name: str,
    email: str,
    start: dt.date,
    instalments: int,
    rows: list[dict],
    form_key: str,
    site_url: str = "",
) -> Application:
    """The employer's application: one person per census row, the engine's decision for each one
    who needs no declaration, a declaration link for each employee who does. ``rows`` are those
    of ``read_group_census`` (only valid ones). The same ``form_key`` twice is one application."""
    if form_key and (done := Application.objects.filter(form_key=form_key).first()):
        return done
    eik = check_employer(
        employer_name=employer_name, eik=eik, contact_name=contact_name, email=email
    )
    check_start(start)
    version, kind = group_rules(start)
    minimum = kind.min_group_size or 10
    if len(rows) < minimum:
        raise _error(
            "census",
            _(
                "Census: a group contract insures %(minimum)s or more people; the file has "
                "%(count)s valid rows (004 Чл.24 т.2)."
            )
            % {"minimum": minimum, "count": len(rows)},
        )
    price_group(rows, start=start, instalments=instalments)
    tariff = tariffs.tariff_for(version.product, version.effective_from, start)
    today = _today()
    with transaction.atomic():
        owner = _employer_account(actor, email, employer_name)
        application = Application.objects.create(
            reference=f"tmp-{secrets.token_hex(6)}",
            owner=owner,
            status=ApplicationStatus.REFERRED,
            contract_type=ContractType.GROUP,
            product_code=version.product,
            product_version=version.effective_from,
            tariff_version=tariff.effective_from,
            start=start,
            instalments=instalments,
            email=email,
            form_key=form_key or None,
            submitted_on=today,
        )
        application.reference = f"ZA-{start.year}-{application.pk:06d}"
        application.save(update_fields=["reference"])
        persons = [
            Applicant(
                application=application,
                first_name=r["first_name"],
                last_name=r["last_name"],
                egn=r["egn"],
                birth_date=birth_date_from_egn(r["egn"]),
                role=r["role"],
                choices=choices_of(r),
            )
            for r in rows
        ]
        Applicant.objects.bulk_create(persons)
        persons = list(application.persons.order_by("pk"))
        sale = GroupSale.objects.create(
            application=application,
            employer_name=employer_name.strip(),
            eik=eik,
            contact_name=contact_name.strip(),
            size=len(persons),
            declarations_needed=False,
            site_url=site_url,
        )
        record(
            actor=actor if getattr(actor, "is_authenticated", False) else owner,
            verb="group_application.submitted",
            obj=application,
            employer=sale.employer_name,
            eik=eik,
            size=len(persons),
        )
        waiting = _underwrite(application, persons, actor=owner)
        sale.declarations_needed = bool(waiting)
        sale.save(update_fields=["declarations_needed"])
        _send_links(sale, persons, rows, waiting)
        sales.reprice(application)
        sales.settle(application, actor=owner)
    return application


def _employer_account(actor, email: str, employer_name: str):
    """The employer's account owning the application: the signed-in employer, else one made
    now without a password — it is sent its sign-in link when the contract is issued."""
    if getattr(actor, "is_authenticated", False) and actor.role == Role.EMPLOYER:
        return actor
    users = get_user_model()
    base = "employer-" + hashlib.sha256(email.lower().encode()).hexdigest()[:8]
    username = base
    while users.objects.filter(username=username).exists():
        username = f"{base}-{secrets.token_hex(2)}"
    user = users(username=username, email=email, role=Role.EMPLOYER, first_name=employer_name[:150])
    user.set_unusable_password()
    user.save()
    return user


def _underwrite(application: Application, persons: list[Applicant], *, actor) -> set[int]:
    """The engine's decision for each person (004 Чл.6–10); returns the pks of the people whose
    declaration it waits for (its reason ``declaration-missing``, Чл.23 т.1)."""
    version = terms.terms(application.product_code, application.product_version)
    decision = decide(underwriting_facts(application), version.underwriting)
    if decision.reasons:
        raise _error(
            "census",
            _("Application: %(reasons)s")
            % {"reasons": "; ".join(f"{r.message} ({r.clause})" for r in decision.reasons)},
        )
    waiting = set()
    by_id = {str(p.pk): p for p in persons}
    today = _today()
    for found in decision.persons:
        person = by_id.get(found.id)
        if person is None or person.decision != Decision.PENDING:
            continue
        codes = {r.code for r in found.reasons}
        if (
            found.decision is not UnderwritingOutcome.DECLINE
            and uw.DECLARATION_MISSING.code in codes
        ):
            waiting.add(person.pk)
            continue
        _apply_finding(person, found, today)
    record(
        actor=actor,
        verb="group_application.underwritten",
        obj=application,
        outcomes={str(p.pk): p.outcome for p in persons if p.outcome},
        waiting=len(waiting),
    )
    return waiting


def _apply_finding(person: Applicant, found, today: dt.date) -> None:
    person.outcome = Outcome(found.decision.value)
    person.reasons = [
        {"code": r.code, "clause": r.clause, "message": r.message} for r in found.reasons
    ]
    if found.decision is UnderwritingOutcome.ACCEPT:
        person.decision, person.decided_on = Decision.ACCEPTED, today
    elif found.decision is UnderwritingOutcome.DECLINE:
        person.decision, person.decided_on = Decision.DECLINED, today
    person.save(update_fields=["outcome", "reasons", "decision", "decided_on"])


def _send_links(sale: GroupSale, persons: list[Applicant], rows: list[dict], waiting: set[int]):
    """One link per adult with an address: theirs, and the children who follow them in the
    file (a child's declaration is filled in by a parent, 004 Чл.23 т.1)."""
    if not waiting:
        return
    groups: list[tuple[str, list[Applicant]]] = []
    for person, row in zip(persons, rows, strict=True):
        if person.role == MemberRole.CHILD and groups:
            groups[-1][1].append(person)
        elif row.get("email"):
            groups.append((row["email"], [person]))
    now = timezone.now()
    for address, members in groups:
        members = [m for m in members if m.pk in waiting]
        if not members:
            continue
        secret = secrets.token_urlsafe(24)
        link = DeclarationLink.objects.create(
            group_sale=sale,
            email=address,
            secret_hash=_digest(secret),
            sent_at=now,
        )
        link.persons.set(members)
        token = signing.dumps({"id": link.pk, "s": secret}, salt=LINK_SALT, compress=True)
        emails.send_declaration_link(sale, link, members, token)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class LinkRefused(Exception):
    pass


def link_for(token: str) -> DeclarationLink:
    """The declaration link a token stands for; ``LinkRefused`` if forged, altered or old."""
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=LINK_VALID_FOR.total_seconds())
    except signing.BadSignature:
        raise LinkRefused from None
    link = (
        DeclarationLink.objects.select_related("group_sale__application")
        .filter(pk=payload.get("id") if isinstance(payload, dict) else None)
        .first()
    )
    if link is None or not secrets.compare_digest(
        link.secret_hash, _digest(str(payload.get("s", "")))
    ):
        raise LinkRefused
    return link


# ---- the declaration through the link (004 Чл.23) --------------------------------------------


def sign_declaration(
    link: DeclarationLink,
    person: Applicant,
    *,
    answers: dict[str, bool | None],
    signed_by: str,
    signer_name: str,
    sign: bool,
) -> Applicant:
    """Save (draft) or sign the declaration of a person the link opens; once signed, the engine
    decides that person at once (004 Чл.6–10): accept, decline, or refer to the underwriter
    (Чл.10). The actor of the audit row is the application's owner account."""
    if not link.persons.filter(pk=person.pk).exists():
        raise _error("person", _("This declaration is not one of this link's."))
    if not sales.awaits_declaration(person):
        raise ValidationError(_("This declaration is already signed and decided."))
    application = person.application
    actor = application.owner
    with transaction.atomic():
        locked = Applicant.objects.select_for_update().get(pk=person.pk)
        if not sales.awaits_declaration(locked):
            raise ValidationError(_("This declaration is already signed and decided."))
        sales.save_declaration(
            locked,
            actor=actor,
            answers=answers,
            signed_by=signed_by,
            signer_name=signer_name,
            sign=sign,
        )
        if not sign:
            return locked
        version = terms.terms(application.product_code, application.product_version)
        decision = decide(underwriting_facts(application), version.underwriting)
        found = next(p for p in decision.persons if p.id == str(locked.pk))
        _apply_finding(locked, found, _today())
        record(
            actor=actor,
            verb="group_application.person_underwritten",
            obj=application,
            person=locked.pk,
            outcome=locked.outcome,
        )
        sales.settle(application, actor=actor)
    return locked


def is_minor_on_start(person: Applicant) -> bool:
    return is_minor(person, person.application.start)


# ---- issuing the contract (004 Чл.22, 24, 25) ------------------------------------------------


def issue_group_contract(application: Application, *, actor) -> Application:
    """Staff conclude the accepted group: the employer as the holder (a company by its ЕИК, 004
    Чл.22 т.1), the contract, members, covers, premium schedule and cards
    (``sales.conclude_contract``), and the employer's account with its sign-in link by e-mail.
    Cover begins at 00:00 of the start once the first premium is paid (Чл.24 т.3, Чл.25 т.3).
    Issuing twice issues once."""
    if not can_issue_group_contracts(actor):
        raise ValidationError(_("Only an underwriter issues a group contract."))
    sale = GroupSale.objects.filter(application=application).first()
    if sale is None:
        raise ValidationError(_("This is not a group application."))
    if application.status == ApplicationStatus.ISSUED:
        return application
    if application.status != ApplicationStatus.ACCEPTED:
        raise ValidationError(_("The group is not fully decided yet: nothing to issue."))
    accepted = application.persons.filter(decision__in=(Decision.ACCEPTED, Decision.SPECIAL))
    minimum = group_rules(application.start)[1].min_group_size or 10
    if accepted.count() < minimum:
        raise ValidationError(
            _(
                "Only %(count)s people were accepted; a group contract insures %(minimum)s or "
                "more (004 Чл.24 т.2)."
            )
            % {"count": accepted.count(), "minimum": minimum}
        )
    with transaction.atomic():
        owner = application.owner
        holder = _company_holder(sale, owner, actor)
        issued = sales.conclude_contract(application, actor=actor, holder=holder)
        _send_sign_in_link(sale, issued, owner)
        record(
            actor=actor,
            verb="group_application.issued",
            obj=issued,
            contract=issued.contract.number,
        )
    return issued


def _company_holder(sale: GroupSale, owner, actor) -> PolicyHolder:
    found = PolicyHolder.objects.filter(kind=HolderKind.COMPANY, identifier=sale.eik).first()
    if found is None:
        return contracts.create_holder(
            actor=actor,
            kind=HolderKind.COMPANY,
            name=sale.employer_name,
            identifier=sale.eik,
            users=[owner],
        )
    if not found.users.filter(pk=owner.pk).exists():
        found.users.add(owner)
        record(actor=actor, verb="holder.account_added", obj=found, user=owner.pk)
    return found


def _send_sign_in_link(sale: GroupSale, application: Application, owner) -> None:
    """The employer's sign-in link (choose a password; Django's one-time reset token, void once
    used): in the e-mail only — the outbox copy staff read has it masked."""
    token = "" if owner.has_usable_password() else default_token_generator.make_token(owner)
    uid = urlsafe_base64_encode(force_bytes(owner.pk))
    emails.send_issued(sale, application, owner, uid, token)
    sale.link_sent_at = timezone.now()
    sale.save(update_fields=["link_sent_at"])


def premium_total(application: Application) -> Decimal:
    return application.payable_premium or Decimal(0)
