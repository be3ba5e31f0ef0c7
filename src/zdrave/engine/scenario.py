"""Reading conformance scenarios (``docs/scenarios.md``).

A malformed scenario raises ``ScenarioError`` naming the field by its JSON path
(``claim.lines[0].amount``); the CLI prints it on standard error and exits 2.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from zdrave.engine.dates import EARLIEST, LATEST

# Larger amounts are typing errors, and a Decimal with thousands of digits cannot be rounded to
# cents within the context's 28 digits (``InvalidOperation``).
MAX_AMOUNT = Decimal("1000000000")
MAX_AMOUNT_TEXT = 32
MAX_INT = 1_000_000


class ScenarioError(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


_MISSING = object()


def get(data: Any, path: str, key: str, *, required: bool = True, default: Any = None) -> Any:
    if not isinstance(data, dict):
        raise ScenarioError(path or "(root)", "expected an object")
    value = data.get(key, _MISSING)
    if value is _MISSING or (value is None and required):
        if required:
            raise ScenarioError(_join(path, key), "is required")
        return default
    return value


def get_date(data: Any, path: str, key: str, *, required: bool = True) -> dt.date | None:
    value = get(data, path, key, required=required)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ScenarioError(_join(path, key), "expected a date YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ScenarioError(
            _join(path, key), f"not a valid date YYYY-MM-DD: {value[:40]!r}"
        ) from None
    if not EARLIEST <= day <= LATEST:
        raise ScenarioError(
            _join(path, key),
            f"must be between {EARLIEST.isoformat()} and {LATEST.isoformat()}, got {value}",
        )
    return day


def get_money(
    data: Any, path: str, key: str, *, required: bool = True, default: Decimal | None = None
) -> Decimal | None:
    value = get(data, path, key, required=required)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ScenarioError(_join(path, key), 'expected an amount such as "80.00"')
    text = str(value)
    if len(text) > MAX_AMOUNT_TEXT:
        raise ScenarioError(_join(path, key), f"an amount has at most {MAX_AMOUNT_TEXT} characters")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ScenarioError(_join(path, key), f"not an amount: {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise ScenarioError(_join(path, key), f"must be a non-negative amount, got {value!r}")
    if amount > MAX_AMOUNT:
        raise ScenarioError(_join(path, key), f"must be at most {MAX_AMOUNT}, got {value!r}")
    return amount


def get_int(
    data: Any,
    path: str,
    key: str,
    *,
    required: bool = True,
    default: int | None = None,
    minimum: int | None = 0,
    maximum: int = MAX_INT,
) -> int | None:
    value = get(data, path, key, required=required)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(_join(path, key), f"expected a whole number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ScenarioError(_join(path, key), f"must be at least {minimum}, got {value}")
    if value > maximum:
        raise ScenarioError(_join(path, key), f"must be at most {maximum}, got {value}")
    return value


def get_choice(
    data: Any,
    path: str,
    key: str,
    choices: tuple[str, ...],
    *,
    required: bool = True,
    default: str | None = None,
) -> str | None:
    value = get(data, path, key, required=required)
    if value is None:
        return default
    if value not in choices:
        raise ScenarioError(_join(path, key), f"must be one of {', '.join(choices)}; got {value!r}")
    return value


def get_list(data: Any, path: str, key: str, *, required: bool = True) -> list[Any]:
    value = get(data, path, key, required=required)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ScenarioError(_join(path, key), "expected a list")
    return value


def check_born_before(birth: dt.date | None, events: list[tuple[str, dt.date | None]]) -> None:
    """A claim for care before the person was born is impossible input, not a refusal: the
    birth date or the event date is mistyped, and no reason code could tell the user which."""
    if birth is None:
        return
    for field, day in events:
        if day is not None and day < birth:
            raise ScenarioError(
                "insured.birth_date",
                f"{birth.isoformat()} is after {field} ({day.isoformat()})",
            )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
