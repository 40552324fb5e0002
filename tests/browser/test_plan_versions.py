"""A strategy review in a real browser: the review renames one objective and drops another;
on the approval page staff decide what happens to the dropped objective's indicators, record
the committee's resolution and approve; the scorecard then shows the new names and the whole
results history."""

from __future__ import annotations

from typing import Any

import pytest

from scorecard.models import Indicator, Result
from strategy.models import Plan
from tests.browser.test_accessibility import violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_review_renames_and_drops_then_the_scorecard_follows(
    demo: Any, login: Any, live_server: Any, artifacts: Any
) -> None:
    plan = Plan.objects.get(cluster__provinces__code="TH-50", status=Plan.Status.APPROVED)
    with_indicators = [
        o
        for o in plan.objectives.order_by("code")
        if Indicator.objects.filter(objective=o).exists()
    ]
    renamed, dropped = with_indicators[0], with_indicators[1]
    moved_codes = list(Indicator.objects.filter(objective=renamed).values_list("code", flat=True))
    dropped_indicators = list(Indicator.objects.filter(objective=dropped).order_by("code"))
    results_before = Result.objects.filter(indicator__objective=renamed).count()
    page = login("osm_staff")
    # The review, in the browser: start it, rename one objective, drop another.
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.click("#plan-review-link")
    page.fill("#id_reason", "ทบทวนประจำปี 2570")
    page.locator("#review-form button[type=submit]").click()
    page.wait_for_selector("#plan-structure")
    draft = Plan.objects.get(previous=plan)
    successor = draft.objectives.get(lineage=renamed.lineage)
    page.goto(f"{live_server.url}/strategy/objectives/{successor.pk}/edit/")
    page.fill("#id_name_th", "มูลค่าการค้าและการลงทุนชายแดนเพิ่มขึ้นอย่างยั่งยืน")
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator(f"#objective-form-{successor.pk} button[type=submit]").click()
    successor.refresh_from_db()
    assert successor.name_th == "มูลค่าการค้าและการลงทุนชายแดนเพิ่มขึ้นอย่างยั่งยืน"
    gone = draft.objectives.get(lineage=dropped.lineage)
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.locator(f"#objective-{gone.pk} form[action$='/delete/'] button").click()
    page.wait_for_selector(f"#objective-{gone.pk}", state="detached")

    page.click("#plan-approve-link")
    page.wait_for_selector("#dropped")
    # Its indicators, and the demo's open projects of this year on it (the projects app).
    from projects.dependents import project_dependents

    projects = project_dependents([dropped.pk]).get(dropped.pk, [])
    expected = len(dropped_indicators) + len(projects)
    assert page.locator(f"#dropped-{dropped.pk} .dependent").count() == expected
    assert page.locator("#approve-blocked").is_visible()
    assert page.locator("#plan-approve-form button[type=submit]").is_disabled()
    page.screenshot(path=str(artifacts / "plan-approve-dropped.png"), full_page=True)
    assert not violations(page)

    # The first indicator moves to the renamed objective, the rest retire.
    first = page.locator(f"#dropped-{dropped.pk} .dependent-form").first
    first.locator("select").select_option(str(draft.objectives.get(lineage=renamed.lineage).pk))
    first.locator("button[value=move]").click()
    page.wait_for_selector("#dropped")
    while page.locator(f"#dropped-{dropped.pk} .dependent:not(.dependent-resolved)").count():
        form = page.locator(
            f"#dropped-{dropped.pk} .dependent:not(.dependent-resolved) .dependent-form"
        ).first
        form.locator("button[value=retire]").click()
        page.wait_for_selector("#dropped")
    assert page.locator("#approve-blocked").count() == 0
    page.screenshot(path=str(artifacts / "plan-approve-resolved.png"), full_page=True)
    assert not violations(page)
    approval_url = page.url
    page.goto(f"{live_server.url}/strategy/plans/{draft.pk}/delete/")
    assert page.locator("#plan-delete-form").is_visible()  # nothing hangs on the draft itself
    assert not violations(page)
    page.screenshot(path=str(artifacts / "plan-delete.png"), full_page=True)
    page.goto(approval_url)

    page.fill("#id_approved_on", "2026-11-20")
    page.fill("#id_resolution_text", "ที่ประชุมมีมติเห็นชอบแผนพัฒนากลุ่มจังหวัดฉบับทบทวน")
    page.fill("#id_resolution_meeting", "ครั้งที่ 4/2569 วันที่ 20 พฤศจิกายน 2569")
    page.locator("#plan-approve-form button[type=submit]").click()
    page.wait_for_selector("#plan-approval")
    assert "ครั้งที่ 4/2569" in page.inner_text("#plan-approval")
    draft.refresh_from_db()
    assert draft.status == Plan.Status.APPROVED

    page.goto(f"{live_server.url}/scorecard/clusters/{plan.cluster_id}/")
    text = page.inner_text("main")
    assert "มูลค่าการค้าและการลงทุนชายแดนเพิ่มขึ้นอย่างยั่งยืน" in text
    assert renamed.name_th not in text
    page.screenshot(path=str(artifacts / "scorecard-after-review.png"), full_page=True)
    # The whole history: every period with results shows on the indicator's page.
    indicator = Indicator.objects.get(cluster_id=plan.cluster_id, code=moved_codes[0])
    page.goto(f"{live_server.url}{indicator.get_absolute_url()}")
    periods = Result.objects.filter(indicator=indicator).values("fiscal_year", "quarter").distinct()
    assert page.locator("#trend-table tbody tr").count() == periods.count() > 1
    assert "มูลค่าการค้าและการลงทุนชายแดนเพิ่มขึ้นอย่างยั่งยืน" in page.inner_text("main")
    for code in moved_codes:
        indicator = Indicator.objects.get(cluster_id=plan.cluster_id, code=code)
        assert indicator.objective.plan_id == draft.pk
    assert (
        Result.objects.filter(
            indicator__cluster_id=plan.cluster_id, indicator__code__in=moved_codes
        ).count()
        == results_before
    )
    moved = Indicator.objects.get(pk=dropped_indicators[0].pk)
    assert moved.objective.lineage == renamed.lineage and moved.retired_at is None
    for retired in dropped_indicators[1:]:
        assert Indicator.objects.get(pk=retired.pk).retired_at is not None
