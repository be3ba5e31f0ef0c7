"""The premium tariff: reviewed data next to the product terms (``products/<code>/<version>/
tariff/<effective-from>.yaml``), read by ``loader`` into a ``Tariff`` (``schema``), and the pure
premium computation (``price``). The seeds give no prices: every tariff carries its
``assumption`` text, shown wherever a premium is."""

from zdrave.engine.tariff.price import (
    Choice,
    PersonPrice,
    PersonRequest,
    QuoteError,
    QuotePrice,
    QuoteRequest,
    cover_begins,
    price_quote,
)
from zdrave.engine.tariff.schema import Tariff

__all__ = [
    "Choice",
    "PersonPrice",
    "PersonRequest",
    "QuoteError",
    "QuotePrice",
    "QuoteRequest",
    "Tariff",
    "cover_begins",
    "price_quote",
]
