"""Reads for the scorecard: roll-ups, status, trends, comparisons and timeliness.

Everything that judges numbers runs in the database as aggregates over the period's results
(see `status.py` for the rules); Python only arranges the rows for the templates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from osm.lib.workflow import ReviewStatus
from osm.models import Cluster, Province
from scorecard import explain, rules
from scorecard.models import Indicator, ProvinceTarget, ReportingRound, Result, Status, Target
from scorecard.rollup import NO_ROLLUP, rollups, trend

AGG = Indicator.Aggregation
INDICATOR_ORDER = (
    "indicator__objective__issue__order",
    "indicator__objective__order",
    "indicator__order",
    "indicator__code",
)
# Results of the indicators the dashboards show (see IndicatorQuerySet.current): retired
# indicators and those of draft or archived plan versions stay in history only.
CURRENT = Q(indicator__retired_at__isnull=True, indicator__objective__plan__status="approved")
# Submitted or approved counts as reported: a value, not applicable, or not reported with
# its reason (the source has not published yet) — on time when first submitted by the deadline.
COMPLETE = Q(status__in=[ReviewStatus.SUBMITTED, ReviewStatus.APPROVED])


def counted_due(today: Any, deadline: str = "round__deadline") -> Q:
    """Results that count in timeliness: complete ones, and the rest only once the round's
    deadline has passed — a province is not late before its deadline."""
    return COMPLETE | Q(**{f"{deadline}__lt": today})


def previous_period(fiscal_year: int, quarter: int) -> tuple[int, int]:
    return (fiscal_year, quarter - 1) if quarter > 1 else (fiscal_year - 1, 4)


# --- The cluster scorecard ------------------------------------------------------------------


@dataclass
class ObjectiveRow:
    objective: Any
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class IssueGroup:
    issue: Any
    objectives: list[ObjectiveRow] = field(default_factory=list)


@dataclass
class PerspectiveGroup:
    perspective: Any
    issues: list[IssueGroup] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


TREND_UP, TREND_DOWN, TREND_FLAT = "up", "down", "flat"


def _trend(now: Decimal | None, before: Decimal | None) -> str | None:
    if now is None or before is None:
        return None
    if now > before + Decimal("0.5"):
        return TREND_UP
    if now < before - Decimal("0.5"):
        return TREND_DOWN
    return TREND_FLAT


def indicators_of_cluster(cluster: Cluster) -> QuerySet[Indicator]:
    """The cluster's current indicators: those of its approved plan, not retired."""
    return (
        Indicator.objects.current()
        .filter(cluster=cluster)
        .select_related("objective__issue", "objective__perspective")
    )


def cluster_scorecard(
    cluster: Cluster, *, fiscal_year: int, quarter: int
) -> tuple[list[PerspectiveGroup], dict[str, int]]:
    """Indicators grouped by perspective → issue → objective, each with its `rollup` and
    `trend`.

    Three queries: the indicators, the period's roll-up and the previous period's (for the
    trend, compared on achievement so that cumulative values are fair across quarters).
    """
    rows = list(
        indicators_of_cluster(cluster).order_by(
            "objective__perspective__order",
            "objective__issue__order",
            "objective__order",
            "order",
            "code",
        )
    )
    now = rollups(fiscal_year=fiscal_year, quarter=quarter, cluster_ids=[cluster.pk])
    py, pq = previous_period(fiscal_year, quarter)
    before = rollups(fiscal_year=py, quarter=pq, cluster_ids=[cluster.pk])
    groups: dict[int, PerspectiveGroup] = {}
    totals: dict[str, int] = defaultdict(int)
    for ind in rows:
        ind.rollup = now.get(ind.pk, NO_ROLLUP)  # type: ignore[attr-defined]
        ind.trend = _trend(ind.rollup.achievement, before.get(ind.pk, NO_ROLLUP).achievement)  # type: ignore[attr-defined]
        objective = ind.objective
        group = groups.setdefault(
            objective.perspective_id,
            PerspectiveGroup(objective.perspective, counts=defaultdict(int)),
        )
        if not group.issues or group.issues[-1].issue.pk != objective.issue_id:
            group.issues.append(IssueGroup(objective.issue))
        issue = group.issues[-1]
        if not issue.objectives or issue.objectives[-1].objective.pk != objective.pk:
            issue.objectives.append(ObjectiveRow(objective))
        issue.objectives[-1].indicators.append(ind)
        group.counts[ind.rollup.status] += 1  # type: ignore[attr-defined]
        totals[ind.rollup.status] += 1  # type: ignore[attr-defined]
        totals["provisional"] += ind.rollup.provisional  # type: ignore[attr-defined]
    explain.attach(rows, quarter=quarter)
    return list(groups.values()), dict(totals)


# --- Province comparison --------------------------------------------------------------------


@dataclass
class Cell:
    status: str
    value: Decimal | None
    reporting: str | None
    review: str | None
    result: Result | None = None
    absent: str = ""  # why there is no result at all

    @property
    def provisional(self) -> bool:
        return bool(
            self.result is not None and self.value is not None and self.result.missing_quarters
        )

    @property
    def reason(self) -> str:
        if self.result is None:
            return self.absent
        return explain.result_reason(self.result)


def empty_cell(indicator: Indicator, quarter: int) -> Cell:
    from django.utils.translation import gettext as _

    absent = (
        _("Not due this quarter")
        if not indicator.is_due(quarter)
        else _("No reporting round for this quarter")
    )
    return Cell(Status.NO_DATA, None, None, None, absent=absent)


def province_results(results: QuerySet[Result], *, fiscal_year: int, quarter: int) -> list[Result]:
    """Province results of a period, each with `target`, `expected`, `shown` (the approved
    value to date), `achievement` and `status_calc` against the province's own target — the
    rules of `rules.py` run on each row."""
    rows = list(
        results.filter(fiscal_year=fiscal_year, quarter=quarter, province__isnull=False)
        .select_related("indicator", "province_target", "round")
        .order_by("province__name_th", *INDICATOR_ORDER)
    )
    for r in rows:
        ind = r.indicator
        target = r.province_target.value if r.province_target else None
        shown = (
            r.period_value
            if r.status == ReviewStatus.APPROVED and r.reporting == Result.Reporting.REPORTED
            else None
        )
        expected = rules.expected_of(target, accumulation=ind.accumulation, quarter=quarter)
        pct, status = rules.judge(
            shown,
            expected,
            direction=ind.direction,
            on_track_at=ind.on_track_at,
            at_risk_at=ind.at_risk_at,
        )
        r.target, r.expected, r.shown = target, expected, shown  # type: ignore[attr-defined]
        r.achievement, r.status_calc = pct, status  # type: ignore[attr-defined]
    return rows


def province_comparison(
    cluster: Cluster, visible_results: QuerySet[Result], *, fiscal_year: int, quarter: int
) -> tuple[list[Province], list[Indicator], dict[tuple[int, int], Cell]]:
    provinces = list(Province.objects.filter(cluster=cluster).order_by("name_th"))
    indicators = list(
        indicators_of_cluster(cluster).order_by(
            "objective__issue__order", "objective__order", "order", "code"
        )
    )
    cells: dict[tuple[int, int], Cell] = {}
    rows = province_results(
        visible_results.filter(indicator__cluster=cluster), fiscal_year=fiscal_year, quarter=quarter
    )
    for r in rows:
        assert r.province_id is not None  # province rows only
        cells[(r.indicator_id, r.province_id)] = Cell(
            r.status_calc,  # type: ignore[attr-defined]
            r.shown,  # type: ignore[attr-defined]
            r.reporting,
            r.status,
            result=r,
        )
    return provinces, indicators, cells


# --- Indicator page -------------------------------------------------------------------------


def indicator_trend(indicator: Indicator) -> list[dict[str, Any]]:
    """The cluster value per fiscal year and quarter, oldest first, with the year's target:
    one grouped query (the roll-up's rules)."""
    return trend(indicator.pk, indicator.aggregation)


def indicator_results(indicator: Indicator, visible: QuerySet[Result]) -> QuerySet[Result]:
    """Every result of the indicator the person may see, newest period first."""
    return (
        visible.filter(indicator=indicator)
        .select_related("province", "reviewed_by", "submitted_by")
        .prefetch_related("evidence")
        .order_by("-fiscal_year", "-quarter", "province__name_th")
    )


# --- Timeliness and completeness ------------------------------------------------------------


@dataclass
class Timeliness:
    due: int = 0
    on_time: int = 0
    complete: int = 0
    waiting: int = 0  # not yet submitted, deadline still ahead: not counted

    @property
    def score(self) -> Decimal | None:
        if not self.due:
            return None
        return Decimal(self.on_time * 100) / self.due

    @property
    def completeness(self) -> Decimal | None:
        if not self.due:
            return None
        return Decimal(self.complete * 100) / self.due


def timeliness(
    cluster: Cluster, *, fiscal_year: int
) -> tuple[
    list[ReportingRound], list[Province], dict[tuple[int, int], Timeliness], dict[int, Timeliness]
]:
    """Per round and province: indicators due, reported complete, and complete on time
    (first submitted by the deadline); and the same over the year. One grouped query."""
    rounds = list(
        ReportingRound.objects.filter(cluster=cluster, fiscal_year=fiscal_year).order_by("quarter")
    )
    provinces = list(Province.objects.filter(cluster=cluster).order_by("name_th"))
    today = timezone.localdate()
    rows = (
        Result.objects.filter(CURRENT, round__in=rounds, province__isnull=False)
        .alias(submitted_on=TruncDate("first_submitted_at"))
        .values("round_id", "province_id")
        .annotate(
            due=Count("id", filter=counted_due(today)),
            waiting=Count("id", filter=~counted_due(today)),
            complete=Count("id", filter=COMPLETE),
            on_time=Count(
                "id",
                filter=COMPLETE
                & Q(first_submitted_at__isnull=False)
                & Q(submitted_on__lte=F("round__deadline")),
            ),
        )
    )
    grid: dict[tuple[int, int], Timeliness] = {}
    year: dict[int, Timeliness] = defaultdict(Timeliness)
    for r in rows:
        cell = Timeliness(r["due"], r["on_time"], r["complete"], r["waiting"])
        grid[(r["round_id"], r["province_id"])] = cell
        total = year[r["province_id"]]
        total.due += cell.due
        total.on_time += cell.on_time
        total.complete += cell.complete
        total.waiting += cell.waiting
    return rounds, provinces, grid, dict(year)


# --- National overview ----------------------------------------------------------------------


@dataclass
class ClusterSummary:
    cluster: Cluster
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    provisional: int = 0
    due: int = 0
    on_time: int = 0

    @property
    def on_time_pct(self) -> Decimal | None:
        return Decimal(self.on_time * 100) / self.due if self.due else None

    def share(self, status: str) -> Decimal | None:
        return Decimal(self.counts.get(status, 0) * 100) / self.total if self.total else None


def national_overview(*, fiscal_year: int, quarter: int) -> list[ClusterSummary]:
    """Every cluster's status counts and on-time reporting for a period: four queries."""
    summaries = {c.pk: ClusterSummary(c) for c in Cluster.objects.order_by("number")}
    for s in summaries.values():
        s.counts = dict.fromkeys(Status.values, 0)
    clusters_of = dict(Indicator.objects.current().values_list("pk", "cluster_id"))
    for pk, rollup in rollups(fiscal_year=fiscal_year, quarter=quarter).items():
        if pk not in clusters_of:
            continue  # retired, or of a plan version not in force
        summary = summaries[clusters_of[pk]]
        summary.counts[rollup.status] += 1
        summary.total += 1
        summary.provisional += rollup.provisional
    on_time = (
        # The result's own period as well as its round's: the same rows, but the planner
        # reads them by the period index instead of every result of every indicator.
        Result.objects.filter(
            CURRENT,
            fiscal_year=fiscal_year,
            quarter=quarter,
            round__fiscal_year=fiscal_year,
            round__quarter=quarter,
            province__isnull=False,
        )
        .alias(submitted_on=TruncDate("first_submitted_at"))
        .values("round__cluster_id")
        .annotate(
            due=Count("id", filter=counted_due(timezone.localdate())),
            on_time=Count("id", filter=COMPLETE & Q(submitted_on__lte=F("round__deadline"))),
        )
    )
    for row in on_time:
        summary = summaries[row["round__cluster_id"]]
        summary.due, summary.on_time = row["due"], row["on_time"]
    return list(summaries.values())


# --- Reporting rounds and review ------------------------------------------------------------


def round_results_for_province(
    reporting_round: ReportingRound, province_ids: Any
) -> QuerySet[Result]:
    return (
        Result.objects.filter(round=reporting_round, province_id__in=province_ids)
        .select_related("indicator", "province", "province_target")
        .order_by("province__name_th", *INDICATOR_ORDER)
    )


def round_cluster_results(reporting_round: ReportingRound) -> QuerySet[Result]:
    """The cluster's own values of a round (indicators that cannot be combined)."""
    return (
        Result.objects.filter(round=reporting_round, province__isnull=True)
        .select_related("indicator")
        .order_by(*INDICATOR_ORDER)
    )


def round_progress(reporting_round: ReportingRound) -> list[dict[str, Any]]:
    """Per province: how many results are in each review state (one grouped query)."""
    rows = (
        Result.objects.filter(round=reporting_round, province__isnull=False)
        .values("province_id", "province__name_th")
        .annotate(
            total=Count("id"),
            **{s: Count("id", filter=Q(status=s)) for s in ReviewStatus.values},
        )
        .order_by("province__name_th")
    )
    return list(rows)


def review_queue(cluster_ids: Any) -> QuerySet[Result]:
    return (
        Result.objects.filter(
            CURRENT, indicator__cluster_id__in=cluster_ids, status=ReviewStatus.SUBMITTED
        )
        .select_related("indicator", "province", "province_target", "submitted_by", "round")
        .prefetch_related("evidence")
        .order_by("round__deadline", "province__name_th", *INDICATOR_ORDER)
    )


def rounds_of_cluster(cluster: Cluster) -> QuerySet[ReportingRound]:
    return ReportingRound.objects.filter(cluster=cluster).annotate(
        n_results=Count("results"),
        n_submitted=Count("results", filter=Q(results__status=ReviewStatus.SUBMITTED)),
        n_approved=Count("results", filter=Q(results__status=ReviewStatus.APPROVED)),
    )


def due_for_officer(province_ids: Any) -> list[Result]:
    """Every result the officer's provinces must report in the open rounds, with status:
    one query."""
    return list(
        Result.objects.filter(
            CURRENT, province_id__in=province_ids, round__state=ReportingRound.State.OPEN
        )
        .select_related("indicator", "province", "round")
        .order_by("round__deadline", "round_id", "province__name_th", *INDICATOR_ORDER)
    )


def cascade_rows(
    indicator: Indicator,
) -> tuple[list[Province], dict[tuple[int, int], ProvinceTarget], dict[int, Target]]:
    provinces = list(Province.objects.filter(cluster_id=indicator.cluster_id).order_by("name_th"))
    targets = {t.fiscal_year: t for t in indicator.targets.all()}
    cascaded = {(pt.province_id, pt.fiscal_year): pt for pt in indicator.province_targets.all()}
    return provinces, cascaded, targets


def province_baselines(indicator: Indicator, fiscal_year: int) -> dict[int, Decimal]:
    """Each province's approved value for the year before (the latest quarter), used by the
    split-by-baseline helper; one query."""
    rows = (
        Result.objects.filter(
            indicator=indicator,
            fiscal_year=(indicator.baseline_year or fiscal_year - 1),
            status=ReviewStatus.APPROVED,
            period_value__isnull=False,
            province__isnull=False,
        )
        .order_by("province_id", "-quarter")
        .values_list("province_id", "period_value")
    )
    found: dict[int, Decimal] = {}
    for province_id, value in rows:
        if value is not None:
            found.setdefault(province_id, value)
    return found


def objectives_with_indicators(plan: Any) -> Any:
    return plan.objectives.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("order", "code"))
    )
