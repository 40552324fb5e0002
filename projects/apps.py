from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from osm import access, events, registry
        from projects import alerts, demo, dependents, documents, home, links, scale
        from projects.access import (
            GovernmentTargetPolicy,
            ProgressEvidencePolicy,
            ProgressReportPolicy,
            ProjectPolicy,
        )
        from projects.models import (
            ActionPlan,
            DisbursementPlan,
            GovernmentDisbursementTarget,
            Milestone,
            ProgressEvidence,
            ProgressReport,
            Project,
            ProjectProvince,
            ProjectSettings,
        )
        from projects.services.projects import projects_follow_objectives
        from scorecard.access import ClusterOwnedPolicy

        access.register(Project, ProjectPolicy())
        registry.add_document_kind(documents.ANNUAL_REPORT_KIND)
        access.register(ProgressReport, ProgressReportPolicy())
        access.register(ProgressEvidence, ProgressEvidencePolicy())
        access.register(GovernmentDisbursementTarget, GovernmentTargetPolicy())
        access.register(ActionPlan, ClusterOwnedPolicy("cluster_id"))
        access.register(ProjectSettings, ClusterOwnedPolicy("cluster_id"))
        access.register(ProjectProvince, ClusterOwnedPolicy("project__cluster_id"))
        access.register(Milestone, ClusterOwnedPolicy("project__cluster_id"))
        access.register(DisbursementPlan, ClusterOwnedPolicy("project__cluster_id"))
        # Projects follow their objective's lasting identity across plan versions.
        events.subscribe(events.PLAN_APPROVED, projects_follow_objectives)
        registry.add_home_panels(home.panels)
        registry.add_nav(
            registry.NavItem(
                _("Projects"),
                "projects:index",
                lambda scope: bool(scope.roles) or scope.is_superuser,
                order=40,
            )
        )
        registry.add_demo_seeder(demo.seed, order=40)
        registry.add_scale_seeder(scale.scale_seed, order=40)
        registry.add_objective_dependents(dependents.project_dependents)
        registry.add_page_links("osm.cluster", links.cluster_links)
        registry.add_page_links("strategy.objective", links.objective_links)
        registry.add_page_links("scorecard.indicator", links.indicator_links)
        registry.add_related_links("alert-settings", links.alert_settings_links)
        for rule in alerts.rules():
            registry.add_alert_rule(rule)
