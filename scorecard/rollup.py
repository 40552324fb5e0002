"""The cluster roll-up of every indicator for one period, in one SQL statement.

Province values (approved, to date) are combined by each indicator's rule with conditional
aggregates (SUM/AVG/MIN/MAX … FILTER), compared with the target expected by the quarter, and
judged on track / at risk / off track / no data — all inside the database, one row per
indicator, whatever the number of provinces and results.

Written as SQL rather than ORM expressions on purpose: the ORM inlines every annotation each
time another one refers to it, and compiling that tree cost ~30 ms per query at national
scale, ten times the query's own run time. The rules are the same as `status.classify`
(tests run both); the SQL runs on PostgreSQL and on the embedded SQLite.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection

from osm.lib.workflow import ReviewStatus
from scorecard.models import Indicator, Result, Status

A = Indicator.Aggregation
REPORTED = Result.Reporting.REPORTED
NOT_APPLICABLE = Result.Reporting.NOT_APPLICABLE


@dataclass(frozen=True)
class Rollup:
    target: Decimal | None = None
    expected: Decimal | None = None
    value: Decimal | None = None
    achievement: Decimal | None = None
    status: str = Status.NO_DATA
    n_reported: int = 0
    n_not_applicable: int = 0
    n_pending: int = 0


NO_ROLLUP = Rollup()


def achievement_sql(value: str, expected: str, direction: str) -> str:
    return (
        f"CASE WHEN {direction} = '{Indicator.Direction.UP}' AND {expected} > 0 "
        f"THEN {value} * 100.0 / {expected} "
        f"WHEN {direction} = '{Indicator.Direction.DOWN}' AND {value} > 0 "
        f"THEN {expected} * 100.0 / {value} END"
    )


def status_sql(
    value: str, expected: str, achievement: str, direction: str, on_track: str, at_risk: str
) -> str:
    """The SQL twin of `status.classify` (column names in, a status value out)."""
    up, down = Indicator.Direction.UP, Indicator.Direction.DOWN
    return (
        f"CASE WHEN {value} IS NULL OR {expected} IS NULL THEN '{Status.NO_DATA}' "
        f"WHEN {achievement} IS NULL THEN CASE WHEN ({direction} = '{up}' AND {value} >= {expected}) "
        f"OR ({direction} = '{down}' AND {value} <= {expected}) THEN '{Status.ON_TRACK}' "
        f"ELSE '{Status.OFF_TRACK}' END "
        f"WHEN {achievement} >= {on_track} THEN '{Status.ON_TRACK}' "
        f"WHEN {achievement} >= {at_risk} THEN '{Status.AT_RISK}' "
        f"ELSE '{Status.OFF_TRACK}' END"
    )


def _sql(where: str, quarter: int) -> str:
    approved = f"r.status = '{ReviewStatus.APPROVED}'"
    provinces = f"{approved} AND r.province_id IS NOT NULL"
    reported = f"{provinces} AND r.reporting = '{REPORTED}'"
    own = f"{approved} AND r.province_id IS NULL AND r.reporting = '{REPORTED}'"
    factor = f"{Decimal(quarter) / 4}"
    return f"""
WITH agg AS (
  SELECT i.id, i.aggregation, i.accumulation, i.direction, i.on_track_at, i.at_risk_at,
         MAX(t.value) AS target,
         SUM(r.period_value) FILTER (WHERE {reported}) AS agg_sum,
         AVG(r.period_value) FILTER (WHERE {reported}) AS agg_mean,
         MIN(r.period_value) FILTER (WHERE {reported}) AS agg_min,
         MAX(r.period_value) FILTER (WHERE {reported}) AS agg_max,
         SUM(r.period_value * pt.weight) FILTER (WHERE {reported} AND pt.weight IS NOT NULL) AS agg_wsum,
         SUM(pt.weight) FILTER (WHERE {reported} AND r.period_value IS NOT NULL) AS agg_wtot,
         SUM(pt.value) FILTER (WHERE {reported} AND r.period_value IS NOT NULL) AS agg_tsum,
         MAX(r.period_value) FILTER (WHERE {own}) AS agg_own,
         COUNT(r.id) FILTER (WHERE {reported}) AS n_reported,
         COUNT(r.id) FILTER (WHERE {provinces} AND r.reporting = '{NOT_APPLICABLE}') AS n_na,
         COUNT(r.id) FILTER (WHERE r.status = '{ReviewStatus.SUBMITTED}') AS n_pending
  FROM scorecard_indicator i
  LEFT JOIN scorecard_target t ON t.indicator_id = i.id AND t.fiscal_year = %s
  LEFT JOIN scorecard_result r ON r.indicator_id = i.id AND r.fiscal_year = %s AND r.quarter = %s
  LEFT JOIN scorecard_provincetarget pt ON pt.id = r.province_target_id
  WHERE {where}
  GROUP BY i.id, i.aggregation, i.accumulation, i.direction, i.on_track_at, i.at_risk_at
), covered AS (
  -- A sum is judged against the targets of the provinces whose values it adds up, so a
  -- province not yet reported lowers neither the value nor the bar (never a zero).
  SELECT agg.*,
         CASE WHEN aggregation = '{A.SUM}' AND agg_tsum IS NOT NULL THEN agg_tsum
              ELSE target END AS cover
  FROM agg
), val AS (
  SELECT covered.*,
         CASE aggregation
           WHEN '{A.SUM}' THEN agg_sum
           WHEN '{A.MEAN}' THEN agg_mean
           WHEN '{A.WEIGHTED_MEAN}' THEN CASE WHEN agg_wtot > 0 THEN agg_wsum / agg_wtot END
           WHEN '{A.MIN}' THEN agg_min
           WHEN '{A.MAX}' THEN agg_max
           WHEN '{A.NONE}' THEN agg_own
         END AS value,
         CASE WHEN accumulation = '{Indicator.Accumulation.CUMULATIVE}'
              THEN cover * {factor} ELSE cover END AS expected
  FROM covered
), ach AS (
  SELECT val.*, {achievement_sql("value", "expected", "direction")} AS achievement FROM val
)
SELECT id, target, expected, value, achievement,
       {status_sql("value", "expected", "achievement", "direction", "on_track_at", "at_risk_at")},
       n_reported, n_na, n_pending
FROM ach"""


def _dec(value: Any) -> Decimal | None:
    # PostgreSQL returns Decimal; SQLite returns int or float.
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def rollups(
    *,
    fiscal_year: int,
    quarter: int,
    cluster_ids: Iterable[int] | None = None,
    indicator_ids: Iterable[int] | None = None,
) -> dict[int, Rollup]:
    """Roll-up per indicator id for the clusters or indicators given (all when neither)."""
    where, params = "1 = 1", []
    for column, ids in (("i.cluster_id", cluster_ids), ("i.id", indicator_ids)):
        if ids is not None:
            ids = list(ids)
            if not ids:
                return {}
            where += f" AND {column} IN ({', '.join(['%s'] * len(ids))})"
            params.extend(ids)
    with connection.cursor() as cursor:
        cursor.execute(_sql(where, quarter), [fiscal_year, fiscal_year, quarter, *params])
        rows = cursor.fetchall()
    return {
        row[0]: Rollup(
            target=_dec(row[1]),
            expected=_dec(row[2]),
            value=_dec(row[3]),
            achievement=_dec(row[4]),
            status=row[5],
            n_reported=row[6],
            n_not_applicable=row[7],
            n_pending=row[8],
        )
        for row in rows
    }
