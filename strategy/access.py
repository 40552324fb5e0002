"""Who sees and changes what in the strategy app.

Plans are read by everyone within their scope: central staff all clusters; OSM staff,
committee members and province officers their own cluster. Everyone else (anonymous visitors
included) reads approved plans only. OSM staff of the cluster edit the structure of *draft*
versions; approved and archived versions change only through a strategy review.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from osm.access import Action, Policy, Scope
from strategy.models import Plan


def _plan_filter(scope: Scope, prefix: str = "") -> Q | None:
    """None when the scope sees every plan."""
    if scope.sees_all:
        return None
    return Q(**{f"{prefix}cluster_id__in": scope.reader_clusters}) | Q(
        **{f"{prefix}status": Plan.Status.APPROVED}
    )


class PlanPolicy(Policy):
    prefix = ""

    def plan_of(self, obj: Any) -> Any:
        return obj

    def visible(self, scope: Scope, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        condition = _plan_filter(scope, self.prefix)
        return queryset if condition is None else queryset.filter(condition)

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        plan = self.plan_of(obj)
        if action == Action.VIEW:
            return scope.reads_cluster(plan.cluster_id) or plan.status == Plan.Status.APPROVED
        if action == Action.HISTORY:
            # An approved plan is public; who changed it, and a review's reason, are not.
            return scope.reads_cluster(plan.cluster_id)
        if action == Action.EDIT:
            return scope.can_edit_cluster(plan.cluster_id) and plan.status == Plan.Status.DRAFT
        if action == Action.REVIEW:
            # Start a review of, approve or otherwise decide on a version.
            return scope.can_edit_cluster(plan.cluster_id)
        return False


class PlanPartPolicy(PlanPolicy):
    """Issues, objectives and links follow the plan they belong to."""

    prefix = "plan__"

    def plan_of(self, obj: Any) -> Any:
        return obj.plan


class PerspectivePolicy(Policy):
    """Perspectives are readable by all; a cluster's OSM staff rename them."""

    def visible(self, scope: Scope, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        return queryset

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        if action == Action.VIEW:
            return True
        if action == Action.HISTORY:
            return scope.reads_cluster(obj.cluster_id)
        return action == Action.EDIT and scope.can_edit_cluster(obj.cluster_id)
