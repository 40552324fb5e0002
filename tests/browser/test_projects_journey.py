"""The projects journey in real Chromium: staff import proposals, record the committee's
resolution approving the annual action plan, Chiang Mai's officer files a quarterly progress
report, staff approve it, and the cluster's disbursement view changes accordingly."""

from __future__ import annotations

import io
import os
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
# A past year of its own: the demo holds the current one, and a past year's quarters have all
# ended, so the disbursement view shows every quarter.
YEAR = 2569


def login_as(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    return page


def _workbook(tmp_path: Any) -> str:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["ปีงบประมาณ (พ.ศ.)", "รหัสโครงการ", "ชื่อโครงการ", "รหัสเป้าประสงค์",
                  "จังหวัด", "งบประมาณที่เสนอขอ (บาท)"])  # fmt: skip
    sheet.append(
        [YEAR, "B-01", "โครงการยกระดับถนนสายวัฒนธรรมล้านนา", "1.1", "เชียงใหม่", "2,500,000.00"]
    )
    sheet.append([YEAR, "B-02", "โครงการส่งเสริมกาแฟพิเศษบนพื้นที่สูง", "2.1", "ลำพูน, ลำปาง", 1800000])
    sheet.append([YEAR, "B-03", "โครงการศูนย์เฝ้าระวังไฟป่าชุมชน", "3.1", "แม่ฮ่องสอน", 900000])
    path = tmp_path / "proposals.xlsx"
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_import_approve_report_review_and_the_disbursement_view_changes(
    demo: Any, browser: Any, live_server: Any, artifacts: Any, tmp_path: Any
) -> None:
    from projects.models import Project

    cluster = demo.cluster
    plan_url = f"{live_server.url}/projects/clusters/{cluster.pk}/action-plan/?year={YEAR}"

    # 1. Staff import the proposals from the action plan page.
    staff = login_as(browser, live_server, "osm_staff")
    staff.goto(plan_url)
    staff.get_by_role("link", name="นำเข้าข้อเสนอโครงการ").first.click()
    staff.set_input_files("#id_workbook", _workbook(tmp_path))
    staff.get_by_role("button", name="อัปโหลด").click()
    staff.wait_for_load_state()
    # The preview lists the three additions; nothing is saved before the confirmation.
    assert staff.locator("#import-adds tbody tr").count() == 3
    assert not Project.objects.filter(cluster=cluster, fiscal_year=YEAR).exists()
    staff.locator("#import-confirm-form button[type=submit]").click()
    staff.wait_for_load_state()
    assert staff.locator("#ranking tbody tr").count() == 3

    # 2. The ceiling puts the third over it; the committee's resolution approves the plan.
    staff.fill("#id_ceiling", "4300000")
    staff.get_by_role("button", name="บันทึกกรอบวงเงิน").click()
    staff.wait_for_load_state()
    b03 = Project.objects.get(cluster=cluster, fiscal_year=YEAR, code="B-03")
    assert staff.locator(f"#proposal-{b03.pk}").get_attribute("data-frame") == "over"
    staff.fill("#id_approved_on", "2025-11-20")
    staff.fill("#id_resolution_text", "ที่ประชุมมีมติเห็นชอบแผนปฏิบัติราชการประจำปีของกลุ่มจังหวัด")
    staff.fill("#id_resolution_meeting", "ครั้งที่ 4/2568 วันที่ 20 พฤศจิกายน 2568")
    staff.get_by_role("button", name="บันทึกการอนุมัติแผนปฏิบัติราชการ").click()
    staff.wait_for_load_state()
    assert "ครั้งที่ 4/2568" in staff.locator("#approval").inner_text()
    b01 = Project.objects.get(cluster=cluster, fiscal_year=YEAR, code="B-01")
    assert b01.status == "approved" and b03.__class__.objects.get(pk=b03.pk).status == "proposed"
    staff.screenshot(path=str(artifacts / "projects_action_plan_approved.png"), full_page=True)

    # 3. Chiang Mai's officer finds the project from the cluster's list and files Q1.
    officer = login_as(browser, live_server, "province_officer")
    officer.goto(f"{live_server.url}/projects/")
    officer.select_option("#id_year", str(YEAR))
    officer.get_by_role("button", name="กรอง").click()
    officer.get_by_role("link", name="โครงการยกระดับถนนสายวัฒนธรรมล้านนา").click()
    officer.wait_for_load_state()
    officer.locator("[data-testid=report-q1]").click()
    officer.wait_for_load_state()
    officer.fill("#id_physical_pct", "30")
    officer.fill("#id_disbursed_to_date", "625000")
    officer.fill("#id_obstacles", "ฝนตกต่อเนื่อง ผู้รับจ้างเข้าพื้นที่ล่าช้า")
    officer.locator("button[name=action][value=submit]").click()
    officer.wait_for_load_state()
    report = b01.reports.get(quarter=1)
    assert report.status == "submitted"

    # Before approval the cluster's disbursement view shows nothing disbursed in Q1.
    disbursement_url = (
        f"{live_server.url}/projects/clusters/{cluster.pk}/disbursement/?year={YEAR}&quarter=1"
    )
    staff.goto(disbursement_url)
    assert staff.locator("[data-testid=disbursed-q1]").inner_text().strip() == "0.00"

    # 4. Staff approve it in the review queue (htmx).
    staff.goto(f"{live_server.url}/projects/clusters/{cluster.pk}/reviews/")
    staff.locator(f"#review-{report.pk} button[value=approve]").click()
    staff.locator(f"#review-{report.pk} [data-review=approved]").wait_for()

    # 5. The disbursement view now counts it.
    staff.goto(disbursement_url)
    assert staff.locator("[data-testid=disbursed-q1]").inner_text().strip() == "625,000.00"
    assert staff.locator(f"#project-{b01.pk}").is_visible()
    staff.screenshot(path=str(artifacts / "projects_disbursement_after.png"), full_page=True)
