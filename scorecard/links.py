"""Links from core and strategy pages to the scorecard (osm.registry related links)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from osm.access import Scope
from osm.registry import Link
from scorecard.models import Indicator


def _may_read(scope: Scope, cluster_id: int | None) -> bool:
    return cluster_id is not None and (
        scope.can_read_cluster(cluster_id) or cluster_id in scope.officer_clusters
    )


def cluster_links(cluster: Any, scope: Scope) -> list[Link]:
    if not _may_read(scope, cluster.pk):
        return []
    links = [
        Link(
            _("Cluster scorecard"),
            reverse("scorecard:cluster", args=[cluster.pk]),
            testid="link-scorecard",
        ),
        Link(_("Reporting rounds"), reverse("scorecard:round-list", args=[cluster.pk])),
    ]
    if scope.can_edit_cluster(cluster.pk):
        links.append(Link(_("Review queue"), reverse("scorecard:review", args=[cluster.pk])))
    return links


def province_links(province: Any, scope: Scope) -> list[Link]:
    if not _may_read(scope, province.cluster_id):
        return []
    return [
        Link(_("Province comparison"), reverse("scorecard:comparison", args=[province.cluster_id])),
    ]


def objective_links(objective: Any, scope: Scope) -> list[Link]:
    """The objective's indicators, and adding one for the cluster's staff."""
    cluster_id = objective.plan.cluster_id
    if not _may_read(scope, cluster_id):
        return []
    links = [
        Link(f"{i.code} {i.name}", i.get_absolute_url())
        for i in Indicator.objects.filter(objective=objective).order_by("order", "code")
    ]
    if scope.can_edit_cluster(cluster_id):
        links.append(
            Link(
                _("Add an indicator"),
                reverse("scorecard:indicator-create", args=[objective.pk]),
                primary=True,
                testid="add-indicator",
            )
        )
    return links


def plan_links(plan: Any, scope: Scope) -> list[Link]:
    """The next step after a plan's approval: indicators for its objectives."""
    if plan.status != "approved" or not _may_read(scope, plan.cluster_id):
        return []
    links = [
        Link(
            _("Cluster scorecard"),
            reverse("scorecard:cluster", args=[plan.cluster_id]),
            testid="plan-scorecard",
        )
    ]
    if scope.can_edit_cluster(plan.cluster_id):
        links.append(
            Link(
                _("Add indicators to the objectives"),
                reverse("scorecard:cluster", args=[plan.cluster_id]) + "#add-indicator",
                primary=True,
                testid="plan-add-indicators",
            )
        )
    return links


def objectives_for_new_indicators(cluster: Any) -> list[Any]:
    """The objectives of the cluster's approved plans, where staff add indicators, each with
    `n_indicators` (its indicators in use)."""
    from strategy.models import Objective

    return list(
        Objective.objects.filter(plan__cluster=cluster, plan__status="approved")
        .annotate(n_indicators=Count("indicators", filter=Q(indicators__retired_at__isnull=True)))
        .order_by("plan_id", "issue__order", "issue__code", "order", "code")
    )
