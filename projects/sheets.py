"""The project list in Excel: the import template and its all-or-nothing import, and the
export of any filtered list with the alignment chain and the eMENSCR identifier.

Built on the core importer (`osm.lib.spreadsheets`): this module declares the columns and
the row rules — unknown objective, indicator or province, a negative or non-numeric budget,
a code used twice or already taken, a year that is not a BE fiscal year — and every bad row
is reported; nothing is saved unless every row is good.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osm.lib.spreadsheets import Column, Kind, Row, RowError, SheetSpec
from osm.models import Agency, Cluster, Province
from projects.models import Project
from projects.services.projects import project_create

LIMIT = Decimal("1e12")


def _choices(enum: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for value, label in enum.choices:
        found[str(value)] = value
        found[str(label)] = value
    return found


@dataclass
class ImportContext:
    cluster: Cluster
    user: Any
    saved: list[Project] = field(default_factory=list)

    @cached_property
    def objectives(self) -> dict[str, Any]:
        """Objectives of the cluster's approved plans by code (the newest version wins)."""
        from strategy.models import Objective, Plan

        rows = (
            Objective.objects.filter(plan__cluster=self.cluster, plan__status=Plan.Status.APPROVED)
            .select_related("plan")
            .order_by("plan__start_year", "plan__version")
        )
        return {o.code: o for o in rows}

    @cached_property
    def provinces(self) -> dict[str, Province]:
        found: dict[str, Province] = {}
        for province in Province.objects.filter(cluster=self.cluster):
            for key in (province.code, province.name_th, province.name_en):
                if key:
                    found[key.strip().casefold()] = province
        return found

    @cached_property
    def indicators(self) -> dict[str, Any]:
        from scorecard.models import Indicator

        return {i.code: i for i in Indicator.objects.filter(cluster=self.cluster)}

    @cached_property
    def agencies(self) -> dict[str, Agency]:
        return {a.name_th.strip(): a for a in Agency.objects.filter(cluster=self.cluster)}

    @cached_property
    def taken(self) -> set[tuple[int, str]]:
        return set(Project.objects.filter(cluster=self.cluster).values_list("fiscal_year", "code"))


def _split(text: str | None) -> list[str]:
    if not text:
        return []
    return [part.strip() for part in str(text).replace(";", ",").split(",") if part.strip()]


class ProjectSheet(SheetSpec):
    title = gettext_lazy("Projects")
    instructions = [
        gettext_lazy("One row per project proposal of the cluster's annual action plan."),
        gettext_lazy(
            "Objective and indicator codes are those of the cluster's approved plan; provinces "
            "by code (TH-50) or Thai name, several separated by commas."
        ),
        gettext_lazy("Amounts in baht, with at most two decimal places."),
        gettext_lazy("The file is saved only when every row is correct; each mistake is listed."),
    ]
    columns = [
        Column("fiscal_year", gettext_lazy("Fiscal year (BE)"), kind=Kind.INTEGER, required=True, width=10),
        Column("code", gettext_lazy("Project code"), required=True, max_length=30, width=12),
        Column("name_th", gettext_lazy("Project name"), required=True, max_length=400, width=50),
        Column("objective_code", gettext_lazy("Objective code"), required=True, max_length=20, width=12),
        Column("indicator_codes", gettext_lazy("Indicator codes"), max_length=400, width=16),
        Column("provinces", gettext_lazy("Provinces"), max_length=400, width=24),
        Column("agency", gettext_lazy("Responsible agency"), max_length=200, width=30),
        Column("responsible_person", gettext_lazy("Person responsible"), max_length=200, width=20),
        Column("source", gettext_lazy("Budget source"), kind=Kind.CHOICE, choices=_choices(Project.Source), width=16),
        Column("frame", gettext_lazy("Budget ceiling"), kind=Kind.CHOICE, choices=_choices(Project.Frame), width=18),
        Column("priority", gettext_lazy("Priority"), kind=Kind.CHOICE, choices=_choices(Project.Priority), width=10),
        Column("requested", gettext_lazy("Requested budget (baht)"), kind=Kind.DECIMAL, required=True, min_value=0, max_value=LIMIT, width=16),
        Column("start_date", gettext_lazy("Start date"), kind=Kind.DATE, width=12),
        Column("end_date", gettext_lazy("End date"), kind=Kind.DATE, width=12),
        Column("emenscr_id", gettext_lazy("eMENSCR project ID"), max_length=60, width=16),
        Column("rationale", gettext_lazy("Rationale"), max_length=4000, width=40),
    ]  # fmt: skip

    def check_row(self, row: Row, context: ImportContext) -> list[RowError | str]:
        errors: list[RowError | str] = []
        year = row["fiscal_year"]
        if not 2500 <= year <= 2700:
            errors.append(
                RowError(
                    row.line,
                    _("Fiscal year (BE)"),
                    _("write the fiscal year in the Buddhist Era, e.g. 2570"),
                )
            )
        if row["objective_code"] not in context.objectives:
            errors.append(
                RowError(
                    row.line,
                    _("Objective code"),
                    _("unknown objective code %(code)s") % {"code": row["objective_code"]},
                )
            )
        for code in _split(row["indicator_codes"]):
            if code not in context.indicators:
                errors.append(
                    RowError(
                        row.line,
                        _("Indicator codes"),
                        _("unknown indicator code %(code)s") % {"code": code},
                    )
                )
        for name in _split(row["provinces"]):
            if name.casefold() not in context.provinces:
                errors.append(
                    RowError(
                        row.line,
                        _("Provinces"),
                        _("%(name)s is not a province of the cluster") % {"name": name},
                    )
                )
        if row["agency"] and row["agency"].strip() not in context.agencies:
            errors.append(
                RowError(
                    row.line,
                    _("Responsible agency"),
                    _("unknown agency %(name)s") % {"name": row["agency"]},
                )
            )
        if (year, row["code"]) in context.taken:
            errors.append(
                RowError(
                    row.line,
                    _("Project code"),
                    _("project code %(code)s already exists in %(year)s")
                    % {"code": row["code"], "year": year},
                )
            )
        requested = row["requested"]
        if requested is not None and requested != requested.quantize(Decimal("0.01")):
            errors.append(
                RowError(
                    row.line,
                    _("Requested budget (baht)"),
                    _("an amount has at most two decimal places"),
                )
            )
        start, end = row["start_date"], row["end_date"]
        if start and end and end < start:
            errors.append(
                RowError(row.line, _("End date"), _("the project cannot end before it starts"))
            )
        return errors

    def check_all(self, rows: list[Row], context: ImportContext) -> list[RowError]:
        seen = Counter((r["fiscal_year"], r["code"]) for r in rows)
        return [
            RowError(
                row.line, str(_("Project code")), _("the same project code appears more than once")
            )
            for row in rows
            if seen[(row["fiscal_year"], row["code"])] > 1
        ]

    key_columns = ("fiscal_year", "code")

    def describe(self, key: tuple[Any, ...], values: Any) -> str:
        return str(values.get("name_th") or "")

    def save(
        self, rows: list[Row], context: ImportContext, *, diff: Any = None, delete: bool = False
    ) -> list[Project]:
        """Every row is a new proposal (a code already used in its year is refused by
        `check_row`), so the preview lists additions only and nothing is ever deleted."""
        for row in rows:
            fields: dict[str, Any] = {
                "requested": row["requested"],
                "responsible_person": row["responsible_person"] or "",
                "emenscr_id": row["emenscr_id"] or "",
                "rationale": row["rationale"] or "",
                "start_date": row["start_date"],
                "end_date": row["end_date"],
            }
            for key in ("source", "frame", "priority"):
                if row[key] is not None:
                    fields[key] = row[key]
            if row["agency"]:
                fields["agency"] = context.agencies[row["agency"].strip()]
            try:
                project = project_create(
                    cluster=context.cluster,
                    fiscal_year=row["fiscal_year"],
                    code=row["code"],
                    name_th=row["name_th"],
                    objective=context.objectives[row["objective_code"]],
                    provinces=[context.provinces[n.casefold()] for n in _split(row["provinces"])],
                    indicators=[context.indicators[c] for c in _split(row["indicator_codes"])],
                    **fields,
                )
            except ValidationError as err:
                raise ValidationError(
                    _("row %(line)s: %(message)s")
                    % {"line": row.line, "message": " ".join(err.messages)}
                ) from err
            context.saved.append(project)
        return context.saved


class ProjectExportSheet(SheetSpec):
    """What staff send upward: the list with its money, alignment chain and eMENSCR ID."""

    title = gettext_lazy("Projects")
    columns = [
        *ProjectSheet.columns[:4],
        Column("objective", gettext_lazy("Objective"), width=40),
        Column("issue_code", gettext_lazy("Issue code"), width=10),
        Column("issue", gettext_lazy("Strategic issue"), width=40),
        Column("plan", gettext_lazy("Cluster plan"), width=40),
        Column("national", gettext_lazy("National planning layers"), width=40),
        *ProjectSheet.columns[4:11],
        Column("rank", gettext_lazy("Rank"), kind=Kind.INTEGER, width=8),
        Column("status", gettext_lazy("Status"), width=14),
        ProjectSheet.columns[11],
        Column("allocated", gettext_lazy("Allocated budget (baht)"), kind=Kind.DECIMAL, width=16),
        Column("after_transfers", gettext_lazy("Budget after transfers (baht)"), kind=Kind.DECIMAL, width=16),
        Column("committed", gettext_lazy("Committed: contract / PO (baht)"), kind=Kind.DECIMAL, width=16),
        Column("disbursed", gettext_lazy("Disbursed (baht)"), kind=Kind.DECIMAL, width=16),
        Column("remaining", gettext_lazy("Remaining (baht)"), kind=Kind.DECIMAL, width=16),
        Column("physical_pct", gettext_lazy("Physical progress (%)"), kind=Kind.DECIMAL, width=12),
        *ProjectSheet.columns[12:],
    ]  # fmt: skip


def export_rows(projects: list[Project]) -> list[dict[str, Any]]:
    """Rows of the export: every project with its chain (four queries for the whole list)."""
    from strategy.selectors import tags_for

    tags = tags_for(projects)
    from django.contrib.contenttypes.models import ContentType

    type_id = ContentType.objects.get_for_model(Project).pk
    provinces: dict[int, list[str]] = {}
    indicators: dict[int, list[str]] = {}
    for p in projects:
        provinces[p.pk] = [x.code for x in p.provinces.all()]
        indicators[p.pk] = [i.code for i in p.indicators.all()]
    rows = []
    for p in projects:
        objective = p.objective
        rows.append(
            {
                "fiscal_year": p.fiscal_year,
                "code": p.code,
                "name_th": p.name_th,
                "objective_code": objective.code,
                "objective": objective.name_th,
                "issue_code": objective.issue.code,
                "issue": objective.issue.name_th,
                "plan": objective.plan.title_th,
                "national": ", ".join(t.code for t in tags.get((type_id, p.pk), [])),
                "indicator_codes": ", ".join(indicators[p.pk]),
                "provinces": ", ".join(provinces[p.pk]),
                "agency": p.agency.name_th if p.agency else "",
                "responsible_person": p.responsible_person,
                "source": str(Project.Source(p.source).label),
                "frame": str(Project.Frame(p.frame).label),
                "priority": str(Project.Priority(p.priority).label),
                "rank": p.rank,
                "status": str(Project.Status(p.status).label),
                "requested": p.requested,
                "allocated": p.allocated,
                "after_transfers": p.after_transfers,
                "committed": p.committed,
                "disbursed": p.disbursed,
                "remaining": p.remaining,
                "physical_pct": p.physical_pct,
                "start_date": p.start_date,
                "end_date": p.end_date,
                "emenscr_id": p.emenscr_id,
                "rationale": p.rationale,
            }
        )
    return rows
