from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "strategy"
    verbose_name = _("Strategy")

    def ready(self) -> None:
        from osm import access, registry
        from strategy import alerts, documents, home, links
        from strategy.access import PerspectivePolicy, PlanPartPolicy, PlanPolicy
        from strategy.demo import seed_demo_plan
        from strategy.models import (
            AlignmentTarget,
            Objective,
            ObjectiveLink,
            Perspective,
            Plan,
            StrategicIssue,
        )

        access.register(Plan, PlanPolicy())
        registry.add_document_kind(documents.PLAN_BOOK_KIND)
        # After the scorecard (30) and projects (40): the book prints the indicators.
        registry.add_demo_seeder(documents.seed_demo_plan_book, order=90)
        for model in (StrategicIssue, Objective, ObjectiveLink):
            access.register(model, PlanPartPolicy())
        access.register(Perspective, PerspectivePolicy())
        access.register(AlignmentTarget, access.PublicReferencePolicy())
        registry.add_nav(
            registry.NavItem(_("Strategy"), "strategy:plan-list", lambda scope: True, order=20)
        )
        registry.add_nav(
            registry.NavItem(
                _("National targets"),
                "strategy:target-list",
                lambda scope: scope.sees_all or bool(scope.staff_clusters),
                order=25,
            )
        )
        registry.add_home_panels(home.plan_panels)
        registry.add_related_links("cluster", links.cluster_links)
        registry.add_related_links("province", links.province_links)
        registry.add_demo_seeder(seed_demo_plan, order=20)
        for rule in alerts.rules():
            registry.add_alert_rule(rule)
