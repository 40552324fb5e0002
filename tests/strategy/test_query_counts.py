"""Pinned query counts of the read pages: a page that grows a query per row fails here."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategy import services
from strategy.models import AlignmentTarget, Plan
from tests.factories import IssueFactory, ObjectiveFactory, PlanFactory

pytestmark = pytest.mark.django_db


def _plan(world: Any, size: int) -> Plan:
    plan = PlanFactory(cluster=world.cluster, start_year=2566 - 5 * size, end_year=2570 - 5 * size)
    targets = list(AlignmentTarget.objects.order_by("code")[: size * 2])
    previous = None
    for _ in range(size):
        for objective in ObjectiveFactory.create_batch(size, issue=IssueFactory(plan=plan)):
            services.alignment_set(element=objective, targets=targets[:2])
            services.alignment_set(element=objective.issue, targets=targets[2:4])
            if previous is not None:
                services.link_create(cause=previous, effect=objective)
            previous = objective
    return plan


def _count(client: Client, url: str) -> int:
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


PAGES = {
    # session, user, scope, notifications badge, plan, then per page:
    "strategy:plan-map": 9,  # perspectives, objectives, links (map); links list;
    # objectives (form) ×2
    "strategy:plan-alignment": 9,  # issues, objectives, tags, targets
    "strategy:plan-alignment-export": 8,  # issues, objectives, tags, targets (no badge)
    "strategy:plan-compare": 6,  # versions (no other version to compare with)
    "strategy:plan-export": 7,  # perspectives, links, objectives (no badge: not a page)
}


@pytest.mark.parametrize("name", list(PAGES))
def test_plan_pages_make_the_same_queries_whatever_the_plan_size(
    name: str, client: Client, osm_staff: Any, world: Any
) -> None:
    ContentType.objects.clear_cache()
    client.force_login(osm_staff)
    small, large = _plan(world, 2), _plan(world, 4)
    small_count = _count(client, reverse(name, args=[small.pk]))
    assert small_count == _count(client, reverse(name, args=[large.pk]))
    assert small_count == PAGES[name]


@pytest.mark.parametrize("query", ["layer=master_plan", "status=gap", "layer=sdg&status=served"])
def test_filtered_alignment_matrix_makes_the_same_queries(
    query: str, client: Client, osm_staff: Any, world: Any
) -> None:
    ContentType.objects.clear_cache()
    client.force_login(osm_staff)
    for size in (2, 4):
        url = reverse("strategy:plan-alignment", args=[_plan(world, size).pk]) + "?" + query
        assert _count(client, url) == PAGES["strategy:plan-alignment"]


def test_objective_page_query_count_is_flat(client: Client, committee: Any, world: Any) -> None:
    client.force_login(committee)
    plan = _plan(world, 3)
    objective = plan.objectives.order_by("pk")[4]  # has a cause and an effect
    # session, user, scope, objective (+plan, issue, perspective), neighbours, tags, history
    # (events, then the plan, issue and perspective named in them), link history (events,
    # codes), the objective in the plan's versions, notifications badge, its indicators
    assert _count(client, objective.get_absolute_url()) == 15
    busier = plan.objectives.order_by("pk")[5]
    services.link_create(cause=plan.objectives.order_by("pk")[0], effect=busier)
    assert _count(client, busier.get_absolute_url()) == 15


def test_target_list_query_count(client: Client, django_assert_num_queries: Any) -> None:
    client.get(reverse("strategy:target-list"))
    with django_assert_num_queries(2):  # targets with parents, count
        client.get(reverse("strategy:target-list"))
