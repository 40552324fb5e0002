from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScorecardConfig(AppConfig):
    name = "scorecard"
    verbose_name = _("Scorecard")

    def ready(self) -> None:
        from osm import access, events, registry
        from scorecard import alerts, demo, documents, home, links
        from scorecard import cache as scorecard_cache
        from scorecard.access import ClusterOwnedPolicy, EvidencePolicy, ResultPolicy
        from scorecard.dependents import indicator_dependents
        from scorecard.models import (
            Evidence,
            Indicator,
            ProvinceTarget,
            ReportingRound,
            Result,
            Target,
        )
        from scorecard.services import indicators_follow_objectives

        access.register(Indicator, ClusterOwnedPolicy("cluster_id"))
        access.register(Target, ClusterOwnedPolicy("indicator__cluster_id"))
        access.register(ProvinceTarget, ClusterOwnedPolicy("indicator__cluster_id"))
        access.register(ReportingRound, ClusterOwnedPolicy("cluster_id"))
        access.register(Result, ResultPolicy())
        access.register(Evidence, EvidencePolicy())
        scorecard_cache.subscribe()
        registry.add_document_kind(documents.INDICATOR_SHEETS_KIND)
        registry.add_document_section("strategy.plan_book", documents.plan_book_section)
        registry.add_home_panels(home.due_panel)
        registry.add_related_links("cluster", links.cluster_links)
        registry.add_related_links("province", links.province_links)
        registry.add_related_links("objective", links.objective_links)
        registry.add_related_links("plan", links.plan_links)
        registry.add_nav(
            registry.NavItem(
                _("Scorecard"),
                "scorecard:index",
                lambda scope: bool(scope.roles) or scope.is_superuser,
                order=30,
            )
        )
        registry.add_demo_seeder(demo.seed, order=30)
        # Indicators follow their objective's lasting identity across plan versions: moved
        # in the approval's own transaction, so an approval never leaves them behind.
        events.subscribe(events.PLAN_APPROVED, indicators_follow_objectives, when=events.IMMEDIATE)
        registry.add_objective_dependents(indicator_dependents)
        for rule in alerts.rules():
            registry.add_alert_rule(rule)
