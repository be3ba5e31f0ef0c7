"""Every write of online sales. Each action validates first (a translated ``ValidationError``
naming the field and the rule), then writes in one transaction with an audit row per change.

The path: ``start_application`` → ``add_person`` (packages per person, priced by the engine's
tariff) → ``save_declaration`` (a draft, then signed; 004 Чл.23) → ``submit_application`` (the
engine's underwriting per person, 004 Чл.6–10) → ``decide_person`` for the persons it referred
(the underwriter, 004 Чл.10) → ``conclude_contract`` (contract, members, covers, special
conditions, premium schedule and cards through ``zdrave.contracts.actions``; 004 Чл.22, 24, 25)
→ ``record_first_payment`` (staff; cover starts only once it is paid, 004 Чл.24 т.3, Чл.25 т.3).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zdrave.base.audit.models import record
from zdrave.base.identity.permissions import (
    can_handle_billing,
    can_underwrite_applications,
)
from zdrave.contracts import actions as contracts
from zdrave.contracts.identifiers import birth_date_from_egn, check_egn
from zdrave.contracts.models import (
    Contract,
    ContractType,
    HolderKind,
    IdKind,
    InsuredPerson,
    MemberRole,
    PolicyHolder,
)
from zdrave.contracts.validation import check_special_conditions
from zdrave.engine.calendar import add_working_days
from zdrave.engine.decisions import UnderwritingOutcome
from zdrave.engine.tariff import QuoteError
from zdrave.engine.underwriting import decide
from zdrave.policy_admin.sales import emails
from zdrave.policy_admin.sales import tariff as tariffs
from zdrave.policy_admin.sales.fetch import is_minor, underwriting_facts
from zdrave.policy_admin.sales.models import (
    Applicant,
    Application,
    ApplicationStatus,
    Decision,
    Declaration,
    Outcome,
    SalesContractType,
    Signer,
)
from zdrave.products import terms

# 004 Чл.24 т.4: the legitimation card is issued within 7 working days of the conclusion.
CARD_WORKING_DAYS = 7
MAX_PERSONS = 8


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _today() -> dt.date:
    return timezone.localdate()


# ---- the application -------------------------------------------------------------------------


def start_application(
    *,
    actor,
    contract_type: str,
    start: dt.date,
    instalments: int,
    email: str,
    form_key: str | None = None,
    product_code: str = "health",
) -> Application:
    if form_key and (done := Application.objects.filter(form_key=form_key).first()):
        return done
    if contract_type not in (SalesContractType.INDIVIDUAL, SalesContractType.FAMILY):
        raise _error("contract_type", _("Contract type: choose individual or family."))
    if not isinstance(start, dt.date) or start <= _today():
        raise _error(
            "start",
            _(
                "Start: choose a day after today; cover begins at 00:00 of the start date "
                "(004 Чл.24 т.3)."
            ),
        )
    try:
        version = tariffs.product_for(start, product_code)
        tariff = tariffs.tariff_for(product_code, version.effective_from, start)
    except (terms.UnknownTerms, tariffs.NoTariff):
        raise _error(
            "start", _("Start: no product and tariff are on sale for %(date)s.") % {"date": start}
        ) from None
    if tariff.instalment_plan(instalments) is None:
        raise _error(
            "instalments",
            _("Instalments: choose one of %(counts)s a year (004 Чл.25 т.2).")
            % {"counts": ", ".join(str(p.count) for p in tariff.instalments)},
        )
    with transaction.atomic():
        application = Application.objects.create(
            reference=f"tmp-{secrets.token_hex(6)}",
            owner=actor,
            contract_type=contract_type,
            product_code=product_code,
            product_version=version.effective_from,
            tariff_version=tariff.effective_from,
            start=start,
            instalments=instalments,
            email=email,
            form_key=form_key or None,
        )
        application.reference = f"ZA-{start.year}-{application.pk:06d}"
        application.save(update_fields=["reference"])
        record(
            actor=actor,
            verb="application.started",
            obj=application,
            contract_type=contract_type,
            start=start,
            instalments=instalments,
        )
    return application


def _editable(application: Application) -> None:
    if application.status != ApplicationStatus.DRAFT:
        raise ValidationError(_("This application is submitted: it can no longer be changed."))


def add_person(
    application: Application,
    *,
    actor,
    first_name: str,
    last_name: str,
    egn: str,
    role: str,
    choices: list[dict],
    student: bool = False,
    form_key: str | None = None,
) -> Applicant:
    if form_key and (done := Applicant.objects.filter(form_key=form_key).first()):
        return done
    _editable(application)
    if not first_name.strip() or not last_name.strip():
        field = "first_name" if not first_name.strip() else "last_name"
        raise _error(field, _("Name: first and last name are required."))
    try:
        egn = check_egn(egn)
    except ValidationError as exc:
        raise ValidationError({"egn": exc.messages}) from None
    if application.persons.filter(egn=egn).exists():
        raise _error("egn", _("ЕГН: this person is already on the application."))
    if application.persons.count() >= MAX_PERSONS:
        raise _error("egn", _("Persons: at most %(n)s on one application.") % {"n": MAX_PERSONS})
    if role not in MemberRole.values or role == MemberRole.EMPLOYEE:
        raise _error("role", _("Role: choose the policyholder, a spouse, a partner or a child."))
    if application.contract_type == ContractType.INDIVIDUAL and application.persons.exists():
        raise _error(
            "egn", _("Persons: an individual contract insures one person (004 Чл.24 т.2).")
        )
    birth = birth_date_from_egn(egn)
    if birth >= application.start:
        raise _error("egn", _("ЕГН: the person is born after the start date."))
    _price_one(application, birth, choices)
    with transaction.atomic():
        applicant = Applicant.objects.create(
            application=application,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            egn=egn,
            birth_date=birth,
            role=role,
            student=bool(student),
            choices=choices,
            form_key=form_key or None,
        )
        record(
            actor=actor,
            verb="application.person_added",
            obj=application,
            person=applicant.pk,
            role=role,
            choices=choices,
        )
        reprice(application)
    return applicant


def remove_person(applicant: Applicant, *, actor) -> Application:
    application = applicant.application
    _editable(application)
    with transaction.atomic():
        record(actor=actor, verb="application.person_removed", obj=application, person=applicant.pk)
        applicant.delete()
        reprice(application)
    return application


def _price_one(application: Application, birth: dt.date, choices: list[dict]):
    version = terms.terms(application.product_code, application.product_version)
    tariff = tariffs.tariff_for(application.product_code, version.effective_from, application.start)
    try:
        return tariffs.price(version, tariff, application.start, [("new", birth, choices, None)], 1)
    except (QuoteError, ValueError, KeyError) as exc:
        clause = getattr(exc, "clause", "")
        message = str(exc) if isinstance(exc, QuoteError) else _("choose valid packages.")
        raise _error(
            "choices",
            _("Packages: %(problem)s") % {"problem": quote_message(exc) or message}
            + (f" ({clause})" if clause else ""),
        ) from None


def quote_message(exc: Exception) -> str:
    """The engine's refusal in the user's language."""
    code = getattr(exc, "code", "")
    return {
        "no-cover": _("choose at least one package."),
        "package-twice": _("choose each package once."),
        "packages-not-sold-alone": _(
            "the medical goods (5) and dental (6) packages are not sold on their own: choose "
            "another package with them."
        ),
        "age-not-priced": _("the tariff does not price this age."),
        "option-not-offered": _("a package is not offered in the option chosen."),
        "clause-not-offered": _("a package is not offered in the clause chosen."),
    }.get(code, "")


def reprice(application: Application):
    """The premium of the persons not declined, with any loading agreed (004 Чл.10)."""
    persons = [p for p in application.persons.order_by("pk") if p.decision != Decision.DECLINED]
    if not persons:
        application.yearly_premium = application.payable_premium = None
        application.save(update_fields=["yearly_premium", "payable_premium"])
        return None
    version = terms.terms(application.product_code, application.product_version)
    tariff = tariffs.tariff_for(application.product_code, version.effective_from, application.start)
    quote = tariffs.price(
        version,
        tariff,
        application.start,
        [(str(p.pk), p.birth_date, p.choices, p.loading_percent) for p in persons],
        application.instalments,
        group_size=len(persons) if application.contract_type == ContractType.GROUP else None,
    )
    for person in persons:
        person.yearly_premium = quote.person(str(person.pk)).yearly
        person.save(update_fields=["yearly_premium"])
    application.yearly_premium = quote.yearly
    application.payable_premium = quote.payable
    application.save(update_fields=["yearly_premium", "payable_premium"])
    return quote


# ---- the health declaration (004 Чл.23) ------------------------------------------------------


def save_declaration(
    applicant: Applicant,
    *,
    actor,
    answers: dict[str, bool | None],
    signed_by: str,
    signer_name: str,
    sign: bool,
) -> Declaration:
    """Save the declaration; a draft may leave questions open. ``sign`` requires every
    question answered and, for a person under 18, a parent or guardian (004 Чл.23 т.1)."""
    application = applicant.application
    if not awaits_declaration(applicant):
        _editable(application)
    questions = [q.key for q in _questions(application)]
    unknown = set(answers) - set(questions)
    if unknown:
        raise _error("answers", _("Answers: unknown question."))
    if signed_by not in Signer.values:
        raise _error("signed_by", _("Filled in by: choose who fills in the declaration."))
    minor = is_minor(applicant, application.start)
    if sign:
        missing = [key for key in questions if answers.get(key) is None]
        if missing:
            raise _error(
                "answers",
                _(
                    "Answers: answer every question before signing (%(n)s open); "
                    "or save it as a draft."
                )
                % {"n": len(missing)},
            )
        if minor and signed_by == Signer.SELF:
            raise _error(
                "signed_by",
                _(
                    "Filled in by: for a person under 18 the declaration is filled in by a "
                    "parent or guardian (004 Чл.23 т.1)."
                ),
            )
        if not signer_name.strip():
            raise _error("signer_name", _("Name of who fills it in: required to sign."))
    kept = {key: value for key, value in answers.items() if value is not None}
    with transaction.atomic():
        declaration, created = Declaration.objects.update_or_create(
            applicant=applicant,
            defaults={
                "answers": kept,
                "signed_by": signed_by,
                "signer_name": signer_name.strip(),
                "signed_on": _today() if sign else None,
            },
        )
        record(
            actor=actor,
            verb="declaration.signed" if sign else "declaration.draft_saved",
            obj=declaration,
            person=applicant.pk,
            answered=len(kept),
            signed_by=signed_by,
        )
    return declaration


def awaits_declaration(applicant: Applicant) -> bool:
    """A person of a submitted group application whose declaration the engine waits for (004
    Чл.23 т.1; groups of more than 20 may go without, Чл.23 т.3): not decided, not yet
    underwritten."""
    return (
        applicant.application.contract_type == ContractType.GROUP
        and applicant.application.status == ApplicationStatus.REFERRED
        and applicant.decision == Decision.PENDING
        and not applicant.outcome
    )


def _questions(application: Application):
    version = terms.terms(application.product_code, application.product_version)
    return version.underwriting.declaration.questions if version.underwriting else []


def questions_of(application: Application):
    return list(_questions(application))


# ---- underwriting (004 Чл.6–10) --------------------------------------------------------------


def submit_application(application: Application, *, actor) -> Application:
    """The engine decides each person: accept and decline are decisions at once (with their
    letter), refer waits for an underwriter. Problems of the application as a whole (004 Чл.17,
    Чл.24 т.2) are refused so that the applicant can fix them."""
    _editable(application)
    persons = list(application.persons.order_by("pk"))
    if not persons:
        raise _error("persons", _("Persons: add at least one person to insure."))
    unsigned = [p.full_name for p in persons if not _signed(p)]
    if unsigned:
        raise _error(
            "persons",
            _("Health declaration: sign the declaration of %(names)s (004 Чл.23 т.1).")
            % {"names": ", ".join(unsigned)},
        )
    version = terms.terms(application.product_code, application.product_version)
    decision = decide(underwriting_facts(application), version.underwriting)
    if decision.reasons:
        raise _error(
            "persons",
            _("Application: %(reasons)s")
            % {"reasons": "; ".join(f"{r.message} ({r.clause})" for r in decision.reasons)},
        )
    today = _today()
    with transaction.atomic():
        for person, found in zip(persons, decision.persons, strict=True):
            person.outcome = Outcome(found.decision.value)
            person.reasons = [
                {"code": r.code, "clause": r.clause, "message": r.message} for r in found.reasons
            ]
            if found.decision is UnderwritingOutcome.ACCEPT:
                person.decision, person.decided_on = Decision.ACCEPTED, today
            elif found.decision is UnderwritingOutcome.DECLINE:
                person.decision, person.decided_on = Decision.DECLINED, today
            person.save(update_fields=["outcome", "reasons", "decision", "decided_on"])
        application.submitted_on = today
        application.status = ApplicationStatus.REFERRED
        application.save(update_fields=["submitted_on", "status"])
        record(
            actor=actor,
            verb="application.submitted",
            obj=application,
            outcomes={str(p.pk): p.outcome for p in persons},
        )
        _settle(application, actor=actor)
    return application


def _signed(person: Applicant) -> bool:
    declaration = getattr(person, "declaration", None)
    return declaration is not None and declaration.signed_on is not None


def _settle(application: Application, *, actor) -> None:
    """Once nobody waits for the underwriter: accepted if anyone is, else declined."""
    persons = list(application.persons.all())
    if any(p.decision == Decision.PENDING for p in persons):
        return
    accepted = any(p.decision in (Decision.ACCEPTED, Decision.SPECIAL) for p in persons)
    status = ApplicationStatus.ACCEPTED if accepted else ApplicationStatus.DECLINED
    application.status = status
    application.save(update_fields=["status"])
    record(actor=actor, verb="application.decided", obj=application, status=status)
    reprice(application)
    # The applicant learns every person's decision at once, with the letters (004 Чл.10).
    emails.send_decisions(application)


def settle(application: Application, *, actor) -> None:
    """Accepted or declined once nobody waits (the group sale underwrites person by person)."""
    _settle(application, actor=actor)


def decide_person(
    applicant: Applicant,
    *,
    actor,
    decision: str,
    note: str = "",
    excluded_icd10: list[str] | tuple = (),
    excluded_services: list[str] | tuple = (),
    limit: Decimal | None = None,
    loading_percent: Decimal | None = None,
) -> Applicant:
    """The underwriter's decision for a referred person (004 Чл.10): accept, decline, or accept
    on special conditions (excluded diagnoses or services, a lower limit, a premium loading),
    agreed in writing — the letter."""
    if not can_underwrite_applications(actor):
        raise ValidationError(_("Only an underwriter decides a referred person."))
    application = applicant.application
    if applicant.decision != Decision.PENDING or application.status != ApplicationStatus.REFERRED:
        raise _error("decision", _("Decision: this person is already decided."))
    fields = check_decision(
        application,
        decision=decision,
        note=note,
        excluded_icd10=excluded_icd10,
        excluded_services=excluded_services,
        limit=limit,
        loading_percent=loading_percent,
    )
    with transaction.atomic():
        locked = Applicant.objects.select_for_update().get(pk=applicant.pk)
        if locked.decision != Decision.PENDING:
            raise _error("decision", _("Decision: this person is already decided."))
        locked.decision = decision
        locked.decided_on = _today()
        locked.decided_by = actor
        locked.decision_note = note.strip()
        locked.excluded_icd10 = fields["excluded_icd10"]
        locked.excluded_services = fields["excluded_services"]
        locked.special_limit = fields["limit"]
        locked.loading_percent = fields["loading_percent"]
        locked.save()
        record(
            actor=actor,
            verb="application.person_decided",
            obj=application,
            person=locked.pk,
            decision=decision,
            excluded_icd10=fields["excluded_icd10"],
            excluded_services=fields["excluded_services"],
            limit=fields["limit"],
            loading_percent=fields["loading_percent"],
        )
        _settle(application, actor=actor)
    return locked


# ---- concluding the contract (004 Чл.22, 24, 25) ---------------------------------------------


def conclude_contract(
    application: Application, *, actor, holder: PolicyHolder | None = None
) -> Application:
    """The applicant accepts the offer: the contract with its number, every accepted person with
    their covers and special conditions, the premium schedule (first instalment due on the
    start, 004 Чл.25 т.2) and a card number per person. The contract is in force from 00:00 of
    the start only once the first premium or instalment is paid (004 Чл.24 т.3, Чл.25 т.3); the
    engine pays no claim before that. Concluding twice concludes once."""
    if application.status == ApplicationStatus.ISSUED:
        return application
    if application.status != ApplicationStatus.ACCEPTED:
        raise ValidationError(_("The application is not accepted yet: nothing to conclude."))
    today = _today()
    if application.start <= today:
        raise _error(
            "start",
            _("Start: %(date)s has passed; start a new application with a later start.")
            % {"date": application.start},
        )
    persons = [
        p
        for p in application.persons.order_by("pk")
        if p.decision in (Decision.ACCEPTED, Decision.SPECIAL)
    ]
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if locked.status == ApplicationStatus.ISSUED:
                return locked
            quote = reprice(locked)
            holder_person = next((p for p in persons if p.role == MemberRole.HOLDER), persons[0])
            people = {p.pk: _insured_person(p, actor) for p in persons}
            if holder is None:
                holder = _holder(people[holder_person.pk], actor, locked.owner)
            contract = contracts.create_contract(
                actor=actor,
                number=f"ZH-{locked.start.year}-{locked.pk:06d}",
                type=locked.contract_type,
                holder=holder,
                product_code=locked.product_code,
                product_version=locked.product_version,
                start=locked.start,
                end=tariffs.one_year_end(locked.start),
            )
            for person in persons:
                _member(contract, person, people[person.pk], actor, today)
            contracts.schedule_premium(
                contract,
                list(
                    zip(
                        tariffs.due_dates(locked.start, locked.instalments),
                        quote.instalments,
                        strict=True,
                    )
                ),
                by=actor,
            )
            contracts.put_in_force(contract, actor=actor)
            locked.contract = contract
            locked.status = ApplicationStatus.ISSUED
            locked.issued_on = today
            locked.cards_due = add_working_days(today, CARD_WORKING_DAYS)
            locked.save(update_fields=["contract", "status", "issued_on", "cards_due"])
            record(
                actor=actor,
                verb="application.concluded",
                obj=locked,
                contract=contract.number,
                premium=locked.payable_premium,
            )
    except IntegrityError:
        raise ValidationError(_("The contract could not be concluded; try again.")) from None
    return locked


def _insured_person(person: Applicant, actor) -> InsuredPerson:
    found = InsuredPerson.objects.filter(id_kind=IdKind.EGN, id_number=person.egn).first()
    if found is not None:
        return found
    return contracts.register_person(
        actor=actor,
        first_name=person.first_name,
        last_name=person.last_name,
        id_kind=IdKind.EGN,
        id_number=person.egn,
    )


def _holder(person: InsuredPerson, actor, owner) -> PolicyHolder:
    found = PolicyHolder.objects.filter(kind=HolderKind.PERSON, identifier=person.id_number).first()
    if found is None:
        return contracts.create_holder(
            actor=actor,
            kind=HolderKind.PERSON,
            name=person.full_name,
            identifier=person.id_number,
            person=person,
            users=[owner],
        )
    if not found.users.filter(pk=owner.pk).exists():
        found.users.add(owner)
        record(actor=actor, verb="holder.account_added", obj=found, user=owner.pk)
    return found


def _member(contract: Contract, person: Applicant, insured: InsuredPerson, actor, today) -> None:
    member = contracts.add_member(
        contract, insured, person.role, actor=actor, student=person.student
    )
    for choice in person.choices:
        contracts.add_cover(
            contract,
            actor=actor,
            product_code=contract.product_code,
            member=member,
            package=int(choice["package"]),
            option=choice["option"],
            clause=choice["clause"],
        )
    if person.decision == Decision.SPECIAL:
        contracts.set_special_conditions(
            member,
            agreed_on=person.decided_on or today,
            by=actor,
            excluded_icd10=person.excluded_icd10,
            excluded_services=person.excluded_services,
            limit=person.special_limit,
            loading_percent=person.loading_percent,
            note=person.decision_note,
        )
    person.member = member
    person.card_number = (
        f"ZK{contract.start.year % 100:02d}{member.pk:06d}{_check_digit(member.pk)}"
    )
    person.save(update_fields=["member", "card_number"])


def _check_digit(number: int) -> int:
    """Luhn check digit, so a mistyped card number is caught before a look-up."""
    digits = [int(d) for d in str(number)]
    total = 0
    for i, digit in enumerate(reversed(digits)):
        if i % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return (10 - total % 10) % 10


def record_first_payment(
    application: Application, *, actor, paid_on: dt.date, amount: Decimal
) -> Application:
    """Staff record the first premium or instalment received (004 Чл.25 т.3): from then the
    cover runs, at 00:00 of the start at the earliest (Чл.24 т.3)."""
    if not can_handle_billing(actor):
        raise ValidationError(_("Only billing staff record payments."))
    if application.contract is None:
        raise ValidationError(_("The contract is not concluded yet: there is nothing to pay."))
    first = application.contract.instalments.order_by("due").first()
    contracts.record_premium_payment(first, paid_on, amount, by=actor)
    return application


def check_decision(
    contract,
    *,
    decision: str,
    note: str = "",
    excluded_icd10=(),
    excluded_services=(),
    limit: Decimal | None = None,
    loading_percent: Decimal | None = None,
) -> dict:
    """An underwriter's decision on a referred person as the sales desk and the family referral
    (``groups.actions.underwriting``) both take it (004 Чл.10): accept, accept on special
    conditions that name something (an excluded diagnosis or service, a lower limit, a loading;
    checked against ``contract``'s terms) or decline with the reasons. Returns the special
    conditions' fields (empty unless ``SPECIAL``); a ``ValidationError`` names the field."""
    if decision not in (Decision.ACCEPTED, Decision.SPECIAL, Decision.DECLINED):
        raise _error(
            "decision", _("Decision: choose accept, accept on special conditions or decline.")
        )
    fields = {"excluded_icd10": [], "excluded_services": [], "limit": None, "loading_percent": None}
    if decision == Decision.SPECIAL:
        fields = check_special_conditions(
            contract,
            excluded_icd10=excluded_icd10,
            excluded_services=excluded_services,
            waiting=(),
            limit=limit,
            loading_percent=loading_percent,
        )
        if not any(fields.values()):
            raise _error(
                "excluded_icd10",
                _(
                    "Special conditions: name an excluded diagnosis or service, a lower limit "
                    "or a loading (004 Чл.10)."
                ),
            )
    if decision == Decision.DECLINED and not note.strip():
        raise _error("note", _("Reasons: say why the person is declined; the letter gives them."))
    return fields
