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
    Avg,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate

from osm.lib.workflow import ReviewStatus
from osm.models import Cluster, Province
from scorecard.models import Indicator, ProvinceTarget, ReportingRound, Result, Status, Target
from scorecard.rollup import NO_ROLLUP, rollups
from scorecard.status import DEC, expected_expression, status_annotations

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
COMPLETE = Q(status__in=[ReviewStatus.SUBMITTED, ReviewStatus.APPROVED]) & Q(
    reporting__in=[Result.Reporting.REPORTED, Result.Reporting.NOT_APPLICABLE]
)


def previous_period(fiscal_year: int, quarter: int) -> tuple[int, int]:
    return (fiscal_year, quarter - 1) if quarter > 1 else (fiscal_year - 1, 4)


def _combined_value(prefix: str, filt: Q, own: Q) -> dict[str, Any]:
    """Aggregates of approved period values over provinces, one per combination rule."""
    value = f"{prefix}period_value"
    weight = f"{prefix}province_target__weight"
    return {
        "agg_sum": Sum(value, filter=filt),
        "agg_mean": Avg(value, filter=filt),
        "agg_min": Min(value, filter=filt),
        "agg_max": Max(value, filter=filt),
        "agg_wsum": Sum(
            ExpressionWrapper(F(value) * F(weight), output_field=DEC),
            filter=filt & Q(**{f"{weight}__isnull": False}),
        ),
        "agg_wtot": Sum(weight, filter=filt & Q(**{f"{value}__isnull": False})),
        "agg_own": Max(value, filter=own),
    }


def _value_by_rule(aggregation: str) -> Case:
    """The cluster value: the aggregate the indicator's rule names."""
    return Case(
        When(**{aggregation: AGG.SUM}, then=F("agg_sum")),
        When(**{aggregation: AGG.MEAN}, then=F("agg_mean")),
        When(
            Q(**{aggregation: AGG.WEIGHTED_MEAN}) & Q(agg_wtot__gt=0),
            then=ExpressionWrapper(F("agg_wsum") / F("agg_wtot"), output_field=DEC),
        ),
        When(**{aggregation: AGG.MIN}, then=F("agg_min")),
        When(**{aggregation: AGG.MAX}, then=F("agg_max")),
        # Not combinable: only a value the cluster reports itself.
        When(**{aggregation: AGG.NONE}, then=F("agg_own")),
        default=None,
        output_field=DEC,
    )


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
    return list(groups.values()), dict(totals)


# --- Province comparison --------------------------------------------------------------------


@dataclass
class Cell:
    status: str
    value: Decimal | None
    reporting: str | None
    review: str | None


def province_results(
    results: QuerySet[Result], *, fiscal_year: int, quarter: int
) -> QuerySet[Result]:
    """Province results of a period with `target`, `expected`, `shown` (the approved value
    to date) and `status` against the province's own target."""
    qs = results.filter(fiscal_year=fiscal_year, quarter=quarter, province__isnull=False).annotate(
        target=F("province_target__value"),
        shown=Case(
            When(
                status=ReviewStatus.APPROVED,
                reporting=Result.Reporting.REPORTED,
                then=F("period_value"),
            ),
            default=None,
            output_field=DEC,
        ),
    )
    qs = qs.annotate(
        expected=expected_expression(
            F("target"), accumulation="indicator__accumulation", quarter=quarter
        )
    )
    for step in status_annotations(
        value="shown", expected="expected", prefix="indicator__", out="status_calc"
    ):
        qs = qs.annotate(**step)
    return qs


def province_comparison(
    cluster: Cluster, visible_results: QuerySet[Result], *, fiscal_year: int, quarter: int
) -> tuple[list[Province], list[Indicator], dict[tuple[int, int], Cell]]:
    provinces = list(Province.objects.filter(cluster=cluster).order_by("name_th"))
    indicators = list(
        indicators_of_cluster(cluster).order_by(
            "objective__issue__order", "objective__order", "order", "code"
        )
    )
    cells = {}
    rows = province_results(
        visible_results.filter(indicator__cluster=cluster), fiscal_year=fiscal_year, quarter=quarter
    ).values_list("indicator_id", "province_id", "status_calc", "shown", "reporting", "status")  # type: ignore[misc]  # annotated by province_results
    for ind_id, prov_id, status, shown, reporting, review in rows:
        cells[(ind_id, prov_id)] = Cell(status, shown, reporting, review)
    return provinces, indicators, cells


# --- Indicator page -------------------------------------------------------------------------


def _rule_expression(indicator: Indicator) -> dict[str, Any]:
    reported = Q(status=ReviewStatus.APPROVED, reporting=Result.Reporting.REPORTED)
    return _combined_value(
        "", reported & Q(province__isnull=False), reported & Q(province__isnull=True)
    )


def indicator_trend(indicator: Indicator) -> list[dict[str, Any]]:
    """The cluster value per fiscal year and quarter, oldest first, with the year's target:
    one grouped query."""
    qs = (
        Result.objects.filter(indicator=indicator)
        .values("fiscal_year", "quarter")
        .annotate(**_rule_expression(indicator))
        .annotate(aggregation=Value(indicator.aggregation))
        .annotate(value=_value_by_rule("aggregation"))
        .annotate(
            target=Subquery(
                Target.objects.filter(
                    indicator=indicator, fiscal_year=OuterRef("fiscal_year")
                ).values("value")[:1]
            )
        )
        .order_by("fiscal_year", "quarter")
    )
    return [
        {
            "fiscal_year": r["fiscal_year"],
            "quarter": r["quarter"],
            "value": r["value"],
            "target": r["target"],
        }
        for r in qs
    ]


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
    rows = (
        Result.objects.filter(CURRENT, round__in=rounds, province__isnull=False)
        .alias(submitted_on=TruncDate("first_submitted_at"))
        .values("round_id", "province_id")
        .annotate(
            due=Count("id"),
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
        cell = Timeliness(r["due"], r["on_time"], r["complete"])
        grid[(r["round_id"], r["province_id"])] = cell
        total = year[r["province_id"]]
        total.due += cell.due
        total.on_time += cell.on_time
        total.complete += cell.complete
    return rounds, provinces, grid, dict(year)


# --- National overview ----------------------------------------------------------------------


@dataclass
class ClusterSummary:
    cluster: Cluster
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
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
    on_time = (
        Result.objects.filter(
            CURRENT, round__fiscal_year=fiscal_year, round__quarter=quarter, province__isnull=False
        )
        .alias(submitted_on=TruncDate("first_submitted_at"))
        .values("round__cluster_id")
        .annotate(
            due=Count("id"),
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
