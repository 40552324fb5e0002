"""The projects' blocks on people's home pages: reports due for officers, reviews waiting
for staff."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osm.access import Scope
from osm.lib import dates
from osm.lib.workflow import ReviewStatus
from osm.registry import Panel
from projects import selectors
from projects.models import ProgressReport


def panels(request: HttpRequest, scope: Scope) -> list[Panel]:
    found = []
    if scope.officer_provinces:
        # Progress is reported at the end of each quarter: this quarter's report is due.
        period = dates.fiscal_quarter_of(timezone.localdate())
        due = list(
            selectors.due_for_officer(scope.officer_provinces, period.year, period.quarter)[:20]
        )
        found.append(
            Panel(
                _("Project progress reports due"),
                "projects/_panel_due.html",
                {"projects": due, "period": period},
                order=15,
            )
        )
    if scope.staff_clusters:
        waiting = (
            ProgressReport.objects.filter(
                project__cluster_id__in=scope.staff_clusters, status=ReviewStatus.SUBMITTED
            )
            .values("project__cluster_id", "project__cluster__name_th")
            .annotate(n=Count("id"))
            .order_by("project__cluster__name_th")
        )
        found.append(
            Panel(
                _("Progress reports waiting for your review"),
                "projects/_panel_review.html",
                {"clusters": list(waiting), "staff_clusters": sorted(scope.staff_clusters)},
                order=25,
            )
        )
    return found
