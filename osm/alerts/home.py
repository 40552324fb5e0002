"""The early-warning block on the home page of staff, committee members and central users."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osm.access import Scope
from osm.alerts.selectors import counts_per_cluster
from osm.models import Cluster
from osm.registry import Link, Panel


def alerts_panel(request: HttpRequest, scope: Scope) -> list[Panel]:
    if not (scope.sees_all or scope.read_clusters):
        return []
    clusters = Cluster.objects.all()
    if not scope.sees_all:
        clusters = clusters.filter(pk__in=scope.read_clusters)
    rows = counts_per_cluster(clusters)
    if scope.sees_all:
        rows = [r for r in rows if r.total]
    return [
        Panel(
            _("Early warnings"),
            "osm/_panel_alerts.html",
            {"rows": rows, "national": scope.sees_all},
            order=15,
        )
    ]


def cluster_links(cluster: Any, scope: Scope) -> list[Link]:
    """The cluster page links to its open early warnings for those who read them."""
    if not scope.can_read_cluster(cluster.pk):
        return []
    return [Link(_("Early warnings"), reverse("alerts:cluster", args=[cluster.pk]))]
