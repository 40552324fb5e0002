from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EXPECTED_ROLE = {
    "central": "ส่วนกลาง",
    "osm_staff": "เจ้าหน้าที่ สบก.",
    "committee": "กรรมการ ก.บ.ก.",
    "province_officer": "เจ้าหน้าที่จังหวัด",
}


@pytest.mark.parametrize("username", list(EXPECTED_ROLE))
def test_each_demo_role_logs_in_and_sees_its_own_home(
    username: str, demo: Any, login: Any, live_server: Any, artifacts: Any
) -> None:
    page = login(username)
    assert page.url.rstrip("/") == live_server.url
    assert page.locator("html").get_attribute("lang") == "th"
    heading = page.locator("h1").inner_text()
    assert heading.startswith("ยินดีต้อนรับ")
    roles = page.locator("[data-testid=role]").all_inner_texts()
    assert any(EXPECTED_ROLE[username] in text for text in roles), roles
    if username == "province_officer":
        assert "เชียงใหม่" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / f"home_{username}.png"), full_page=True)


def test_wrong_password_shows_a_translated_error(demo: Any, login: Any) -> None:
    page = login("osm_staff", "wrong-password")
    assert "/accounts/login/" in page.url
    assert page.locator("[role=alert]").is_visible()


def test_language_switch_changes_the_page_to_english_and_back(
    demo: Any, login: Any, live_server: Any
) -> None:
    page = login("committee")
    assert page.locator("a.skip-link").inner_text() == "ข้ามไปยังเนื้อหาหลัก"
    page.locator("[data-testid=language-en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().startswith("Welcome")
    assert page.locator("a.skip-link").inner_text() == "Skip to main content"
    page.locator("[data-testid=language-th]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.locator("h1").inner_text().startswith("ยินดีต้อนรับ")


def test_skip_link_is_the_first_stop_for_the_keyboard(
    demo: Any, page: Any, live_server: Any
) -> None:
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
