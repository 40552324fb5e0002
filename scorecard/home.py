"""The scorecard's blocks on people's home pages: what is due, and what waits for review."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from osm.access import Scope
from osm.lib.workflow import ReviewStatus
from osm.registry import Panel
from scorecard import selectors
from scorecard.models import Result


def due_panel(request: HttpRequest, scope: Scope) -> list[Panel]:
    panels = []
    if scope.officer_provinces:
        panels.append(
            Panel(
                _("Indicator results due"),
                "scorecard/_panel_due.html",
                {"rounds": selectors.due_for_officer(scope.officer_provinces)},
                order=10,
            )
        )
    if scope.staff_clusters:
        waiting = (
            Result.objects.filter(
                selectors.CURRENT,
                indicator__cluster_id__in=scope.staff_clusters,
                status=ReviewStatus.SUBMITTED,
            )
            .values("indicator__cluster_id", "indicator__cluster__name_th")
            .annotate(n=Count("id"))
            .order_by("indicator__cluster__name_th")
        )
        panels.append(
            Panel(
                _("Results waiting for your review"),
                "scorecard/_panel_review.html",
                {"clusters": list(waiting)},
                order=20,
            )
        )
    return panels
