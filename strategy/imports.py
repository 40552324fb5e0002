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
    Action,
    Column,
    Diff,
    FieldChange,
    ImportResult,
    Kind,
    Row,
    RowChange,
    RowError,
    RowsRefused,
    SheetSpec,
    export_workbook,
    import_file,
)
from strategy import services
from strategy.models import Objective, ObjectiveLink, Perspective, Plan, StrategicIssue

_SEPARATORS = re.compile(r"[,;\s、]+")


def split_codes(value: str | None) -> list[str]:
    return [code for code in _SEPARATORS.split(value or "") if code]


class PlanStructureSheet(SheetSpec):
    title = gettext_lazy("Plan structure")
    instructions = [
        gettext_lazy(
            "One row per objective (เป้าประสงค์). Write the issue's code and name on its first "
            "objective (or merge the cells over its objectives); the rows below repeat it."
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
            "Importing shows a preview first: items with the same code are updated, new ones "
            "added; items no longer listed are removed only if you confirm it. A file with "
            "any error changes nothing."
        ),
    ]
    key_columns = ("code",)
    deletes_missing = True
    # Codes, self-links and cycles are the strategy services' to refuse: the preview saves
    # and rolls back to show their refusals on their rows.
    check_by_saving = True

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
            Column.for_field(
                StrategicIssue,
                "code",
                key="issue_code",
                label=gettext_lazy("Issue code"),
                required=True,
                code=True,
                fill_down=True,
                aliases=("ประเด็นยุทธศาสตร์ที่", "รหัสประเด็น"),
                width=10,
            ),
            Column.for_field(
                StrategicIssue,
                "name_th",
                key="issue_name_th",
                label=gettext_lazy("Issue (Thai)"),
                required=True,
                fill_down=True,
                aliases=("ประเด็นยุทธศาสตร์",),
                width=40,
            ),
            Column.for_field(
                StrategicIssue,
                "name_en",
                key="issue_name_en",
                label=gettext_lazy("Issue (English)"),
                fill_down=True,
                width=30,
            ),
            Column.for_field(
                Objective,
                "code",
                label=gettext_lazy("Objective code"),
                required=True,
                code=True,
                aliases=("รหัสเป้าประสงค์",),
                width=12,
            ),
            Column.for_field(
                Objective,
                "name_th",
                label=gettext_lazy("Objective (Thai)"),
                required=True,
                aliases=("เป้าประสงค์",),
                width=45,
            ),
            Column.for_field(
                Objective, "name_en", label=gettext_lazy("Objective (English)"), width=35
            ),
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
                code=True,
                width=22,
            ),
        ]

    @property
    def _leads_label(self) -> str:
        return str(self.columns[7].label)

    def check_row(self, row: Row, context: Any) -> list[RowError | str]:
        # Codes as the services store them, whatever the sheet shows (๑.๒ → 1.2).
        for key in ("issue_code", "code", "leads_to"):
            if row.get(key):
                row.values[key] = services.clean_code(row[key])
        return []

    def check_all(self, rows: list[Row], context: Any) -> list[RowError]:
        errors: list[RowError] = []
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
                            self._leads_label,
                            _("no objective in the file has the code %(code)s") % {"code": effect},
                        )
                    )
        return errors

    def _wanted(self, rows: list[Row]) -> tuple[dict[str, Row], set[tuple[str, str]] | None]:
        """The issues the file lists (each from its first row) and the links it wants (None
        when the file has no links column: links are then left as they are)."""
        issues: dict[str, Row] = {}
        for row in rows:
            issues.setdefault(row["issue_code"], row)
        if not rows or not rows[0].has("leads_to"):
            return issues, None
        links = {(row["code"], e) for row in rows for e in split_codes(row.get("leads_to"))}
        return issues, links

    def diff(self, rows: list[Row], context: Any) -> Diff:
        """Issues, objectives and cause-and-effect links the file adds, changes and removes."""
        result = Diff()
        plan = self.plan
        issue_group, objective_group = str(_("Issue")), str(_("Objective"))
        wanted_issues, wanted_links = self._wanted(rows)
        issues = {i.code: i for i in plan.issues.all()}
        for code, row in wanted_issues.items():
            fields = self._fields(
                issues.get(code),
                [
                    ("issue_name_th", "name_th", row["issue_name_th"]),
                    ("issue_name_en", "name_en", row.get("issue_name_en")),
                ],
                row,
            )
            self._record(result, issues.get(code), code, row, fields, issue_group)
        objectives = {o.code: o for o in plan.objectives.select_related("issue", "perspective")}
        for row in rows:
            objective = objectives.get(row["code"])
            perspective = self.perspectives[row["perspective"]]
            fields = self._fields(
                objective,
                [
                    ("issue_code", "issue.code", row["issue_code"]),
                    ("name_th", "name_th", row["name_th"]),
                    ("name_en", "name_en", row.get("name_en")),
                    ("perspective", "perspective.name_th", perspective.name_th),
                ],
                row,
            )
            self._record(result, objective, row["code"], row, fields, objective_group)
        listed = {row["code"] for row in rows}
        for code, objective in objectives.items():
            if code not in listed:
                result.changes.append(
                    RowChange(Action.DELETE, code, objective.name_th, group=objective_group)
                )
        for code, issue in issues.items():
            if code not in wanted_issues:
                result.changes.append(
                    RowChange(Action.DELETE, code, issue.name_th, group=issue_group)
                )
        if wanted_links is not None:
            self._diff_links(result, wanted_links)
        return result

    def _fields(
        self, current: Any, compared: list[tuple[str, str, Any]], row: Row
    ) -> list[FieldChange]:
        labels = {c.key: str(c.label) for c in self.columns}
        changes = []
        for key, attribute, new in compared:
            if not row.has(key):
                continue  # a column the file lacks is left as it is
            old = current
            for part in attribute.split("."):
                old = getattr(old, part, None) if old is not None else None
            if (old or "") != (new or ""):
                changes.append(FieldChange(labels[key], old or "", new or ""))
        return changes

    @staticmethod
    def _record(
        result: Diff, current: Any, code: str, row: Row, fields: list[FieldChange], group: str
    ) -> None:
        if current is None:
            result.changes.append(RowChange(Action.ADD, code, "", row.line, fields, group))
        elif fields:
            result.changes.append(
                RowChange(Action.CHANGE, code, current.name_th, row.line, fields, group)
            )
        else:
            result.unchanged += 1

    def _diff_links(self, result: Diff, wanted: set[tuple[str, str]]) -> None:
        group = str(_("Cause and effect"))
        have = set(self.plan.links.values_list("cause__code", "effect__code"))
        for cause, effect in sorted(wanted - have):
            result.changes.append(RowChange(Action.ADD, f"{cause} → {effect}", group=group))
        for cause, effect in sorted(have - wanted):
            result.changes.append(RowChange(Action.DELETE, f"{cause} → {effect}", group=group))
        result.unchanged += len(have & wanted)

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

    def save(self, rows: list[Row], context: Any, *, diff: Diff, delete: bool) -> Plan:
        """Update the plan's structure to match the file through the strategy services, so
        codes, objectives and links follow the same rules as in the forms. Items are matched
        by code, so tags and anything linked to an objective (indicators) survive a
        re-import; a column the file lacks is left as it is; what the file no longer lists
        is removed only when `delete` (confirmed by the person). Any refusal is kept with
        its row, and then nothing is saved."""
        plan = Plan.objects.select_for_update().get(pk=self.plan.pk)
        if plan.status != Plan.Status.DRAFT:
            raise ValidationError(_("Only a draft version can be changed."))
        self.refused = []
        wanted_issues, wanted_codes = self._wanted(rows)
        issues = {i.code: i for i in plan.issues.all()}
        for order, (code, row) in enumerate(wanted_issues.items(), start=1):
            fields = {"name_th": row["issue_name_th"], "order": order}
            if row.has("issue_name_en"):
                fields["name_en"] = row.get("issue_name_en") or ""
            issue = issues.get(code)
            with self._refusal(row.line, code="issue_code"):
                if issue is None:
                    issues[code] = services.issue_create(plan=plan, code=code, **fields)
                elif changed := _changed(issue, fields):
                    services.issue_update(issue=issue, **changed)
        objectives = {o.code: o for o in plan.objectives.all()}
        order_in_issue: dict[str, int] = defaultdict(int)
        for row in rows:
            if row["issue_code"] not in issues:
                continue  # its issue was refused, on its first row
            order_in_issue[row["issue_code"]] += 1
            fields = {
                "issue": issues[row["issue_code"]],
                "perspective": self.perspectives[row["perspective"]],
                "name_th": row["name_th"],
                "order": order_in_issue[row["issue_code"]],
            }
            if row.has("name_en"):
                fields["name_en"] = row.get("name_en") or ""
            objective = objectives.get(row["code"])
            columns = {"code": "code", "issue": "issue_code", "perspective": "perspective"}
            with self._refusal(row.line, **columns):
                if objective is None:
                    objectives[row["code"]] = services.objective_create(code=row["code"], **fields)
                elif changed := _changed(objective, fields):
                    services.objective_update(objective=objective, **changed)
        if wanted_codes is not None:
            self._save_links(plan, rows, objectives, delete=delete)
        if delete:
            listed = {row["code"] for row in rows}
            for code, objective in list(objectives.items()):
                if code not in listed:
                    with self._refusal(0):
                        services.objective_delete(objective=objective)
            for code, issue in issues.items():
                if code not in wanted_issues:
                    with self._refusal(0):
                        services.issue_delete(issue=issue)
        if self.refused:
            raise RowsRefused(self.refused)
        return plan

    def _save_links(
        self, plan: Plan, rows: list[Row], objectives: dict[str, Objective], *, delete: bool
    ) -> None:
        wanted: dict[tuple[int, int], tuple[int, Objective, Objective]] = {}
        for row in rows:
            for effect_code in split_codes(row.get("leads_to")):
                cause, effect = objectives.get(row["code"]), objectives.get(effect_code)
                if cause is not None and effect is not None:
                    wanted.setdefault((cause.pk, effect.pk), (row.line, cause, effect))
        if delete:
            for link in plan.links.all():
                if (link.cause_id, link.effect_id) not in wanted:
                    services.link_delete(link=link)
        have = set(plan.links.values_list("cause_id", "effect_id"))
        for pair, (line, cause, effect) in wanted.items():
            if pair not in have:
                with self._refusal(line, effect="leads_to"):
                    services.link_create(cause=cause, effect=effect)


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


def plan_structure_import(*, plan: Plan, uploaded: Any, delete: bool = False) -> ImportResult:
    """Check every row and update the plan to match the file, or change nothing; without a
    preview (people import through the preview: `strategy.views.plans.plan_import`)."""
    services.perspectives_ensure(cluster=plan.cluster)
    return import_file(PlanStructureSheet(plan), uploaded, context=plan, delete=delete)
