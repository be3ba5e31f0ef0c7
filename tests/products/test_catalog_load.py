"""``zdrave products check`` / ``zdrave products load``: all or nothing, idempotent, and no
change under a version that contracts use."""

from __future__ import annotations

import datetime as dt
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zdrave.contracts import models as policies
from zdrave.products import fetch
from zdrave.products import models as m

pytestmark = pytest.mark.django_db


def run(action: str, root: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("products", action, "--root", str(root), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> list[tuple]:
    """Everything the catalog stores, to compare before and after a refused load."""
    return [
        *m.Product.objects.values_list("code", "name_bg", "name_en").order_by("code"),
        *m.ProductVersion.objects.values_list(
            "product__code", "effective_from", "effective_to", "checksum"
        ).order_by("product__code", "effective_from"),
        *m.ServiceEntry.objects.values_list("version_id", "code", "name_bg").order_by("id"),
    ]


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_check_prints_the_summary(products_root: Path) -> None:
    out, err = run("check", products_root)
    assert err == ""
    assert out.splitlines() == [
        "best-doctors: 1 version(s)",
        "  2019-02-01 to open: 0 packages, 0 services, 1 clause citations",
        "    rules: 1 exclusions, 0 waiting periods, 0 purchase deadlines, 0 claim types, "
        "0 claim-handling deadlines, 0 underwriting rules, 0 abroad rules, 0 member-service rules",
        "health: 2 version(s)",
        "  2022-11-01 to 2023-12-31: 1 packages, 1 services, 4 clause citations",
        "    rules: 0 exclusions, 0 waiting periods, 0 purchase deadlines, 0 claim types, "
        "0 claim-handling deadlines, 0 underwriting rules, 0 abroad rules, 0 member-service rules",
        "  2024-01-01 to open: 4 packages, 14 services, 53 clause citations",
        "    rules: 2 exclusions, 1 waiting periods, 1 purchase deadlines, 0 claim types, "
        "0 claim-handling deadlines, 0 underwriting rules, 0 abroad rules, 0 member-service rules",
        "2 products, 3 versions, 5 packages, 15 services, 5 rules, 58 clause citations",
    ]
    assert m.ProductVersion.objects.count() == 0  # check never writes


def test_check_of_a_bad_file_exits_1_printing_every_problem(products_root: Path) -> None:
    edit(products_root, "health/2024-01-01/rules.yaml", "icd10: [L70]", "icd10: [L7O]")
    edit(products_root, "best-doctors/2019-02-01/product.yaml", '"001 т.10.1"', '"001"')
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("products", "check", "--root", str(products_root), stderr=err)
    assert caught.value.returncode == 1
    assert str(caught.value) == "2 problem(s) in the product files; nothing was loaded"
    assert err.getvalue().splitlines() == [
        "products/best-doctors/2019-02-01/product.yaml:15: "
        'rules.exclusions["war"].clause: a clause citation must start with the seed file '
        "number and name the clause, e.g. '004 Чл.21(1) т.20'; got '001'",
        'products/health/2024-01-01/rules.yaml:7: rules.exclusions["acne"].match.icd10[0]: '
        "unknown ICD-10 code 'L7O'",
    ]


def test_load_stores_every_version_with_its_services(products_root: Path) -> None:
    out, _ = run("load", products_root)
    assert "created: best-doctors@2019-02-01, health@2022-11-01, health@2024-01-01" in out
    assert list(m.Product.objects.values_list("code", "name_bg")) == [
        ("best-doctors", "ДЗИ Бест Доктърс"),
        ("health", "Здравна застраховка"),
    ]
    version = m.ProductVersion.objects.get(product__code="health", effective_from="2024-01-01")
    assert version.services.count() == 18  # 14 services and 4 heading rows
    mri = version.services.get(code="2.8.e")
    assert (mri.name_bg, mri.parent_bg, mri.package_number) == (
        "ЯМР (без контраст)",
        "Клинико-инструментални изследвания:",
        2,
    )
    assert fetch.get_terms("health").find_service("2.8.e")[1].options["full"].limit.value == 1


def test_reloading_unchanged_files_changes_nothing(products_root: Path) -> None:
    run("load", products_root)
    before = snapshot()
    out, _ = run("load", products_root)
    assert "nothing changed" in out
    assert snapshot() == before
    assert m.CatalogLoad.objects.count() == 1  # only the first load is audited


def test_a_comment_is_not_a_change(products_root: Path) -> None:
    run("load", products_root)
    before = snapshot()
    path = products_root / "health/2024-01-01/packages/6-dental.yaml"
    path.write_text("# reviewed 2024-05\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    out, _ = run("load", products_root)
    assert "nothing changed" in out
    assert snapshot() == before


def test_a_changed_file_updates_only_its_version(products_root: Path) -> None:
    run("load", products_root)
    old = dict(m.ProductVersion.objects.values_list("effective_from", "checksum"))
    edit(
        products_root,
        "health/2024-01-01/packages/5-goods.yaml",
        "value: 120, currency: BGN",
        "value: 150, currency: BGN",
    )
    out, _ = run("load", products_root)
    assert "updated: health@2024-01-01" in out
    new = dict(m.ProductVersion.objects.values_list("effective_from", "checksum"))
    assert new[dt.date(2022, 11, 1)] == old[dt.date(2022, 11, 1)]
    assert new[dt.date(2024, 1, 1)] != old[dt.date(2024, 1, 1)]
    glasses = fetch.get_terms("health").find_service("5.3.b")[1]
    assert str(glasses.options["luxury"].limit.eur) == "76.69"  # 150 лв / 1.95583


def test_a_bad_product_loads_nothing_into_an_empty_database(products_root: Path) -> None:
    edit(
        products_root,
        "health/2024-01-01/packages/2-outpatient.yaml",
        "value: 150, currency: BGN",
        "value: -150, currency: BGN",
    )
    with pytest.raises(CommandError):
        run("load", products_root)
    assert snapshot() == []  # not even the good best-doctors product


def test_a_bad_product_leaves_the_loaded_catalog_as_it_was(products_root: Path) -> None:
    run("load", products_root)
    before = snapshot()
    edit(products_root, "best-doctors/2019-02-01/product.yaml", "War and acts", "Wars and acts")
    edit(products_root, "health/2024-01-01/rules.yaml", "icd10: [L70]", "icd10: [L7O]")
    with pytest.raises(CommandError):
        run("load", products_root)
    assert snapshot() == before


def _contract(code: str, version: dt.date) -> None:
    holder = policies.PolicyHolder.objects.create(
        kind=policies.HolderKind.values[0], name="Иван Петров", identifier="7501020018"
    )
    policies.Contract.objects.create(
        number="Z-1",
        type=policies.ContractType.values[0],
        holder=holder,
        product_code=code,
        product_version=version,
        start=dt.date(2024, 2, 1),
        end=dt.date(2025, 1, 31),
    )


def test_a_version_contracts_use_cannot_change(products_root: Path) -> None:
    run("load", products_root)
    _contract("health", dt.date(2024, 1, 1))
    before = snapshot()
    edit(
        products_root,
        "health/2024-01-01/packages/5-goods.yaml",
        "value: 120, currency: BGN",
        "value: 150, currency: BGN",
    )
    edit(products_root, "best-doctors/2019-02-01/product.yaml", "War and acts", "Wars and acts")
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("products", "load", "--root", str(products_root), stderr=err)
    assert str(caught.value) == "refused; nothing was loaded"
    assert err.getvalue() == (
        "health@2024-01-01: changed, but contracts.Contract already use it; publish the change "
        "as a new version folder instead\n"
    )
    assert snapshot() == before  # best-doctors' harmless change waits too: all or nothing


def test_a_version_contracts_use_reloads_when_unchanged(products_root: Path) -> None:
    run("load", products_root)
    _contract("health", dt.date(2024, 1, 1))
    out, _ = run("load", products_root)
    assert "nothing changed" in out


def test_a_version_contracts_use_cannot_be_removed(products_root: Path) -> None:
    run("load", products_root)
    _contract("health", dt.date(2022, 11, 1))
    before = snapshot()
    shutil.rmtree(products_root / "health/2022-11-01")
    with pytest.raises(CommandError):
        run("load", products_root)
    assert snapshot() == before


def test_an_unused_version_removed_from_the_files_is_removed(products_root: Path) -> None:
    run("load", products_root)
    shutil.rmtree(products_root / "best-doctors")
    out, _ = run("load", products_root)
    assert "removed: best-doctors@2019-02-01" in out
    assert list(m.Product.objects.values_list("code", flat=True)) == ["health"]


def test_a_schema_default_is_not_a_change_and_the_document_is_refreshed(
    products_root: Path,
) -> None:
    # A document stored by an older release lacks a field the schema has since gained with a
    # default; its meaning is the same, so a version contracts use still reloads.
    run("load", products_root)
    _contract("health", dt.date(2024, 1, 1))
    row = m.ProductVersion.objects.get(product__code="health", effective_from="2024-01-01")
    checksum = row.checksum
    del row.document["interpretations"]
    row.save()
    out, _ = run("load", products_root)
    assert "nothing changed" in out
    row.refresh_from_db()
    assert row.checksum == checksum
    assert row.document["interpretations"] == []
