"""Writes to the catalog: loading validated product files into the database.

The files are the only way product data changes (every change reviewed and versioned in git),
so this is the only writer of ``Product``, ``ProductVersion`` and ``ServiceEntry``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from zdrave.engine.terms import ProductVersion
from zdrave.engine.terms.loader import Catalog
from zdrave.products import models as m
from zdrave.products.search import index_text


class CatalogRefused(Exception):
    """The load would change terms that contracts already rely on; nothing was written."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("\n".join(reasons))


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


def checksum(version: ProductVersion) -> str:
    """sha256 of the validated content: formatting and comments of the files do not count, and
    neither does a new schema field with a default (else every schema release would "change"
    versions that contracts use)."""
    canonical = json.dumps(
        version.model_dump(mode="json", exclude_defaults=True),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _usage_models() -> list[type[models.Model]]:
    """Models that name a product version the way contracts do: ``product_code`` plus the
    version's date in ``product_version`` (policies.Contract, policies.Cover, …). Found by
    shape so the catalog does not depend on the apps that depend on it."""
    found = []
    for model in apps.get_models():
        names = {f.name: f for f in model._meta.get_fields() if getattr(f, "concrete", False)}
        if "product_code" in names and isinstance(names.get("product_version"), models.DateField):
            found.append(model)
    return found


def version_in_use(code: str, effective_from: dt.date) -> list[str]:
    """Names of the models whose rows use this version (empty if none)."""
    return [
        model._meta.label
        for model in _usage_models()
        if model._default_manager.filter(product_code=code, product_version=effective_from).exists()
    ]


def load_products(catalog: Catalog, *, actor: str = "") -> LoadReport:
    """Store every version of ``catalog``: all or nothing, idempotent.

    A version whose content changed is replaced, unless contracts already use it (their terms
    must not move under them: a change needs a new version folder). A version no longer in
    the files is removed, under the same condition. Raises ``CatalogRefused`` listing every
    such version; the database is then unchanged.
    """
    report = LoadReport()
    refused: list[str] = []
    now = timezone.now()
    with transaction.atomic():
        stored = {
            (v.product.code, v.effective_from): v
            for v in m.ProductVersion.objects.select_related("product").select_for_update()
        }
        for version in catalog.all_versions():
            key = (version.product, version.effective_from)
            existing = stored.pop(key, None)
            digest = checksum(version)
            if existing is not None and existing.checksum == digest:
                report.unchanged.append(version.key)
                _save_product(version)
                _refresh_document(existing, version)
                continue
            if existing is not None:
                users = version_in_use(*key)
                if users:
                    refused.append(_refusal(version.key, "changed", users))
                    continue
                existing.delete()
                report.updated.append(version.key)
            else:
                report.created.append(version.key)
            _store_version(version, digest, now)
        for (code, effective_from), row in stored.items():
            label = f"{code}@{effective_from.isoformat()}"
            users = version_in_use(code, effective_from)
            if users:
                refused.append(_refusal(label, "removed from the files", users))
                continue
            row.delete()
            report.removed.append(label)
        if refused:
            raise CatalogRefused(refused)  # leaving the atomic block undoes every write
        m.Product.objects.exclude(versions__isnull=False).delete()
        if report.changed:
            m.CatalogLoad.objects.create(
                loaded_at=now,
                actor=actor,
                created=report.created,
                updated=report.updated,
                removed=report.removed,
            )
    return report


def _refusal(label: str, how: str, users: list[str]) -> str:
    return (
        f"{label}: {how}, but {', '.join(users)} already use it; publish the change as a new "
        "version folder instead"
    )


def _refresh_document(row: m.ProductVersion, version: ProductVersion) -> None:
    """Same meaning, newer schema: store the document in the shape the code now reads."""
    document = version.model_dump(mode="json")
    if row.document != document:
        row.document = document
        row.save(update_fields=["document"])


def _save_product(version: ProductVersion) -> m.Product:
    product, _ = m.Product.objects.update_or_create(
        code=version.product,
        defaults={"name_bg": version.name.bg, "name_en": version.name.en},
    )
    return product


def _store_version(version: ProductVersion, digest: str, now: dt.datetime) -> None:
    row = m.ProductVersion.objects.create(
        product=_save_product(version),
        effective_from=version.effective_from,
        effective_to=version.effective_to,
        checksum=digest,
        document=version.model_dump(mode="json"),
        loaded_at=now,
    )
    entries = []
    for package in version.packages:
        names = {s.code: s.name for s in package.services}
        for service in package.services:
            parent = names.get(service.code.rsplit(".", 1)[0]) if "." in service.code else None
            entries.append(
                m.ServiceEntry(
                    version=row,
                    position=len(entries),
                    package_number=package.number,
                    code=service.code,
                    heading=service.heading,
                    category=service.category.value if service.category else "",
                    name_bg=service.name.bg,
                    name_en=service.name.en,
                    parent_bg=parent.bg if parent else "",
                    parent_en=parent.en if parent else "",
                    keywords=service.keywords,
                    search_text=index_text(
                        service.name.bg,
                        service.name.en,
                        f"{parent.bg} {parent.en}" if parent else "",
                        service.keywords,
                    ),
                )
            )
    m.ServiceEntry.objects.bulk_create(entries)
