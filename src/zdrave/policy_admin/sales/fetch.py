"""Reads: the application a user may open (404 otherwise), the underwriter's queue, a card, and
the engine's view of an application (``underwriting_facts``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import Http404

from zdrave.base.identity.permissions import can_open_sales_application
from zdrave.engine.calendar import add_months, age_in_years
from zdrave.engine.terms.underwriting import ContractType, Role
from zdrave.engine.underwriting.facts import Applicant as EngineApplicant
from zdrave.engine.underwriting.facts import Application as EngineApplication
from zdrave.engine.underwriting.facts import HealthDeclaration
from zdrave.policy_admin.sales.models import (
    Applicant,
    Application,
    ApplicationStatus,
    Decision,
    Outcome,
)
from zdrave.policy_admin.sales.tariff import one_year_end

# 004 Чл.23 т.2: a declaration signed more than three months before is not enough.
DECLARATION_VALID_MONTHS = 3
# 004 Чл.23 т.1: for a person under 18 the declaration is filled in by a parent or guardian.
ADULT_YEARS = 18


def access_application(user, reference: str) -> Application:
    application = Application.objects.filter(reference=reference).first()
    if application is None or not can_open_sales_application(user, application):
        raise Http404(reference)
    return application


def access_applicant(user, pk: int) -> Applicant:
    applicant = Applicant.objects.select_related("application").filter(pk=pk).first()
    if applicant is None or not can_open_sales_application(user, applicant.application):
        raise Http404(pk)
    return applicant


def underwriting_queue():
    """Persons the engine referred, waiting for an underwriter: oldest application first."""
    return (
        Applicant.objects.filter(
            application__status=ApplicationStatus.REFERRED,
            decision=Decision.PENDING,
            outcome=Outcome.REFER,
        )
        .select_related("application")
        .order_by("application__submitted_on", "application__pk", "pk")
    )


@dataclass(frozen=True)
class QueueRow:
    """A request of another app waiting for the same underwriter, as the queue lists it."""

    name: str
    reference: str
    sent_on: dt.date
    url: str
    kind: str


# Other apps whose requests the underwriter decides with the same decision kinds register a
# source of rows from their AppConfig.ready() (a family member referred by annex:
# zdrave.policy_admin.groups); this app never names them.
_queue_sources: list[Callable[[], Iterable[QueueRow]]] = []


def register_queue_source(source: Callable[[], Iterable[QueueRow]]) -> None:
    if source not in _queue_sources:
        _queue_sources.append(source)


def other_queue_rows() -> list[QueueRow]:
    """The registered requests waiting for an underwriter, oldest first."""
    rows = [row for source in _queue_sources for row in source()]
    return sorted(rows, key=lambda r: (r.sent_on, r.reference))


def applicant_by_card(number: str) -> Applicant | None:
    if not number:
        return None
    return (
        Applicant.objects.filter(card_number=number)
        .select_related("application__contract", "member")
        .first()
    )


def declaration_valid_until(signed_on: dt.date) -> dt.date:
    """The last start date a signed declaration serves: three months later on the corresponding
    day (004 Чл.23 т.2; ЗЗД чл.72, engine ``add_months``)."""
    return add_months(signed_on, DECLARATION_VALID_MONTHS)


def is_minor(applicant: Applicant, on: dt.date) -> bool:
    return age_in_years(applicant.birth_date, on) < ADULT_YEARS


def underwriting_facts(application: Application) -> EngineApplication:
    """The application as the engine's underwriting reads it (004 Чл.6–10, 23, 24)."""
    persons = []
    for i, person in enumerate(application.persons.order_by("pk")):
        declaration = getattr(person, "declaration", None)
        given = None
        if declaration is not None and declaration.signed_on is not None:
            given = HealthDeclaration(
                answers={k: bool(v) for k, v in declaration.answers.items()},
                signed=declaration.signed_on,
                signed_by=declaration.signed_by,
            )
        persons.append(
            EngineApplicant(
                id=str(person.pk),
                path=f"persons[{i}]",
                role=Role(person.role),
                birth_date=person.birth_date,
                student=person.student,
                married=False,
                resident=True,
                nhif_rights=True,
                declaration=given,
            )
        )
    # 004 Чл.24 т.2: a group of ten or more; its employer is a legal entity paying the premium
    # (Чл.23 т.3 waives the declarations of groups over 20 with such a holder).
    group = application.contract_type == ContractType.GROUP
    return EngineApplication(
        product=application.product_code,
        version=application.product_version.isoformat(),
        contract_type=ContractType(application.contract_type),
        start=application.start,
        end=one_year_end(application.start),
        renewal=False,
        group_size=len(persons) if group else None,
        employer_paid=group,
        legal_entity_holder=group,
        persons=tuple(persons),
        packages=tuple(
            sorted({int(c["package"]) for p in application.persons.all() for c in p.choices})
        ),
    )
