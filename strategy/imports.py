"""The plan-structure workbook: one row per objective, with its issue and the objectives it
leads to. Built on the core's spreadsheet machinery (osm.lib.spreadsheets)."""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osm.lib.spreadsheets import (
    Column,
    ImportResult,
    Kind,
    Row,
    RowError,
    SheetSpec,
    export_workbook,
    import_file,
)
from strategy import services
from strategy.models import Objective, ObjectiveLink, Perspective, Plan

_SEPARATORS = re.compile(r"[,;\s、]+")


def split_codes(value: str | None) -> list[str]:
    return [code for code in _SEPARATORS.split(value or "") if code]


class PlanStructureSheet(SheetSpec):
    title = gettext_lazy("Plan structure")
    instructions = [
        gettext_lazy(
            "One row per objective (เป้าประสงค์). Repeat the issue's code and name on "
            "each of its objectives."
        ),
        gettext_lazy(
            "Perspective: the perspective's name as this cluster calls it, or its key "
            "(effectiveness, service_quality, efficiency, org_development)."
        ),
        gettext_lazy(
            "Leads to: the codes of the objectives this one helps to reach, separated "
            "by commas. Cause and effect must not run in a circle."
        ),
        gettext_lazy(
            "Importing updates items with the same code, adds new ones and removes "
            "those no longer listed. A file with any error changes nothing."
        ),
    ]

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.refused: list[RowError] = []  # what the strategy services refused, by row
        # Reads only: an export (a GET) must not write. The import makes sure the cluster
        # has its perspectives before it builds the sheet.
        perspectives = list(
            Perspective.objects.filter(cluster_id=plan.cluster_id).order_by("order")
        )
        choices: dict[str, str] = {}
        for p in perspectives:
            choices[p.name_th] = p.key
            if p.name_en:
                choices[p.name_en] = p.key
            choices[p.key] = p.key
        self.perspectives = {p.key: p for p in perspectives}
        self.columns = [
            Column(
                "issue_code", gettext_lazy("Issue code"), required=True, max_length=20, width=10
            ),
            Column(
                "issue_name_th",
                gettext_lazy("Issue (Thai)"),
                required=True,
                max_length=400,
                width=40,
            ),
            Column("issue_name_en", gettext_lazy("Issue (English)"), max_length=400, width=30),
            Column("code", gettext_lazy("Objective code"), required=True, max_length=20, width=12),
            Column(
                "name_th", gettext_lazy("Objective (Thai)"), required=True, max_length=400, width=45
            ),
            Column("name_en", gettext_lazy("Objective (English)"), max_length=400, width=35),
            Column(
                "perspective",
                gettext_lazy("Perspective"),
                kind=Kind.CHOICE,
                required=True,
                choices=choices,
                width=24,
            ),
            Column(
                "leads_to",
                gettext_lazy("Leads to (objective codes)"),
                help=gettext_lazy("Codes of the objectives this one helps to reach, e.g. 1.1, 2.3"),
                width=22,
            ),
        ]

    def check_row(self, row: Row, context: Any) -> list[RowError | str]:
        # Codes as the services store them, whatever the sheet shows (๑.๒ → 1.2).
        for key in ("issue_code", "code", "leads_to"):
            if row.get(key):
                row.values[key] = services.clean_code(row[key])
        return []

    def check_all(self, rows: list[Row], context: Any) -> list[RowError]:
        errors: list[RowError] = []
        leads_label = str(self.columns[7].label)
        first_line: dict[str, int] = {}
        issue_names: dict[str, tuple[int, str]] = {}
        for row in rows:
            code = row["code"]
            if code in first_line:
                errors.append(
                    RowError(
                        row.line,
                        str(self.columns[3].label),
                        _("the code %(code)s is already used on row %(line)s")
                        % {"code": code, "line": first_line[code]},
                    )
                )
            else:
                first_line[code] = row.line
            seen = issue_names.setdefault(row["issue_code"], (row.line, row["issue_name_th"]))
            if seen[1] != row["issue_name_th"]:
                errors.append(
                    RowError(
                        row.line,
                        str(self.columns[1].label),
                        _("issue %(code)s is named differently on row %(line)s")
                        % {"code": row["issue_code"], "line": seen[0]},
                    )
                )
        # Links to itself and cycles are the services' to refuse, when the links are saved.
        for row in rows:
            for effect in split_codes(row.get("leads_to")):
                if effect not in first_line:
                    errors.append(
                        RowError(
                            row.line,
                            leads_label,
                            _("no objective in the file has the code %(code)s") % {"code": effect},
                        )
                    )
        return errors

    @contextlib.contextmanager
    def _refusal(self, line: int, **columns: str) -> Iterator[None]:
        """Keep a service's ValidationError as errors of row `line`; `columns` names the
        column of each field the service may name."""
        try:
            yield
        except ValidationError as err:
            labels = {str(c.key): str(c.label) for c in self.columns}
            if not hasattr(err, "error_dict"):
                self.refused.extend(RowError(line, None, m) for m in err.messages)
                return
            for field, messages in err.message_dict.items():
                column = labels.get(columns.get(field, ""))
                self.refused.extend(RowError(line, column, m) for m in messages)

    def save(self, rows: list[Row], context: Any) -> Plan:
        """Update the plan's structure to match the file through the strategy services, so
        codes, objectives and links follow the same rules as in the forms. Items are matched
        by code, so tags and anything linked to an objective (indicators) survive a
        re-import. Any refusal is kept with its row, and then nothing is saved."""
        plan = Plan.objects.select_for_update().get(pk=self.plan.pk)
        if plan.status != Plan.Status.DRAFT:
            raise ValidationError(_("Only a draft version can be changed."))
        self.refused = []
        issues = {i.code: i for i in plan.issues.all()}
        objectives = {o.code: o for o in plan.objectives.all()}
        wanted_issues: dict[str, Row] = {}
        for row in rows:
            wanted_issues.setdefault(row["issue_code"], row)
        for order, (code, row) in enumerate(wanted_issues.items(), start=1):
            fields = {
                "name_th": row["issue_name_th"],
                "name_en": row.get("issue_name_en") or "",
                "order": order,
            }
            issue = issues.get(code)
            with self._refusal(row.line, code="issue_code"):
                if issue is None:
                    issues[code] = services.issue_create(plan=plan, code=code, **fields)
                elif changed := _changed(issue, fields):
                    services.issue_update(issue=issue, **changed)
        order_in_issue: dict[str, int] = defaultdict(int)
        for row in rows:
            if row["issue_code"] not in issues:
                continue  # its issue was refused, on its first row
            order_in_issue[row["issue_code"]] += 1
            fields = {
                "issue": issues[row["issue_code"]],
                "perspective": self.perspectives[row["perspective"]],
                "name_th": row["name_th"],
                "name_en": row.get("name_en") or "",
                "order": order_in_issue[row["issue_code"]],
            }
            objective = objectives.get(row["code"])
            columns = {"code": "code", "issue": "issue_code", "perspective": "perspective"}
            with self._refusal(row.line, **columns):
                if objective is None:
                    objectives[row["code"]] = services.objective_create(code=row["code"], **fields)
                elif changed := _changed(objective, fields):
                    services.objective_update(objective=objective, **changed)
        listed = {row["code"] for row in rows}
        wanted_links: dict[tuple[int, int], tuple[int, Objective, Objective]] = {}
        for row in rows:
            for effect_code in split_codes(row.get("leads_to")):
                cause, effect = objectives.get(row["code"]), objectives.get(effect_code)
                if cause is not None and effect is not None:
                    wanted_links.setdefault((cause.pk, effect.pk), (row.line, cause, effect))
        for link in plan.links.all():
            if (link.cause_id, link.effect_id) not in wanted_links:
                services.link_delete(link=link)
        for code, objective in list(objectives.items()):
            if code not in listed:
                with self._refusal(0):
                    services.objective_delete(objective=objective)
        for code, issue in issues.items():
            if code not in wanted_issues:
                with self._refusal(0):
                    services.issue_delete(issue=issue)
        have = set(plan.links.values_list("cause_id", "effect_id"))
        for pair, (line, cause, effect) in wanted_links.items():
            if pair not in have:
                with self._refusal(line, effect="leads_to"):
                    services.link_create(cause=cause, effect=effect)
        if self.refused:
            raise ValidationError([e.message for e in self.refused])
        return plan


def _changed(obj: models.Model, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields whose value differs from `obj`'s (related objects compared by key)."""
    changed = {}
    for name, value in fields.items():
        if isinstance(value, models.Model):
            differs = getattr(obj, f"{name}_id") != value.pk
        else:
            differs = getattr(obj, name) != value
        if differs:
            changed[name] = value
    return changed


def plan_structure_rows(plan: Plan) -> list[dict[str, Any]]:
    effects: dict[int, list[str]] = defaultdict(list)
    for cause_id, effect_code in (
        ObjectiveLink.objects.filter(plan=plan)
        .values_list("cause_id", "effect__code")
        .order_by("effect__code")
    ):
        effects[cause_id].append(effect_code)
    objectives = (
        Objective.objects.filter(plan=plan)
        .select_related("issue", "perspective")
        .order_by("issue__order", "issue__code", "order", "code")
    )
    return [
        {
            "issue_code": o.issue.code,
            "issue_name_th": o.issue.name_th,
            "issue_name_en": o.issue.name_en,
            "code": o.code,
            "name_th": o.name_th,
            "name_en": o.name_en,
            "perspective": o.perspective.name_th,
            "leads_to": ", ".join(effects[o.pk]),
        }
        for o in objectives
    ]


def plan_structure_workbook(plan: Plan) -> bytes:
    """The plan's structure as an .xlsx in the import template's layout."""
    return export_workbook(PlanStructureSheet(plan), plan_structure_rows(plan))


def plan_structure_import(*, plan: Plan, uploaded: Any) -> ImportResult:
    """Check every row and update the plan to match the file, or change nothing."""
    services.perspectives_ensure(cluster=plan.cluster)
    sheet = PlanStructureSheet(plan)
    result = import_file(sheet, uploaded, context=plan)
    if not result.ok and sheet.refused:
        # What the services refused, each on its own row and column.
        result.errors = sorted(sheet.refused, key=lambda e: (e.line, e.column or ""))
    return result
