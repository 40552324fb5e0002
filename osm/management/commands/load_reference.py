from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from osm import services


class Command(BaseCommand):
    help = "Load or refresh the 18 clusters and 76 provinces from the shipped CSV (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--reset-membership",
            action="store_true",
            help="Also put provinces and lead provinces back as the file says, undoing "
            "corrections made in the admin.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = services.reference_load(reset_membership=options["reset_membership"])
        self.stdout.write(
            f"clusters: {report.clusters_created} created, {report.clusters_updated} updated; "
            f"provinces: {report.provinces_created} created, {report.provinces_updated} updated"
        )
