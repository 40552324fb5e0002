"""The cluster roll-up of every indicator for one period, in one SQL statement, and the
cluster value's trend of one indicator over periods, in another.

The SQL is generated from the rule tables in `rules.py` (aggregates with FILTER, then one
stage per named column); `rules.evaluate` runs the same tables in Python, and the
property-based tests show that both give the same value, achievement, status, coverage and
provisional mark.

Written as SQL rather than ORM expressions on purpose: the ORM inlines every annotation each
time another one refers to it, and compiling that tree cost ~30 ms per query at national
scale, ten times the query's own run time.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db import connection

from scorecard.rules import AGGREGATES, INDICATOR_COLUMNS, NO_ROLLUP, ROLLUP_FIELDS, STAGES, Rollup

__all__ = ["NO_ROLLUP", "Rollup", "rollups", "trend"]

# The row vocabulary of the rules, in the joined tables below.
ROW_NAMES = {
    "id": "r.id",
    "status": "r.status",
    "reporting": "r.reporting",
    "province": "r.province_id",
    "period_value": "r.period_value",
    "partial": "(r.missing_quarters <> '')",
    "weight": "pt.weight",
    "pt_value": "pt.value",
}


def _stages(source: str, carried: str) -> tuple[str, str]:
    """CTEs that add each stage's column in turn, from `source`; returns (sql, last name)."""
    ctes, previous = [], source
    for i, (name, expr) in enumerate(STAGES):
        cte = f"s{i}"
        ctes.append(f"{cte} AS (SELECT {previous}.*, {expr.sql({})} AS {name} FROM {previous})")
        previous = cte
    return ",\n".join(ctes), previous


@lru_cache(maxsize=8)
def _rollup_sql(quarter: int, where: str) -> str:
    aggregates = ",\n    ".join(
        f"{agg.sql(ROW_NAMES)} AS {name}" for name, agg in AGGREGATES.items()
    )
    columns = ", ".join(f"i.{c}" for c in INDICATOR_COLUMNS)
    stages, last = _stages("base", "")
    outputs = ", ".join(ROLLUP_FIELDS.values())
    factor = Decimal(quarter) / 4
    return f"""
WITH agg AS (
  SELECT i.id, i.cluster_id, {columns},
    MAX(t.value) AS target, {factor} AS quarter_factor,
    {aggregates}
  FROM scorecard_indicator i
  LEFT JOIN scorecard_target t ON t.indicator_id = i.id AND t.fiscal_year = %s
  LEFT JOIN scorecard_result r ON r.indicator_id = i.id AND r.fiscal_year = %s AND r.quarter = %s
  LEFT JOIN scorecard_provincetarget pt ON pt.id = r.province_target_id
  WHERE {where}
  GROUP BY i.id, i.cluster_id, {columns}
), provinces AS (
  SELECT cluster_id, COUNT(*) AS n FROM osm_province GROUP BY cluster_id
), base AS (
  -- Per cluster, not per result row: the member provinces and the round's deadline.
  SELECT agg.*, COALESCE(pc.n, 0) AS n_provinces, rd.deadline AS deadline
  FROM agg
  LEFT JOIN provinces pc ON pc.cluster_id = agg.cluster_id
  LEFT JOIN scorecard_reportinground rd
    ON rd.cluster_id = agg.cluster_id AND rd.fiscal_year = %s AND rd.quarter = %s
),
{stages}
SELECT id, {outputs}, deadline FROM {last}"""


def _dec(value: Any) -> Decimal | None:
    # PostgreSQL returns Decimal; SQLite returns int or float.
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


DECIMALS = {"target", "expected", "value", "achievement"}


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
    sql = _rollup_sql(quarter, where)
    with connection.cursor() as cursor:
        cursor.execute(sql, [fiscal_year, fiscal_year, quarter, *params, fiscal_year, quarter])
        rows = cursor.fetchall()
    out = {}
    for row in rows:
        values = dict(zip(ROLLUP_FIELDS, row[1:], strict=False))
        for name in DECIMALS:
            values[name] = _dec(values[name])
        values["provisional"] = bool(values["provisional"])
        out[row[0]] = Rollup(**values, deadline=row[-1])
    return out


@lru_cache(maxsize=1)
def _trend_sql() -> str:
    names = ROW_NAMES
    aggregates = ",\n    ".join(f"{agg.sql(names)} AS {name}" for name, agg in AGGREGATES.items())
    value = next(expr for name, expr in STAGES if name == "value")
    return f"""
WITH agg AS (
  SELECT r.fiscal_year, r.quarter, %s AS aggregation,
    {aggregates}
  FROM scorecard_result r
  LEFT JOIN scorecard_provincetarget pt ON pt.id = r.province_target_id
  WHERE r.indicator_id = %s
  GROUP BY r.fiscal_year, r.quarter
)
SELECT agg.fiscal_year, agg.quarter, {value.sql({})} AS value, agg.n_reported, t.value
FROM agg
LEFT JOIN scorecard_target t ON t.indicator_id = %s AND t.fiscal_year = agg.fiscal_year
ORDER BY agg.fiscal_year, agg.quarter"""


def trend(indicator_id: int, aggregation: str) -> list[dict[str, Any]]:
    """The cluster value per fiscal year and quarter, oldest first, with the year's target:
    one grouped query, combined by the same rules as the roll-up."""
    with connection.cursor() as cursor:
        cursor.execute(_trend_sql(), [aggregation, indicator_id, indicator_id])
        rows = cursor.fetchall()
    return [
        {
            "fiscal_year": year,
            "quarter": quarter,
            "value": _dec(value),
            "n_reported": n,
            "target": _dec(target),
        }
        for year, quarter, value, n, target in rows
    ]
