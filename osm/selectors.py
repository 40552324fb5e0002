from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from osm.models import Agency, Cluster, Province, RoleAssignment


def clusters_with_provinces(queryset: QuerySet[Cluster]) -> QuerySet[Cluster]:
    """Clusters with their lead province and member provinces (two queries)."""
    return queryset.select_related("lead_province").prefetch_related(
        Prefetch("provinces", queryset=Province.objects.order_by("name_th"))
    )


def agencies_of_cluster(cluster: Cluster) -> QuerySet[Agency]:
    return Agency.objects.filter(cluster=cluster).select_related("province")


def agencies_of_province(province: Province) -> QuerySet[Agency]:
    return Agency.objects.filter(province=province)


def role_assignments_for(user: Any) -> list[RoleAssignment]:
    if not user.is_authenticated:
        return []
    return list(RoleAssignment.objects.filter(user=user).select_related("cluster", "province"))
