from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from strategy import services
from strategy.models import Plan
from tests.factories import ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(world: Any) -> tuple[Plan, Plan]:
    approved = PlanFactory(cluster=world.cluster, title_th="แผนที่อนุมัติแล้ว")
    ObjectiveFactory(issue__plan=approved)
    review = services.plan_review_start(plan=approved, reason="ทบทวน", fiscal_year=2570)
    return approved, review.to_plan


def _home(client: Client, user: Any) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_staff_see_their_plans_and_the_review_to_finish(
    client: Client, osm_staff: Any, plans: tuple[Plan, Plan]
) -> None:
    page = _home(client, osm_staff)
    approved, draft = plans
    assert approved.get_absolute_url() in page
    assert draft.get_absolute_url() in page
    assert reverse("strategy:plan-map", args=[approved.pk]) in page


def test_committee_and_officers_see_only_the_approved_plan(
    client: Client, committee: Any, province_officer: Any, plans: tuple[Plan, Plan]
) -> None:
    approved, draft = plans
    for user in (committee, province_officer):
        page = _home(Client(), user)
        assert approved.get_absolute_url() in page
        assert draft.get_absolute_url() not in page


def test_outsiders_get_no_strategy_panel(
    client: Client, no_role: Any, other_staff: Any, plans: tuple[Plan, Plan]
) -> None:
    assert plans[0].get_absolute_url() not in _home(client, no_role)
    assert plans[0].get_absolute_url() not in _home(Client(), other_staff)


def test_central_sees_the_national_count(client: Client, central: Any, plans: Any) -> None:
    page = _home(client, central)
    assert reverse("strategy:plan-list") in page


def test_nav_offers_the_national_targets_to_staff_only(
    client: Client, osm_staff: Any, committee: Any
) -> None:
    target_list = reverse("strategy:target-list")
    assert target_list in _home(client, osm_staff)
    assert f'href="{target_list}"' not in _home(Client(), committee)
