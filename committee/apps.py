from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("Committee")

    def ready(self) -> None:
        from committee import alerts, demo, documents, home, links, scale
        from committee.access import ActionItemPolicy, CommitteeOwnedPolicy, FollowUpNotePolicy
        from committee.models import (
            ActionItem,
            AgendaItem,
            AgendaPaper,
            Attendance,
            Committee,
            FollowUpNote,
            Meeting,
            Member,
            Minutes,
            Resolution,
        )
        from osm import access, registry

        access.register(Committee, CommitteeOwnedPolicy("cluster_id"))
        access.register(Member, CommitteeOwnedPolicy("committee__cluster_id"))
        access.register(Meeting, CommitteeOwnedPolicy("committee__cluster_id"))
        access.register(AgendaItem, CommitteeOwnedPolicy("meeting__committee__cluster_id"))
        access.register(AgendaPaper, CommitteeOwnedPolicy("item__meeting__committee__cluster_id"))
        access.register(Minutes, CommitteeOwnedPolicy("meeting__committee__cluster_id"))
        access.register(Attendance, CommitteeOwnedPolicy("minutes__meeting__committee__cluster_id"))
        access.register(Resolution, CommitteeOwnedPolicy("item__meeting__committee__cluster_id"))
        access.register(ActionItem, ActionItemPolicy())
        access.register(FollowUpNote, FollowUpNotePolicy())
        registry.add_nav(
            registry.NavItem(
                _("Committee"),
                "committee:index",
                lambda scope: bool(
                    scope.sees_all or scope.read_clusters or scope.officer_provinces
                ),
                order=50,
            )
        )
        registry.add_home_panels(home.panels)
        registry.add_page_links("osm.cluster", links.cluster_links)
        registry.add_page_links("strategy.plan", links.plan_links)
        registry.add_page_links("scorecard.indicator", links.indicator_links)
        registry.add_page_links("projects.project", links.project_links)
        registry.add_page_links("projects.actionplan", links.action_plan_links)
        documents.register()
        registry.add_demo_seeder(demo.seed, order=50)
        registry.add_scale_seeder(scale.scale_seed, order=50)
        for rule in alerts.rules():
            registry.add_alert_rule(rule)
