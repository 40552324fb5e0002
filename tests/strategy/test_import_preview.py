"""The plan import page shows what a file will add, change and delete before anything is
saved; objectives and links are deleted only with the explicit confirmation."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from strategy import imports
from strategy.models import Plan
from tests.strategy.test_imports import GOOD, HEADER, snapshot, workbook

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def imported(draft: Plan, settings: Any, tmp_path: Any) -> Plan:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    assert imports.plan_structure_import(plan=draft, uploaded=workbook(GOOD)).ok
    return draft


# The plan without objective 2.2 (and its link 2.2 → 2.1), with 1.1 renamed and the link
# 1.2 → 1.1 dropped.
SMALLER = [row[:] for row in GOOD[:3]]
SMALLER[0][4] = "รายได้จากการท่องเที่ยวเพิ่มขึ้นอย่างยั่งยืน"
SMALLER[1][7] = ""


def preview(client: Any, plan: Plan, rows: list[list[Any]]) -> Any:
    response = client.post(
        reverse("strategy:plan-import", args=[plan.pk]), {"file": workbook(rows)}
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    return response


def confirm(client: Any, plan: Plan, response: Any, **extra: Any) -> Any:
    form = response.context["step"].confirm_form
    data = {"token": form.initial["token"], "fingerprint": form.initial["fingerprint"], **extra}
    return client.post(reverse("strategy:plan-import", args=[plan.pk]), data)


def test_preview_lists_changes_and_deletions_in_thai_and_saves_nothing(
    client: Any, osm_staff: Any, imported: Plan
) -> None:
    before = snapshot(imported)
    client.force_login(osm_staff)
    page = preview(client, imported, SMALLER).content.decode()
    assert snapshot(imported) == before
    assert "ตัวอย่างก่อนนำเข้า" in page  # the preview's heading, in Thai
    changes = page[page.index('id="import-changes"') :]
    assert "รายได้จากการท่องเที่ยวเพิ่มขึ้นอย่างยั่งยืน" in changes[: changes.index("</table>")]
    deletes = page[page.index('id="import-deletes"') :]
    deletes = deletes[: deletes.index("</ul>")]
    assert "2.2" in deletes and "1.2 → 1.1" in deletes and "2.2 → 2.1" in deletes
    assert "ลบรายการ 3 รายการ" in page  # the box names how many will be deleted


def test_confirming_without_the_box_keeps_objectives_and_links(
    client: Any, osm_staff: Any, imported: Plan
) -> None:
    client.force_login(osm_staff)
    response = confirm(client, imported, preview(client, imported, SMALLER))
    assert response.status_code == 302
    issues, objectives, links = snapshot(imported)
    assert [o[0] for o in objectives] == ["1.1", "1.2", "2.1", "2.2"]
    assert ("1.2", "1.1") in links and ("2.2", "2.1") in links
    assert objectives[0][3] == "รายได้จากการท่องเที่ยวเพิ่มขึ้นอย่างยั่งยืน"


def test_confirming_with_the_box_deletes_what_the_preview_listed(
    client: Any, osm_staff: Any, imported: Plan
) -> None:
    client.force_login(osm_staff)
    response = confirm(client, imported, preview(client, imported, SMALLER), delete="on")
    assert response.status_code == 302
    _issues, objectives, links = snapshot(imported)
    assert [o[0] for o in objectives] == ["1.1", "1.2", "2.1"]
    assert links == [("2.1", "1.1"), ("2.1", "1.2")]


def test_a_file_without_the_links_column_leaves_links_as_they_are(
    client: Any, osm_staff: Any, imported: Plan
) -> None:
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER[:7])
    for row in GOOD:
        book.active.append(row[:7])
    buffer = BytesIO()
    book.save(buffer)
    client.force_login(osm_staff)
    response = client.post(
        reverse("strategy:plan-import", args=[imported.pk]),
        {"file": SimpleUploadedFile("plan.xlsx", buffer.getvalue())},
    )
    page = response.content.decode()
    assert 'id="import-nothing"' in page and 'id="import-deletes"' not in page
    assert "ส่งผลต่อ" in page  # "Leads to", named among the columns left as they are


def test_stale_preview_is_shown_again(client: Any, osm_staff: Any, imported: Plan) -> None:
    client.force_login(osm_staff)
    response = preview(client, imported, SMALLER)
    imported.objectives.filter(code="2.1").update(name_th="แก้ไขระหว่างดูตัวอย่าง")
    response = confirm(client, imported, response)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="import-stale"' in page and "แก้ไขระหว่างดูตัวอย่าง" in page
    assert imported.objectives.get(code="1.1").name_th == GOOD[0][4]  # nothing applied


def test_an_expired_or_foreign_token_is_refused(
    client: Any, osm_staff: Any, imported: Plan
) -> None:
    client.force_login(osm_staff)
    response = preview(client, imported, SMALLER)
    form = response.context["step"].confirm_form
    response = client.post(
        reverse("strategy:plan-import", args=[imported.pk]),
        {"token": form.initial["token"] + "x", "fingerprint": form.initial["fingerprint"]},
    )
    assert 'id="import-file-error"' in response.content.decode()
    assert (
        imported.objectives.count() == 4
        and imported.objectives.get(code="1.1").name_th == GOOD[0][4]
    )


def test_file_problem_is_a_thai_sentence_about_the_file(
    client: Any, osm_staff: Any, imported: Plan
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(osm_staff)
    response = client.post(
        reverse("strategy:plan-import", args=[imported.pk]),
        {"file": SimpleUploadedFile("แผน.xlsx", b"%PDF-1.4 not a workbook")},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="import-file-error"' in page and "แผน.xlsx" in page
    assert "ไม่ใช่ไฟล์ตารางคำนวณ" in page
    assert "row 0" not in page and "แถว 0" not in page and "BadZipFile" not in page


def test_bad_rows_are_listed_in_thai_with_their_line_and_column(
    client: Any, osm_staff: Any, imported: Plan
) -> None:
    client.force_login(osm_staff)
    rows = [GOOD[0], ["1", "ท่องเที่ยวเชิงสร้างสรรค์", "", "1.1", "ซ้ำ", "", "ด้านประสิทธิผล", ""]]
    response = client.post(
        reverse("strategy:plan-import", args=[imported.pk]), {"file": workbook(rows)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    errors = page[page.index('id="import-errors"') :]
    errors = errors[: errors.index("</table>")]
    assert '<th scope="row">3</th><td>รหัสเป้าประสงค์</td>' in errors
    assert "รหัส 1.1 ถูกใช้แล้วในแถวที่ 2" in errors
    assert 'id="import-confirm-form"' not in page


def test_reversing_a_link_is_previewed_and_applied_with_the_deletion(
    client: Any, osm_staff: Any, imported: Plan
) -> None:
    rows = [row[:] for row in GOOD]
    rows[0][7], rows[1][7] = "1.2", ""  # 1.2 → 1.1 becomes 1.1 → 1.2
    client.force_login(osm_staff)
    response = preview(client, imported, rows)
    page = response.content.decode()
    assert 'id="import-errors"' not in page
    assert "1.2 → 1.1" in page[page.index('id="import-deletes"') :]
    response = confirm(client, imported, response, delete="on")
    assert response.status_code == 302
    assert ("1.1", "1.2") in snapshot(imported)[2] and ("1.2", "1.1") not in snapshot(imported)[2]


def test_an_objective_in_use_is_shown_as_not_deletable_and_can_be_kept(
    client: Any, osm_staff: Any, imported: Plan
) -> None:
    from tests.factories import IndicatorFactory

    IndicatorFactory(objective=imported.objectives.get(code="2.2"), code="K9")
    rows = [row[:] for row in GOOD[:3]]
    client.force_login(osm_staff)
    response = preview(client, imported, rows)
    page = response.content.decode()
    assert 'id="import-delete-problems"' in page and "K9" in page
    refused = confirm(client, imported, response, delete="on")
    assert refused.status_code == 400 and "K9" in refused.content.decode()
    assert imported.objectives.filter(code="2.2").exists()
    kept = confirm(client, imported, preview(client, imported, rows))
    assert kept.status_code == 302
    assert imported.objectives.filter(code="2.2").exists()
