"""Reads of the projects app. The integration figures are computed in the database with
aggregates (one query per table, whatever the number of projects)."""

from __future__ import annotations

from typing import Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce

from osm.lib.workflow import ReviewStatus
from osm.models import Cluster
from projects.figures import BUDGET, ZERO, year_projects, zero  # noqa: E402
from projects.models import (
    ProgressReport,
    Project,
    ProjectProvince,
)

# --- Lists ------------------------------------------------------------------------------------


def project_list(queryset: QuerySet[Project], filters: dict[str, Any]) -> QuerySet[Project]:
    """Projects matching the list's filters, with what the list shows (no query per row)."""
    qs = queryset
    if filters.get("year"):
        qs = qs.filter(fiscal_year=filters["year"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("source"):
        qs = qs.filter(source=filters["source"])
    if filters.get("issue"):
        qs = qs.filter(objective__issue_id=filters["issue"])
    if filters.get("objective"):
        qs = qs.filter(objective_id=filters["objective"])
    if filters.get("province"):
        qs = qs.filter(
            Exists(
                ProjectProvince.objects.filter(
                    project_id=OuterRef("pk"), province_id=filters["province"]
                )
            )
        )
    if filters.get("indicator"):
        qs = qs.filter(indicators=filters["indicator"])
    if filters.get("q"):
        text = filters["q"]
        qs = qs.filter(Q(name_th__icontains=text) | Q(code__icontains=text))
    return qs.select_related("objective__issue", "agency", "cluster").order_by(
        "-fiscal_year", "rank", "code"
    )


def with_provinces(projects: list[Project]) -> list[Project]:
    """Attach `province_names` to each project with one query."""
    names: dict[int, list[str]] = {}
    rows = (
        ProjectProvince.objects.filter(project_id__in=[p.pk for p in projects])
        .order_by("province__name_th")
        .values_list("project_id", "province__name_th")
    )
    for project_id, name in rows:
        names.setdefault(project_id, []).append(name)
    for project in projects:
        project.province_names = names.get(project.pk, [])  # type: ignore[attr-defined]
    return projects


def project_for_page(queryset: QuerySet[Project]) -> QuerySet[Project]:
    return queryset.select_related(
        "cluster", "objective__issue", "objective__plan", "agency__province", "owner"
    ).prefetch_related("indicators", "provinces", "milestones", "disbursement_plans")


# --- Gaps and people ------------------------------------------------------------------------


def projects_without_indicator(cluster_id: int, fiscal_year: int) -> QuerySet[Project]:
    through = Project.indicators.through
    return (
        year_projects(cluster_id, fiscal_year)
        .filter(~Exists(through.objects.filter(project_id=OuterRef("pk"))))
        .select_related("objective", "agency")
        .order_by("rank", "code")
    )


def objectives_without_project(cluster_id: int, fiscal_year: int) -> QuerySet[Any]:
    from strategy.models import Objective, Plan

    return (
        Objective.objects.filter(plan__cluster_id=cluster_id, plan__status=Plan.Status.APPROVED)
        .filter(~Exists(year_projects(cluster_id, fiscal_year).filter(objective_id=OuterRef("pk"))))
        .select_related("issue", "plan")
        .order_by("plan_id", "order", "code")
    )


def people(cluster: Cluster, fiscal_year: int, quarter: int) -> dict[str, list[dict[str, Any]]]:
    """Who owns what: per agency, the indicators and projects it is responsible for; per
    responsible officer, their projects and open tasks (reports to write or correct, the
    quarter's report missing). A few grouped queries."""
    from scorecard.models import Indicator

    projects = year_projects(cluster.pk, fiscal_year)
    reportable = Q(status__in=[Project.Status.APPROVED, Project.Status.IN_PROGRESS])
    missing = ~Exists(ProgressReport.objects.filter(project_id=OuterRef("pk"), quarter=quarter))
    open_reports = Count(
        "reports",
        filter=Q(reports__status__in=[ReviewStatus.DRAFT, ReviewStatus.RETURNED]),
        distinct=True,
    )
    waiting = Count("reports", filter=Q(reports__status=ReviewStatus.SUBMITTED), distinct=True)
    agencies: dict[Any, dict[str, Any]] = {}
    for row in (
        Indicator.objects.filter(cluster=cluster)
        .values("owner_agency_id", "owner_agency__name_th")
        .annotate(indicators=Count("id"))
    ):
        agencies[row["owner_agency_id"]] = {
            "agency": row["owner_agency__name_th"],
            "indicators": row["indicators"],
            "projects": 0,
            "budget": ZERO,
        }
    for row in projects.values("agency_id", "agency__name_th").annotate(
        n=Count("id"), money=Coalesce(Sum(BUDGET), zero())
    ):
        entry = agencies.setdefault(
            row["agency_id"],
            {"agency": row["agency__name_th"], "indicators": 0, "projects": 0, "budget": ZERO},
        )
        entry["projects"], entry["budget"] = row["n"], row["money"]
    owners = list(
        projects.annotate(is_missing=missing)
        .values("owner_id", "owner__first_name", "owner__last_name", "owner__username")
        .annotate(
            projects=Count("id", distinct=True),
            open_reports=open_reports,
            waiting=waiting,
            missing=Count("id", filter=reportable & Q(is_missing=True), distinct=True),
        )
        .order_by("owner__first_name", "owner__username")
    )
    persons = list(
        projects.exclude(responsible_person="")
        .values("responsible_person")
        .annotate(projects=Count("id"))
        .order_by("responsible_person")
    )
    indicator_people = list(
        Indicator.objects.filter(cluster=cluster)
        .exclude(owner_person="")
        .values("owner_person")
        .annotate(indicators=Count("id"))
        .order_by("owner_person")
    )
    return {
        "agencies": sorted(
            agencies.values(), key=lambda a: (a["agency"] is None, a["agency"] or "")
        ),
        "owners": owners,
        "persons": persons,
        "indicator_people": indicator_people,
    }


# --- Work lists ------------------------------------------------------------------------------


def review_queue(cluster_ids: Any) -> QuerySet[ProgressReport]:
    return (
        ProgressReport.objects.filter(
            project__cluster_id__in=cluster_ids, status=ReviewStatus.SUBMITTED
        )
        .select_related("project", "submitted_by")
        .prefetch_related("evidence")
        .order_by("submitted_at")
    )


def due_for_officer(province_ids: Any, fiscal_year: int, quarter: int) -> QuerySet[Project]:
    """Projects an officer reports for whose report of `quarter` is not yet submitted."""
    return (
        Project.objects.filter(
            fiscal_year=fiscal_year,
            status__in=[Project.Status.APPROVED, Project.Status.IN_PROGRESS],
        )
        .filter(
            Exists(
                ProjectProvince.objects.filter(
                    project_id=OuterRef("pk"), province_id__in=province_ids
                )
            )
            | Q(agency__province_id__in=province_ids)
        )
        .exclude(
            Exists(
                ProgressReport.objects.filter(
                    project_id=OuterRef("pk"),
                    quarter=quarter,
                    status__in=[ReviewStatus.SUBMITTED, ReviewStatus.APPROVED],
                )
            )
        )
        .order_by("cluster_id", "rank", "code")
    )
