"""The integration figures: budget by issue, objective, province and source, and disbursement
against plan and the government's targets. Computed in the database with aggregates — one
query per table, whatever the number of projects — so the totals agree to the satang."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from osm.lib.workflow import ReviewStatus
from osm.models import Province
from projects.models import (
    DisbursementPlan,
    GovernmentDisbursementTarget,
    ProgressReport,
    Project,
    ProjectProvince,
)

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MONEY_FIELD: DecimalField[Any, Any] = DecimalField(max_digits=16, decimal_places=2)
MONEY_COLUMNS = ("requested", "allocated", "budget", "committed", "disbursed", "remaining")


def zero() -> Value:
    return Value(ZERO, output_field=MONEY_FIELD)


BUDGET = Coalesce(F("after_transfers"), F("allocated"), output_field=MONEY_FIELD)


def year_projects(cluster_id: int, fiscal_year: int) -> QuerySet[Project]:
    """The projects that count in a year's figures: all but the cancelled."""
    return Project.objects.filter(cluster_id=cluster_id, fiscal_year=fiscal_year).exclude(
        status=Project.Status.CANCELLED
    )


def money_sums(prefix: str = "") -> dict[str, Any]:
    """Sum of each money column (remaining = budget − disbursed), as aggregate kwargs named
    `sum_<column>` (the model's own field names cannot be reused); see `plain`."""
    budget = Coalesce(
        F(f"{prefix}after_transfers"), F(f"{prefix}allocated"), output_field=MONEY_FIELD
    )
    return {
        "sum_requested": Coalesce(Sum(f"{prefix}requested"), zero()),
        "sum_allocated": Coalesce(Sum(f"{prefix}allocated"), zero()),
        "sum_budget": Coalesce(Sum(budget), zero()),
        "sum_committed": Coalesce(Sum(f"{prefix}committed"), zero()),
        "sum_disbursed": Coalesce(Sum(f"{prefix}disbursed"), zero()),
        "sum_remaining": Coalesce(Sum(budget - F(f"{prefix}disbursed")), zero()),
        "sum_projects": Count("pk"),
    }


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row of `money_sums` with the plain column names."""
    return {k.removeprefix("sum_"): v for k, v in row.items()}


# --- Budget by issue, objective, province and source ----------------------------------------


@dataclass
class Breakdown:
    """One table of the budget view: labelled rows and the total of each money column."""

    title: Any
    rows: list[dict[str, Any]]
    total: dict[str, Any] = field(default_factory=dict)


def _column_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    totals: dict[str, Any] = {c: sum((r[c] for r in rows), ZERO) for c in MONEY_COLUMNS}
    totals["projects"] = sum(r["projects"] for r in rows)
    return totals


def budget_totals(cluster_id: int, fiscal_year: int) -> dict[str, Any]:
    return plain(year_projects(cluster_id, fiscal_year).aggregate(**money_sums()))


def budget_by_issue(cluster_id: int, fiscal_year: int) -> list[dict[str, Any]]:
    rows = (
        year_projects(cluster_id, fiscal_year)
        .values(
            key=F("objective__issue_id"),
            sum_code=F("objective__issue__code"),
            label=F("objective__issue__name_th"),
        )
        .annotate(**money_sums())
        .order_by("sum_code", "key")
    )
    return [plain(r) for r in rows]


def budget_by_objective(cluster_id: int, fiscal_year: int) -> list[dict[str, Any]]:
    rows = (
        year_projects(cluster_id, fiscal_year)
        .values(key=F("objective_id"), sum_code=F("objective__code"), label=F("objective__name_th"))
        .annotate(**money_sums())
        .order_by("sum_code", "key")
    )
    return [plain(r) for r in rows]


def budget_by_source(cluster_id: int, fiscal_year: int) -> list[dict[str, Any]]:
    rows = [
        plain(r)
        for r in year_projects(cluster_id, fiscal_year)
        .values(key=F("source"))
        .annotate(**money_sums())
        .order_by("key")
    ]
    for row in rows:
        row["code"] = ""
        row["label"] = str(Project.Source(row["key"]).label)
    return rows


def _share(column: str) -> str:
    """SQL for one province's share of a project's `column`: an equal split to the satang,
    the leftover satang going to the first provinces, so the shares add up exactly."""
    return (
        f"FLOOR({column} * 100 / r.n) / 100 + CASE WHEN r.rn <= "
        f"({column} * 100 - FLOOR({column} * 100 / r.n) * r.n) THEN 0.01 ELSE 0 END"
    )


def budget_by_province(cluster_id: int, fiscal_year: int) -> list[dict[str, Any]]:
    """Money per province where the projects run, a project's money split equally between
    its provinces; projects with no province form a row of their own. One query."""
    columns = {
        "requested": "p.requested",
        "allocated": "p.allocated",
        "budget": "COALESCE(p.after_transfers, p.allocated)",
        "committed": "p.committed",
        "disbursed": "p.disbursed",
    }
    shares = ", ".join(f"SUM({_share(sql)}) AS {name}" for name, sql in columns.items())
    whole = ", ".join(f"SUM({sql}) AS {name}" for name, sql in columns.items())
    table, link = Project._meta.db_table, ProjectProvince._meta.db_table
    sql = f"""
        WITH p AS (
            SELECT id, requested, allocated, after_transfers, committed, disbursed
            FROM {table} WHERE cluster_id = %s AND fiscal_year = %s AND status <> %s
        ), r AS (
            SELECT pp.project_id, pp.province_id,
                   ROW_NUMBER() OVER (PARTITION BY pp.project_id ORDER BY pp.province_id) AS rn,
                   COUNT(*) OVER (PARTITION BY pp.project_id) AS n
            FROM {link} pp JOIN p ON p.id = pp.project_id
        )
        SELECT r.province_id, COUNT(*) AS projects, {shares}
        FROM r JOIN p ON p.id = r.project_id GROUP BY r.province_id
        UNION ALL
        SELECT NULL, COUNT(*), {whole} FROM p
        WHERE NOT EXISTS (SELECT 1 FROM {link} x WHERE x.project_id = p.id)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [cluster_id, fiscal_year, Project.Status.CANCELLED])
        found = cursor.fetchall()
    names = dict(Province.objects.filter(cluster_id=cluster_id).values_list("pk", "name_th"))
    rows = []
    for province_id, projects, *amounts in found:
        if province_id is None and not projects:
            continue
        row: dict[str, Any] = {
            "key": province_id,
            "code": "",
            "label": names.get(province_id, "") if province_id else None,
            "projects": projects,
        }
        for name, amount in zip(columns, amounts, strict=True):
            row[name] = Decimal(amount or 0).quantize(Decimal("0.01"))
        row["remaining"] = row["budget"] - row["disbursed"]
        rows.append(row)
    rows.sort(key=lambda r: (r["label"] is None, r["label"] or ""))
    return rows


def budget_breakdowns(cluster_id: int, fiscal_year: int) -> dict[str, list[dict[str, Any]]]:
    """The four tables of the budget view in two queries: one grouped by objective and
    source, rolled up here into issues, objectives and sources (a few dozen groups, added in
    Decimal), and the province split."""
    groups = [
        plain(r)
        for r in year_projects(cluster_id, fiscal_year)
        .values(
            "source",
            objective_key=F("objective_id"),
            objective_code=F("objective__code"),
            objective_label=F("objective__name_th"),
            issue_key=F("objective__issue_id"),
            issue_code=F("objective__issue__code"),
            issue_label=F("objective__issue__name_th"),
        )
        .annotate(**money_sums())
    ]
    columns = (*MONEY_COLUMNS, "projects")

    def roll_up(key: str, label: Any) -> list[dict[str, Any]]:
        found: dict[Any, dict[str, Any]] = {}
        for group in groups:
            code, name = label(group)
            row = found.setdefault(
                group[key],
                {"key": group[key], "code": code, "label": name, **dict.fromkeys(columns, 0)},
            )
            for column in columns:
                row[column] += group[column]
        return sorted(found.values(), key=lambda r: (str(r["code"]), str(r["key"])))

    return {
        "issue": roll_up("issue_key", lambda g: (g["issue_code"], g["issue_label"])),
        "objective": roll_up(
            "objective_key", lambda g: (g["objective_code"], g["objective_label"])
        ),
        "province": budget_by_province(cluster_id, fiscal_year),
        "source": roll_up("source", lambda g: ("", str(Project.Source(g["source"]).label))),
    }


def column_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return _column_totals(rows)


# --- Disbursement against plan and the government's targets --------------------------------


def _disbursed_by(quarter: int) -> Subquery:
    """A project's money disbursed by the end of `quarter`: its latest approved report."""
    return Subquery(
        ProgressReport.objects.filter(
            project_id=OuterRef("pk"), status=ReviewStatus.APPROVED, quarter__lte=quarter
        )
        .order_by("-quarter")
        .values("disbursed_to_date")[:1],
        output_field=MONEY_FIELD,
    )


def disbursement_by_quarter(cluster_id: int, fiscal_year: int) -> dict[str, Any]:
    """For each quarter: money planned and disbursed by its end (cumulative), against the
    total budget and the government's cumulative target. Four queries.

    Disbursed by the end of quarter q is, per project, its latest approved report up to q
    (figures are to date and never fall, so the largest of them)."""
    projects = year_projects(cluster_id, fiscal_year)
    budget: Decimal = projects.aggregate(total=Coalesce(Sum(BUDGET), zero()))["total"]
    maxima = ", ".join(
        f"MAX(CASE WHEN r.quarter <= {q} THEN r.disbursed_to_date END) AS m{q}"
        for q in (1, 2, 3, 4)
    )
    sums = ", ".join(f"COALESCE(SUM(m{q}), 0)" for q in (1, 2, 3, 4))
    sql = f"""
        SELECT {sums} FROM (
            SELECT r.project_id, {maxima}
            FROM {ProgressReport._meta.db_table} r
            JOIN {Project._meta.db_table} p ON p.id = r.project_id
            WHERE p.cluster_id = %s AND p.fiscal_year = %s AND p.status <> %s
              AND r.status = %s
            GROUP BY r.project_id
        ) latest
    """
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [cluster_id, fiscal_year, Project.Status.CANCELLED, ReviewStatus.APPROVED]
        )
        disbursed_by = [Decimal(v or 0).quantize(CENT) for v in cursor.fetchone()]
    planned = dict(
        DisbursementPlan.objects.filter(project__in=projects)
        .values("quarter")
        .annotate(total=Sum("amount"))
        .values_list("quarter", "total")
    )
    targets = dict(
        GovernmentDisbursementTarget.objects.filter(
            fiscal_year=fiscal_year, category=GovernmentDisbursementTarget.Category.OVERALL
        ).values_list("quarter", "pct")
    )
    rows, running = [], ZERO
    for quarter in (1, 2, 3, 4):
        running += planned.get(quarter) or ZERO
        disbursed = disbursed_by[quarter - 1]
        target_pct = targets.get(quarter)
        rows.append(
            {
                "quarter": quarter,
                "planned": running,
                "disbursed": disbursed,
                "planned_pct": _pct(running, budget),
                "disbursed_pct": _pct(disbursed, budget),
                "target_pct": target_pct,
                "target_amount": (budget * target_pct / 100).quantize(CENT)
                if target_pct is not None
                else None,
            }
        )
    return {"budget": budget, "rows": rows}


def _pct(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"))


def projects_against_plan(cluster_id: int, fiscal_year: int, quarter: int) -> QuerySet[Project]:
    """Each project's money planned and disbursed by the end of `quarter`, and how far
    disbursement lags the plan (percentage points of its budget), most behind first."""
    planned = Subquery(
        DisbursementPlan.objects.filter(project_id=OuterRef("pk"), quarter__lte=quarter)
        .values("project_id")
        .annotate(total=Sum("amount"))
        .values("total")[:1],
        output_field=MONEY_FIELD,
    )
    pct: DecimalField[Any, Any] = DecimalField(max_digits=9, decimal_places=2)
    return (
        year_projects(cluster_id, fiscal_year)
        .annotate(
            budget_sum=BUDGET,
            planned_to_date=Coalesce(planned, zero()),
            disbursed_to_date=Coalesce(_disbursed_by(quarter), zero()),
        )
        .annotate(
            lag=Coalesce(
                (F("planned_to_date") - F("disbursed_to_date")) * 100 / _nonzero(F("budget_sum")),
                Value(Decimal(0), output_field=pct),
                output_field=pct,
            )
        )
        .select_related("agency")
        .order_by("-lag", "rank", "code")
    )


def _nonzero(expression: Any) -> Any:
    from django.db.models.functions import NullIf

    return NullIf(expression, Value(Decimal(0), output_field=MONEY_FIELD))


def project_quarters(project: Project) -> list[dict[str, Any]]:
    """One project's plan, reports and the government's target, quarter by quarter."""
    plans = {p.quarter: p.amount for p in project.disbursement_plans.all()}
    reports = {r.quarter: r for r in project.reports.all()}
    targets = dict(
        GovernmentDisbursementTarget.objects.filter(
            fiscal_year=project.fiscal_year, category=GovernmentDisbursementTarget.Category.OVERALL
        ).values_list("quarter", "pct")
    )
    rows, running = [], ZERO
    for quarter in (1, 2, 3, 4):
        running += plans.get(quarter) or ZERO
        report = reports.get(quarter)
        approved = report is not None and report.status == ReviewStatus.APPROVED
        rows.append(
            {
                "quarter": quarter,
                "planned": plans.get(quarter),
                "planned_to_date": running,
                "planned_pct": _pct(running, project.budget),
                "report": report,
                "disbursed": report.disbursed_to_date if report and approved else None,
                "disbursed_pct": _pct(report.disbursed_to_date, project.budget)
                if report and approved
                else None,
                "target_pct": targets.get(quarter),
            }
        )
    return rows
