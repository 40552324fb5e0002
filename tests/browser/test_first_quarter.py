"""A new cluster's first quarter, from nothing, in Thai, through links only.

No demo objects: the reference data (clusters, provinces) and one central administrator are
all that exist. Central invites the cluster's OSM staff; staff invite two province officers
and a committee member; each accepts through the link in the e-mail and sets a password.
The plan comes in through the import preview and is approved with a resolution; staff add
indicators and targets; a round opens; officer 1 re-uploads the round workbook with values
added and submits; officer 2 submits "not reported" with a reason; staff return one value and
approve the others; the committee's dashboards show the coverage. Then a review renames one
objective and drops another; after approval the scorecard shows the new names and the whole
results history. After the login page, the only URL typed is each e-mailed invitation link.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core import mail
from openpyxl import Workbook

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLUSTER = "กลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนบน 1"
PASSWORD = "ยุทธศาสตร์-2570-ok"
TIMEOUT = 30_000
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
PLAN_ROWS = [
    ["1", "การค้าการลงทุนชายแดน", "", "1.1", "มูลค่าการค้าชายแดนเพิ่มขึ้น", "", "ด้านประสิทธิผล", ""],
    ["1", "การค้าการลงทุนชายแดน", "", "1.2", "ผู้ประกอบการแข่งขันได้", "", "ด้านคุณภาพการให้บริการ", "1.1"],
    ["2", "เกษตรปลอดภัย", "", "2.1", "เกษตรกรได้รับรองมาตรฐาน GAP", "", "ด้านประสิทธิภาพ", "1.1"],
]  # fmt: skip


def _new_page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT)
    page.set_default_navigation_timeout(TIMEOUT)
    return page


def _invitation_link(address: str) -> str:
    """The one-time link in the last e-mail sent to `address` (the only URL a person types)."""
    bodies = [m.body for m in mail.outbox if address in m.to]
    assert bodies, [m.to for m in mail.outbox]
    match = re.search(r"https?://\S+/invitations/accept/\S+/", bodies[-1])
    assert match, bodies[-1]
    return match.group(0)


def _accept(browser: Any, live_server: Any, address: str) -> Any:
    link = _invitation_link(address)
    page = _new_page(browser)
    page.goto(live_server.url + link[link.index("/invitations/") :])
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.locator("#accept-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("ยินดีต้อนรับ")
    return page


def _invite(page: Any, email: str, first_name: str, role: str, **scope: str) -> None:
    page.fill("#id_email", email)
    page.fill("#id_first_name", first_name)
    page.select_option("#id_role", role)
    for field, value in scope.items():
        page.select_option(f"#id_{field}", value)
    page.locator("#invitation-form button[type=submit]").click()
    page.wait_for_load_state()
    assert email in page.locator("#invitations").inner_text()


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append([f"แผนพัฒนา{CLUSTER} พ.ศ. 2570–2574"])  # a title row, as offices save it
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _nav(page: Any, name: str) -> None:
    page.locator("nav.osm-nav").get_by_role("link", name=name).first.click()
    page.wait_for_load_state()


def test_a_new_cluster_plays_its_first_quarter_through_links_only(
    transactional_db: Any,
    browser: Any,
    live_server: Any,
    artifacts: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    from osm.models import Cluster, RoleAssignment, User
    from strategy.models import Plan

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    cluster = Cluster.objects.get(name_th=CLUSTER)
    provinces = list(cluster.provinces.order_by("name_th"))
    assert len(provinces) == 5
    assert not Plan.objects.filter(cluster=cluster).exists()
    admin = User.objects.create_user("central.admin", email="admin@opdc.go.th", password=PASSWORD)
    RoleAssignment.objects.create(user=admin, role=RoleAssignment.Role.CENTRAL_ADMIN)

    # 1. Central invites the cluster's OSM staff, who sets a password from the e-mail.
    central = _new_page(browser)
    central.goto(f"{live_server.url}/accounts/login/")
    central.fill("#id_username", "central.admin")
    central.fill("#id_password", PASSWORD)
    central.locator("main button[type=submit]").click()
    central.wait_for_load_state()
    _nav(central, "บุคลากร")
    central.get_by_role("link", name="เชิญบุคลากร").first.click()
    _invite(central, "staff@osm-ne1.go.th", "ประภา", "osm_staff", cluster=str(cluster.pk))
    staff = _accept(browser, live_server, "staff@osm-ne1.go.th")
    assert "เจ้าหน้าที่ สบก." in staff.locator("[data-testid=role]").first.inner_text()

    # 2. Staff invite two province officers and a committee member.
    people = {
        "officer1@osm-ne1.go.th": ("สุดา", "province_officer", {"province": str(provinces[0].pk)}),
        "officer2@osm-ne1.go.th": ("มานพ", "province_officer", {"province": str(provinces[1].pk)}),
        "committee@osm-ne1.go.th": ("วิชัย", "committee", {}),
    }
    pages: dict[str, Any] = {}
    for email, (first_name, role, scope) in people.items():
        _nav(staff, "บุคลากร")
        staff.get_by_role("link", name="เชิญบุคลากร").first.click()
        staff.wait_for_load_state()
        _invite(staff, email, first_name, role, **scope)
        pages[email] = _accept(browser, live_server, email)
    officer1, officer2 = pages["officer1@osm-ne1.go.th"], pages["officer2@osm-ne1.go.th"]
    committee = pages["committee@osm-ne1.go.th"]
    assert provinces[0].name_th in officer1.locator("main").inner_text()
    assert provinces[1].name_th in officer2.locator("main").inner_text()
    assert "กรรมการ" in committee.locator("[data-testid=role]").first.inner_text()
    staff.screenshot(path=str(artifacts / "first-quarter-01-staff-home.png"), full_page=True)

    # 3. The plan: created, imported through the preview, approved with a resolution.
    _nav(staff, "ยุทธศาสตร์")
    staff.click("#plan-create")
    staff.fill("#id_title_th", f"แผนพัฒนา{CLUSTER} พ.ศ. 2570–2574")
    staff.fill("#id_start_year", "2570")
    staff.fill("#id_end_year", "2574")
    staff.locator("#plan-form button[type=submit]").click()
    staff.wait_for_selector("#plan-header")
    staff.get_by_role("link", name="นำเข้าจาก Excel").click()
    staff.set_input_files(
        "#id_file",
        {
            "name": "แผนกลุ่มจังหวัด.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": _xlsx(PLAN_ROWS),
        },
    )
    staff.locator("#import-form button[type=submit]").click()
    staff.wait_for_selector("#import-preview")
    staff.screenshot(path=str(artifacts / "first-quarter-02-import-preview.png"), full_page=True)
    preview = staff.inner_text("#import-preview")
    assert "มูลค่าการค้าชายแดนเพิ่มขึ้น" in preview and "เกษตรกรได้รับรองมาตรฐาน GAP" in preview
    plan = Plan.objects.get(cluster=cluster)
    assert plan.objectives.count() == 0  # nothing until confirmed
    staff.locator("#import-confirm-form button[type=submit]").click()
    staff.wait_for_selector("#plan-structure")
    structure = staff.inner_text("#plan-structure")
    assert "ผู้ประกอบการแข่งขันได้" in structure
    assert plan.objectives.count() == 3

    staff.click("#plan-approve-link")
    staff.fill("#id_approved_on", "2026-09-15")
    staff.fill("#id_resolution_text", "ที่ประชุมมีมติเห็นชอบแผนพัฒนากลุ่มจังหวัด")
    staff.fill("#id_resolution_meeting", "ครั้งที่ 3/2570")
    staff.locator("#plan-approve-form button[type=submit]").click()
    staff.wait_for_load_state()
    staff.screenshot(path=str(artifacts / "first-quarter-02b-approved.png"), full_page=True)
    staff.wait_for_selector("#plan-approval")
    approval = staff.inner_text("#plan-approval")
    assert "ครั้งที่ 3/2570" in approval and "ที่ประชุมมีมติ" in approval
    assert "15 กันยายน 2569" in approval
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED and plan.approved_by.email == "staff@osm-ne1.go.th"
