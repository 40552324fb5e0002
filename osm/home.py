"""The core's own block on people's home pages: where they work."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from osm.access import Scope
from osm.models import Cluster, Province
from osm.registry import Panel


def scope_panel(request: HttpRequest, scope: Scope) -> list[Panel]:
    if not scope.is_authenticated or not (scope.roles or scope.is_superuser):
        return []
    if scope.sees_all:
        clusters = list(Cluster.objects.order_by("number"))
        return [
            Panel(
                _("All clusters"),
                "osm/_panel_scope.html",
                {"clusters": clusters, "provinces": []},
                order=900,
            )
        ]
    cluster_ids = scope.reader_clusters
    return [
        Panel(
            _("Where you work"),
            "osm/_panel_scope.html",
            {
                "clusters": list(Cluster.objects.filter(pk__in=cluster_ids)),
                "provinces": list(Province.objects.filter(pk__in=scope.officer_provinces)),
            },
            order=900,
        )
    ]


def people_panel(request: HttpRequest, scope: Scope) -> list[Panel]:
    """Managers' way to their people and agencies (OSM staff: per cluster)."""
    if not scope.manages_people:
        return []
    if scope.administers_all:
        clusters: list[Cluster] = []
    else:
        clusters = list(Cluster.objects.filter(pk__in=scope.staff_clusters).order_by("number"))
    return [
        Panel(
            _("People and agencies"),
            "osm/_panel_people.html",
            {"clusters": clusters, "all": scope.administers_all},
            order=850,
        )
    ]
