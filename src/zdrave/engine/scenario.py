"""Reading conformance scenarios (``docs/scenarios.md``).

A malformed scenario raises ``ScenarioError`` naming the field by its JSON path
(``claim.lines[0].amount``); the CLI prints it on standard error and exits 2.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any


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
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ScenarioError(_join(path, key), f"not a valid date YYYY-MM-DD: {value!r}") from None


def get_money(
    data: Any, path: str, key: str, *, required: bool = True, default: Decimal | None = None
) -> Decimal | None:
    value = get(data, path, key, required=required)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ScenarioError(_join(path, key), 'expected an amount such as "80.00"')
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ScenarioError(_join(path, key), f"not an amount: {value!r}") from None
    if not amount.is_finite() or amount < 0:
        raise ScenarioError(_join(path, key), f"must be a non-negative amount, got {value!r}")
    return amount


def get_int(
    data: Any,
    path: str,
    key: str,
    *,
    required: bool = True,
    default: int | None = None,
    minimum: int | None = 0,
) -> int | None:
    value = get(data, path, key, required=required)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(_join(path, key), f"expected a whole number, got {value!r}")
    if minimum is not None and value < minimum:
        raise ScenarioError(_join(path, key), f"must be at least {minimum}, got {value}")
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


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
