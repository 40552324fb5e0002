"""The plan import in a real browser: a re-import that renames, drops an objective and a link
and carries an unknown column is previewed in Thai; nothing is deleted until the box naming
how many is ticked."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook

from osm.models import User
from strategy import imports, services
from strategy.models import Plan
from tests.browser.test_scorecard_journey import scorecard  # noqa: F401 (a fixture)
from tests.strategy.test_imports import GOOD, HEADER

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _xlsx(header: list[str], rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["โครงสร้างแผนพัฒนากลุ่มจังหวัด (ฉบับปรับปรุง)"])  # a title row above
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_staff_preview_a_reimport_and_confirm_the_deletions(
    demo: Any, login: Any, live_server: Any, artifacts: Any, settings: Any, tmp_path: Any
) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    staff = User.objects.get(username="osm_staff")
    cluster = staff.roles.get().cluster
    plan = services.plan_create(
        cluster=cluster, title_th="แผนทดลองนำเข้า", start_year=2571, end_year=2575, by=staff
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    first = SimpleUploadedFile("plan.xlsx", _xlsx(HEADER, GOOD))
    assert imports.plan_structure_import(plan=plan, uploaded=first).ok

    rows = [[*row, "ผู้รับผิดชอบ"] for row in GOOD[:3]]
    rows[0][4] = "รายได้จากการท่องเที่ยวเพิ่มขึ้นอย่างยั่งยืน"
    rows[1][7] = ""
    page = login("osm_staff")
    page.goto(f"{live_server.url}/strategy/plans/{plan.pk}/import/")
    page.set_input_files(
        "#id_file",
        {
            "name": "แผนปรับปรุง.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": _xlsx([*HEADER, "หมายเหตุภายใน"], rows),
        },
    )
    page.locator("#import-form button[type=submit]").click()
    page.wait_for_selector("#import-preview")
    page.screenshot(path=str(artifacts / "import-preview-th.png"), full_page=True)
    assert "หมายเหตุภายใน" in page.inner_text("#import-unknown-columns")
    deletes = page.inner_text("#import-deletes")
    assert "2.2" in deletes and "1.2 → 1.1" in deletes
    assert "รายได้จากการท่องเที่ยวเพิ่มขึ้นอย่างยั่งยืน" in page.inner_text("#import-changes")
    assert plan.objectives.count() == 4  # nothing yet

    box = page.get_by_label("ลบรายการ 3 รายการในหัวข้อ “จะลบ” ด้วย")
    box.check()
    page.locator("#import-confirm-form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")
    assert "ลบ 3 รายการ" in page.inner_text("main")
    plan = Plan.objects.get(pk=plan.pk)
    assert sorted(plan.objectives.values_list("code", flat=True)) == ["1.1", "1.2", "2.1"]
    assert sorted(plan.links.values_list("cause__code", "effect__code")) == [
        ("2.1", "1.1"),
        ("2.1", "1.2"),
    ]


def test_officer_reuploads_the_round_workbook_with_a_preview(
    scorecard: Any,  # noqa: F811 (the journey's fixture, imported above)
    login: Any,
    live_server: Any,
    artifacts: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    from decimal import Decimal

    from openpyxl import load_workbook

    from osm.lib.workflow import ReviewStatus
    from scorecard import services as scorecard_services

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    reporting_round, results = scorecard["round"], scorecard["results"]
    officer = User.objects.get(username="province_officer")
    gap = results["E2"]
    scorecard_services.result_save(
        result=gap,
        by=officer,
        expected_version=gap.version,
        reporting="reported",
        value=Decimal(85),
        submit=True,
    )
    page = login("province_officer")
    page.goto(f"{live_server.url}{reporting_round.get_absolute_url()}")
    download = page.request.get(
        f"{live_server.url}/scorecard/rounds/{reporting_round.pk}/workbook/"
    )
    book = load_workbook(io.BytesIO(download.body()))
    sheet = book.worksheets[0]
    lines = {row[2].value: row[0].row for row in sheet.iter_rows(min_row=2)}
    sheet.cell(row=lines["E1"], column=7, value="reported")
    sheet.cell(row=lines["E1"], column=8, value=120)
    sheet.cell(row=lines["E2"], column=8, value=90)  # submitted: locked

    def upload(submit: bool) -> None:
        buffer = io.BytesIO()
        book.save(buffer)
        page.set_input_files(
            "#id_workbook",
            {
                "name": "ผลไตรมาส1.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": buffer.getvalue(),
            },
        )
        if submit:
            page.check("#id_submit")
        page.locator("#upload-form button[type=submit]").click()
        page.wait_for_selector("#import-preview")

    upload(submit=False)
    page.locator("#import-preview").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "round-upload-locked-row-th.png"), full_page=True)
    bad_rows = page.locator("#import-errors tbody tr")
    assert bad_rows.count() == 1  # only the locked row; E1's change is fine
    assert bad_rows.locator("th").inner_text() == str(lines["E2"])
    assert "ล็อก" in bad_rows.inner_text()

    sheet.cell(row=lines["E2"], column=8, value=85)  # back as it was: skipped
    upload(submit=True)
    page.screenshot(path=str(artifacts / "round-upload-preview-th.png"), full_page=True)
    assert "120" in page.inner_text("#import-changes")
    page.locator("#import-confirm-form button[type=submit]").click()
    page.wait_for_selector(".alert-success")
    trade = results["E1"]
    trade.refresh_from_db()
    assert trade.value == Decimal(120) and trade.status == ReviewStatus.SUBMITTED
