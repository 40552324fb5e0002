"""Early warnings in real Chromium: the header's count goes down by htmx when a notice is
marked read, the staff acknowledge a warning from the open-alerts list, and the new pages
pass axe-core's WCAG 2.2 AA rules in Thai and English."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_accessibility import violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def alerts(demo: Any) -> Any:
    from osm.alerts.engine import alerts_run

    alerts_run()
    return demo


def test_marking_a_notice_read_lowers_the_count_in_the_header(
    alerts: Any, page: Any, login: Any, live_server: Any
) -> None:
    from osm.models import Notification

    staff = alerts.users["osm_staff"]
    unread = Notification.objects.filter(user=staff, read_at__isnull=True).count()
    assert unread > 1
    login("osm_staff")
    page.goto(f"{live_server.url}/notifications/")
    badge = page.locator("#unread-badge .badge")
    assert badge.inner_text().split()[0] == str(unread)
    page.locator("#inbox form:has(input[name=id]) button").first.click()
    page.wait_for_function(
        "n => document.querySelector('#unread-badge .badge').innerText.split(/\\s/)[0] == n",
        arg=str(unread - 1),
    )
    # The inbox was swapped in place, not reloaded.
    assert page.url.endswith("/notifications/")
    assert Notification.objects.filter(user=staff, read_at__isnull=True).count() == unread - 1


def test_staff_acknowledge_a_warning_with_a_note(
    alerts: Any, page: Any, login: Any, live_server: Any
) -> None:
    from osm.models import Alert

    login("osm_staff")
    cluster = alerts.cluster
    page.goto(f"{live_server.url}/alerts/clusters/{cluster.pk}/")
    row = page.locator("#alert-table tbody tr").first
    alert_id = int(row.get_attribute("id").removeprefix("alert-"))
    row.locator("textarea").fill("โทรประสานสำนักงานจังหวัดแล้ว")
    row.get_by_role("button", name="รับทราบ").click()
    page.wait_for_load_state()
    assert "โทรประสานสำนักงานจังหวัดแล้ว" in page.locator(f"#alert-{alert_id}").inner_text()
    alert = Alert.objects.get(pk=alert_id)
    assert alert.acknowledged_by == alerts.users["osm_staff"]


@pytest.mark.parametrize("language", ["th", "en"])
def test_the_early_warning_pages_have_no_wcag_aa_violations(
    language: str, alerts: Any, page: Any, login: Any, live_server: Any
) -> None:
    cluster = alerts.cluster.pk
    pages = {
        "osm_staff": [
            "/notifications/",
            "/alerts/",
            f"/alerts/clusters/{cluster}/",
            f"/alerts/clusters/{cluster}/settings/",
            "/alerts/preferences/",
        ],
        "committee": [f"/alerts/clusters/{cluster}/", "/alerts/preferences/"],
        "central": ["/alerts/", "/"],
    }
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    found: dict[str, list[str]] = {}
    for persona, paths in pages.items():
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        login(persona)
        for path in paths:
            page.goto(live_server.url + path)
            problems = violations(page)
            if problems:
                found[f"{persona} {path}"] = problems
    assert not found, found
