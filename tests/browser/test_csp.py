"""The Content-Security-Policy in real Chromium: pages and htmx swaps work, nothing refused."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _watch(page: Any) -> list[str]:
    problems: list[str] = []

    def on_console(message: Any) -> None:
        text = message.text
        # CSP refusals and script errors (a missing favicon's 404 is neither).
        if (
            "Content Security Policy" in text
            or "Refused to" in text
            or (message.type == "error" and "Failed to load resource" not in text)
        ):
            problems.append(f"{page.url}: {text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    return problems


def test_pages_and_htmx_swaps_run_under_the_policy_without_violations(
    demo: Any, page: Any, login: Any, live_server: Any, artifacts: Any
) -> None:
    from tests.factories import ObjectiveFactory, PlanFactory

    problems = _watch(page)
    cluster = demo.cluster.pk
    # A draft plan: its structure is edited in place with htmx.
    plan = PlanFactory(cluster=demo.cluster, start_year=2571, end_year=2575, status="draft")
    ObjectiveFactory(issue__plan=plan)

    login("osm_staff")
    for path in ["/", "/strategy/plans/", f"/scorecard/clusters/{cluster}/review/"]:
        response = page.goto(live_server.url + path)
        assert "script-src 'self'" in response.headers["content-security-policy"]

    # An htmx GET swap: the issue's edit form replaces its heading in place.
    page.goto(f"{live_server.url}/strategy/plans/{plan.pk}/")
    url_before = page.url
    page.locator("[data-testid=issue-edit]").first.click()
    page.locator("form[hx-post] button[type=submit]").first.wait_for()
    assert page.url == url_before  # swapped, not navigated
    page.screenshot(path=str(artifacts / "csp_plan_issue_edit.png"), full_page=True)

    # An htmx swap with a pushed URL: the period filter replaces the dashboard.
    page.goto(f"{live_server.url}/scorecard/clusters/{cluster}/")
    dashboard = page.locator("#dashboard")
    dashboard.wait_for()
    year = page.locator("#period-filter select").first
    options = year.locator("option").all()
    assert len(options) > 1
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        year.select_option(options[0].get_attribute("value"))
    page.locator("#dashboard").wait_for()
    assert "year=" in page.url
    page.screenshot(path=str(artifacts / "csp_cluster_scorecard.png"), full_page=True)

    # An htmx POST swap: marking notifications read replaces the inbox.
    from osm.models import Notification, User

    staff = User.objects.get(username="osm_staff")
    Notification.objects.create(user=staff, key="csp-test", title="ทดสอบนโยบายความปลอดภัย")
    page.goto(f"{live_server.url}/notifications/")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator("#inbox form[hx-post] button[type=submit]").first.click()
    page.locator("#inbox").wait_for()
    assert page.url.endswith("/notifications/")
    assert not Notification.objects.filter(user=staff, read_at__isnull=True).exists()

    assert problems == []


def test_the_admin_runs_under_the_policy_without_violations(
    demo: Any, page: Any, login: Any, live_server: Any
) -> None:
    from tests.factories import UserFactory

    UserFactory(username="csp_admin", password="demo1234", is_staff=True, is_superuser=True)
    problems = _watch(page)
    login("csp_admin")
    for path in ["/admin/", "/admin/osm/outboxemail/", "/admin/osm/user/"]:
        page.goto(live_server.url + path)
        assert page.locator("#content").count() == 1
    assert problems == []
