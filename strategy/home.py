"""The strategy app's blocks on people's home pages."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from osm.access import Scope
from osm.registry import Panel
from strategy.models import Plan, Review


def plan_panels(request: HttpRequest, scope: Scope) -> list[Panel]:
    """Staff: their cluster's plans with drafts to finish and reviews under way.
    Committee and province officers: the approved plan of their cluster to read.
    Central: how many clusters have an approved plan."""
    if not scope.is_authenticated:
        return []
    if scope.staff_clusters:
        plans = list(
            Plan.objects.filter(cluster_id__in=scope.staff_clusters)
            .exclude(status=Plan.Status.ARCHIVED)
            .select_related("cluster")
            .annotate(objective_count=Count("objectives"))
            .order_by("cluster__number", "-start_year", "-version")
        )
        reviews = list(
            Review.objects.filter(
                from_plan__cluster_id__in=scope.staff_clusters, decision=Review.Decision.PENDING
            ).select_related("to_plan", "from_plan")
        )
        return [
            Panel(
                _("Cluster plans to keep up to date"),
                "strategy/_panel_plans.html",
                {"plans": plans, "reviews": reviews, "staff": True},
                order=20,
            )
        ]
    clusters = scope.committee_clusters | scope.officer_clusters
    if clusters:
        plans = list(
            Plan.objects.filter(cluster_id__in=clusters, status=Plan.Status.APPROVED)
            .select_related("cluster")
            .annotate(objective_count=Count("objectives"))
        )
        return [
            Panel(
                _("Your cluster's strategy"),
                "strategy/_panel_plans.html",
                {"plans": plans, "reviews": [], "staff": False},
                order=20,
            )
        ]
    if scope.sees_all:
        counts = Plan.objects.aggregate(
            approved=Count("cluster", filter=Q(status=Plan.Status.APPROVED), distinct=True),
            drafts=Count("pk", filter=Q(status=Plan.Status.DRAFT)),
        )
        return [
            Panel(
                _("Cluster plans across the country"),
                "strategy/_panel_plans_central.html",
                counts,
                order=20,
            )
        ]
    return []
