"""The answer at the front desk in words: the engine's ``front_desk_answer`` on the person's
real contract (``fetch.insured_on``) at the institution's agreed price, with each limit and
reason named in the reader's language. Reads only; ``actions.check_eligibility`` logs each
question."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from zdrave.claims.catalogue import HEALTH, language, service_label
from zdrave.claims.display import reason_text
from zdrave.contracts.models import ContractMember, InsuredPerson
from zdrave.engine.adjudication.front_desk import (
    FRONT_DESK_CODES,
    LimitKind,
    Remaining,
    front_desk_answer,
)
from zdrave.engine.adjudication.health import usage_from_history
from zdrave.engine.adjudication.index import ProductIndex, index_for
from zdrave.engine.decisions import Reason
from zdrave.products.display import option_label
from zdrave.products.terms import terms
from zdrave.providers.network.fetch import desk_price, insured_on
from zdrave.providers.network.models import Institution, Verdict

ZERO = Decimal("0.00")
OWN_CODES = {c.code: c for c in FRONT_DESK_CODES}


@dataclass(frozen=True)
class LimitLine:
    label: str
    money: bool
    limit: Decimal
    used: Decimal
    left: Decimal
    clause: str

    @property
    def percent(self) -> int:
        """Share used, 0–100, for the width of the bar."""
        if not self.limit:
            return 0
        return max(0, min(100, round(self.used * 100 / self.limit)))


@dataclass(frozen=True)
class ReasonLine:
    code: str
    text: str
    clause: str


@dataclass(frozen=True)
class Answer:
    verdict: str  # Verdict value
    service: str
    service_name: str
    day: dt.date
    person: InsuredPerson | None = None
    contract_number: str = ""
    covered_until: dt.date | None = None
    cover_text: str = ""
    price: Decimal | None = None
    insurer_pays: Decimal = ZERO
    member_pays: Decimal = ZERO
    limits: list[LimitLine] = field(default_factory=list)
    waiting_until: dt.date | None = None
    reasons: list[ReasonLine] = field(default_factory=list)

    @property
    def verdict_label(self) -> str:
        return _word(
            ("verdict", self.verdict, language()), lambda: str(Verdict(self.verdict).label)
        )

    @property
    def covered(self) -> bool:
        return self.verdict in (Verdict.COVERED, Verdict.COPAYMENT, Verdict.PREAUTHORISATION)


class UnknownService(LookupError):
    """The code is not a service row of the person's product terms."""


def answer_for(
    institution: Institution,
    service: str,
    day: dt.date,
    *,
    person: InsuredPerson | None,
    member: ContractMember | None,
) -> Answer:
    """What the desk is told about ``person`` (on their health ``member``ship on ``day``, see
    ``fetch.health_membership``) and ``service``. Raises ``UnknownService`` for a code the
    person's product does not have."""
    if person is None:
        return Answer(Verdict.NOT_FOUND, service, service, day)
    if member is None:
        return Answer(
            Verdict.NOT_COVERED,
            service,
            service,
            day,
            person=person,
            reasons=[
                ReasonLine(
                    "no-contract",
                    _("No health insurance contract covers this person on this day."),
                    "004 Чл.24 т.3",
                )
            ],
        )
    contract = member.contract
    version = terms(HEALTH, contract.product_version)
    index = index_for(version)
    info = index.services.get(service)
    if info is None:
        raise UnknownService(service)
    insured = insured_on(member, day=day)
    agreed = desk_price(member, institution, service)
    usage = usage_from_history(insured.case, index)
    served = institution.packages_of(HEALTH) if institution.in_network_on(day) else frozenset()
    result = front_desk_answer(
        insured.case,
        index,
        usage,
        service=service,
        day=day,
        price=agreed.price if agreed is not None else None,
        served_packages=served,
        flagged_for_preauthorisation=bool(agreed and agreed.needs_preauthorisation),
    )
    lang = language()
    cover = insured.case.covers.get(info.package_number)
    return Answer(
        verdict=result.verdict.value,
        service=service,
        service_name=_word(("service", service, lang), lambda: service_label(info, lang), index),
        day=day,
        person=person,
        contract_number=contract.number,
        covered_until=contract.end,
        cover_text=_word(
            ("cover", info.package_number, cover, lang),
            lambda: _cover_text(index, info.package_number, cover, lang),
            index,
        ),
        price=result.price,
        insurer_pays=result.insurer_pays,
        member_pays=result.member_pays,
        limits=[_limit_line(index, r, lang) for r in result.remaining],
        waiting_until=result.waiting_until,
        reasons=_reason_lines(result.reasons, version, lang),
    )


def _cover_text(index: ProductIndex, number: int, cover, lang: str) -> str:
    package = index.packages[number]
    name = f"{package.name.get(lang)} ({_('package %(number)s') % {'number': number}})"
    if cover is None:
        return name
    return f"{name} · {option_label(cover.option)} · {cover.clause}"


def _limit_line(index: ProductIndex, item: Remaining, lang: str) -> LimitLine:
    label = _word(
        ("limit", item.kind, item.holder, lang), lambda: _limit_label(index, item, lang), index
    )
    money = item.kind is not LimitKind.COUNT
    return LimitLine(label, money, item.limit, item.used, item.left, item.clause)


def _limit_label(index: ProductIndex, item: Remaining, lang: str) -> str:
    if item.kind is LimitKind.PACKAGE:
        label = _("Yearly limit of the package (subscription)")
    elif item.kind is LimitKind.AGGREGATE:
        label = _("Aggregate limit of the contract")
    else:
        holder = index.services.get(item.holder)
        if holder is not None:
            label = service_label(holder, lang)
        else:  # a heading row's group limit (002 II.12)
            package = index.packages[int(item.holder.split(".", 1)[0])]
            row = package.service(item.holder)
            label = row.name.get(lang) if row is not None else item.holder
        if item.kind is LimitKind.COUNT:
            label = _("%(row)s: times a year") % {"row": label}
    return label


# The answer's words (a service's name, a cover, a limit, a verdict) for each language, made
# once per process: the same few words at every check (issue 12, performance: translating them
# again was a tenth of a check's CPU). Keyed by what they are made of and by the language; those
# made from a product's index hold that index, so new terms (a reloaded product) make new words.
_WORDS: dict[tuple, tuple[object, str]] = {}


def _word(key: tuple, make, index: ProductIndex | None = None) -> str:
    key = (id(index), *key)
    found = _WORDS.get(key)
    if found is None or found[0] is not index:
        if len(_WORDS) > 10_000:  # a bound, never reached by the products' own words
            _WORDS.clear()
        found = _WORDS[key] = (index, make())
    return found[1]


def _reason_lines(reasons: tuple[Reason, ...], version, lang: str) -> list[ReasonLine]:
    found = []
    for reason in reasons:
        own = OWN_CODES.get(reason.code)
        if own is not None:
            text = own.en if lang.startswith("en") else own.bg
        else:
            text = reason_text(reason.to_json(), version, lang).text
        found.append(ReasonLine(reason.code, text, reason.clause))
    return found
