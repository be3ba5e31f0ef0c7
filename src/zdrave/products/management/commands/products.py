"""``zdrave products check`` validates the product files; ``zdrave products load`` also stores
them in the database (all or nothing). Both exit 1 and print every problem as
``file:line: path: rule`` when a file is bad."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zdrave.engine.terms import ProductVersion
from zdrave.engine.terms.loader import Catalog, TermsError, load_catalog
from zdrave.products.actions import CatalogRefused, load_products


def _rule_counts(version: ProductVersion) -> Counter[str]:
    rules = version.rules
    counts: Counter[str] = Counter(
        {
            "exclusions": len(rules.exclusions),
            "waiting periods": len(rules.waiting_periods),
            "purchase deadlines": len(rules.purchase_deadlines),
            "claim types": len(rules.claim_types),
            "claim-handling deadlines": 1 if rules.claim_handling else 0,
        }
    )
    for name, section in (
        ("underwriting rules", version.underwriting),
        ("abroad rules", version.abroad),
        ("member-service rules", version.member_services),
    ):
        counts[name] = _count_rules(section) if section is not None else 0
    return counts


def _count_rules(section: object) -> int:
    """Items carrying a clause anywhere in a section: its rules, whatever its schema calls them
    (the abroad and member-service schemas have their own shapes)."""
    rules = getattr(section, "rules", None)
    if isinstance(rules, list):
        return len(rules)
    total = 0
    for name in type(section).model_fields:  # type: ignore[attr-defined]
        value = getattr(section, name)
        items = value if isinstance(value, list) else [value]
        total += sum(1 for item in items if isinstance(getattr(item, "clause", None), str))
    return total


def summary(catalog: Catalog) -> list[str]:
    lines = []
    for code in catalog.products():
        versions = catalog.versions[code]
        lines.append(f"{code}: {len(versions)} version(s)")
        for v in versions:
            until = v.effective_to.isoformat() if v.effective_to else "open"
            services = [s for _, s in v.services() if not s.heading]
            lines.append(
                f"  {v.effective_from.isoformat()} to {until}: {len(v.packages)} packages, "
                f"{len(services)} services, {len(v.citations())} clause citations"
            )
            counts = _rule_counts(v)
            lines.append("    rules: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
    total = catalog.all_versions()
    lines.append(
        f"{len(catalog.products())} products, {len(total)} versions, "
        f"{sum(len(v.packages) for v in total)} packages, "
        f"{sum(1 for v in total for _, s in v.services() if not s.heading)} services, "
        f"{sum(sum(_rule_counts(v).values()) for v in total)} rules, "
        f"{sum(len(v.citations()) for v in total)} clause citations"
    )
    return lines


class Command(BaseCommand):
    help = "Check the product files (check) or check and store them in the database (load)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check", "load"])
        parser.add_argument(
            "--root",
            type=Path,
            default=None,
            help="product folder (default: settings.PRODUCTS_DIR, env ZDRAVE_PRODUCTS)",
        )

    def handle(self, *args: object, **options: object) -> None:
        root = options["root"] or settings.PRODUCTS_DIR
        try:
            catalog = load_catalog(Path(str(root)))
        except TermsError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(exc.problems)} problem(s) in the product files; nothing was loaded",
                returncode=1,
            ) from None
        for line in summary(catalog):
            self.stdout.write(line)
        if options["action"] == "load":
            self._load(catalog)

    def _load(self, catalog: Catalog) -> None:
        try:
            report = load_products(catalog, actor="zdrave products load")
        except CatalogRefused as exc:
            for reason in exc.reasons:
                self.stderr.write(reason)
            raise CommandError("refused; nothing was loaded", returncode=1) from None
        for label, keys in (
            ("created", report.created),
            ("updated", report.updated),
            ("removed", report.removed),
            ("unchanged", report.unchanged),
        ):
            if keys:
                self.stdout.write(f"{label}: {', '.join(keys)}")
        self.stdout.write(self.style.SUCCESS("loaded" if report.changed else "nothing changed"))
