"""People in the browser: central invites a cluster's OSM staff, the staff member sets a
password through the e-mailed link and invites a province officer — all by links, no URL typed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _link_from_last_email() -> str:
    match = re.search(r"https?://\S+/invitations/accept/\S+/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0)


def _open(browser: Any, link: str, live_server: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server.url + link[link.index("/invitations/") :])
    return page


def _accept(browser: Any, link: str, live_server: Any) -> Any:
    page = _open(browser, link, live_server)
    page.fill("#id_new_password1", "ยุทธศาสตร์-2570-ok")
    page.fill("#id_new_password2", "ยุทธศาสตร์-2570-ok")
    page.locator("#accept-form button[type=submit]").click()
    page.wait_for_load_state()
    return page


def test_central_invites_staff_who_invite_an_officer(
    demo: Any, login: Any, browser: Any, live_server: Any, artifacts: Any
) -> None:
    cluster = demo.cluster
    province = demo.province
    page = login("central_admin")
    page.locator("nav.osm-nav").get_by_role("link", name="บุคลากร").click()
    page.get_by_role("link", name="เชิญบุคลากร").first.click()
    page.fill("#id_email", "new.staff@example.go.th")
    page.fill("#id_first_name", "ประภา")
    page.fill("#id_last_name", "วางแผนดี")
    page.select_option("#id_role", "osm_staff")
    page.select_option("#id_cluster", str(cluster.pk))
    page.locator("#invitation-form button[type=submit]").click()
    assert "ส่งคำเชิญ" in page.locator("[role=status]").inner_text()
    assert "new.staff@example.go.th" in page.locator("#invitations").inner_text()

    staff = _accept(browser, _link_from_last_email(), live_server)
    assert staff.locator("h1").inner_text().startswith("ยินดีต้อนรับ")
    assert "เจ้าหน้าที่ สบก." in staff.locator("[data-testid=role]").first.inner_text()

    # The new staff member reaches the invitation form from their cluster's page.
    staff.get_by_role("link", name=cluster.name_th).first.click()
    staff.get_by_role("link", name="เชิญบุคลากร").click()
    staff.fill("#id_email", "officer@example.go.th")
    staff.fill("#id_first_name", "สุดา")
    staff.select_option("#id_role", "province_officer")
    staff.select_option("#id_province", str(province.pk))
    staff.screenshot(path=str(artifacts / "people_invite_form.png"), full_page=True)
    staff.locator("#invitation-form button[type=submit]").click()
    assert "officer@example.go.th" in staff.locator("#invitations").inner_text()

    officer = _accept(browser, _link_from_last_email(), live_server)
    assert "เจ้าหน้าที่จังหวัด" in officer.locator("[data-testid=role]").first.inner_text()
    assert province.name_th in officer.locator("main").inner_text()

    # The used link now says so, in Thai.
    again = _open(browser, _link_from_last_email(), live_server)
    assert "ถูกใช้ไปแล้ว" in again.locator("[data-testid=reason]").inner_text()
    staff.goto(live_server.url)
    staff.locator("nav.osm-nav").get_by_role("link", name="บุคลากร").click()
    assert "สุดา" in staff.locator("[data-testid=people]").inner_text()
    staff.screenshot(path=str(artifacts / "people_list_after_invites.png"), full_page=True)
