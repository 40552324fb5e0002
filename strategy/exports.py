"""The alignment matrix as an Excel workbook, through the core exporter."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osm.lib.spreadsheets import Column, SheetSpec, export_workbook
from strategy.selectors import Matrix


class AlignmentMatrixSheet(SheetSpec):
    """One row per national target; a column per strategic issue of the plan."""

    title = gettext_lazy("Alignment")

    def __init__(self, matrix: Matrix) -> None:
        self.columns = [
            Column("layer", _("Layer"), width=26),
            Column("code", _("Code"), width=10),
            Column("target", _("National target"), width=48),
            Column("served", _("Served"), width=10),
            *(
                Column(f"issue-{issue.pk}", f"{_('Issue')} {issue.code} {issue.name}", width=22)
                for issue in matrix.issues
            ),
            Column("objectives", _("Objectives serving it"), width=40),
            Column("through", _("Through sub-targets"), width=20),
        ]
        self.instructions = [
            _("● the issue is tagged with the target or one of its sub-targets"),
            _("○ an objective of the issue is tagged with it"),
        ]


def alignment_matrix_rows(matrix: Matrix) -> list[dict[str, Any]]:
    marks = {"issue": "●", "objective": "○", "": ""}
    rows = []
    for _key, label, layer_rows in matrix.layers:
        for row in layer_rows:
            line: dict[str, Any] = {
                "layer": label,
                "code": row.target.code,
                "target": row.target.name,
                "served": _("yes") if row.served else _("no"),
                "objectives": "; ".join(f"{o.code} {o.name}" for o in row.objectives),
                "through": ", ".join(t.code for t in row.through),
            }
            for issue, cell in zip(matrix.issues, row.cells, strict=True):
                line[f"issue-{issue.pk}"] = marks[cell]
            rows.append(line)
    return rows


def alignment_matrix_workbook(matrix: Matrix) -> bytes:
    return export_workbook(AlignmentMatrixSheet(matrix), alignment_matrix_rows(matrix))
