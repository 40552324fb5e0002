"""Strategy in a real browser: OSM staff build a plan in place with htmx and draw its map;
the committee sees the same map read-only."""

from __future__ import annotations

from typing import Any

import pytest

from strategy.models import Objective, Plan

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OBJECTIVES = [
    ("1", "1.1", "รายได้จากการค้าชายแดนเพิ่มขึ้น", "effectiveness"),
    ("1", "1.2", "ผู้ประกอบการได้รับบริการที่รวดเร็ว", "service_quality"),
    ("2", "2.1", "ต้นทุนโลจิสติกส์ลดลง", "efficiency"),
    ("2", "2.2", "บุคลากรมีทักษะดิจิทัล", "org_development"),
]
LINKS = [("2.2", "2.1"), ("2.1", "1.2"), ("1.2", "1.1")]


def _no_reload_marker(page: Any) -> None:
    page.evaluate("window.__stillHere = true")


def _assert_no_reload(page: Any) -> None:
    assert page.evaluate("window.__stillHere === true"), "the page reloaded"


def test_staff_build_a_plan_in_place_and_committee_see_the_map(
    demo: Any, login: Any, live_server: Any, browser: Any, artifacts: Any
) -> None:
    page = login("osm_staff")
    page.goto(f"{live_server.url}/strategy/plans/")
    page.click("#plan-create")
    page.fill("#id_title_th", "แผนพัฒนากลุ่มจังหวัด ฉบับทดสอบ")
    page.fill("#id_start_year", "2571")
    page.fill("#id_end_year", "2575")
    page.locator("#plan-form button[type=submit]").click()
    page.wait_for_selector("#plan-structure")
    plan = Plan.objects.get(title_th="แผนพัฒนากลุ่มจังหวัด ฉบับทดสอบ")
    assert plan.status == Plan.Status.DRAFT

    # Two issues, added in place.
    _no_reload_marker(page)
    for code, name in (("1", "การค้าชายแดน"), ("2", "โลจิสติกส์")):
        page.click("[data-testid=issue-add]")
        form = page.locator("#issue-form-new")
        form.locator("[name=code]").fill(code)
        form.locator("[name=name_th]").fill(f"ประเด็น{name}")
        form.locator("button[type=submit]").click()
        page.wait_for_selector(f"#plan-structure h3:has-text('ประเด็น{name}')")
    _assert_no_reload(page)

    # Four objectives, one per perspective; a duplicate code is refused next to the field.
    issues = {i.code: i for i in plan.issues.all()}
    for issue_code, code, name, perspective in OBJECTIVES:
        issue = issues[issue_code]
        page.click(f"#issue-{issue.pk}-new-objective [data-testid=objective-add]")
        form = page.locator(f"#issue-{issue.pk}-new-objective form")
        form.locator("[name=code]").fill(code)
        form.locator("[name=name_th]").fill(name)
        form.locator("[name=perspective]").select_option(
            str(plan.cluster.perspectives.get(key=perspective).pk)
        )
        form.locator("button[type=submit]").click()
        page.wait_for_selector(f"#plan-structure a:has-text('{name}')")
    page.click(f"#issue-{issues['1'].pk}-new-objective [data-testid=objective-add]")
    form = page.locator(f"#issue-{issues['1'].pk}-new-objective form")
    form.locator("[name=code]").fill("1.1")
    form.locator("[name=name_th]").fill("รหัสซ้ำ")
    form.locator("button[type=submit]").click()
    error = page.locator("#id_code-errors")
    error.wait_for()
    assert error.is_visible()
    _assert_no_reload(page)
    assert plan.objectives.count() == 4

    # Three cause → effect links on the map page; a cycle is refused with its reason.
    page.click("#plan-map-link")
    page.wait_for_selector("#strategy-map svg")
    _no_reload_marker(page)
    codes = {o.code: o.pk for o in Objective.objects.filter(plan=plan)}
    for cause, effect in [*LINKS, ("1.1", "2.2")]:
        page.select_option("#id_cause", str(codes[cause]))
        page.select_option("#id_effect", str(codes[effect]))
        page.locator("#link-form button[type=submit]").click()
        if (cause, effect) in LINKS:
            page.wait_for_selector(
                f"path.link[data-cause='{codes[cause]}'][data-effect='{codes[effect]}']",
                state="attached",  # a straight vertical arrow has no width: "hidden"
            )
    page.locator("#id_effect-errors").wait_for()
    assert (
        "วงจร" in page.locator("#id_effect-errors").inner_text()
        or "cycle" in page.locator("#id_effect-errors").inner_text()
    )
    _assert_no_reload(page)
    assert plan.links.count() == 3
    staff_boxes = page.locator("#strategy-map g.objective").count()
    assert staff_boxes == 4
    assert page.locator("#strategy-map path.link").count() == 3
    # Each box links to its objective's page.
    page.locator(f"#map-objective-{codes['2.1']}").click()
    page.wait_for_selector("h1:has-text('ต้นทุนโลจิสติกส์ลดลง')")

    # The committee reads the same map, without the editing tools.
    committee = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    other = committee.new_page()
    other.goto(f"{live_server.url}/accounts/login/")
    other.fill("#id_username", "committee")
    other.fill("#id_password", "demo1234")
    other.locator("main button[type=submit]").click()
    other.wait_for_load_state()
    other.goto(f"{live_server.url}/strategy/plans/{plan.pk}/map/")
    assert other.locator("#strategy-map g.objective").count() == 4
    assert other.locator("#strategy-map path.link").count() == 3
    assert other.locator("#link-form").count() == 0
    assert other.locator("#link-list form").count() == 0
    other.goto(f"{live_server.url}/strategy/plans/{plan.pk}/")
    assert other.locator("[data-testid=issue-add]").count() == 0

    # The demo plan's map, as an artifact to look at.
    demo_plan = Plan.objects.get(cluster=plan.cluster, start_year=2566, status="approved")
    other.goto(f"{live_server.url}/strategy/plans/{demo_plan.pk}/map/")
    other.wait_for_selector("#strategy-map svg")
    assert other.locator("#strategy-map g.objective").count() == demo_plan.objectives.count()
    other.locator("#strategy-map").screenshot(path=str(artifacts / "strategy_map_demo.png"))
    other.emulate_media(media="print")
    other.pdf(path=str(artifacts / "strategy_map_demo.pdf"), landscape=True, format="A4")
    committee.close()
