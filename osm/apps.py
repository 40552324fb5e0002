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
