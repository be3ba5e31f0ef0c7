"""Rules a contract, a person on it and a cover must satisfy before they are written.

Every check raises ``django.core.exceptions.ValidationError`` with a dict of field → translated
message; each message names the field and the rule (and the clause, where a seed sets it).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zdrave.base.ui.validators import check_birth_date
from zdrave.contracts.identifiers import birth_date_from_egn, check_egn, check_lnch, sex_from_egn
from zdrave.contracts.models import Clause, ContractType, IdKind, MemberRole, Option
from zdrave.products import terms

HEALTH = "health"

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
