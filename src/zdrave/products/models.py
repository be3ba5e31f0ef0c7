"""The product catalog as stored for pages, search and other apps.

The product files under ``products/`` are the source of truth; ``zdrave products load`` copies
each validated version here (``actions.load_products``) so a page never re-reads YAML. Nothing
here is edited by hand: the admin is read-only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Product(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_bg = models.CharField(_("name (Bulgarian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return self.code

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_bg


class ProductVersion(models.Model):
    """One folder ``products/<code>/<effective_from>/``, validated, as JSON."""

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="versions", verbose_name=_("product")
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    # sha256 of the validated document (canonical JSON), so a comment or re-indented file is
    # not a change but any change of meaning is.
    checksum = models.CharField(_("content checksum"), max_length=64)
    document = models.JSONField(_("validated terms"))
    loaded_at = models.DateTimeField(_("loaded at"))

    class Meta:
        ordering = ["product__code", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "effective_from"], name="catalog_one_version_per_date"
            )
        ]
        verbose_name = _("product version")
        verbose_name_plural = _("product versions")

    def __str__(self) -> str:
        return f"{self.product.code}@{self.effective_from.isoformat()}"

    def in_force_on(self, day) -> bool:  # type: ignore[no-untyped-def]
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


class ServiceEntry(models.Model):
    """One row of a package table, flattened for listing and search."""

    version = models.ForeignKey(
        ProductVersion,
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("product version"),
    )
    position = models.PositiveIntegerField(_("position"))  # order of the rows in the files
    package_number = models.PositiveSmallIntegerField(_("package"))
    code = models.CharField(_("code"), max_length=32)
    heading = models.BooleanField(_("heading row"), default=False)
    category = models.CharField(_("category"), max_length=32, blank=True)
    name_bg = models.TextField(_("name (Bulgarian)"))
    name_en = models.TextField(_("name (English)"))
    # The heading row above a dash row ("Преглед при необходимост…" above "от специалист"):
    # a dash row's own name makes no sense alone.
    parent_bg = models.TextField(_("group (Bulgarian)"), blank=True)
    parent_en = models.TextField(_("group (English)"), blank=True)
    keywords = models.JSONField(_("keywords"), default=list)
    # catalog.search.index_text: the names, the group and the keywords, normalised (lower case,
    # Latin letters, stemmed), one line each.
    search_text = models.TextField(_("search text"))

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="catalog_one_service_per_code")
        ]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return f"{self.code} {self.name_bg}"

    def name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_bg

    def parent(self, language: str) -> str:
        return self.parent_en if language.startswith("en") else self.parent_bg


class CatalogLoad(models.Model):
    """Audit of one ``zdrave products load`` that changed something."""

    loaded_at = models.DateTimeField(_("loaded at"))
    actor = models.CharField(_("by"), max_length=150, blank=True)
    created = models.JSONField(_("versions created"), default=list)
    updated = models.JSONField(_("versions updated"), default=list)
    removed = models.JSONField(_("versions removed"), default=list)

    class Meta:
        ordering = ["-loaded_at"]
        verbose_name = _("catalog load")
        verbose_name_plural = _("catalog loads")

    def __str__(self) -> str:
        return f"{self.loaded_at:%Y-%m-%d %H:%M}"
