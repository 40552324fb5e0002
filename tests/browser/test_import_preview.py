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
