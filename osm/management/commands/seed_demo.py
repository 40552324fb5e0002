from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from osm import demo


class Command(BaseCommand):
    help = "Create demo users (one per role, password demo1234) and demo data. Idempotent."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Refusing to create demo users with DEBUG off: their password is public. "
                "Use --force only on a throw-away server."
            )
        context = demo.demo_seed()
        for line in context.log:
            self.stdout.write(line)
        self.stdout.write(
            self.style.WARNING(
                f"Demo users (demo only — never on a real server), password '{demo.DEMO_PASSWORD}':"
            )
        )
        for username in context.users:
            self.stdout.write(f"  {username}")
