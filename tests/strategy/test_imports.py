from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from strategy import imports, services
from strategy.models import AlignmentLink, AlignmentTarget, Objective, ObjectiveLink, Plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = [
    "Issue code",
    "Issue (Thai)",
    "Issue (English)",
    "Objective code",
    "Objective (Thai)",
    "Objective (English)",
    "Perspective",
    "Leads to (objective codes)",
]
GOOD = [
    ["1", "ท่องเที่ยวเชิงสร้างสรรค์", "Creative tourism", "1.1", "รายได้ท่องเที่ยวเพิ่มขึ้น", "Tourism income", "ด้านประสิทธิผล", ""],
    ["1", "ท่องเที่ยวเชิงสร้างสรรค์", "", "1.2", "นักท่องเที่ยวพึงพอใจ", "", "service_quality", "1.1"],
    ["๒", "เกษตรมูลค่าสูง", "", "๒.๑", "เกษตรกรใช้นวัตกรรม", "", "ด้านประสิทธิภาพ", "๑.๒, 1.1"],
    ["2", "เกษตรมูลค่าสูง", "", "2.2", "กลุ่มเกษตรกรเข้มแข็ง", "", "Organisational development", "2.1"],
]  # fmt: skip


def workbook(rows: list[list[Any]], name: str = "plan.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def snapshot(plan: Plan) -> tuple[Any, ...]:
    return (
        sorted(plan.issues.values_list("code", "name_th")),
        sorted(plan.objectives.values_list("code", "issue__code", "perspective__key", "name_th")),
        sorted(plan.links.values_list("cause__code", "effect__code")),
    )


def test_good_file_imports_exactly(draft: Plan) -> None:
    result = imports.plan_structure_import(plan=draft, uploaded=workbook(GOOD))
    assert result.ok, result.errors
    issues, objectives, links = snapshot(draft)
    assert issues == [("1", "ท่องเที่ยวเชิงสร้างสรรค์"), ("2", "เกษตรมูลค่าสูง")]
    assert objectives == [
        ("1.1", "1", "effectiveness", "รายได้ท่องเที่ยวเพิ่มขึ้น"),
        ("1.2", "1", "service_quality", "นักท่องเที่ยวพึงพอใจ"),
        ("2.1", "2", "efficiency", "เกษตรกรใช้นวัตกรรม"),
        ("2.2", "2", "org_development", "กลุ่มเกษตรกรเข้มแข็ง"),
    ]
    assert links == [("1.2", "1.1"), ("2.1", "1.1"), ("2.1", "1.2"), ("2.2", "2.1")]
    assert draft.issues.get(code="1").name_en == "Creative tourism"
    assert list(
        draft.objectives.filter(issue__code="1").order_by("order").values_list("code", flat=True)
    ) == ["1.1", "1.2"]


def test_export_then_import_round_trips(draft: Plan) -> None:
    assert imports.plan_structure_import(plan=draft, uploaded=workbook(GOOD)).ok
    before = snapshot(draft)
    data = imports.plan_structure_workbook(draft)
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in sheet[1]][0].startswith("Issue code")
    assert sheet.max_row == 5
    result = imports.plan_structure_import(plan=draft, uploaded=SimpleUploadedFile("x.xlsx", data))
    assert result.ok, result.errors
    assert snapshot(draft) == before


def test_reimport_updates_by_code_and_keeps_tags_and_ids(draft: Plan) -> None:
    assert imports.plan_structure_import(plan=draft, uploaded=workbook(GOOD)).ok
    kept = draft.objectives.get(code="1.1")
    services.alignment_set(element=kept, targets=[AlignmentTarget.objects.get(code="M02")])
    changed = [row[:] for row in GOOD[:2]]
    changed[0][4] = "รายได้จากการท่องเที่ยวเพิ่มขึ้นอย่างยั่งยืน"
    result = imports.plan_structure_import(plan=draft, uploaded=workbook(changed), delete=True)
    assert result.ok, result.errors
    kept.refresh_from_db()
    assert kept.name_th == "รายได้จากการท่องเที่ยวเพิ่มขึ้นอย่างยั่งยืน"
    assert AlignmentLink.objects.filter(object_id=kept.pk, target__code="M02").exists()
    assert sorted(draft.objectives.values_list("code", flat=True)) == ["1.1", "1.2"]
    assert list(draft.issues.values_list("code", flat=True)) == ["1"]
    assert sorted(draft.links.values_list("cause__code", "effect__code")) == [("1.2", "1.1")]


BAD_CASES = {
    "missing field": (4, ["2", "เกษตรมูลค่าสูง", "", "2.1", "", "", "ด้านประสิทธิภาพ", ""], "Objective (Thai)"),
    "unknown perspective": (4, ["2", "เกษตรมูลค่าสูง", "", "2.1", "ก", "", "ด้านความสุข", ""], "ด้านความสุข"),
    "duplicate code": (4, ["2", "เกษตรมูลค่าสูง", "", "1.1", "ซ้ำ", "", "ด้านประสิทธิภาพ", ""], "1.1"),
    "unknown objective in a link": (4, ["2", "เกษตรมูลค่าสูง", "", "2.1", "ก", "", "ด้านประสิทธิภาพ", "9.9"], "9.9"),
    "cycle": (3, ["1", "ท่องเที่ยวเชิงสร้างสรรค์", "", "1.1", "ก", "", "ด้านประสิทธิผล", "1.2"], "cycle"),
}  # fmt: skip


@pytest.mark.parametrize("kind", list(BAD_CASES))
def test_each_kind_of_bad_row_is_reported_and_nothing_is_saved(kind: str, draft: Plan) -> None:
    line, row, words = BAD_CASES[kind]
    rows = [GOOD[0], GOOD[1], row] if kind != "cycle" else [row, GOOD[1]]
    objectives_before = Objective.objects.count()
    result = imports.plan_structure_import(plan=draft, uploaded=workbook(rows))
    assert not result.ok
    assert words in " ".join(str(e) for e in result.errors)
    assert result.bad_lines == [line]
    assert Objective.objects.count() == objectives_before
    assert not draft.issues.exists()


def test_every_bad_row_is_listed_in_one_report(draft: Plan) -> None:
    rows = [
        GOOD[0],
        ["1", "ท่องเที่ยวเชิงสร้างสรรค์", "", "", "ไม่มีรหัส", "", "ด้านประสิทธิผล", ""],
        ["1", "ท่องเที่ยวเชิงสร้างสรรค์", "", "1.3", "ก", "", "ด้านไม่มีจริง", ""],
        ["1", "ท่องเที่ยวเชิงสร้างสรรค์", "", "1.4", "ข", "", "ด้านประสิทธิผล", "7.7"],
        ["1", "ท่องเที่ยวเชิงสร้างสรรค์", "", "1.1", "ค", "", "ด้านประสิทธิผล", ""],
    ]
    result = imports.plan_structure_import(plan=draft, uploaded=workbook(rows))
    assert not result.ok
    # Cell errors come first; the whole-file rules run once the cells are clean.
    assert result.bad_lines == [3, 4]
    fixed = [rows[0], rows[3], rows[4]]
    result = imports.plan_structure_import(plan=draft, uploaded=workbook(fixed))
    assert result.bad_lines == [3, 4]
    assert not draft.objectives.exists()


def test_a_csv_and_an_unreadable_file_are_handled(draft: Plan) -> None:
    text = ",".join(HEADER) + "\n" + "\n".join(",".join(f'"{c}"' for c in row) for row in GOOD)
    result = imports.plan_structure_import(
        plan=draft, uploaded=SimpleUploadedFile("plan.csv", text.encode("utf-8"))
    )
    assert result.ok, result.errors
    assert draft.objectives.count() == 4
    result = imports.plan_structure_import(
        plan=draft, uploaded=SimpleUploadedFile("plan.xls", b"not a spreadsheet")
    )
    assert not result.ok and "plan.xls" in result.file_error and not result.errors


def test_import_into_an_approved_plan_is_refused(world: Any) -> None:
    from tests.factories import PlanFactory

    plan = PlanFactory(cluster=world.cluster, status=Plan.Status.APPROVED)
    result = imports.plan_structure_import(plan=plan, uploaded=workbook(GOOD))
    assert not result.ok
    assert not plan.objectives.exists()
    assert not ObjectiveLink.objects.filter(plan=plan).exists()


@pytest.mark.parametrize("extension", [".xlsx", ".xls", ".ods", ".csv"])
def test_every_office_format_imports_the_same_structure(extension: str, draft: Plan) -> None:
    from tests.spreadsheet_files import upload

    result = imports.plan_structure_import(
        plan=draft, uploaded=upload([HEADER, *GOOD], extension, name="plan")
    )
    assert result.ok, result.errors
    assert snapshot(draft)[2] == [("1.2", "1.1"), ("2.1", "1.1"), ("2.1", "1.2"), ("2.2", "2.1")]


def test_import_view_reports_every_bad_row_and_saves_nothing(
    client: Any, osm_staff: Any, draft: Plan, settings: Any, tmp_path: Any
) -> None:
    from django.urls import reverse

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    client.force_login(osm_staff)
    url = reverse("strategy:plan-import", args=[draft.pk])
    rows = [GOOD[0], ["1", "ท่องเที่ยวเชิงสร้างสรรค์", "", "1.1", "ซ้ำ", "", "ด้านประสิทธิผล", ""]]
    response = client.post(url, {"file": workbook(rows)})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="import-errors"' in page and "1.1" in page
    assert 'id="import-confirm-form"' not in page
    assert not draft.issues.exists()
    response = client.post(url, {"file": workbook(GOOD)})
    assert response.status_code == 200 and 'id="import-confirm-form"' in response.content.decode()
    assert not draft.objectives.exists()  # nothing before the confirmation
    form = response.context["step"].confirm_form
    response = client.post(url, {k: form.initial[k] for k in ("token", "fingerprint")})
    assert response.status_code == 302 and draft.objectives.count() == 4


# --- The importer writes through the strategy services --------------------------------------

LEADS_TO = "Leads to (objective codes)"


def test_a_cycle_is_refused_by_the_link_rules_on_the_row_that_closes_it(draft: Plan) -> None:
    rows = [row[:] for row in GOOD]
    rows[1][7] = "2.2"  # 1.2 → 2.2, and 2.2 → 2.1 → 1.2 closes the circle on row 5
    result = imports.plan_structure_import(plan=draft, uploaded=workbook(rows))
    assert not result.ok
    assert result.bad_lines == [5]
    [error] = result.errors
    assert error.column == LEADS_TO
    assert "Cause and effect must run one way" in error.message  # the service's own message
    assert not draft.issues.exists()
    assert not draft.objectives.exists()


def test_a_cycle_with_links_the_plan_keeps_is_refused_and_the_plan_is_unchanged(
    draft: Plan,
) -> None:
    assert imports.plan_structure_import(plan=draft, uploaded=workbook(GOOD)).ok
    before = snapshot(draft)
    rows = [row[:] for row in GOOD]
    rows[0][7] = "2.2"  # 1.1 → 2.2 while the kept 2.2 → 2.1 → 1.1 already runs the other way
    result = imports.plan_structure_import(plan=draft, uploaded=workbook(rows))
    assert not result.ok
    assert [(e.line, e.column) for e in result.errors] == [(2, LEADS_TO)]
    assert "cycle" in result.errors[0].message
    assert snapshot(draft) == before


def test_an_objective_that_leads_to_itself_is_refused_by_the_link_rules(draft: Plan) -> None:
    rows = [row[:] for row in GOOD]
    rows[3][7] = "2.1, 2.2"
    result = imports.plan_structure_import(plan=draft, uploaded=workbook(rows))
    assert not result.ok
    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (5, LEADS_TO, "An objective cannot cause itself.")
    ]
    assert not draft.objectives.exists()


def test_codes_typed_with_thai_digits_match_the_file_on_import(
    draft: Plan, perspectives: dict[str, Any]
) -> None:
    issue = services.issue_create(plan=draft, code=" ๑ ", name_th="ท่องเที่ยวเชิงสร้างสรรค์")
    typed = services.objective_create(
        issue=issue, perspective=perspectives["effectiveness"], code="๑.๑", name_th="เดิม"
    )
    assert (issue.code, typed.code) == ("1", "1.1")
    result = imports.plan_structure_import(plan=draft, uploaded=workbook(GOOD))
    assert result.ok, result.errors
    # Matched by code: the same objective, renamed, not a new one replacing it.
    assert draft.objectives.get(code="1.1").pk == typed.pk
    assert draft.issues.get(code="1").pk == issue.pk
    assert Objective.objects.get(pk=typed.pk).name_th == "รายได้ท่องเที่ยวเพิ่มขึ้น"
