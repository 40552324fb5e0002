from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from strategy import services


class Command(BaseCommand):
    help = (
        "Load the national planning layers (strategy/data/national_plans.csv) as alignment "
        "targets. Idempotent; names corrected in the app are kept unless --overwrite."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--overwrite", action="store_true", help="Reset names and sources to the file's."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = services.alignment_targets_load(overwrite=options["overwrite"])
        self.stdout.write(
            f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}"
        )
