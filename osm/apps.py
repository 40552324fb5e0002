from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OsmConfig(AppConfig):
    name = "osm"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from osm import access, audit, home, registry
        from osm.models import Cluster, Province
        from osm.people import rules

        audit.connect_sqlite_triggers()
        for model in (Cluster, Province):
            access.register(model, access.PublicReferencePolicy())
        rules.register_policies()
        registry.add_home_panels(home.scope_panel)
        registry.add_nav(
            registry.NavItem(_("Clusters"), "osm:cluster-list", lambda scope: True, order=90)
        )
        registry.add_nav(
            registry.NavItem(
                _("People"),
                "osm:people-list",
                lambda scope: scope.manages_people or scope.sees_all,
                order=92,
            )
        )
        registry.add_nav(
            registry.NavItem(
                _("Agencies"),
                "osm:agency-list",
                lambda scope: scope.manages_people or scope.sees_all,
                order=94,
            )
        )
        registry.add_home_panels(home.people_panel)
        from osm.alerts import scale
        from osm.alerts.home import alerts_panel, cluster_links
        from osm.documents.alerts import DOCUMENT_FAILED

        registry.add_home_panels(alerts_panel)
        registry.add_related_links("cluster", cluster_links)
        registry.add_scale_seeder(scale.scale_seed, order=90)
        registry.add_alert_rule(DOCUMENT_FAILED)
        registry.add_nav(
            registry.NavItem(
                _("Early warnings"),
                "alerts:index",
                lambda scope: scope.sees_all or bool(scope.read_clusters),
                order=80,
            )
        )
