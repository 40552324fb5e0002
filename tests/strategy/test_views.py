"""Behaviour of the strategy pages beyond the permission matrix: htmx fragments, validation
shown next to the field, no-JS form posts, scoping of lists and pinned query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from strategy import services
from strategy.models import Objective, ObjectiveLink, Plan, Review, StrategicIssue
from tests.factories import IssueFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


@pytest.fixture
def staff_client(client: Client, osm_staff: Any) -> Client:
    client.force_login(osm_staff)
    return client


# --- Plans ----------------------------------------------------------------------------------


def test_staff_creates_a_draft_plan_without_js(staff_client: Client, world: Any) -> None:
    response = staff_client.post(
        reverse("strategy:plan-create"),
        {
            "cluster": world.cluster.pk,
            "title_th": "แผนพัฒนากลุ่มจังหวัด 2571–2575",
            "start_year": "๒๕๗๑",  # Thai digits are accepted
            "end_year": "2575",
        },
    )
    plan = Plan.objects.get(title_th="แผนพัฒนากลุ่มจังหวัด 2571–2575")
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    assert (plan.start_year, plan.status, plan.version) == (2571, Plan.Status.DRAFT, 1)


def test_plan_create_shows_year_errors_next_to_the_field(staff_client: Client, world: Any) -> None:
    response = staff_client.post(
        reverse("strategy:plan-create"),
        {"cluster": world.cluster.pk, "title_th": "ก", "start_year": "2575", "end_year": "2571"},
    )
    assert response.status_code == 200
    assert 'id="id_end_year-errors"' in response.content.decode()
    assert not Plan.objects.filter(title_th="ก").exists()


def test_staff_cannot_create_a_plan_for_another_cluster(staff_client: Client, world: Any) -> None:
    response = staff_client.post(
        reverse("strategy:plan-create"),
        {"cluster": world.other_cluster.pk, "title_th": "ก", "start_year": 2571, "end_year": 2575},
    )
    assert response.status_code == 200  # the choice is not offered: a form error
    assert not Plan.objects.filter(title_th="ก").exists()


def test_plan_list_shows_drafts_only_within_scope(
    client: Client, world: Any, other_staff: Any
) -> None:
    approved = PlanFactory(cluster=world.cluster, title_th="แผนอนุมัติ")
    draft = PlanFactory(
        cluster=world.cluster,
        title_th="แผนร่าง",
        status=Plan.Status.DRAFT,
        start_year=2571,
        end_year=2575,
    )
    page = client.get(reverse("strategy:plan-list")).content.decode()
    assert approved.title_th in page
    assert draft.title_th not in page
    client.force_login(other_staff)
    page = client.get(reverse("strategy:plan-list")).content.decode()
    assert approved.title_th in page
    assert draft.title_th not in page


def test_plan_list_query_count_is_flat(
    client: Client, committee: Any, world: Any, django_assert_num_queries: Any
) -> None:
    for year in (2556, 2561, 2566):
        plan = PlanFactory(cluster=world.cluster, start_year=year, end_year=year + 4)
        ObjectiveFactory.create_batch(2, issue__plan=plan)
    client.force_login(committee)
    client.get(reverse("strategy:plan-list"))  # warm the content-type cache
    # session, user, scope, unread notifications (header), plans with their counts
    with django_assert_num_queries(5):
        response = client.get(reverse("strategy:plan-list"))
    assert response.content.decode().count('<tr id="plan-') == 3


def test_plan_detail_query_count_is_flat(
    client: Client, committee: Any, world: Any, django_assert_num_queries: Any
) -> None:
    plan = PlanFactory(cluster=world.cluster)
    for _ in range(3):
        ObjectiveFactory.create_batch(3, issue=IssueFactory(plan=plan))
    client.force_login(committee)
    client.get(plan.get_absolute_url())
    # session, user, scope, unread notifications, plan (+cluster), issues, objectives
    # (+perspectives), the cluster's perspectives, versions, reviews, history events,
    # history's foreign-key names, the plan's documents (plan book, indicator sheets), the
    # committee's agenda items about the plan (its page links)
    with django_assert_num_queries(14):
        response = client.get(plan.get_absolute_url())
    assert response.content.decode().count('class="list-group-item objective"') == 9


def test_approve_archives_the_previous_version(staff_client: Client, world: Any) -> None:
    old = PlanFactory(cluster=world.cluster)
    ObjectiveFactory(issue__plan=old)
    review = services.plan_review_start(plan=old, reason="ทบทวน", fiscal_year=2570)
    response = staff_client.post(
        reverse("strategy:plan-approve", args=[review.to_plan.pk]),
        {
            "decision_note": "มติที่ 3",
            "approved_on": "2026-11-20",
            "resolution_text": "เห็นชอบแผนฉบับทบทวน",
            "resolution_meeting": "ครั้งที่ 3/2569",
        },
    )
    assert response.status_code == 302
    old.refresh_from_db()
    review.refresh_from_db()
    assert old.status == Plan.Status.ARCHIVED
    assert review.decision_note == "มติที่ 3"


def test_review_form_requires_a_reason(staff_client: Client, world: Any) -> None:
    plan = PlanFactory(cluster=world.cluster)
    url = reverse("strategy:plan-review", args=[plan.pk])
    response = staff_client.post(url, {"fiscal_year": "2570", "reason": ""})
    assert response.status_code == 200
    assert 'id="id_reason-errors"' in response.content.decode()
    response = staff_client.post(url, {"fiscal_year": "2570", "reason": "สถานการณ์เปลี่ยน"})
    new = Plan.objects.get(previous=plan)
    assert response.status_code == 302
    assert response.url == new.get_absolute_url()


def test_compare_page_lists_added_removed_and_renamed(
    client: Client, world: Any, committee: Any
) -> None:
    client.force_login(committee)  # the public does not see archived versions
    old = PlanFactory(cluster=world.cluster)
    keep = ObjectiveFactory(issue__plan=old, code="K", name_th="คงเดิม")
    ObjectiveFactory(issue=keep.issue, code="R", name_th="ถูกลบ")
    new = services.plan_copy(plan=old)
    new.objectives.filter(code="R").delete()
    new.objectives.filter(code="K").update(name_th="ชื่อใหม่")
    ObjectiveFactory(issue=new.issues.get(), code="N", name_th="เพิ่มใหม่")
    services.plan_approve(plan=new)
    response = client.get(reverse("strategy:plan-compare", args=[new.pk]))
    page = response.content.decode()
    assert 'class="diff-removed"' in page
    assert "ถูกลบ" in page
    assert 'class="diff-added"' in page
    assert "เพิ่มใหม่" in page
    assert 'class="diff-renamed"' in page
    assert "ชื่อใหม่" in page


# --- Issues and objectives in place (htmx) --------------------------------------------------


@pytest.fixture
def draft_issue(world: Any) -> StrategicIssue:
    plan = PlanFactory(
        cluster=world.cluster, status=Plan.Status.DRAFT, start_year=2571, end_year=2575
    )
    return IssueFactory(plan=plan, code="1")


def test_htmx_issue_form_is_a_fragment(staff_client: Client, draft_issue: StrategicIssue) -> None:
    response = staff_client.get(
        reverse("strategy:issue-create", args=[draft_issue.plan_id]), headers=HX
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="issue-form-new"' in body


def test_htmx_issue_create_returns_the_structure(
    staff_client: Client, draft_issue: StrategicIssue
) -> None:
    url = reverse("strategy:issue-create", args=[draft_issue.plan_id])
    response = staff_client.post(url, {"code": "2", "name_th": "ประเด็นใหม่"}, headers=HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="plan-structure"' in body
    assert "ประเด็นใหม่" in body
    assert response["HX-Retarget"] == "#plan-structure"


def test_htmx_invalid_issue_shows_error_next_to_field(
    staff_client: Client, draft_issue: StrategicIssue
) -> None:
    url = reverse("strategy:issue-create", args=[draft_issue.plan_id])
    response = staff_client.post(url, {"code": "1", "name_th": "รหัสซ้ำ"}, headers=HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "HX-Retarget" not in response
    assert 'id="issue-form-new"' in body
    assert 'id="id_code-errors"' in body
    assert draft_issue.plan.issues.count() == 1


def test_issue_create_without_js_redirects(
    staff_client: Client, draft_issue: StrategicIssue
) -> None:
    url = reverse("strategy:issue-create", args=[draft_issue.plan_id])
    response = staff_client.post(url, {"code": "2", "name_th": "ประเด็นใหม่"})
    assert response.status_code == 302
    assert response.url.startswith(draft_issue.plan.get_absolute_url())


def test_htmx_objective_edit_saves_and_refreshes(
    staff_client: Client, draft_issue: StrategicIssue
) -> None:
    objective = ObjectiveFactory(issue=draft_issue, code="1.1")
    url = reverse("strategy:objective-edit", args=[objective.pk])
    data = {
        "code": "1.1",
        "name_th": "ชื่อที่แก้แล้ว",
        "issue": draft_issue.pk,
        "perspective": objective.perspective_id,
        "lock_version": objective.lock_version,
    }
    response = staff_client.post(url, data, headers=HX)
    assert response.status_code == 200
    assert "ชื่อที่แก้แล้ว" in response.content.decode()
    objective.refresh_from_db()
    assert objective.name_th == "ชื่อที่แก้แล้ว"


def test_objective_move_and_delete_in_place(
    staff_client: Client, draft_issue: StrategicIssue
) -> None:
    first, second = ObjectiveFactory.create_batch(2, issue=draft_issue)
    response = staff_client.post(
        reverse("strategy:objective-move", args=[second.pk]), {"direction": "up"}, headers=HX
    )
    assert response.status_code == 200
    assert list(draft_issue.objectives.order_by("order")) == [second, first]
    response = staff_client.post(reverse("strategy:objective-delete", args=[first.pk]), headers=HX)
    assert response.status_code == 200
    assert 'id="plan-structure"' in response.content.decode()
    assert not Objective.objects.filter(pk=first.pk).exists()


def test_wrong_method_on_delete_is_405(staff_client: Client, draft_issue: StrategicIssue) -> None:
    assert (
        staff_client.get(reverse("strategy:issue-delete", args=[draft_issue.pk])).status_code == 405
    )


def test_approved_plan_is_read_only_even_for_its_staff(staff_client: Client, world: Any) -> None:
    objective = ObjectiveFactory(issue__plan=PlanFactory(cluster=world.cluster))
    response = staff_client.post(
        reverse("strategy:objective-edit", args=[objective.pk]), {"code": "x", "name_th": "x"}
    )
    assert response.status_code == 403


# --- Map and links --------------------------------------------------------------------------


def test_link_that_makes_a_cycle_shows_the_reason_by_the_field(
    staff_client: Client, draft_issue: StrategicIssue
) -> None:
    a, b = ObjectiveFactory.create_batch(2, issue=draft_issue)
    services.link_create(cause=a, effect=b)
    url = reverse("strategy:link-create", args=[draft_issue.plan_id])
    response = staff_client.post(url, {"cause": b.pk, "effect": a.pk}, headers=HX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="id_effect-errors"' in body
    assert "วงจร" in body  # "a cycle", in Thai
    assert ObjectiveLink.objects.count() == 1


def test_link_create_redraws_the_map(staff_client: Client, draft_issue: StrategicIssue) -> None:
    a, b = ObjectiveFactory.create_batch(2, issue=draft_issue)
    url = reverse("strategy:link-create", args=[draft_issue.plan_id])
    response = staff_client.post(url, {"cause": a.pk, "effect": b.pk}, headers=HX)
    body = response.content.decode()
    assert f'data-cause="{a.pk}" data-effect="{b.pk}"' in body
    assert 'id="map-section"' in body
    response = staff_client.post(url, {"cause": b.pk, "effect": a.pk})
    assert response.status_code == 200  # no JS: the same cycle error on the full page
    assert "<html" in response.content.decode()


def test_map_svg_download_is_svg(client: Client, world: Any) -> None:
    objective = ObjectiveFactory(issue__plan=PlanFactory(cluster=world.cluster), name_th="เป้าหมาย")
    response = client.get(reverse("strategy:plan-map-svg", args=[objective.plan_id]))
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "เป้าหมาย" in response.content.decode()


# --- Alignment ------------------------------------------------------------------------------


def test_tags_are_edited_in_the_browser_and_show_in_the_matrix(
    staff_client: Client, draft_issue: StrategicIssue
) -> None:
    from strategy.models import AlignmentTarget

    objective = ObjectiveFactory(issue=draft_issue)
    target = AlignmentTarget.objects.get(code="M02")
    url = reverse("strategy:objective-alignment", args=[objective.pk])
    response = staff_client.post(url, {"targets": [target.pk]})
    assert response.status_code == 302
    matrix = staff_client.get(reverse("strategy:plan-alignment", args=[draft_issue.plan_id]))
    page = matrix.content.decode()
    assert 'id="target-row-M02" ' in page or 'class="served" id="target-row-M02"' in page
    assert 'class="gap" id="target-row-SDG14"' in page
    assert 'class="served" id="target-row-M02"' in page


def test_perspective_rename_returns_to_the_plan(staff_client: Client, world: Any) -> None:
    plan = PlanFactory(cluster=world.cluster)
    perspective = services.perspectives_ensure(cluster=world.cluster)[2]
    url = reverse("strategy:perspective-edit", args=[perspective.pk])
    response = staff_client.post(
        url, {"name_th": "ด้านผลิตภาพ", "name_en": "Productivity", "next": plan.get_absolute_url()}
    )
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    perspective.refresh_from_db()
    assert perspective.name_th == "ด้านผลิตภาพ"
    response = staff_client.post(url, {"name_th": "ก", "next": "https://evil.example/"})
    assert response.url == reverse("strategy:plan-list")


def test_objective_page_shows_its_history_and_its_links_history(
    staff_client: Client, draft_issue: StrategicIssue
) -> None:
    a, b = ObjectiveFactory.create_batch(2, issue=draft_issue)
    staff_client.post(
        reverse("strategy:link-create", args=[draft_issue.plan_id]),
        {"cause": a.pk, "effect": b.pk},
    )
    link = ObjectiveLink.objects.get(cause=a, effect=b)
    staff_client.post(reverse("strategy:link-delete", args=[link.pk]))
    staff_client.post(
        reverse("strategy:objective-edit", args=[a.pk]),
        {
            "code": a.code,
            "name_th": "ชื่อใหม่",
            "issue": a.issue_id,
            "perspective": a.perspective_id,
            "lock_version": a.lock_version,
        },
    )
    page = staff_client.get(a.get_absolute_url()).content.decode()
    assert 'id="history"' in page
    assert "ชื่อใหม่" in page
    section = page[page.index('id="link-history"') :]
    assert section.count(f"{a.code} → {b.code}") == 2  # made, then removed


def test_reject_button_closes_the_review(staff_client: Client, world: Any) -> None:
    old = PlanFactory(cluster=world.cluster)
    ObjectiveFactory(issue__plan=old)
    review = services.plan_review_start(plan=old, reason="ทบทวน", fiscal_year=2570)
    page = staff_client.get(review.to_plan.get_absolute_url()).content.decode()
    assert 'id="plan-reject"' in page
    response = staff_client.post(
        reverse("strategy:plan-reject", args=[review.to_plan.pk]), {"decision_note": "คงแผนเดิม"}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.decision == Review.Decision.REJECTED
    assert review.decision_note == "คงแผนเดิม"


def test_deleting_an_objective_in_use_explains_why(
    staff_client: Client, draft_issue: StrategicIssue, monkeypatch: Any
) -> None:
    from django.db.models import ProtectedError

    objective = ObjectiveFactory(issue=draft_issue)

    def protected(self: Any, *args: Any, **kwargs: Any) -> None:
        raise ProtectedError("in use", {draft_issue})  # stands for a scorecard indicator

    monkeypatch.setattr(Objective, "delete", protected)
    url = reverse("strategy:objective-delete", args=[objective.pk])
    response = staff_client.post(url, headers=HX)
    assert response.status_code == 200
    assert 'id="structure-error"' in response.content.decode()
    response = staff_client.post(url)
    assert response.status_code == 302
    assert Objective.objects.filter(pk=objective.pk).exists()


def test_exporting_a_plan_writes_nothing_even_without_perspectives(
    client: Client, world: Any
) -> None:
    """A GET never writes: the export used to recreate a cluster's missing perspectives."""
    from strategy.models import Perspective

    plan = PlanFactory(cluster=world.cluster)
    Perspective.objects.filter(cluster=world.cluster).delete()
    response = client.get(reverse("strategy:plan-export", args=[plan.pk]))
    assert response.status_code == 200
    assert not Perspective.objects.filter(cluster=world.cluster).exists()
