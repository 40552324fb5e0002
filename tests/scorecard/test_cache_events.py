"""The dashboards forget their cached fragments through domain events, so a strategy edit
(which knows nothing of the scorecard) shows on them at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from osm import events
from scorecard import cache as scorecard_cache
from strategy.models import Plan
from tests.factories import IndicatorFactory, ObjectiveFactory, PlanFactory

YEAR = 2570


@pytest.fixture
def cached(settings: Any) -> None:
    settings.SCORECARD_FRAGMENT_TTL = 600  # the production default: the cache is on


@pytest.fixture
def draft_objective(world: Any) -> Any:
    plan = PlanFactory(cluster=world.cluster, status=Plan.Status.DRAFT)
    objective = ObjectiveFactory(issue__plan=plan, name_th="ชื่อเดิมของเป้าประสงค์")
    IndicatorFactory(objective=objective, code="K9")
    return objective


def _scorecard(client: Any, world: Any) -> str:
    page = reverse("scorecard:cluster", args=[world.cluster.pk])
    return client.get(page, {"year": YEAR, "quarter": 1}).content.decode()


def test_renaming_an_objective_shows_on_the_dashboard_at_once(
    cached, client, osm_staff, world, draft_objective
):
    client.force_login(osm_staff)
    assert "ชื่อเดิมของเป้าประสงค์" in _scorecard(client, world)

    response = client.post(
        reverse("strategy:objective-edit", args=[draft_objective.pk]),
        {
            "code": draft_objective.code,
            "name_th": "ชื่อใหม่ของเป้าประสงค์",
            "name_en": "",
            "issue": draft_objective.issue_id,
            "perspective": draft_objective.perspective_id,
            "description": "",
            "lock_version": getattr(draft_objective, "lock_version", ""),
        },
    )
    assert response.status_code == 302

    page = _scorecard(client, world)
    assert "ชื่อใหม่ของเป้าประสงค์" in page
    assert "ชื่อเดิมของเป้าประสงค์" not in page


def test_renaming_a_perspective_shows_on_the_dashboard_at_once(
    cached, client, osm_staff, world, draft_objective
):
    client.force_login(osm_staff)
    perspective = draft_objective.perspective
    assert "Renamed perspective" not in _scorecard(client, world)

    response = client.post(
        reverse("strategy:perspective-edit", args=[perspective.pk]),
        {"name_th": "มิติที่เปลี่ยนชื่อแล้ว", "name_en": "Renamed perspective"},
    )
    assert response.status_code == 302

    assert "Renamed perspective" in _scorecard(client, world)  # the page is in English


def test_the_dashboard_is_served_from_cache_until_an_event_arrives(
    cached, client, committee, world, draft_objective
):
    """Without an event the cached fragment stays (a direct write bypassing the services is
    not seen), which is what makes the events necessary."""
    client.force_login(committee)
    _scorecard(client, world)
    type(draft_objective).objects.filter(pk=draft_objective.pk).update(name_th="แก้ตรงในฐาน")
    assert "แก้ตรงในฐาน" not in _scorecard(client, world)

    events.publish(
        events.OBJECTIVE_CHANGED,
        cluster_id=world.cluster.pk,
        plan_id=draft_objective.plan_id,
        objective_id=draft_objective.pk,
    )
    assert "แก้ตรงในฐาน" in _scorecard(client, world)


@pytest.mark.parametrize("name", scorecard_cache.INVALIDATING_EVENTS)
def test_every_event_that_changes_a_dashboard_moves_the_generation(name, world, db):
    before = scorecard_cache.generation(world.cluster.pk)
    national = scorecard_cache.generation(scorecard_cache.NATIONAL)
    events.publish(name, cluster_id=world.cluster.pk)
    assert scorecard_cache.generation(world.cluster.pk) > before
    assert scorecard_cache.generation(scorecard_cache.NATIONAL) > national
