"""What the meeting pack shows, read once: the agenda, the cluster's scorecard with its
charts and strategy map (the same SVGs as the web pages), off-track indicators, projects
behind plan, the follow-up of action items, and the papers to append in agenda order (PDF
papers, and office papers converted to PDF)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import selectors
from committee.models import ActionItem, AgendaPaper, Meeting
from committee.services import pulls
from osm.lib import charts, dates

MILLION = Decimal(1_000_000)


@dataclass
class PaperSlot:
    """A paper appended to the pack: one placeholder page per page of its PDF (the paper, or
    an office paper's converted copy), on which that page is drawn (osm.lib.pdf renders the
    placeholders, so the page numbers and the table of contents count the appended pages
    too)."""

    paper: AgendaPaper
    item_number: str
    source: FieldFile
    landscape: list[bool] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"paper-{self.paper.pk}"


def _paper_slots(sections: list[Any]) -> tuple[list[PaperSlot], dict[int, list[AgendaPaper]]]:
    """The papers to append in agenda order (with each page's orientation, read from the
    PDF) and, per item, the office papers without a PDF copy, listed but not appended."""
    from pypdf import PdfReader

    slots: list[PaperSlot] = []
    others: dict[int, list[AgendaPaper]] = {}
    for section in sections:
        for item in section.items:
            for paper in item.papers.all():
                source = paper.pack_file
                if source is None:
                    others.setdefault(item.pk, []).append(paper)
                    continue
                with source.open("rb") as handle:
                    reader = PdfReader(handle)
                    landscape = []
                    for page in reader.pages:
                        box = page.cropbox
                        width, height = float(box.width), float(box.height)
                        if (page.get("/Rotate") or 0) % 180:
                            width, height = height, width
                        landscape.append(width > height)
                slots.append(PaperSlot(paper, item.number, source, landscape))
    return slots, others


def _scorecard(meeting: Meeting) -> dict[str, Any]:
    from scorecard.models import Status
    from scorecard.selectors import cluster_scorecard, indicator_trend

    cluster = meeting.committee.cluster
    year, quarter = pulls.reporting_period(meeting)
    groups, totals = cluster_scorecard(cluster, fiscal_year=year, quarter=quarter)
    counts = [(status, totals.get(status.value, 0)) for status in Status]
    status_chart = charts.bar_chart(
        [str(status.label) for status, _n in counts],
        [n for _status, n in counts],
        title=_("Indicators by status"),
    )
    off_track = []
    for group in groups:
        for issue in group.issues:
            for row in issue.objectives:
                for indicator in row.indicators:
                    indicator.status_label = Status(indicator.rollup.status).label  # type: ignore[attr-defined]
                    if indicator.rollup.status != Status.OFF_TRACK:  # type: ignore[attr-defined]
                        continue
                    trend = indicator_trend(indicator)
                    labels = [
                        dates.FiscalQuarter(t["fiscal_year"], t["quarter"]).short_label()
                        for t in trend
                    ]
                    # The same chart as the indicator's page.
                    indicator.chart = charts.line_chart(  # type: ignore[attr-defined]
                        labels,
                        [
                            charts.Series(_("Cluster value"), [t["value"] for t in trend]),
                            charts.Series(_("Target for the year"), [t["target"] for t in trend]),
                        ],
                        title=_("Trend of %(indicator)s") % {"indicator": indicator.name},
                    )
                    off_track.append(indicator)
    return {
        "year": year,
        "quarter": quarter,
        "period": dates.FiscalQuarter(year, quarter).label(),
        "groups": groups,
        "counts": counts,
        "total": sum(n for _s, n in counts),
        "status_chart": status_chart,
        "off_track": off_track,
    }


def _strategy_map(meeting: Meeting) -> dict[str, Any]:
    from strategy.maps import strategy_map_svg
    from strategy.models import Plan

    plan = (
        Plan.objects.filter(cluster_id=meeting.committee.cluster_id, status=Plan.Status.APPROVED)
        .order_by("-end_year", "-version")
        .first()
    )
    return {"plan": plan, "map_svg": strategy_map_svg(plan) if plan else ""}


def _projects(meeting: Meeting) -> dict[str, Any]:
    from projects.figures import disbursement_by_quarter, projects_against_plan
    from projects.models import Project, ProjectSettings

    cluster = meeting.committee.cluster
    year, quarter = pulls.projects_period(meeting)
    settings = ProjectSettings.objects.filter(cluster=cluster).first()
    threshold = settings.disbursement_lag_pct if settings else Decimal(10)
    rows = list(projects_against_plan(cluster.pk, year, quarter))
    running = (Project.Status.APPROVED, Project.Status.IN_PROGRESS)
    behind = [p for p in rows if p.status in running and p.lag > threshold]  # type: ignore[attr-defined]
    summary = disbursement_by_quarter(cluster.pk, year)
    quarters = summary["rows"]
    chart = charts.line_chart(
        [_("Q%(q)s") % {"q": r["quarter"]} for r in quarters],
        [
            charts.Series(_("Planned"), [r["planned_pct"] for r in quarters]),
            charts.Series(
                _("Disbursed"),
                [r["disbursed_pct"] if r["quarter"] <= quarter else None for r in quarters],
            ),
            charts.Series(_("Government target"), [r["target_pct"] for r in quarters]),
        ],
        title=_("Disbursement to date, per cent of the budget"),
    )
    return {
        "project_year": year,
        "project_quarter": quarter,
        "project_period": dates.FiscalQuarter(year, quarter).label(),
        "threshold": threshold,
        "all_projects": rows,
        "behind": behind,
        "budget": summary["budget"],
        "disbursement_chart": chart,
    }


def _follow_up(meeting: Meeting) -> list[ActionItem]:
    """Every action item still open, and those closed since the previous meeting."""
    from committee.services.meetings import previous_meeting

    previous = previous_meeting(meeting)
    since = previous.date if previous else meeting.date
    return list(
        selectors.action_items_with_owner()
        .filter(cluster_id=meeting.committee.cluster_id)
        .filter(
            Q(status__in=ActionItem.OPEN_STATUSES)
            | Q(status=ActionItem.Status.DONE, completed_on__gte=since)
        )
        .select_related("resolution__item__meeting")
        .prefetch_related("notes")
        .order_by("due_date", "pk")
    )


def meeting_pack_data(meeting: Meeting) -> dict[str, Any]:
    """Everything the pack template shows, with the papers to append."""
    sections = selectors.agenda(meeting)
    papers, office_files = _paper_slots(sections)
    for section in sections:
        for item in section.items:
            item.office_files = office_files.get(item.pk, [])  # type: ignore[attr-defined]
            item.appended_papers = [s for s in papers if s.paper.item_id == item.pk]  # type: ignore[attr-defined]
    return {
        "meeting": meeting,
        "committee": meeting.committee,
        "cluster": meeting.committee.cluster,
        "sections": sections,
        "papers": papers,
        "action_items": _follow_up(meeting),
        "today": timezone.localdate(),
        "as_of": timezone.now(),
        **_scorecard(meeting),
        **_strategy_map(meeting),
        **_projects(meeting),
    }
