"""``zdrave tariff check``: every tariff file (``products/<code>/<version>/tariff/*.yaml``)
against its schema and the product version it prices. Exits 1 printing every problem as
``file:line: path: rule``, like ``zdrave products check``."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zdrave.engine.tariff.loader import load_tariffs
from zdrave.engine.terms.loader import TermsError, load_catalog


class Command(BaseCommand):
    help = "Check the premium tariff files beside the product files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check"])
        parser.add_argument("--root", type=Path, default=None, help="product folder")

    def handle(self, *args: object, **options: object) -> None:
        root = Path(str(options["root"] or settings.PRODUCTS_DIR))
        try:
            book = load_tariffs(root, load_catalog(root))
        except TermsError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(exc.problems)} problem(s) in the tariff files", returncode=1
            ) from None
        for tariff in book.all():
            until = tariff.effective_to.isoformat() if tariff.effective_to else "open"
            self.stdout.write(
                f"{tariff.key}: {tariff.effective_from} to {until}, "
                f"{sum(len(o) for o in tariff.yearly_premiums.values())} package prices, "
                f"{len(tariff.age_bands)} age bands, {len(tariff.instalments)} payment plans "
                f"— {tariff.assumption.en}"
            )
        self.stdout.write(self.style.SUCCESS(f"{len(book.all())} tariff(s) valid"))
