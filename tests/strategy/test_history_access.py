"""Seeing who changed what, and why, is an access action of its own (Action.HISTORY): an
approved plan is public, its history and a pending review's reason and author are not."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from strategy import services
from strategy.models import Plan

REASON = "เหตุผลภายในของการทบทวนที่ยังไม่ตัดสิน"


@pytest.fixture
def approved(world: Any, osm_staff: Any, perspectives: Any) -> Plan:
    plan = services.plan_create(
        cluster=world.cluster, title_th="แผนอนุมัติ", start_year=2566, end_year=2570, by=osm_staff
    )
    issue = services.issue_create(plan=plan, code="1", name_th="ประเด็น")
    services.objective_create(
        issue=issue, perspective=perspectives["effectiveness"], code="1.1", name_th="เป้าประสงค์"
    )
    services.plan_update(plan=plan, title_th="แผนอนุมัติ (แก้ไข)")
    return services.plan_approve(plan=plan, by=osm_staff)


@pytest.fixture
def pending(approved: Plan, osm_staff: Any) -> Any:
    return services.plan_review_start(plan=approved, reason=REASON, fiscal_year=2568, by=osm_staff)


def _page(user: Any, plan: Plan) -> tuple[int, str]:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("strategy:plan-detail", args=[plan.pk]))
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("persona", ["anonymous", "other_staff", "no_role"])
def test_an_approved_plan_hides_its_history_from_outsiders(persona, request, approved):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    status, page = _page(user, approved)
    assert status == 200
    assert "แผนอนุมัติ (แก้ไข)" in page  # the plan itself is public
    assert 'id="history"' not in page


@pytest.mark.parametrize("persona", ["osm_staff", "committee", "province_officer", "central"])
def test_the_clusters_readers_see_the_plans_history(persona, request, approved):
    status, page = _page(request.getfixturevalue(persona), approved)
    assert status == 200
    assert 'id="history"' in page


@pytest.mark.parametrize("persona", ["anonymous", "other_staff"])
def test_a_pending_reviews_reason_and_author_are_hidden_from_outsiders(
    persona, request, approved, pending, osm_staff
):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    status, page = _page(user, approved)
    assert status == 200
    assert 'id="reviews"' in page
    assert REASON not in page
    assert "review-author" not in page


def test_the_clusters_staff_see_a_pending_reviews_reason_and_author(
    client, approved, pending, committee
):
    status, page = _page(committee, approved)
    assert status == 200
    assert REASON in page
    assert "review-author" in page


@pytest.mark.parametrize("persona", ["anonymous", "other_staff"])
def test_a_drafts_history_is_out_of_reach_of_outsiders(persona, request, pending):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    status, page = _page(user, pending.to_plan)
    assert status == 404
    assert 'id="history"' not in page


def test_an_objectives_history_is_hidden_from_anonymous_visitors(client, approved):
    objective = approved.objectives.get()
    page = client.get(reverse("strategy:objective-detail", args=[objective.pk])).content.decode()
    assert objective.name_th in page
    assert 'id="history"' not in page
