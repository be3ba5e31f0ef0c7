"""The package table of 002: packages × options × clauses, service by service."""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum

from pydantic import Field, model_validator

from zdrave.engine.terms.common import Amount, Citation, Limit, LimitUnit, Strict, Text


class OptionCode(StrEnum):
    MINIMAL = "minimal"  # Минимална
    BASIC = "basic"  # Основна
    FULL = "full"  # Пълна
    LUXURY = "luxury"  # Луксозна


class ClauseCode(StrEnum):
    """002 VII legend. A: subscription form only; Б1: both forms, co-payment on reimbursement;
    Б2: both forms, no co-payment."""

    A = "A"
    B1 = "Б1"
    B2 = "Б2"


class Form(StrEnum):
    SUBSCRIPTION = "subscription"  # Абонаментно обслужване: in-network, direct billing
    REIMBURSEMENT = "reimbursement"  # Възстановяване на разходи


class ServiceCategory(StrEnum):
    """What kind of thing a service is: decides deadlines (004 Чл.29 т.5) and documents
    (004 Приложение №1)."""

    PREVENTION = "prevention"
    EXAM = "exam"
    CONSULTATION = "consultation"
    HOME_VISIT = "home-visit"
    LAB_TEST = "lab-test"
    IMAGING = "imaging"
    FUNCTIONAL_TEST = "functional-test"
    PROCEDURE = "procedure"
    SURGERY = "surgery"
    PHYSIOTHERAPY = "physiotherapy"
    PSYCHOTHERAPY = "psychotherapy"
    PREGNANCY = "pregnancy"
    EXPERTISE = "expertise"
    HOSPITAL = "hospital"
    BIRTH = "birth"
    CONSUMABLES = "consumables"
    REHABILITATION = "rehabilitation"
    NURSING = "nursing"
    ACCOMMODATION = "accommodation"
    TEAM_CHOICE = "team-choice"
    TRANSPORT = "transport"
    MEDICINE = "medicine"
    AID = "aid"
    OPTICAL = "optical"
    IMMUNISATION = "immunisation"
    DENTAL = "dental"
    OTHER = "other"


SERVICE_CODE_RE = re.compile(r"^[1-6](\.\d+)*(\.[a-z])?(\.\d+)*$")


class OptionCell(Strict):
    """A service under one option: present means covered (✓). ``limit`` is the option's own
    count, money, day or kilometre limit printed in its column."""

    limit: Limit | None = None
    note: str | None = None


class Service(Strict):
    """One row of a 002 table.

    ``code`` follows the seed: package number and the row's own numbering (``2.8``); unnumbered
    dash rows are lettered a, b, c… under their parent (``2.8.e`` = "ЯМР (без контраст)").
    A ``heading`` row only groups its children and is never claimed itself.
    """

    code: str
    name: Text
    clause: Citation
    heading: bool = False
    category: ServiceCategory | None = None
    options: dict[OptionCode, OptionCell] = Field(default_factory=dict)
    # The count column of package 2 ("брой"): a count limit per insurance year under every
    # option that covers the service (seeds README).
    count_limit: Limit | None = None
    # Rules printed in the notes under a table, attached to the rows they govern.
    requires_service: str | None = None  # e.g. pregnancy items only with item 12 (002 II бел.**)
    not_covered_note: Text | None = None  # e.g. "УЗИ 3D и 4D не се покрива" (002 II бел.**)
    keywords: list[str] = Field(default_factory=list)  # extra search words, both languages
    interpretation: str | None = None  # how an unclear cell was read, for the reviewer

    @model_validator(mode="after")
    def _shape(self) -> Service:
        if not SERVICE_CODE_RE.match(self.code):
            raise ValueError(
                f"service code {self.code!r} must follow 002's numbering, e.g. '2.8' or '2.8.e'"
            )
        if self.heading and (self.options or self.count_limit):
            # A heading that is itself covered (e.g. 002 III.8 "Хирургично лечение") is a
            # service, not a heading: mark it heading: false.
            raise ValueError("a heading row carries no coverage; set heading: false")
        if not self.heading and self.category is None:
            raise ValueError("a service needs a category (exam, lab-test, medicine, …)")
        if self.count_limit is not None and self.count_limit.unit is not LimitUnit.COUNT:
            raise ValueError("count_limit must have unit 'count'")
        return self

    @property
    def limited(self) -> bool:
        """Has a count or money limit of its own (002 бел.*: such services are used only in the
        reimbursement form)."""
        return self.count_limit is not None or any(c.limit for c in self.options.values())


class FormLimits(Strict):
    """Yearly limits of one option (002 II.Б etc.), as printed (leva)."""

    subscription: Amount | None = None
    reimbursement: Amount | None = None  # a sub-limit of subscription (002 бел.***)
    currency: str = "BGN"


class Package(Strict):
    number: int = Field(ge=1, le=6)
    code: str
    name: Text
    clause: Citation
    options: list[OptionCode]
    clauses: list[ClauseCode]
    yearly_limits: dict[OptionCode, FormLimits]
    yearly_limits_clause: Citation
    copay_percent: dict[ClauseCode, Amount]  # 002 VII: applies to the reimbursement form only
    copay_clause: Citation
    requires_nhif_rights: bool = False  # 002 III бел.*: hospital care only with НЗОК rights
    requires_nhif_rights_clause: Citation | None = None
    single_form_per_contract: bool = False  # 002 VI бел.*: dental by one form only
    single_form_clause: Citation | None = None
    mutually_exhausting_forms: bool = False  # 002 V бел.*: package 5's two forms share one limit
    mutually_exhausting_clause: Citation | None = None
    limited_services_reimbursement_only: bool = True  # 002 бел.*
    limited_services_clause: Citation | None = None
    notes: list[PackageNote] = Field(default_factory=list)
    services: list[Service]
    interpretation: str | None = None

    @model_validator(mode="after")
    def _consistency(self) -> Package:
        seen: set[str] = set()
        for service in self.services:
            if service.code in seen:
                raise ValueError(f"duplicate service code {service.code!r}")
            seen.add(service.code)
            if not service.code.startswith(f"{self.number}."):
                raise ValueError(
                    f"service {service.code!r} does not belong to package {self.number}"
                )
            unknown = set(service.options) - set(self.options)
            if unknown:
                raise ValueError(
                    f"service {service.code!r} names option(s) {sorted(unknown)} "
                    f"that package {self.number} does not offer"
                )
        for service in self.services:
            if service.requires_service and service.requires_service not in seen:
                raise ValueError(
                    f"service {service.code!r} requires unknown service {service.requires_service!r}"
                )
        if set(self.yearly_limits) - set(self.options):
            raise ValueError("yearly_limits names an option the package does not offer")
        if set(self.copay_percent) - set(self.clauses):
            raise ValueError("copay_percent names a clause the package does not offer")
        for pct in self.copay_percent.values():
            if pct > 100:
                raise ValueError("a co-payment percentage cannot exceed 100")
        return self

    def service(self, code: str) -> Service | None:
        for s in self.services:
            if s.code == code:
                return s
        return None

    def copay_rate(self, clause: ClauseCode) -> Decimal:
        return self.copay_percent.get(clause, Decimal(0)) / 100


class PackageNote(Strict):
    """A note printed under a package table (Забележки), kept verbatim with its meaning."""

    mark: str  # "*", "**", …
    clause: Citation
    text: Text


Package.model_rebuild()
