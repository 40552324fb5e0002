"""The annual performance report (projects.annual_report) of a cluster for one fiscal year:
the indicators against their targets from approved results, and the projects' money and
progress from approved progress reports. It lives here, the lowest app that reads both."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osm import registry
from osm.lib import dates
from osm.lib.pdf import render_pdf_pages
from projects import figures
from projects.models import Project
from scorecard import selectors as scorecard_selectors

ANNUAL_REPORT = "projects.annual_report"
BEHIND_PLAN_POINTS = 10  # a project this many points of its budget behind its plan is listed


def report_quarter(cluster_id: int, fiscal_year: int, today: Any = None) -> int:
    """The last quarter the report covers: the latest with approved results of the cluster,
    else 4 for a year that is over and the current quarter for this year."""
    from osm.lib.workflow import ReviewStatus
    from scorecard.models import Result

    latest = (
        Result.objects.filter(
            indicator__cluster_id=cluster_id,
            fiscal_year=fiscal_year,
            status=ReviewStatus.APPROVED,
        )
        .order_by("-quarter")
        .values_list("quarter", flat=True)
        .first()
    )
    if latest:
        return int(latest)
    current = dates.fiscal_quarter_of(today or timezone.localdate())
    if fiscal_year < current.year:
        return 4
    return current.quarter if fiscal_year == current.year else 1


def annual_report_context(cluster: Any, fiscal_year: int, document: Any) -> dict[str, Any]:
    quarter = report_quarter(cluster.pk, fiscal_year)
    groups, totals = scorecard_selectors.cluster_scorecard(
        cluster, fiscal_year=fiscal_year, quarter=quarter
    )
    projects = list(
        figures.projects_against_plan(cluster.pk, fiscal_year, quarter).select_related("objective")
    )
    status_counts = dict(
        figures.year_projects(cluster.pk, fiscal_year)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "cluster": cluster,
        "fiscal_year": fiscal_year,
        "quarter": quarter,
        "groups": groups,
        "totals": totals,
        "budget": figures.budget_totals(cluster.pk, fiscal_year),
        "by_issue": figures.budget_by_issue(cluster.pk, fiscal_year),
        "disbursement": figures.disbursement_by_quarter(cluster.pk, fiscal_year),
        "projects": projects,
        "behind": [p for p in projects if p.lag >= BEHIND_PLAN_POINTS],  # type: ignore[attr-defined]
        "status_counts": [
            (label, status_counts.get(value, 0)) for value, label in Project.Status.choices
        ],
        "document": document,
        "toc": [
            {"anchor": "summary", "title": _("Summary")},
            {"anchor": "indicators", "title": _("Indicators against their targets")},
            {"anchor": "budget", "title": _("Budget and disbursement")},
            {"anchor": "projects", "title": _("Projects")},
        ],
    }


def build_annual_report(document: Any) -> registry.DocumentBuild:
    context = annual_report_context(document.subject, int(document.params["fiscal_year"]), document)
    rendered = render_pdf_pages("projects/pdf/annual_report.html", context)
    return registry.DocumentBuild(rendered.content, rendered.pages)


def annual_report_params(data: Any, cluster: Any) -> dict[str, Any]:
    """The fiscal year posted with the button: a BE year the system knows."""
    try:
        year = int(str(data.get("fiscal_year", "")).strip())
    except ValueError:
        raise ValidationError(_("Choose a fiscal year.")) from None
    if not 2500 <= year <= dates.current_fiscal_year() + 1:
        raise ValidationError(_("Choose a fiscal year."))
    return {"fiscal_year": year}


def annual_report_filename(document: Any) -> str:
    year = document.params.get("fiscal_year")
    return f"รายงานผลการดำเนินงาน {document.subject.name_th} ปีงบประมาณ {year}"


ANNUAL_REPORT_KIND = registry.DocumentKind(
    code=ANNUAL_REPORT,
    label=gettext_lazy("Annual performance report"),
    subject_model="osm.cluster",
    build=build_annual_report,
    clean_params=annual_report_params,
    filename=annual_report_filename,
)
