"""Rules a contract, a person on it and a cover must satisfy before they are written.

Every check raises ``django.core.exceptions.ValidationError`` with a dict of field → translated
message; each message names the field and the rule (and the clause, where a seed sets it).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zdrave.base.ui.validators import check_birth_date, check_date_in_range
from zdrave.contracts.identifiers import birth_date_from_egn, check_egn, check_lnch, sex_from_egn
from zdrave.contracts.models import Clause, ContractType, IdKind, MemberRole, Option
from zdrave.engine.adjudication.facts import ICD10_PATTERN_RE
from zdrave.engine.calendar import add_months
from zdrave.engine.money import CENT
from zdrave.engine.terms.rules import service_matches
from zdrave.products import terms

HEALTH = "health"
# 004 Чл.25 т.2: "броят на разсрочените вноски при едногодишен срок на договора не може да
# бъде по-голям от дванадесет" — counted per insurance year of a longer term.
MAX_INSTALMENTS_A_YEAR = 12
MAX_AMOUNT = Decimal("10000000.00")

# 004 Чл.24 т.2: who may be insured under each contract type.
ROLES_BY_CONTRACT_TYPE = {
    ContractType.INDIVIDUAL: {MemberRole.HOLDER},
    ContractType.FAMILY: {
        MemberRole.HOLDER,
        MemberRole.SPOUSE,
        MemberRole.COHABITANT,
        MemberRole.CHILD,
    },
    ContractType.GROUP: {MemberRole.EMPLOYEE},
}


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code="invalid")})


def _version_or_error(product_code: str, product_version: dt.date, field: str, message: str):
    """The terms of that product version, or an error on ``field`` whose ``message`` names the
    ``%(code)s`` and the ``%(date)s``."""
    try:
        return terms.terms(product_code, product_version)
    except terms.UnknownTerms:
        raise _error(
            field, message % {"code": product_code, "date": product_version.isoformat()}
        ) from None


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def check_identity(
    id_kind: str, id_number: str, birth_date: dt.date | None, sex: str
) -> tuple[str, dt.date, str]:
    """Normalise an insured person's identity: ЕГН gives birth date and sex (entered values must
    agree); ЛНЧ and passport need both entered. Returns (number, birth date, sex). The birth
    date lies between 1900 and today, whoever calls (form, API, command)."""
    number, birth, sex = _identity(id_kind, id_number, birth_date, sex)
    try:
        check_birth_date(birth, str(_("Date of birth")))
    except ValidationError as exc:
        raise ValidationError({"birth_date": exc}) from None
    return number, birth, sex


def _identity(
    id_kind: str, id_number: str, birth_date: dt.date | None, sex: str
) -> tuple[str, dt.date, str]:
    number = (id_number or "").strip().replace(" ", "")
    if id_kind == IdKind.EGN:
        try:
            number = check_egn(number)
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from None
        derived_birth, derived_sex = birth_date_from_egn(number), sex_from_egn(number)
        if birth_date and birth_date != derived_birth:
            raise _error(
                "birth_date",
                _("Date of birth: the ЕГН says %(date)s.")
                % {"date": derived_birth.strftime("%d.%m.%Y")},
            )
        return number, derived_birth, derived_sex
    if id_kind == IdKind.LNCH:
        try:
            number = check_lnch(number)
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from None
    elif id_kind == IdKind.PASSPORT:
        if not number.isalnum() or not 5 <= len(number) <= 20:
            raise _error(
                "id_number",
                _("Passport number: use 5 to 20 letters and digits, without spaces or signs."),
            )
        number = number.upper()
    else:
        raise _error("id_kind", _("Identity document: choose ЕГН, ЛНЧ or passport."))
    if birth_date is None:
        raise _error("birth_date", _("Date of birth: required for a person without an ЕГН."))
    if sex not in ("male", "female"):
        raise _error("sex", _("Sex: required for a person without an ЕГН."))
    return number, birth_date, sex


def check_contract_terms(
    product_code: str, product_version: dt.date, start: dt.date, end: dt.date
) -> None:
    """The product version exists and was on sale on the contract's start date."""
    if end <= start:
        raise _error("end", _("End: the contract must end after it starts."))
    if product_code not in terms.product_codes():
        raise _error(
            "product_code", _("Product: there is no product “%(code)s”.") % {"code": product_code}
        )
    version = _version_or_error(
        product_code,
        product_version,
        "product_version",
        _("Product version: %(code)s has no version in force from %(date)s."),
    )
    if not version.in_force_on(start):
        raise _error(
            "start",
            _("Start: version %(date)s of %(code)s is not on sale on %(start)s.")
            % {
                "date": product_version.isoformat(),
                "code": product_code,
                "start": start.isoformat(),
            },
        )


def check_member_role(contract_type: str, role: str, member_count: int) -> None:
    """004 Чл.24 т.2: individual contracts insure one person; family contracts the holder,
    spouse or cohabitant and children; group contracts employees of the group."""
    allowed = ROLES_BY_CONTRACT_TYPE.get(ContractType(contract_type), set())
    if role not in allowed:
        raise _error(
            "role",
            _(
                "Role on the contract: “%(role)s” is not allowed on a contract of type “%(type)s” (004 Чл.24 т.2)."
            )
            % {"type": _label(ContractType, contract_type), "role": _label(MemberRole, role)},
        )
    if contract_type == ContractType.INDIVIDUAL and member_count >= 1:
        raise _error(
            "person",
            _("Person: an individual contract insures exactly one person (004 Чл.24 т.2)."),
        )


def check_cover_terms(
    product_code: str, product_version: dt.date, package: int | None, option: str, clause: str
) -> None:
    """For ``health``: the package exists in that version and offers the option and the clause
    (002 package tables and VII legend). Other products are covered whole: no package fields."""
    version = _version_or_error(
        product_code,
        product_version,
        "product_code",
        _("Product: %(code)s has no version in force from %(date)s."),
    )
    if product_code != HEALTH or not version.packages:
        if package or option or clause:
            raise _error(
                "package",
                _("Package: %(code)s is covered as a whole, without packages.")
                % {"code": product_code},
            )
        return
    _check_health_package(version, package, option, clause)


def check_sold_with(product_code: str, product_version: dt.date, contract) -> None:
    """An add-on (``sold_with`` in the product data) goes only on a contract of a product it is
    sold with: Extra Care is a package of a health insurance (000 а) стъпка 1)."""
    version = terms.terms(product_code, product_version)
    if not version.sold_with or contract.product_code in version.sold_with:
        return
    language = get_language() or "bg"

    def name(code: str) -> str:
        try:
            return terms.version_in_force(code, contract.start).name.get(language)
        except terms.UnknownTerms:
            return code

    raise _error(
        "product_code",
        _(
            "Product: %(name)s is an add-on sold only with %(with)s (%(clause)s); "
            "this contract is %(contract)s."
        )
        % {
            "name": version.name.get(language),
            "with": ", ".join(name(code) for code in version.sold_with),
            "clause": version.sold_with_clause,
            "contract": name(contract.product_code),
        },
    )


def _check_health_package(version, package: int | None, option: str, clause: str) -> None:
    if package is None:
        raise _error("package", _("Package: choose one of the product's packages (002)."))
    found = version.package(package)
    if found is None:
        numbers = ", ".join(str(p.number) for p in version.packages)
        raise _error(
            "package",
            _(
                "Package: there is no package %(number)s; the product has packages %(numbers)s (002)."
            )
            % {"number": package, "numbers": numbers},
        )
    name = found.name.get(get_language() or "bg")
    offered = [o.value for o in found.options]
    if option not in offered:
        raise _error(
            "option",
            _(
                "Option: package %(number)s (%(name)s) does not offer the option %(option)s; it offers %(offered)s (%(clause)s)."
            )
            % {
                "number": found.number,
                "name": name,
                "option": _label(Option, option) if option else "—",
                "offered": ", ".join(_label(Option, o) for o in offered),
                "clause": found.clause,
            },
        )
    offered_clauses = [c.value for c in found.clauses]
    if not offered_clauses:
        if clause:
            raise _error(
                "clause",
                _("Clause: package %(number)s (%(name)s) has no clauses (%(clause)s).")
                % {"number": found.number, "name": name, "clause": found.clause},
            )
        return
    if clause not in offered_clauses:
        raise _error(
            "clause",
            _(
                "Clause: package %(number)s (%(name)s) is offered with clause %(offered)s, not %(given)s (002 VII)."
            )
            % {
                "number": found.number,
                "name": name,
                "offered": " / ".join(offered_clauses),
                "given": clause or "—",
            },
        )


def clause_label(clause: str) -> str:
    return _label(Clause, clause)


# ---- money, dates, premiums --------------------------------------------------------------


def check_amount(value, field: str, label: str, *, maximum: Decimal = MAX_AMOUNT) -> Decimal:
    """A positive amount in euro with at most two decimals, as a Decimal."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount.quantize(CENT) != amount:
        raise _error(
            field, _("%(field)s: enter an amount in euro such as 120.50.") % {"field": label}
        )
    if amount <= 0 or amount > maximum:
        raise _error(
            field,
            _("%(field)s: must be more than 0 and at most %(maximum)s EUR.")
            % {"field": label, "maximum": maximum},
        )
    return amount.quantize(CENT)


def check_past_date(value: dt.date | None, field: str, label: str) -> dt.date:
    """A date that has happened: given, within the platform's range, not after today (Sofia)."""
    if not isinstance(value, dt.date):
        raise _error(field, _("%(field)s: enter a date.") % {"field": label})
    try:
        check_birth_date(value, label)
    except ValidationError as exc:
        raise ValidationError({field: exc}) from None
    return value


def check_schedule(contract, instalments: Iterable) -> list[tuple[dt.date, Decimal]]:
    """A premium schedule for ``contract``: (due, amount) pairs, returned sorted by due date.
    004 Чл.25 т.2: the first instalment is paid when the contract is concluded (so falls due
    on or before its start), at most twelve in a year; every due date within the term;
    one instalment per due date."""
    label = _("Premium schedule")
    found: list[tuple[dt.date, Decimal]] = []
    for i, item in enumerate(instalments):
        try:
            due, amount = item
        except (TypeError, ValueError):
            raise _error(
                "instalments",
                _("%(field)s: instalment %(n)s needs a due date and an amount.")
                % {"field": label, "n": i + 1},
            ) from None
        if not isinstance(due, dt.date):
            raise _error(
                "instalments",
                _("%(field)s: instalment %(n)s needs a due date.") % {"field": label, "n": i + 1},
            )
        try:
            check_date_in_range(due, str(label))
        except ValidationError as exc:
            raise ValidationError({"instalments": exc}) from None
        field_label = _("Instalment %(n)s amount") % {"n": i + 1}
        found.append((due, check_amount(amount, "instalments", field_label)))
    if not found:
        raise _error("instalments", _("%(field)s: add at least one instalment.") % {"field": label})
    found.sort(key=lambda pair: pair[0])
    dues = [due for due, _amount in found]
    if len(set(dues)) != len(dues):
        raise _error(
            "instalments", _("%(field)s: two instalments fall due on one day.") % {"field": label}
        )
    if dues[0] > contract.start:
        raise _error(
            "instalments",
            _(
                "%(field)s: the first instalment is paid when the contract is concluded, so it "
                "falls due on or before the start, %(start)s (004 Чл.25 т.2)."
            )
            % {"field": label, "start": contract.start.isoformat()},
        )
    if dues[-1] > contract.end:
        raise _error(
            "instalments",
            _("%(field)s: every instalment falls due by the end of the contract, %(end)s.")
            % {"field": label, "end": contract.end.isoformat()},
        )
    counts = Counter(_insurance_year(contract.start, due) for due in dues)
    year, count = max(counts.items(), key=lambda pair: pair[1])
    if count > MAX_INSTALMENTS_A_YEAR:
        raise _error(
            "instalments",
            _(
                "%(field)s: at most %(max)s instalments in a year of the contract; "
                "%(count)s fall due in the year from %(from)s (004 Чл.25 т.2)."
            )
            % {
                "field": label,
                "max": MAX_INSTALMENTS_A_YEAR,
                "count": count,
                "from": add_months(contract.start, 12 * year).isoformat(),
            },
        )
    return found


def _insurance_year(start: dt.date, day: dt.date) -> int:
    """0 for the first year of a term starting ``start`` (and for a day before it), 1 for the
    second …"""
    year = 0
    while add_months(start, 12 * (year + 1)) <= day:
        year += 1
    return year


def check_termination(contract, on, reason: str, reasons: Iterable[str]) -> None:
    """A termination takes effect at 00:00 of ``on`` (004 Чл.27 т.2): a day from the start to
    the last day of cover (the day after it the contract simply expires, Чл.28 т.2)."""
    if reason not in reasons:
        raise _error("reason", _("Reason: choose why the contract ends (004 Чл.25, Чл.28)."))
    if not isinstance(on, dt.date):
        raise _error("on", _("Terminated as of: enter a date."))
    if not contract.start <= on <= contract.end:
        raise _error(
            "on",
            _(
                "Terminated as of: the date must fall within the contract "
                "(%(start)s – %(end)s); cover ends at 00:00 of it (004 Чл.27 т.2)."
            )
            % {"start": contract.start.isoformat(), "end": contract.end.isoformat()},
        )


# ---- special conditions (004 Чл.10, Чл.20, Чл.21(2), Чл.26) --------------------------------


def check_special_conditions(
    contract,
    *,
    excluded_icd10: Iterable[str],
    excluded_services: Iterable[str],
    waiting: Iterable[dict],
    limit,
    loading_percent,
) -> dict:
    """The fields of a person's special conditions, normalised: ICD-10 codes or ranges
    (``K07``, ``L60-L75``), service codes of the contract's product version (``2.8.e``, or
    ``2.8*`` for a group), waiting periods of whole months for some of either, a positive lower
    limit and a loading of 0–500 %."""
    version = _version_or_error(
        contract.product_code,
        contract.product_version,
        "excluded_services",
        _("Services: %(code)s has no version in force from %(date)s."),
    )
    codes = [service.code for _package, service in version.services()]
    found_waiting = []
    for i, item in enumerate(waiting):
        months = item.get("months") if isinstance(item, dict) else None
        if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 60:
            raise _error(
                "waiting",
                _("Waiting period %(n)s: give the months, from 1 to 60 (004 Чл.20).")
                % {"n": i + 1},
            )
        icd10 = _icd10_patterns(item.get("icd10", ()), "waiting")
        services = _service_patterns(item.get("services", ()), codes, "waiting")
        if not icd10 and not services:
            raise _error(
                "waiting",
                _("Waiting period %(n)s: name the diagnoses or the services it applies to.")
                % {"n": i + 1},
            )
        found_waiting.append({"months": months, "icd10": icd10, "services": services})
    return {
        "excluded_icd10": _icd10_patterns(excluded_icd10, "excluded_icd10"),
        "excluded_services": _service_patterns(excluded_services, codes, "excluded_services"),
        "waiting": found_waiting,
        "limit": None
        if limit is None
        else check_amount(limit, "limit", _("Lower aggregate limit (004 Чл.26 т.1)")),
        "loading_percent": None if loading_percent is None else _loading(loading_percent),
    }


def _icd10_patterns(items: Iterable[str], field: str) -> list[str]:
    found = []
    for item in items:
        code = item.strip().upper() if isinstance(item, str) else ""
        if not ICD10_PATTERN_RE.match(code):
            raise _error(
                field,
                _("Diagnoses: “%(code)s” is not an ICD-10 code or range such as K07 or L60-L75.")
                % {"code": item},
            )
        if code not in found:
            found.append(code)
    return found


def _service_patterns(items: Iterable[str], codes: list[str], field: str) -> list[str]:
    found = []
    for item in items:
        code = item.strip() if isinstance(item, str) else ""
        if not code or not any(service_matches(known, code) for known in codes):
            raise _error(
                field,
                _(
                    "Services: “%(code)s” is not a service of this contract's product; give a "
                    "code such as 2.8.e, or 2.8* for a whole group."
                )
                % {"code": item},
            )
        if code not in found:
            found.append(code)
    return found


def _loading(value) -> Decimal:
    try:
        loading = Decimal(str(value))
    except (InvalidOperation, ValueError):
        loading = None
    if loading is None or not loading.is_finite() or not 0 <= loading <= 500:
        raise _error(
            "loading_percent", _("Premium loading: a percentage from 0 to 500 (004 Чл.10).")
        )
    return loading.quantize(CENT)
