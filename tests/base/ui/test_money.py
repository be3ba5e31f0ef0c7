"""The ``eur`` template filter shows money the Bulgarian way (zdrave.engine.money.format_eur)."""

from decimal import Decimal

import pytest
from django.template import Context, Template


def render(value) -> str:
    return Template("{% load money %}{{ value|eur }}").render(Context({"value": value}))


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1234.5"), "1\u202f234,50 €"),
        (Decimal("76.685"), "76,69 €"),  # half-up to the cent
        (Decimal("1000000"), "1\u202f000\u202f000,00 €"),
        (Decimal("-5"), "-5,00 €"),
        (0, "0,00 €"),
        ("150", "150,00 €"),
        (None, ""),
    ],
)
def test_eur_filter(value, shown):
    assert render(value) == shown


def test_floats_are_refused():
    with pytest.raises(TypeError, match="money must be a Decimal"):
        render(0.1)
