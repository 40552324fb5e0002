"""Who may see and do what with scorecard objects (registered in ScorecardConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from osm.access import Action, Policy, Scope
from osm.lib.workflow import ReviewStatus


class ClusterOwnedPolicy(Policy):
    """Indicators, targets and rounds: read within the cluster, edited by its OSM staff."""

    def __init__(self, cluster_path: str) -> None:
        self.cluster_path = cluster_path

    def _cluster_id(self, obj: Any) -> int:
        value = obj
        for part in self.cluster_path.split("__"):
            value = getattr(value, part if part.endswith("_id") else part)
        return value  # type: ignore[no-any-return]

    def visible(self, scope: Scope, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if scope.sees_all:
            return queryset
        return queryset.filter(**{f"{self.cluster_path}__in": scope.reader_clusters})

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        cluster_id = self._cluster_id(obj)
        if action in (Action.VIEW, Action.HISTORY):
            # Officers read their cluster's indicators, targets and rounds.
            return scope.reads_cluster(cluster_id)
        return scope.can_edit_cluster(cluster_id)


class ResultPolicy(Policy):
    """Staff, committee and central read every result of their clusters; an officer reads
    their own province's results and only the approved results of other provinces."""

    def visible(self, scope: Scope, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if scope.sees_all:
            return queryset
        q = Q(indicator__cluster_id__in=scope.read_clusters) | Q(
            province_id__in=scope.officer_provinces
        )
        if scope.officer_clusters:
            q |= Q(indicator__cluster_id__in=scope.officer_clusters, status=ReviewStatus.APPROVED)
        return queryset.filter(q)

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        cluster_id = obj.indicator.cluster_id
        if action == Action.VIEW:
            return (
                scope.sees_all
                or cluster_id in scope.read_clusters
                or obj.province_id in scope.officer_provinces
                or (cluster_id in scope.officer_clusters and obj.status == ReviewStatus.APPROVED)
            )
        if action == Action.HISTORY:
            # Who entered, returned or reopened a value, and why: the cluster's readers and
            # the province that reports it, not other provinces' officers.
            return (
                scope.sees_all
                or cluster_id in scope.read_clusters
                or obj.province_id in scope.officer_provinces
            )
        if action == Action.SUBMIT:
            if obj.province_id is None:  # the cluster's own value: its OSM staff report it
                return scope.can_edit_cluster(cluster_id)
            return scope.is_superuser or obj.province_id in scope.officer_provinces
        if action in (Action.REVIEW, Action.EDIT):
            return scope.can_edit_cluster(cluster_id)
        return False


class EvidencePolicy(Policy):
    """Evidence follows its result, but stays with its province: staff, committee and
    central read all of their clusters' evidence; an officer only their own provinces'
    (not the evidence behind other provinces' approved results)."""

    def visible(self, scope: Scope, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if scope.sees_all:
            return queryset
        return queryset.filter(
            Q(result__indicator__cluster_id__in=scope.read_clusters)
            | Q(result__province_id__in=scope.officer_provinces)
        )

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        result = obj.result
        if action == Action.VIEW:
            return (
                scope.sees_all
                or result.indicator.cluster_id in scope.read_clusters
                or result.province_id in scope.officer_provinces
            )
        return ResultPolicy().allows(scope, action, result)
