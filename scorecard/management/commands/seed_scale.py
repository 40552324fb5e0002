from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from scorecard.scale import scale_seed


class Command(BaseCommand):
    help = (
        "Build a national-scale scorecard data set (18 clusters, 76 provinces, 5 fiscal years, "
        "~1,200 indicators, ~100,000 results) for load tests and benchmarks. Clusters that "
        "already have it are skipped."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--years", type=int, default=5, help="Fiscal years, up to 2570.")
        parser.add_argument("--clusters", type=int, default=None, help="Only the first N.")

    def handle(self, *args: Any, **options: Any) -> None:
        years = range(2571 - options["years"], 2571)
        report = scale_seed(years=years, clusters=options["clusters"])
        self.stdout.write(
            f"{report.clusters} clusters: {report.indicators} indicators, {report.targets} "
            f"cluster targets, {report.province_targets} province targets, {report.rounds} "
            f"rounds, {report.results} results in {report.seconds:.1f} s"
        )
        # Apps built on the scorecard add their own national-scale data.
        from osm import registry

        for _order, seeder in registry.scale_seeders:
            self.stdout.write(seeder(years, options["clusters"]))
