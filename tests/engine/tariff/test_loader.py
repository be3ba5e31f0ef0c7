"""The tariff files are checked like the product files: schema, then against the product
version they price; every problem names the file, the line and the rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from zdrave.engine.tariff.loader import load_tariff
from zdrave.engine.terms.loader import TermsError, default_products_root, load_catalog

ROOT = default_products_root()
VERSION = load_catalog(ROOT).version("health", effective_from="2022-11-01")
SHIPPED = ROOT / "health" / "2022-11-01" / "tariff" / "2026-01-01.yaml"


def bad(tmp_path: Path, old: str, new: str, name: str = "2026-01-01.yaml") -> str:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(TermsError) as caught:
        load_tariff(path, tmp_path, VERSION)
    return str(caught.value)


def test_the_shipped_tariff_loads():
    assert load_tariff(SHIPPED, ROOT, VERSION).effective_from.isoformat() == "2026-01-01"


def test_a_price_for_an_option_the_package_does_not_offer(tmp_path):
    message = bad(tmp_path, "3: {basic: 140", "3: {minimal: 90, basic: 140")
    assert "package 3 is not offered in the option minimal" in message
    assert "2026-01-01.yaml:" in message


def test_an_option_left_unpriced(tmp_path):
    message = bad(tmp_path, "luxury: 260}", "}")
    assert "package 6 is offered in the option luxury: price it" in message


def test_a_gap_between_age_bands(tmp_path):
    message = bad(tmp_path, "from_years: 40", "from_years: 41")
    assert "age bands must follow each other" in message


def test_004_chl25_t2_more_than_twelve_instalments(tmp_path):
    message = bad(tmp_path, "count: 12", "count: 24")
    assert "instalments[3].count" in message


def test_an_unknown_key(tmp_path):
    assert "unknown key" in bad(tmp_path, "currency: EUR", "currency: EUR\nrebate: 3")


def test_a_clause_citation_is_required(tmp_path):
    assert "clause citation" in bad(tmp_path, 'age_clause: "004 Чл.1"', 'age_clause: "Art. 1"')


def test_the_file_is_named_by_its_effective_date(tmp_path):
    assert "named 2026-02-01.yaml" in bad(tmp_path, "x", "x", name="2026-02-01.yaml")
