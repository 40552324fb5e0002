"""The plan-structure workbook: one row per objective, with its issue and the objectives it
leads to. Built on the core's spreadsheet machinery (osm.lib.spreadsheets)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
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
    SheetSpec,
    export_workbook,
    import_file,
)
from strategy import services
from strategy.models import Objective, ObjectiveLink, Plan, StrategicIssue

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

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        perspectives = services.perspectives_ensure(cluster=plan.cluster)
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
        if row["code"] in split_codes(row.get("leads_to")):
            return [RowError(row.line, self._leads_label, _("an objective cannot lead to itself"))]
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
        edges: list[tuple[str, str, int]] = []
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
                elif effect != row["code"]:
                    edges.append((row["code"], effect, row.line))
        accepted: list[tuple[str, str]] = []
        for cause, effect, line in edges:
            if services.reaches(accepted, effect, cause):
                errors.append(
                    RowError(
                        line,
                        self._leads_label,
                        _("%(cause)s → %(effect)s would make a cycle of cause and effect")
                        % {"cause": cause, "effect": effect},
                    )
                )
            else:
                accepted.append((cause, effect))
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

    def save(self, rows: list[Row], context: Any, *, diff: Diff, delete: bool) -> Plan:
        """Update the plan's structure to match the file: items are matched by code, so tags
        and anything linked to an objective (indicators) survive a re-import. What the file
        no longer lists is removed only when `delete` (confirmed by the person)."""
        plan = Plan.objects.select_for_update().get(pk=self.plan.pk)
        if plan.status != Plan.Status.DRAFT:
            raise ValidationError(_("Only a draft version can be changed."))
        wanted_issues, wanted_links = self._wanted(rows)
        issues = {i.code: i for i in plan.issues.all()}
        for order, (code, row) in enumerate(wanted_issues.items(), start=1):
            fields = {"name_th": row["issue_name_th"], "order": order}
            if row.has("issue_name_en"):
                fields["name_en"] = row.get("issue_name_en") or ""
            issues[code] = _upsert(issues.get(code), StrategicIssue, plan, code, fields)
        objectives = {o.code: o for o in plan.objectives.all()}
        order_in_issue: dict[str, int] = defaultdict(int)
        for row in rows:
            order_in_issue[row["issue_code"]] += 1
            fields = {
                "issue": issues[row["issue_code"]],
                "perspective": self.perspectives[row["perspective"]],
                "name_th": row["name_th"],
                "order": order_in_issue[row["issue_code"]],
            }
            if row.has("name_en"):
                fields["name_en"] = row.get("name_en") or ""
            objectives[row["code"]] = _upsert(
                objectives.get(row["code"]), Objective, plan, row["code"], fields
            )
        if wanted_links is not None:
            wanted = {(objectives[c].pk, objectives[e].pk) for c, e in wanted_links}
            have = set(plan.links.values_list("cause_id", "effect_id"))
            ObjectiveLink.objects.bulk_create(
                [ObjectiveLink(plan=plan, cause_id=c, effect_id=e) for c, e in wanted - have]
            )
            if delete:
                for link in plan.links.all():
                    if (link.cause_id, link.effect_id) not in wanted:
                        link.delete()
        if delete:
            _delete_unlisted(plan, {row["code"] for row in rows}, set(wanted_issues))
        return plan


def _upsert(current: Any, model: Any, plan: Plan, code: str, fields: dict[str, Any]) -> Any:
    if current is None:
        return model.objects.create(plan=plan, code=code, **fields)
    if any(getattr(current, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(current, k, v)
        current.save(update_fields=list(fields))
    return current


def _delete_unlisted(plan: Plan, objective_codes: set[str], issue_codes: set[str]) -> None:
    try:
        for objective in plan.objectives.exclude(code__in=objective_codes):
            objective.delete()
        for issue in plan.issues.exclude(code__in=issue_codes):
            issue.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("An objective missing from the file cannot be removed: %(what)s uses it.")
            % {"what": ", ".join(sorted({str(o) for o in exc.protected_objects}))}
        ) from exc


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
    return import_file(PlanStructureSheet(plan), uploaded, context=plan, delete=delete)
