"""``zdrave tariff check`` like ``zdrave products check``: a summary for good files, every problem
as file:line: path: rule and exit 1 for a bad one."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from zdrave.engine.terms.loader import default_products_root


def test_the_shipped_tariff_is_valid_and_says_it_is_an_assumption():
    out = io.StringIO()
    call_command("tariff", "check", stdout=out)
    assert "health@2022-11-01/tariff@2026-01-01" in out.getvalue()
    assert "Illustrative tariff" in out.getvalue()


def test_a_bad_tariff_is_refused_with_its_line(tmp_path):
    root = tmp_path / "products"
    shutil.copytree(default_products_root() / "health", root / "health")
    path = root / "health" / "2022-11-01" / "tariff" / "2026-01-01.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("count: 12", "count: 13"), encoding="utf-8"
    )
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("tariff", "check", "--root", str(root), stderr=err)
    assert caught.value.returncode == 1
    assert "2026-01-01.yaml:" in err.getvalue()
    assert "instalments[3].count" in err.getvalue()
