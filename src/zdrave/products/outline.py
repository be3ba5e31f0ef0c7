"""A generic outline of any product terms: every field read as a title, a translated label and
a value (a coded value reads as the title of the item it names), for the product pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any

from django.utils.translation import gettext as _
from pydantic import BaseModel

from zdrave.engine.terms.common import Limit, Text
from zdrave.engine.terms.member_services import with_partner
from zdrave.products.display import limit_label


@dataclass
class Node:
    """One line of the outline: a title (or a field label and its value), the clause behind
    it, and what it contains."""

    label: str
    value: str = ""
    clause: str = ""
    children: list[Node] = field(default_factory=list)


_SKIP = {"code", "key", "interpretation", "params_note"}


@dataclass(frozen=True)
class Reader:
    """How the outline reads the terms for one page: the language, the titles of every coded
    item of the same terms (so a list of codes reads as their names), and the partners' names
    (so a ``{partner}`` placeholder is filled)."""

    language: str
    titles: dict[str, Text] = field(default_factory=dict)
    partners: dict[str, str] = field(default_factory=dict)
    partner: str = ""  # the name filling {partner} in the current subtree

    def within(self, model: BaseModel) -> Reader:
        code = getattr(model, "partner", None)
        if isinstance(code, str) and code in self.partners:
            return Reader(self.language, self.titles, self.partners, self.partners[code])
        return self

    def text(self, value: Text) -> str:
        return with_partner(value.get(self.language), self.partner)

    def code(self, value: str) -> str | None:
        """A code's name in the reader's language, or None when it has none: a raw code is
        never shown to a reader (issue 8)."""
        if value in self.partners:
            return self.partners[value]
        if value in self.titles:
            return self.text(self.titles[value])
        return _values().get(value)


def reader(terms: BaseModel, language: str) -> Reader:
    """A reader for ``terms``: every item with a code and a title anywhere in them, and the
    partners named in them."""
    titles: dict[str, Text] = {}

    def collect(value: Any) -> None:
        if isinstance(value, BaseModel):
            code, title = getattr(value, "code", None), _text_title(value)
            if isinstance(code, str) and title is not None:
                titles.setdefault(code, title)
            for name in type(value).model_fields:
                collect(getattr(value, name))
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, BaseModel) and _text_title(item) is not None:
                    titles.setdefault(str(key), _text_title(item))  # type: ignore[arg-type]
                collect(item)

    collect(terms)
    partners = {
        p.code: p.name.get(language) for p in getattr(terms, "partners", []) or [] if p.code
    }
    first = next(iter(partners.values()), "")
    return Reader(language, titles, partners, first)


def _text_title(model: BaseModel) -> Text | None:
    for name in ("title", "name"):
        value = getattr(model, name, None)
        if isinstance(value, Text):
            return value
    return None


def _values() -> dict[str, str]:
    """Names of the coded values the terms share (enums of the engine)."""
    return {
        "year": _("a year"),
        "contract": _("for the term of the contract"),
        "claim": _("per claim"),
        "lifetime": _("for life"),
        "disease-30-days": _("per disease within 30 days"),
        "24-hours-of-stay": _("for every full 24 hours of stay"),
        "count": _("count"),
        "money": _("money"),
        "days": _("days"),
        "km": _("km"),
        "refer": _("referred to an underwriter"),
        "decline": _("declined"),
        "accept": _("accepted"),
        "individual": _("individual"),
        "family": _("family"),
        "group": _("group"),
        "holder": _("holder"),
        "spouse": _("spouse"),
        "cohabitant": _("cohabitant"),
        "child": _("child"),
        "employee": _("employee"),
        "subscription": _("subscription"),
        "reimbursement": _("reimbursement"),
        "minimal": _("Minimal"),
        "basic": _("Basic"),
        "full": _("Full"),
        "luxury": _("Luxury"),
        "member": _("the member"),
        "partner": _("the partner team"),
        "system": _("the platform"),
        "completed": _("completed years"),
        "half-year-rounds-up": _("six months or more count as a year"),
        "monthly": _("monthly"),
        "quarterly": _("quarterly"),
        "half-yearly": _("half-yearly"),
        "yearly": _("yearly"),
        "annual": _("yearly"),
        "video": _("video"),
        "phone": _("phone"),
        "bg": _("Bulgarian"),
        "en": _("English"),
    }


def _labels() -> dict[str, str]:
    # The names most rules share; any other field reads as its humanised English name.
    return {
        "exclusions": _("Exclusions"),
        "waiting_periods": _("Waiting periods"),
        "purchase_deadlines": _("Purchase deadlines"),
        "quantity_limit": _("Quantity limit"),
        "documents": _("Documents"),
        "claim_types": _("Claims and their documents"),
        "claim_handling": _("Claim handling"),
        "rules": _("Rules"),
        "match": _("Applies to"),
        "icd10": _("Diagnoses (ICD-10)"),
        "services": _("Services"),
        "categories": _("Kinds of service"),
        "circumstances": _("Circumstances"),
        "unless_services": _("Except the services"),
        "months": _("Months"),
        "days": _("Days"),
        "required": _("Required documents"),
        "forms": _("Forms"),
        "params": _("Parameters"),
        "conditions": _("Covered conditions"),
        "benefits": _("Benefits"),
        "description": _("Description"),
        "definition": _("Definition"),
        "text": _("Text"),
        # Fields of the treatment-abroad, member-service and underwriting terms.
        "actor": _("Who acts"),
        "age": _("Age"),
        "age_at_end": _("Age at the end of the term"),
        "amount": _("Amount"),
        "before_issue": _("Before the certificate is issued"),
        "by_parent_under_years": _("Filled in by a parent under (years)"),
        "by_parent": _("Filled in by a parent"),
        "channels": _("Channels"),
        "chat_languages": _("Chat languages"),
        "children_need_parent": _("Children only with a parent"),
        "complaints": _("Complaints"),
        "contract_types": _("Contract types"),
        "cost": _("Cost"),
        "count": _("Count"),
        "cover_period": _("Cover period"),
        "currency": _("Currency"),
        "daily_allowance": _("Daily allowance"),
        "declaration": _("Health declaration"),
        "declaration_required": _("Declaration required"),
        "declaration_waiver": _("Declaration waived"),
        "deducts_other_payers": _("Other payers deducted"),
        "diagnoses": _("Diagnoses (ICD-10)"),
        "diagnosis_must_match": _("Diagnosis must match"),
        "dose_cap": _("Dose cap"),
        "eligibility": _("Who may use it"),
        "emails": _("E-mails"),
        "employer_paid": _("Paid by the employer"),
        "employer_paid_required": _("Must be paid by the employer"),
        "end": _("End"),
        "excluded_countries": _("Excluded countries"),
        "extra_by_exception_max": _("Extra by exception (at most)"),
        "extra_by_exception_min": _("Extra by exception (at least)"),
        "final_termination": _("Final termination"),
        "free_for_clients": _("Free for the insurer's clients"),
        "frequencies": _("Payment frequencies"),
        "from_years": _("From (years)"),
        "group_joiners": _("Joining a group"),
        "group_leaver": _("Leaving a group"),
        "group_leaver_months": _("Months after leaving a group"),
        "group_size_over": _("Group larger than"),
        "images": _("Images"),
        "in_bulgaria_only": _("In Bulgaria only"),
        "invoice_within_days_of_purchase": _("Invoice within (days of purchase)"),
        "key": _("Key"),
        "lapse": _("Lapse"),
        "lapse_days_after_due": _("Lapse (days after the due date)"),
        "legal_entity_holder": _("Holder is a legal entity"),
        "lifetime_limit": _("Lifetime limit"),
        "limits_shared": _("Limits shared"),
        "lookback_years": _("Look-back (years)"),
        "max_age": _("Maximum age"),
        "max_age_years": _("Maximum age (years)"),
        "max_days": _("Maximum days"),
        "max_gap_days": _("Maximum gap (days)"),
        "max_partners": _("Maximum partners"),
        "max_persons": _("Maximum persons"),
        "max_years": _("Maximum (years)"),
        "method": _("Method"),
        "min_age_months": _("Minimum age (months)"),
        "min_group_size": _("Minimum group size"),
        "min_years": _("Minimum (years)"),
        "minimum_stay": _("Minimum stay"),
        "minutes_before": _("Minutes before"),
        "missing_outcome": _("If missing"),
        "more_than_nights": _("More than (nights)"),
        "nhif_rights": _("НЗОК rights"),
        "not_required_on_renewal": _("Not required on renewal"),
        "number": _("Number"),
        "one_hospital": _("One hospital"),
        "organised_by_partner": _("Organised by the partner"),
        "outcome": _("Outcome"),
        "over_allowance": _("Over the allowance"),
        "pages": _("Pages"),
        "partner": _("Partner"),
        "partners": _("Partners"),
        "per": _("Per"),
        "per_claim": _("Per claim"),
        "post_operative_medicines": _("Post-operative medicines"),
        "reassessment": _("Reassessment of the claim"),
        "subject_note": _("About the subject"),
        "persons": _("Persons"),
        "pre_existing": _("Pre-existing conditions"),
        "precertificate": _("Preliminary certificate"),
        "premium": _("Premium"),
        "prescription": _("Limitation period"),
        "packages_not_sold_alone": _("Packages not sold on their own"),
        "provisions": _("Provisions"),
        "purchase_within_days_of_return": _("Bought within (days of return)"),
        "question_languages": _("Question languages"),
        "questions": _("Questions"),
        "refer_band": _("Referred to an underwriter"),
        "refer_up_to": _("Referred up to"),
        "reinstatement": _("Reinstatement"),
        "reinstatement_months": _("Reinstatement (months)"),
        "reminder": _("Reminder"),
        "renewal": _("Renewal"),
        "renewal_lifts_max_age": _("Renewal lifts the maximum age"),
        "report_languages": _("Report languages"),
        "requires_cover": _("Requires a cover of"),
        "requires_precertificate": _("Requires a preliminary certificate"),
        "requires_student": _("Only students"),
        "requires_unmarried": _("Only unmarried"),
        "residence": _("Residence"),
        "resident": _("Resident"),
        "roles": _("Roles"),
        "sender_domain_from_partner": _("Sent from the partner's address"),
        "start": _("Start"),
        "steps": _("Steps"),
        "subject": _("Subject"),
        "symptoms": _("Symptoms"),
        "term": _("Term"),
        "termination": _("Termination"),
        "territory": _("Territory"),
        "to_years": _("To (years)"),
        "translation": _("Translation"),
        "type": _("Type"),
        "typical_diagnoses": _("Typical diagnoses (ICD-10)"),
        "unit": _("Unit"),
        "until_birthday": _("Until the birthday"),
        "usa": _("USA"),
        "usa_default_included": _("USA included by default"),
        "usa_option": _("USA option"),
        "valid": _("Valid"),
        "valid_months": _("Valid (months)"),
        "validity": _("Validity"),
        "validity_months": _("Validity (months)"),
        "value": _("Value"),
        "within_days_of_return": _("Within (days of return)"),
        "working_days_max": _("At most (working days)"),
        "working_days_min": _("At least (working days)"),
        "year_limit": _("Yearly limit"),
        "years": _("Years"),
        "chronic_days": _("Chronic disease (days)"),
        "acute_days": _("Acute disease (days)"),
        "request_missing_documents": _("Request for missing documents"),
        "request_missing_documents_working_days": _("Request for missing documents (working days)"),
        "decide_and_pay": _("Decision and payment"),
        "decide_and_pay_working_days": _("Decision and payment (working days)"),
        "final_answer": _("Final answer"),
        "final_answer_months": _("Final answer (months)"),
        "reasonable_cost": _("Reasonable cost"),
        "prescription_years": _("Limitation period (years)"),
        "lookback_months": _("Look-back (months)"),
        "note": _("Note"),
    }


def _label(name: str) -> str:
    return _labels().get(name) or name.replace("_", " ").capitalize()


def _scalar(value: Any, r: Reader) -> str | None:
    if isinstance(value, Text):
        return r.text(value)
    if isinstance(value, Limit):
        return limit_label(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, Enum):
        return r.code(str(value.value)) or ""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        return (r.code(value) or "") if _is_code(value) else value
    if isinstance(value, list) and all(not isinstance(v, BaseModel | dict) for v in value):
        parts = [_scalar(v, r) or "" for v in value]
        return ", ".join(p for p in parts if p)
    return None


def _is_code(value: str) -> bool:
    """``living-donor-transplant``, ``paid_until``, ``refer``: a lower-case identifier, not
    words for a reader."""
    return (
        bool(value)
        and value.isascii()
        and value.replace("-", "").replace("_", "").isalnum()
        and value == value.lower()
        and not value.isdigit()
    )


def outline(model: BaseModel, language: str | Reader) -> list[Node]:
    """The fields of ``model`` as nodes: lists of rules become titled items with their clause,
    plain fields become ``label: value``; a ``*_clause`` field attaches to its field's node
    (or stands alone when that field is empty). A field whose value is only codes that have
    no name is left out, never shown raw."""
    r = language if isinstance(language, Reader) else reader(model, language)
    r = r.within(model)
    fields = [
        (name, getattr(model, name))
        for name in type(model).model_fields
        if name not in _SKIP and name not in ("title", "name", "clause")
    ]
    clauses = {
        name.removesuffix("_clause"): value
        for name, value in fields
        if name.endswith("clause") and isinstance(value, str) and value
    }
    nodes: list[Node] = []
    for name, value in fields:
        if name.endswith("clause") and isinstance(value, str) or value in (None, [], {}):
            continue
        node = _field_node(name, value, r)
        if node is not None:
            node.clause = node.clause or clauses.pop(name, "")
            nodes.append(node)
    nodes.extend(Node(_label(base or "clause"), clause=clause) for base, clause in clauses.items())
    return nodes


def _field_node(name: str, value: Any, r: Reader) -> Node | None:
    text = _scalar(value, r)
    if text is not None:
        return Node(_label(name), text) if text else None
    if isinstance(value, BaseModel):
        return _item(_label(name), value, r)
    if isinstance(value, list):
        items = [_item(_title(v, r), v, r) for v in value if isinstance(v, BaseModel)]
        return Node(_label(name), children=items)
    if isinstance(value, dict):
        children = []
        for key, item in value.items():
            label = r.code(str(key)) if _is_code(str(key)) else str(key)
            if isinstance(item, BaseModel):
                children.append(_item(label or "", item, r))
            elif label and (shown := _scalar(item, r)):
                children.append(Node(label, shown))
        return Node(_label(name), children=children) if children else None
    return None


def _title(model: BaseModel, r: Reader) -> str:
    title = _text_title(model)
    if title is not None:
        return r.text(title)
    code = getattr(model, "code", "")
    return (r.code(str(code)) or "") if code else ""


def _item(label: str, model: BaseModel, r: Reader) -> Node:
    clause = getattr(model, "clause", "")
    return Node(
        label or _title(model, r),
        clause=clause if isinstance(clause, str) else "",
        children=outline(model, r),
    )
