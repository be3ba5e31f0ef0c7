"""What a member may claim on the claim form: the people they may claim for whose health contract
is in force, the services of a kind of claim that the person's covers include in the
reimbursement form, and the documents each line needs (004 Приложение №1), read from the
product terms the contract was sold under. Reads only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zdrave.claims.abroad import abroad_members
from zdrave.claims.fetch import claimable_people, history_for, memberships_in_force
from zdrave.claims.models import ClaimForm, ClaimKind
from zdrave.contracts.models import ContractMember, Cover
from zdrave.engine.adjudication.documents import given_earlier, required_documents
from zdrave.engine.adjudication.facts import (
    ClaimFacts,
    ContractFacts,
    CoverFacts,
    HealthCase,
    InsuredFacts,
)
from zdrave.engine.adjudication.health import usage_from_history
from zdrave.engine.adjudication.index import ProductIndex, ServiceInfo, index_for
from zdrave.engine.adjudication.plan import plan_for
from zdrave.engine.adjudication.usage import Usage
from zdrave.engine.terms.health import Service
from zdrave.engine.terms.product import ProductVersion
from zdrave.products.terms import terms

HEALTH = "health"
REIMBURSEMENT = ClaimForm.REIMBURSEMENT.value

# Which rows of 002 each kind of claim offers: (package, categories of service; None = all).
# Package 4's stays in a single room and choice of team are hospital costs (004 Приложение №1
# II.1 names them); its nursing, home visits and transport are outpatient care (I.1). Package 1
# is run by the insurer in its network (002 I бел.*) and has no reimbursement form.
KIND_SCOPE: dict[str, tuple[tuple[int, frozenset[str] | None], ...]] = {
    ClaimKind.OUTPATIENT: (
        (2, None),
        (4, frozenset({"nursing", "home-visit", "transport", "rehabilitation"})),
    ),
    ClaimKind.HOSPITAL: ((3, None), (4, frozenset({"accommodation", "team-choice"}))),
    ClaimKind.DENTAL: ((6, None),),
    ClaimKind.MEDICINES: ((5, frozenset({"medicine"})),),
    ClaimKind.AIDS: ((5, frozenset({"aid", "optical"})),),
}
# A Best Doctors refund (001 / 003 §VII) is decided by the Best Doctors rules, not by the
# health engine the claims core runs: it is not offered on this form (docs/decisions.md).
OFFERED_KINDS: tuple[str, ...] = tuple(KIND_SCOPE)

KIND_HELP = {
    ClaimKind.OUTPATIENT: _(
        "Examinations by a doctor, tests, scans, physiotherapy, pregnancy check-ups, nursing "
        "and doctor's visits at home that you paid for yourself."
    ),
    ClaimKind.HOSPITAL: _(
        "A stay in hospital: treatment, an operation, giving birth, a single room or the "
        "medical team you chose."
    ),
    ClaimKind.DENTAL: _("Treatment by a dentist: fillings, root canals, extractions, cleaning."),
    ClaimKind.MEDICINES: _(
        "Medicines a doctor prescribed and you bought at a pharmacy (within 7 days of the "
        "prescription)."
    ),
    ClaimKind.AIDS: _(
        "Medical aids such as crutches or a hearing aid, and glasses or contact lenses a doctor "
        "prescribed."
    ),
}

# Kinds whose lines carry the date of the prescription and, for medicines, the days of
# treatment (004 Чл.21(1) т.28, т.35; Чл.29 т.5).
PRESCRIBED_KINDS = frozenset({ClaimKind.MEDICINES, ClaimKind.AIDS})
DOSE_KINDS = frozenset({ClaimKind.MEDICINES})

# How the condition arose, as the member can tell it (004 Чл.21(1)): the circumstances of the
# product's exclusions that a person knows about their own event. The kinds of medicine, dental
# work or test that other exclusions name are read from the documents by the claims team.
MEMBER_CIRCUMSTANCES = (
    (
        "sport",
        _("It happened in a sports competition, in training for one, or in an extreme sport"),
    ),
    ("war", _("It happened in a war, riot, strike, fight or other unrest")),
    ("natural-disaster", _("It happened in an earthquake or another natural disaster")),
    ("intoxicants", _("Alcohol, drugs or other intoxicating substances were involved")),
    ("self-harm", _("The injury was self-inflicted")),
    ("pre-existing", _("The condition existed before the insurance began")),
    (
        "planned-before-contract",
        _("The examination or treatment was planned before the insurance began"),
    ),
    ("medical-indication", _("A termination of pregnancy was done on medical grounds")),
)


@dataclass(frozen=True)
class Covered:
    """One person on a health contract in force, with the terms their claim is decided by."""

    member: ContractMember
    covers: dict[int, CoverFacts]
    version: ProductVersion

    @property
    def index(self) -> ProductIndex:
        return index_for(self.version)

    @cached_property
    def usage(self) -> Usage:
        """What the person's decided lines used of the limits (004 Чл.26), as the engine
        counts it for the next claim."""
        return usage_from_history(member_case(self.member, self.covers), self.index)

    @property
    def label(self) -> str:
        return f"{self.member.person.full_name} · {self.member.contract.number}"


def health_covers(member: ContractMember) -> dict[int, CoverFacts]:
    """The person's health packages: the contract's shared covers and their own."""
    rows = (
        Cover.objects.on(timezone.localdate())
        .filter(contract_id=member.contract_id, product_code=HEALTH)
        .filter(Q(member__isnull=True) | Q(member=member))
        .order_by("package", "id")
    )
    return {c.package: CoverFacts(c.package, c.option, c.clause) for c in rows if c.package}


def member_case(member: ContractMember, covers: dict[int, CoverFacts]) -> HealthCase:
    """The person's facts without a claim: enough for their usage and first-claim documents."""
    contract = member.contract
    return HealthCase(
        contract=ContractFacts(
            type=contract.type,
            start=contract.start,
            end=contract.end + dt.timedelta(days=1),
            paid_until=None,
            terminated_on=None,
            renewal_of_previous=False,
        ),
        covers=covers,
        insured=InsuredFacts(
            id=str(member.person_id),
            birth_date=member.person.birth_date,
            sex=None,
            covered_from=member.covered_from,
            covered_until=member.covered_until,
            nhif_rights=True,
        ),
        history=history_for(member.pk),
        claim=ClaimFacts(
            form=REIMBURSEMENT, submitted=None, diagnosis="", documents=frozenset(), lines=()
        ),
    )


def covered_people(user, *, today: dt.date | None = None) -> list[Covered]:
    """The people ``user`` may claim for (``fetch.claimable_people``: themselves and their
    children under 18 on a family contract they hold) on a health contract in force today."""
    today = today or timezone.localdate()
    people = [p.pk for p in claimable_people(user)]
    members = memberships_in_force(people, HEALTH, today)
    found = []
    for member in members:
        covers = health_covers(member)
        if covers:
            contract = member.contract
            found.append(Covered(member, covers, terms(HEALTH, contract.product_version)))
    return found


def covered_of(member: ContractMember) -> Covered:
    """``member`` with the terms their contract was sold under (a sent claim's person, whose
    contract may have ended since)."""
    contract = member.contract
    return Covered(
        member, health_covers(member), terms(contract.product_code, contract.product_version)
    )


def services_for(covered: Covered, kind: str) -> list[ServiceInfo]:
    """The rows of ``kind`` the person's covers include in the reimbursement form, in the order
    of 002: a row their option lacks, or whose clause or option has no reimbursement form
    (002 II.A, VII т.1), is not offered — the engine would refuse it whatever the documents."""
    index = covered.index
    found = []
    for package, categories in KIND_SCOPE.get(kind, ()):
        cover = covered.covers.get(package)
        if cover is None:
            continue
        for info in index.services.values():
            if info.package_number != package:
                continue
            if categories is not None and info.category not in categories:
                continue
            if not plan_for(index, info, cover, REIMBURSEMENT).refusals:
                found.append(info)
    return found


def language() -> str:
    return get_language() or "bg"


def parent_service(info: ServiceInfo) -> Service | None:
    """The row of 002 a lettered row stands under (``2.8`` for ``2.8.e``), if it has one."""
    parent_code = info.code.rsplit(".", 1)[0]
    parent = info.package.service(parent_code) if "." in parent_code else None
    return parent if parent is not None and parent.code != info.code else None


def service_label(info: ServiceInfo, lang: str | None = None) -> str:
    """A row's name with its parent's (``Imaging – MRI (without contrast)``): the lettered rows
    of 002 read like "by a specialist" on their own."""
    lang = lang or language()
    name = info.service.name.get(lang)
    parent = parent_service(info)
    if parent is not None:
        return f"{parent.name.get(lang)} – {name}"
    return name


def document_names(version: ProductVersion, lang: str | None = None) -> dict[str, str]:
    """Document key → its name in 004 Приложение №1, in the page's language."""
    lang = lang or language()
    return {d.key: d.name.get(lang) for d in version.rules.documents}


@dataclass(frozen=True)
class ChecklistItem:
    keys: tuple[str, ...]  # one key, or several of which any one will do
    names: tuple[str, ...]


def line_checklist(covered: Covered, service: str, diagnosis: str = "") -> list[ChecklistItem]:
    """The documents a line of ``service`` needs (the engine's rules of 004 Приложение №1);
    first-claim-only documents an earlier paid claim brought are left out."""
    names = document_names(covered.version)
    earlier = given_earlier(covered.usage)
    items = required_documents(covered.index, service, REIMBURSEMENT, diagnosis, earlier=earlier)
    found = []
    for item in items:
        keys = (item,) if isinstance(item, str) else tuple(item)
        found.append(ChecklistItem(keys, tuple(names.get(k, k) for k in keys)))
    return found


def circumstance_choices(index: ProductIndex) -> list[tuple[str, str]]:
    """The circumstances a member may declare that the product's exclusions (or their
    exceptions) use; one the product does not name is not asked about."""
    used = set(index.circumstance_exclusions)
    for lifting in index.lifted_by.values():
        used |= lifting
    return [(value, label) for value, label in MEMBER_CIRCUMSTANCES if value in used]


# -- Best Doctors refunds (001 / 003 §VII; claims.abroad) -----------------------------------------

KIND_HELP[ClaimKind.BEST_DOCTORS] = _(
    "Costs after treatment abroad under your Best Doctors insurance, such as medicines bought in "
    "Bulgaria after your return."
)


def abroad_people(user, *, today: dt.date | None = None) -> list[ContractMember]:
    """The people ``user`` may claim for on a Best Doctors contract in force today: they are
    offered ``ClaimKind.BEST_DOCTORS``."""
    return abroad_members([p.pk for p in claimable_people(user)], today)
