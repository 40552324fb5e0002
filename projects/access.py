"""Who may see and do what with projects (registered in ProjectsConfig.ready).

Staff of a cluster edit its projects and review their reports; committee and central read.
Officers read their cluster's projects and report only for projects that run in their
province, or whose responsible agency sits in it."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from osm.access import Action, Policy, Scope
from osm.lib.workflow import ReviewStatus


def _runs_in(scope: Scope, project_ref: str = "pk") -> Q:
    """Projects running in (or owned by an agency of) one of the officer's provinces."""
    from projects.models import ProjectProvince

    prefix = "" if project_ref == "pk" else project_ref.removesuffix("_id") + "__"
    return Q(
        Exists(
            ProjectProvince.objects.filter(
                project_id=OuterRef(project_ref), province_id__in=scope.officer_provinces
            )
        )
    ) | Q(**{f"{prefix}agency__province_id__in": scope.officer_provinces})


def may_report(scope: Scope, project: Any) -> bool:
    if scope.can_edit_cluster(project.cluster_id):
        return True
    if not scope.officer_provinces:
        return False
    if project.agency_id and project.agency.province_id in scope.officer_provinces:
        return True
    return bool(project.runs_in.filter(province_id__in=scope.officer_provinces).exists())


class ProjectPolicy(Policy):
    def visible(self, scope: Scope, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if scope.sees_all:
            return queryset
        return queryset.filter(cluster_id__in=scope.read_clusters | scope.officer_clusters)

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        if action == Action.VIEW:
            return scope.sees_all or obj.cluster_id in scope.read_clusters | scope.officer_clusters
        if action == Action.SUBMIT:
            return may_report(scope, obj)
        if action in (Action.EDIT, Action.REVIEW):
            return scope.can_edit_cluster(obj.cluster_id)
        return False


class ProgressReportPolicy(Policy):
    """Cluster readers see every report; an officer sees the reports of the projects they
    report for, and the approved reports of their cluster's other projects."""

    def visible(self, scope: Scope, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if scope.sees_all:
            return queryset
        q = Q(project__cluster_id__in=scope.read_clusters)
        if scope.officer_provinces:
            q |= Q(project__cluster_id__in=scope.officer_clusters) & (
                Q(status=ReviewStatus.APPROVED) | _runs_in(scope, "project_id")
            )
        return queryset.filter(q)

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        project = obj.project
        if action == Action.VIEW:
            return (
                scope.sees_all
                or project.cluster_id in scope.read_clusters
                or (
                    project.cluster_id in scope.officer_clusters
                    and (obj.status == ReviewStatus.APPROVED or may_report(scope, project))
                )
            )
        if action == Action.SUBMIT:
            return may_report(scope, project)
        if action in (Action.EDIT, Action.REVIEW):
            return scope.can_edit_cluster(project.cluster_id)
        return False


class ProgressEvidencePolicy(Policy):
    def visible(self, scope: Scope, queryset: QuerySet[Any]) -> QuerySet[Any]:
        from projects.models import ProgressReport

        reports = ProgressReportPolicy().visible(scope, ProgressReport.objects.all())
        return queryset.filter(report__in=reports)

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        return ProgressReportPolicy().allows(scope, action, obj.report)


class GovernmentTargetPolicy(Policy):
    """National figures: everyone signed in reads them; central administrators set them."""

    def visible(self, scope: Scope, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset if scope.is_authenticated else queryset.none()

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        if action == Action.VIEW:
            return scope.is_authenticated
        return scope.central or scope.is_superuser


def may_set_government_targets(scope: Scope) -> bool:
    return scope.central or scope.is_superuser
