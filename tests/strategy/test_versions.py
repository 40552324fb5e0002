"""Plan versions: objectives keep one identity across reviews, the approval record, the
approval page and deleting a mistaken draft."""

from __future__ import annotations

import datetime as dt
import importlib
import uuid
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from osm import events
from strategy import selectors, services
from strategy.models import Objective, Plan, Review
from tests.factories import IssueFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(world: Any) -> Plan:
    """Version 1, approved, with objectives 1.1 and 1.2 linked 1.1 → 1.2."""
    plan = PlanFactory(cluster=world.cluster)
    issue = IssueFactory(plan=plan, code="1")
    a = ObjectiveFactory(issue=issue, code="1.1", name_th="เศรษฐกิจชายแดนเติบโต")
    b = ObjectiveFactory(issue=issue, code="1.2", name_th="ท่องเที่ยวยั่งยืน")
    services.link_create(cause=a, effect=b)
    return plan


def _review(plan: Plan, year: int = 2570) -> Plan:
    return services.plan_review_start(plan=plan, reason="ทบทวนประจำปี", fiscal_year=year).to_plan


def _lineages(plan: Plan) -> dict[str, uuid.UUID]:
    return dict(plan.objectives.values_list("code", "lineage"))


def test_objectives_keep_their_lineage_through_two_reviews(approved: Plan) -> None:
    first = _lineages(approved)
    v2 = _review(approved)
    v2.objectives.filter(code="1.1").update(code="1.1A", name_th="การค้าชายแดนมูลค่าสูง")
    v2 = services.plan_approve(plan=v2)
    v3 = _review(v2, 2571)
    assert _lineages(v3) == {"1.1A": first["1.1"], "1.2": first["1.2"]}
    assert set(
        Objective.objects.filter(lineage=first["1.1"]).values_list("plan_id", flat=True)
    ) == {
        approved.pk,
        v2.pk,
        v3.pk,
    }


def test_a_new_objective_starts_its_own_lineage(approved: Plan) -> None:
    v2 = _review(approved)
    new = services.objective_create(
        issue=v2.issues.get(),
        perspective=v2.objectives.first().perspective,
        code="1.3",
        name_th="ใหม่",
    )
    assert new.lineage not in set(_lineages(approved).values())


def test_compare_shows_a_changed_code_as_renamed_not_removed_and_added(
    client: Client, committee: Any, approved: Plan
) -> None:
    v2 = _review(approved)
    v2.objectives.filter(code="1.1").update(code="1.5", name_th="การค้าชายแดนมูลค่าสูง")
    diffs = selectors.compare_plans(approved, v2)
    objective_changes = [(d.change, d.code) for d in diffs if d.kind == "objective"]
    assert objective_changes == [("renamed", "1.1 → 1.5")]
    assert not [d for d in diffs if d.kind == "link"]  # the link joins the same objectives
    client.force_login(committee)
    page = client.get(reverse("strategy:plan-compare", args=[v2.pk])).content.decode()
    assert 'class="diff-renamed"' in page and "การค้าชายแดนมูลค่าสูง" in page
    assert 'class="diff-removed"' not in page and 'class="diff-added"' not in page


def test_objective_page_lists_the_objective_in_every_version(
    client: Client, committee: Any, approved: Plan
) -> None:
    v2 = _review(approved)
    successor = v2.objectives.get(code="1.1")
    services.objective_update(objective=successor, name_th="การค้าชายแดนมูลค่าสูง")
    client.force_login(committee)
    page = client.get(successor.get_absolute_url()).content.decode()
    section = page[page.index('id="objective-versions"') :]
    original = approved.objectives.get(code="1.1")
    assert original.get_absolute_url() in section and "เศรษฐกิจชายแดนเติบโต" in section
    assert "การค้าชายแดนมูลค่าสูง" in section
    assert approved.objectives.get(code="1.2").get_absolute_url() not in section


def test_migration_links_copies_made_before_lineage_existed(world: Any) -> None:
    v1 = PlanFactory(cluster=world.cluster, status=Plan.Status.ARCHIVED)
    original = ObjectiveFactory(issue__plan=v1, code="2.1")
    gone = ObjectiveFactory(issue=original.issue, code="2.2")
    v2 = PlanFactory(cluster=world.cluster, previous=v1, version=2)
    copy = ObjectiveFactory(issue__plan=v2, code="2.1")
    added = ObjectiveFactory(issue=copy.issue, code="2.9")
    v3 = PlanFactory(cluster=world.cluster, previous=v2, version=3, status=Plan.Status.DRAFT)
    copy_of_copy = ObjectiveFactory(issue__plan=v3, code="2.1")
    migration = importlib.import_module("strategy.migrations.0003_objective_lineage_plan_approval")
    migration.link_lineages(apps, None)
    lineage = Objective.objects.get(pk=original.pk).lineage
    assert Objective.objects.get(pk=copy.pk).lineage == lineage
    assert Objective.objects.get(pk=copy_of_copy.pk).lineage == lineage
    others = {Objective.objects.get(pk=o.pk).lineage for o in (gone, added)}
    assert lineage not in others and len(others) == 2


# --- Approval -------------------------------------------------------------------------------


def test_approval_publishes_the_successors_of_the_old_objectives(approved: Plan) -> None:
    v2 = _review(approved)
    v2.objectives.filter(code="1.2").delete()
    heard: list[dict[str, Any]] = []
    events.subscribe(events.PLAN_APPROVED, lambda **payload: heard.append(payload))
    try:
        services.plan_approve(plan=v2)
    finally:
        events._handlers[events.PLAN_APPROVED].pop()
    old = {o.code: o.pk for o in approved.objectives.all()}
    new = {o.code: o.pk for o in v2.objectives.all()}
    assert heard == [
        {
            "cluster_id": approved.cluster_id,
            "plan_id": v2.pk,
            "previous_plan_id": approved.pk,
            "successors": {old["1.1"]: new["1.1"]},
        }
    ]


def test_approval_records_a_past_date_and_the_resolution(approved: Plan, osm_staff: Any) -> None:
    v2 = _review(approved)
    services.plan_approve(
        plan=v2,
        by=osm_staff,
        approved_on=dt.date(2022, 3, 15),
        resolution_text="เห็นชอบแผนพัฒนากลุ่มจังหวัดฉบับทบทวน",
        resolution_meeting="ครั้งที่ 1/2565 วันที่ 15 มี.ค. 2565",
    )
    v2.refresh_from_db()
    assert v2.approved_on == dt.date(2022, 3, 15) and v2.approved_by == osm_staff
    assert v2.resolution_meeting == "ครั้งที่ 1/2565 วันที่ 15 มี.ค. 2565"
    assert v2.status == Plan.Status.APPROVED


def test_approval_date_in_the_future_is_refused(approved: Plan) -> None:
    v2 = _review(approved)
    with pytest.raises(ValidationError) as error:
        services.plan_approve(plan=v2, approved_on=timezone.localdate() + dt.timedelta(days=1))
    assert "approved_on" in error.value.message_dict
    v2.refresh_from_db()
    assert v2.status == Plan.Status.DRAFT


# --- Deleting a draft -----------------------------------------------------------------------


def test_a_mistaken_review_draft_is_deleted_with_its_review(approved: Plan) -> None:
    v2 = _review(approved)
    services.plan_delete(plan=v2)
    assert not Plan.objects.filter(pk=v2.pk).exists()
    assert not Review.objects.filter(from_plan=approved).exists()
    approved.refresh_from_db()
    assert approved.status == Plan.Status.APPROVED and approved.objectives.count() == 2


def test_approved_and_archived_versions_are_never_deleted(approved: Plan) -> None:
    with pytest.raises(ValidationError):
        services.plan_delete(plan=approved)
    v2 = _review(approved)
    services.plan_approve(plan=v2)
    approved.refresh_from_db()
    with pytest.raises(ValidationError):
        services.plan_delete(plan=approved)
    assert Plan.objects.filter(pk=approved.pk).exists()


# --- Pages ----------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client: Client, osm_staff: Any) -> Client:
    client.force_login(osm_staff)
    return client


def _approval_data(**overrides: str) -> dict[str, str]:
    return {
        "approved_on": "2026-11-20",
        "resolution_text": "ที่ประชุมมีมติเห็นชอบ",
        "resolution_meeting": "ครั้งที่ 4/2569 วันที่ 20 พ.ย. 2569",
        **overrides,
    }


def test_approval_page_approves_and_the_plan_page_shows_the_record(
    staff_client: Client, approved: Plan
) -> None:
    v2 = _review(approved)
    v2.objectives.filter(code="1.1").update(name_th="การค้าชายแดนมูลค่าสูง")
    url = reverse("strategy:plan-approve", args=[v2.pk])
    page = staff_client.get(url).content.decode()
    assert 'id="renamed-table"' in page and "การค้าชายแดนมูลค่าสูง" in page
    assert 'id="no-dropped"' in page and 'name="resolution_meeting"' in page
    response = staff_client.post(url, _approval_data())
    assert response.status_code == 302 and response.url == v2.get_absolute_url()
    page = staff_client.get(v2.get_absolute_url()).content.decode()
    assert 'id="plan-approval"' in page
    assert "ครั้งที่ 4/2569 วันที่ 20 พ.ย. 2569" in page and "ที่ประชุมมีมติเห็นชอบ" in page
    assert "20 พฤศจิกายน 2569" in page


def test_approval_form_shows_errors_next_to_the_fields(
    staff_client: Client, approved: Plan
) -> None:
    v2 = _review(approved)
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = staff_client.post(
        reverse("strategy:plan-approve", args=[v2.pk]),
        _approval_data(approved_on=future, resolution_text=""),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_approved_on-errors"' in page and 'id="id_resolution_text-errors"' in page
    v2.refresh_from_db()
    assert v2.status == Plan.Status.DRAFT


def test_approval_page_refuses_wrong_methods_anonymous_outsiders_and_readers(
    client: Client, approved: Plan, committee: Any, other_staff: Any
) -> None:
    v2 = _review(approved)
    url = reverse("strategy:plan-approve", args=[v2.pk])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(other_staff)
    assert client.get(url).status_code == 404
    client.force_login(committee)
    assert client.get(url).status_code == 403
    assert client.post(url, _approval_data()).status_code == 403
    assert client.put(url).status_code == 405
    v2.refresh_from_db()
    assert v2.status == Plan.Status.DRAFT


def test_approval_page_of_an_approved_version_goes_back_to_the_plan(
    staff_client: Client, approved: Plan
) -> None:
    response = staff_client.get(reverse("strategy:plan-approve", args=[approved.pk]))
    assert response.status_code == 302 and response.url == approved.get_absolute_url()


def test_delete_page_confirms_then_deletes_the_draft_without_js(
    staff_client: Client, approved: Plan
) -> None:
    v2 = _review(approved)
    url = reverse("strategy:plan-delete", args=[v2.pk])
    page = staff_client.get(url).content.decode()
    assert 'id="plan-delete-form"' in page and 'id="delete-review"' in page
    assert Plan.objects.filter(pk=v2.pk).exists()  # a GET deletes nothing
    response = staff_client.post(url)
    assert response.status_code == 302 and response.url == approved.get_absolute_url()
    assert not Plan.objects.filter(pk=v2.pk).exists()


def test_delete_page_of_an_approved_version_is_forbidden(
    staff_client: Client, approved: Plan
) -> None:
    url = reverse("strategy:plan-delete", args=[approved.pk])
    assert staff_client.get(url).status_code == 403
    assert staff_client.post(url).status_code == 403
    assert Plan.objects.filter(pk=approved.pk).exists()


def test_plan_page_links_a_draft_to_its_approval_and_delete_pages(
    staff_client: Client, approved: Plan
) -> None:
    v2 = _review(approved)
    page = staff_client.get(v2.get_absolute_url()).content.decode()
    assert reverse("strategy:plan-approve", args=[v2.pk]) in page
    assert reverse("strategy:plan-delete", args=[v2.pk]) in page


def test_approval_page_query_count_is_pinned(
    staff_client: Client, approved: Plan, django_assert_num_queries: Any
) -> None:
    v2 = _review(approved)
    v2.objectives.filter(code="1.2").delete()
    url = reverse("strategy:plan-approve", args=[v2.pk])
    staff_client.get(url)
    # session, user, scope, unread notifications, plan, has-review, replaced versions, new
    # objectives, old objectives, review, dependents (one per registered app: scorecard,
    # projects)
    with django_assert_num_queries(12):
        response = staff_client.get(url)
    assert response.status_code == 200


@pytest.fixture
def heard() -> Any:
    """Every strategy event published during the test, as (name, payload)."""
    names = [events.PLAN_CHANGED, events.OBJECTIVE_CHANGED, events.PLAN_DELETED]
    found: list[tuple[str, dict[str, Any]]] = []
    handlers = {}
    for name in names:
        handlers[name] = lambda _name=name, **payload: found.append((_name, payload))
        events.subscribe(name, handlers[name])
    yield found
    for name in names:
        events._handlers[name].remove((events.IMMEDIATE, handlers[name]))


def test_strategy_services_publish_what_changed(approved: Plan, heard: Any) -> None:
    objective = approved.objectives.get(code="1.1")
    cluster_id = approved.cluster_id
    v2 = _review(approved)
    assert (events.PLAN_CHANGED, {"cluster_id": cluster_id, "plan_id": v2.pk}) in heard
    heard.clear()
    successor = v2.objectives.get(lineage=objective.lineage)
    services.objective_update(objective=successor, name_th="ชื่อใหม่")
    assert heard == [
        (events.OBJECTIVE_CHANGED, {"cluster_id": cluster_id, "objective_id": successor.pk})
    ]
    heard.clear()
    services.plan_update(plan=v2, title_th="แผนฉบับทบทวน")
    assert heard == [(events.PLAN_CHANGED, {"cluster_id": cluster_id, "plan_id": v2.pk})]
    heard.clear()
    services.plan_delete(plan=v2)
    assert heard == [(events.PLAN_DELETED, {"cluster_id": cluster_id, "plan_id": v2.pk})]


def test_approval_tells_that_both_versions_changed(approved: Plan, heard: Any) -> None:
    v2 = _review(approved)
    heard.clear()
    services.plan_approve(plan=v2)
    changed = {p["plan_id"] for name, p in heard if name == events.PLAN_CHANGED}
    assert changed == {approved.pk, v2.pk}


def test_approving_a_first_plan_does_not_speak_of_an_archived_version(
    staff_client: Client, world: Any
) -> None:
    plan = PlanFactory(cluster=world.cluster, status=Plan.Status.DRAFT)
    ObjectiveFactory(issue=IssueFactory(plan=plan, code="1"), code="1.1")
    response = staff_client.post(
        reverse("strategy:plan-approve", args=[plan.pk]), _approval_data(), follow=True
    )
    page = response.content.decode()
    assert "อนุมัติแผนเรียบร้อยแล้ว" in page and "เก็บฉบับก่อนหน้า" not in page


def test_approving_a_review_says_the_version_before_is_archived(
    staff_client: Client, approved: Plan
) -> None:
    v2 = _review(approved)
    response = staff_client.post(
        reverse("strategy:plan-approve", args=[v2.pk]), _approval_data(), follow=True
    )
    assert "เก็บฉบับก่อนหน้าเข้าแฟ้มแล้ว" in response.content.decode()
