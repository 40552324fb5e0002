"""A new cluster's first quarter, from nothing, in Thai, through links only.

No demo objects: the reference data (clusters, provinces) and one central administrator are
all that exist. Central invites the cluster's OSM staff; staff invite two province officers
and a committee member; each accepts through the link in the e-mail and sets a password.
The plan comes in through the import preview and is approved with a resolution; staff add
three indicators from the objective's page, the targets page and the plan page, each going on
to its cluster target and the cascade to the provinces (split equally); a round opens;
officer 1 re-uploads the round workbook with only values typed in, and submits; officer 2 submits "not reported" with a reason; staff return one value and
approve the others; the committee's dashboards show the coverage. Then a review renames one
objective and drops another; after approval the scorecard shows the new names and the whole
results history. After the login page, the only URL typed is each e-mailed invitation link.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from openpyxl import Workbook, load_workbook

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
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
    if address.startswith("officer1"):
        page.screenshot(path=str(ARTIFACTS / "first-quarter-00-accept.png"), full_page=True)
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
    from scorecard.models import Indicator, Result
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
    _nav(staff, "หน้าหลัก")
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

    # 4. Indicators and their targets for fiscal 2570, each form leading on to its targets
    # and cascade: E1 from its objective's page, E2 by "add another indicator" on the
    # targets page, E3 from the approved plan's "add indicators" link.
    approved = Plan.objects.get(cluster=cluster, status=Plan.Status.APPROVED)
    specs = [
        ("1.1", "E1", "มูลค่าการค้าชายแดน", "ล้านบาท"),
        ("2.1", "E2", "จำนวนแปลงเกษตรที่ได้รับรองมาตรฐาน GAP", "แปลง"),
        ("1.2", "E3", "จำนวนผู้ประกอบการที่ได้รับการพัฒนา", "ราย"),
    ]
    for n, (objective_code, code, name, unit) in enumerate(specs):
        objective = approved.objectives.get(code=objective_code)
        if n == 0:
            staff.locator("#plan-structure").get_by_role(
                "link", name=re.compile(objective.name_th)
            ).click()
            staff.wait_for_selector("#related-objective")
            staff.screenshot(
                path=str(artifacts / "first-quarter-03a-objective.png"), full_page=True
            )
            staff.locator("[data-testid=add-indicator]").click()
        else:
            if n == 1:
                staff.locator("[data-testid=add-another-indicator]").click()
            else:
                _nav(staff, "ยุทธศาสตร์")
                staff.get_by_role("link", name=approved.title_th).first.click()
                staff.locator("[data-testid=plan-add-indicators]").click()
            staff.wait_for_selector("#add-indicator")
            # Open by itself while an objective has no indicator yet.
            assert staff.locator("#add-indicator").get_attribute("open") is not None
            if n == 1:
                staff.screenshot(
                    path=str(artifacts / "first-quarter-03d-add-indicator.png"), full_page=True
                )
            staff.locator("#add-indicator").get_by_role(
                "link", name=re.compile(re.escape(f"{objective_code} {objective.name_th}"))
            ).click()
        staff.wait_for_selector("#indicator-form")
        assert objective.name_th in staff.inner_text("main")
        staff.fill("#id_code", code)
        staff.fill("#id_name_th", name)
        staff.fill("#id_unit", unit)
        if n == 0:
            staff.screenshot(
                path=str(artifacts / "first-quarter-03b-indicator-form.png"), full_page=True
            )
        staff.locator("#indicator-form button[type=submit]").click()
        # On to the targets: the cluster's for 2570, split equally over the five provinces.
        staff.wait_for_selector("#cascade-form")
        assert "เพิ่มตัวชี้วัดเรียบร้อยแล้ว" in staff.inner_text("main")
        staff.fill("#id_cluster-2570", "500")
        staff.locator("#cascade-form button[name=split][value=equal]").click()
        staff.wait_for_selector("#cascade-form .alert-info")
        assert Decimal(staff.input_value(f"#id_p{provinces[0].pk}-2570")) == 100
        staff.locator("#cascade-form button[name=save]").click()
        staff.wait_for_selector("text=บันทึกค่าเป้าหมายเรียบร้อยแล้ว")
        if n == 0:
            staff.screenshot(path=str(artifacts / "first-quarter-03c-targets.png"), full_page=True)
        assert staff.locator("#cascade-check [data-year='2570']").get_attribute("data-ok") == "true"
    from scorecard.models import ProvinceTarget, Target

    assert set(
        Target.objects.filter(indicator__cluster=cluster, fiscal_year=2570).values_list(
            "indicator__code", "value"
        )
    ) == {("E1", 500), ("E2", 500), ("E3", 500)}
    assert (
        ProvinceTarget.objects.filter(
            indicator__cluster=cluster, fiscal_year=2570, value=100
        ).count()
        == 15
    )
    _nav(staff, "ตัวชี้วัด")
    for _, code, name, _ in specs:
        assert f"{code} {name}" in staff.inner_text("main")

    # 5. A round opens.
    staff.get_by_role("link", name="รอบการรายงาน").first.click()
    staff.wait_for_selector("#round-form")
    staff.select_option("#id_fiscal_year", "2570")
    staff.select_option("#id_quarter", "1")
    staff.fill("#id_deadline", "2027-01-20")
    staff.locator("#round-form button[type=submit]").click()
    staff.wait_for_load_state()
    assert Result.objects.filter(round__cluster=cluster).count() == 15
    staff.screenshot(path=str(artifacts / "first-quarter-03-round-open.png"), full_page=True)

    # 6. Officer 1 downloads the round workbook, adds two values, uploads it back and submits.
    officer1.reload()
    officer1.locator("#due-panel").get_by_role("link", name=re.compile("ไตรมาส")).first.click()
    officer1.wait_for_selector("#workbook-download")
    with officer1.expect_download() as download:
        officer1.click("#workbook-download")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = book.worksheets[0]
    lines = {row[2].value: row[0].row for row in sheet.iter_rows(min_row=2)}
    assert set(lines) >= {"E1", "E2", "E3"}
    header = [cell.value for cell in sheet[1]]
    assert header[6].startswith("การรายงาน") and header[7].startswith("ผลการดำเนินงาน"), header
    for code, value in (("E1", 120), ("E2", 105)):
        assert sheet.cell(row=lines[code], column=7).value == "ไม่ได้รายงาน"  # as every fresh row
        sheet.cell(row=lines[code], column=8, value=value)  # only the number is typed
    buffer = io.BytesIO()
    book.save(buffer)
    officer1.set_input_files(
        "#id_workbook",
        {
            "name": "ผลไตรมาส1.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": buffer.getvalue(),
        },
    )
    officer1.check("#id_submit")
    officer1.locator("#upload-form button[type=submit]").click()
    officer1.wait_for_selector("#import-preview")
    officer1.screenshot(
        path=str(artifacts / "first-quarter-04-round-upload-preview.png"), full_page=True
    )
    changes = officer1.inner_text("#import-changes")
    assert "120" in changes and "105" in changes
    officer1.locator("#import-confirm-form button[type=submit]").click()
    officer1.wait_for_selector(".alert-success")
    mine = {
        r.indicator.code: r
        for r in Result.objects.filter(
            round__cluster=cluster, province=provinces[0]
        ).select_related("indicator")
    }
    assert mine["E1"].status == "submitted" and mine["E1"].value == Decimal(120)
    assert mine["E2"].status == "submitted" and mine["E2"].value == Decimal(105)

    # 7. Officer 2 submits "not reported" with a reason.
    officer2.reload()
    officer2.locator("#due-panel").get_by_role("link", name=re.compile("ไตรมาส")).first.click()
    officer2.locator("[data-testid=open-E1]").click()
    officer2.wait_for_load_state()
    officer2.check("#id_reporting_1")  # not reported
    officer2.fill("#id_not_reported_reason", "สำนักงานสถิติจังหวัดยังไม่เผยแพร่ข้อมูลไตรมาสนี้")
    officer2.screenshot(path=str(artifacts / "first-quarter-04b-not-reported.png"), full_page=True)
    officer2.locator("button[name=action][value=submit]").click()
    officer2.wait_for_load_state()
    theirs = Result.objects.get(round__cluster=cluster, province=provinces[1], indicator__code="E1")
    assert theirs.status == "submitted" and theirs.reporting == "not_reported"

    # 8. Staff return one value and approve the others in the review queue.
    _nav(staff, "ตัวชี้วัด")
    staff.get_by_role("link", name="รายการรอตรวจสอบ").first.click()
    staff.wait_for_selector(f"#review-{mine['E1'].pk}")
    assert "สำนักงานสถิติจังหวัดยังไม่เผยแพร่ข้อมูลไตรมาสนี้" in staff.inner_text("main")
    staff.fill(f"#reason-{mine['E1'].pk}", "ตัวเลขไม่ตรงกับรายงานของด่านศุลกากร กรุณาตรวจสอบ")
    staff.locator(f"#review-{mine['E1'].pk} button[value=return]").click()
    staff.locator(f"#review-{mine['E1'].pk} [data-review=returned]").wait_for()
    for pk in (mine["E2"].pk, theirs.pk):
        staff.locator(f"#review-{pk} button[value=approve]").click()
        staff.locator(f"#review-{pk} [data-review=approved]").wait_for()
    staff.screenshot(path=str(artifacts / "first-quarter-05-review-queue.png"), full_page=True)
    statuses = dict(
        Result.objects.filter(pk__in=[mine["E1"].pk, mine["E2"].pk]).values_list("pk", "status")
    )
    assert statuses == {mine["E1"].pk: "returned", mine["E2"].pk: "approved"}

    # 9. The committee's dashboards.
    _nav(committee, "ตัวชี้วัด")
    gap = Indicator.objects.get(cluster=cluster, code="E2")
    row = committee.locator(f"#indicator-{gap.pk}")
    assert "105" in row.locator("[data-testid=value]").inner_text()
    assert row.get_attribute("data-status") == "on_track"
    assert "รายงาน 1 จาก 5 จังหวัด" in row.locator("[data-testid=coverage]").inner_text()
    trade = Indicator.objects.get(cluster=cluster, code="E1")
    returned = committee.locator(f"#indicator-{trade.pk}")
    assert returned.get_attribute("data-status") == "no_data"  # the returned value is not shown
    assert "จาก 5 จังหวัด" in returned.locator("[data-testid=coverage]").inner_text()
    committee.screenshot(path=str(artifacts / "first-quarter-06-committee.png"), full_page=True)

    # 10. A strategy review renames 1.1 and drops 1.2 (whose indicator E3 retires).
    renamed_th = "มูลค่าการค้าและการลงทุนชายแดนเพิ่มขึ้นอย่างยั่งยืน"
    _nav(staff, "ยุทธศาสตร์")
    staff.get_by_role("link", name=f"แผนพัฒนา{CLUSTER} พ.ศ. 2570–2574").first.click()
    staff.click("#plan-review-link")
    staff.fill("#id_reason", "ทบทวนแผนตามผลการดำเนินงานไตรมาสแรก")
    staff.locator("#review-form button[type=submit]").click()
    staff.wait_for_selector("#plan-structure")
    draft = Plan.objects.get(previous=approved)
    successor = draft.objectives.get(code="1.1")
    staff.locator(f"#objective-{successor.pk} [data-testid=objective-edit]").click()
    form = staff.locator(f"#objective-form-{successor.pk}")
    form.locator("[name=name_th]").fill(renamed_th)
    with staff.expect_response(lambda r: r.request.method == "POST"):
        form.locator("button[type=submit]").click()
    staff.wait_for_selector(f"#objective-form-{successor.pk}", state="detached")
    assert renamed_th in staff.inner_text("#plan-structure")
    gone = draft.objectives.get(code="1.2")
    staff.once("dialog", lambda dialog: dialog.accept())
    with staff.expect_response(lambda r: r.request.method == "POST"):
        staff.locator(f"#objective-{gone.pk} form[action$='/delete/'] button").click()
    staff.wait_for_selector(f"#objective-{gone.pk}", state="detached")

    staff.click("#plan-approve-link")
    staff.wait_for_selector("#dropped")
    dropped = approved.objectives.get(code="1.2")
    assert "E3" in staff.inner_text(f"#dropped-{dropped.pk}")
    assert staff.locator("#plan-approve-form button[type=submit]").is_disabled()
    staff.locator(f"#dropped-{dropped.pk} .dependent-form button[value=retire]").first.click()
    staff.wait_for_selector("#approve-blocked", state="detached")
    staff.fill("#id_approved_on", "2026-11-30")
    staff.fill("#id_resolution_text", "ที่ประชุมมีมติเห็นชอบแผนฉบับทบทวน")
    staff.fill("#id_resolution_meeting", "ครั้งที่ 1/2570")
    staff.locator("#plan-approve-form button[type=submit]").click()
    staff.wait_for_selector("#plan-approval")
    assert "ครั้งที่ 1/2570" in staff.inner_text("#plan-approval")
    draft.refresh_from_db()
    assert draft.status == Plan.Status.APPROVED

    # 11. The scorecard follows: new names, E3 retired, and the first quarter's results kept.
    _nav(committee, "ตัวชี้วัด")
    board = committee.inner_text("main")
    assert renamed_th in board and "มูลค่าการค้าชายแดนเพิ่มขึ้น" not in board
    assert "E3 จำนวนผู้ประกอบการ" not in board
    committee.screenshot(path=str(artifacts / "first-quarter-07-after-review.png"), full_page=True)
    committee.locator(f"#indicator-{gap.pk} a").first.click()
    committee.wait_for_selector("#trend-table")
    trend = committee.locator("#trend-table tbody tr")
    assert trend.count() == 1 and "105" in trend.first.inner_text()
    # E1 now hangs on the renamed objective and keeps its first quarter: the reason given
    # for the value not reported is still there.
    _nav(committee, "ตัวชี้วัด")
    committee.locator(f"#indicator-{trade.pk} a").first.click()
    committee.wait_for_selector("#values-table")
    assert renamed_th in committee.locator("nav .breadcrumb").inner_text()
    values = committee.inner_text("#values-table")
    assert "สำนักงานสถิติจังหวัดยังไม่เผยแพร่ข้อมูลไตรมาสนี้" in values
    committee.screenshot(path=str(artifacts / "first-quarter-08-history.png"), full_page=True)
