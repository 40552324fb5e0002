"""The dashboards forget their cached fragments through domain events, so a strategy edit
(which knows nothing of the scorecard) shows on them at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from osm import events
from scorecard import cache as scorecard_cache
from scorecard import services as scorecard_services
from strategy import services as strategy_services
from tests.factories import IndicatorFactory, ObjectiveFactory, PlanFactory
from tests.locking import client_for

YEAR = 2570


@pytest.fixture
def cached(settings: Any) -> None:
    settings.SCORECARD_FRAGMENT_TTL = 600  # the production default: the cache is on


@pytest.fixture
def objective(world: Any) -> Any:
    """An objective of the cluster's approved plan, with an indicator on the dashboards."""
    plan = PlanFactory(cluster=world.cluster)
    objective = ObjectiveFactory(issue__plan=plan, name_th="ชื่อเดิมของเป้าประสงค์")
    IndicatorFactory(objective=objective, code="K9")
    return objective


def _scorecard(client: Any, world: Any) -> str:
    page = reverse("scorecard:cluster", args=[world.cluster.pk])
    return client.get(page, {"year": YEAR, "quarter": 1}).content.decode()


def test_renaming_an_objective_shows_on_the_dashboard_at_once(cached, osm_staff, world, objective):
    """A review renames the objective in its draft, the committee's approval adopts it: the
    dashboard shows the new name on the next request, not ten minutes later."""
    staff = client_for(osm_staff)
    assert "ชื่อเดิมของเป้าประสงค์" in _scorecard(staff, world)
    review = strategy_services.plan_review_start(
        plan=objective.plan, reason="ทบทวน", fiscal_year=YEAR, by=osm_staff
    )
    renamed = review.to_plan.objectives.get(code=objective.code)

    edited = staff.post(
        reverse("strategy:objective-edit", args=[renamed.pk]),
        {
            "code": renamed.code,
            "name_th": "ชื่อใหม่ของเป้าประสงค์",
            "issue": renamed.issue_id,
            "perspective": renamed.perspective_id,
            "lock_version": renamed.lock_version,
        },
    )
    assert edited.status_code == 302
    assert "ชื่อเดิมของเป้าประสงค์" in _scorecard(staff, world)  # a draft is not in force
    approved = staff.post(
        reverse("strategy:plan-approve", args=[review.to_plan_id]),
        {
            "approved_on": "2026-11-30",
            "resolution_text": "อนุมัติการทบทวน",
            "resolution_meeting": "ครั้งที่ 3/2569",
        },
    )
    assert approved.status_code == 302

    page = _scorecard(staff, world)
    assert "ชื่อใหม่ของเป้าประสงค์" in page
    assert "ชื่อเดิมของเป้าประสงค์" not in page


def test_renaming_a_perspective_shows_on_the_dashboard_at_once(cached, osm_staff, world, objective):
    staff = client_for(osm_staff)
    assert "Renamed perspective" not in _scorecard(staff, world)

    response = staff.post(
        reverse("strategy:perspective-edit", args=[objective.perspective_id]),
        {"name_th": "มิติที่เปลี่ยนชื่อแล้ว", "name_en": "Renamed perspective"},
    )
    assert response.status_code == 302

    assert "Renamed perspective" in _scorecard(staff, world)  # the page is in English


def test_the_dashboard_is_served_from_cache_until_an_event_arrives(
    cached, committee, world, objective
):
    """Without an event the cached fragment stays (a direct write bypassing the services is
    not seen), which is what makes the events necessary."""
    reader = client_for(committee)
    _scorecard(reader, world)
    type(objective).objects.filter(pk=objective.pk).update(name_th="แก้ตรงในฐาน")
    assert "แก้ตรงในฐาน" not in _scorecard(reader, world)

    events.publish(
        events.OBJECTIVE_CHANGED,
        cluster_id=world.cluster.pk,
        plan_id=objective.plan_id,
        objective_id=objective.pk,
    )
    assert "แก้ตรงในฐาน" in _scorecard(reader, world)


@pytest.mark.parametrize("name", scorecard_cache.INVALIDATING_EVENTS)
def test_every_event_that_changes_a_dashboard_is_subscribed(name):
    assert (events.IMMEDIATE, scorecard_cache.on_event) in events.subscribers(name)


def test_an_event_moves_the_cluster_and_national_generations(world, db):
    before = scorecard_cache.generation(world.cluster.pk)
    national = scorecard_cache.generation(scorecard_cache.NATIONAL)
    scorecard_cache.on_event(cluster_id=world.cluster.pk, indicator_id=1)
    assert scorecard_cache.generation(world.cluster.pk) > before
    assert scorecard_cache.generation(scorecard_cache.NATIONAL) > national


# --- writes that do not go through the plan or result services' usual paths -----------------


@pytest.fixture
def published(monkeypatch: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every event published, in order (and still delivered to its subscribers)."""
    seen: list[tuple[str, dict[str, Any]]] = []
    deliver = events.publish

    def record(name: str, **payload: Any) -> None:
        seen.append((name, payload))
        deliver(name, **payload)

    monkeypatch.setattr(events, "publish", record)
    return seen


def test_saving_province_weights_moves_the_dashboard_generation(world, objective, published):
    indicator = IndicatorFactory(objective=objective, code="W1")
    weights = {world.province.pk: Decimal(3), world.sibling.pk: Decimal(1)}
    before = scorecard_cache.generation(world.cluster.pk)

    changed = scorecard_services.weights_save(
        indicator=indicator, fiscal_years=[YEAR], weights=weights
    )

    assert changed == 2
    assert scorecard_cache.generation(world.cluster.pk) > before
    assert published == [
        (events.TARGETS_CHANGED, {"cluster_id": world.cluster.pk, "indicator_id": indicator.pk})
    ]


def test_saving_the_same_weights_again_keeps_the_cached_dashboards(world, objective, published):
    indicator = IndicatorFactory(objective=objective, code="W1")
    weights = {world.province.pk: Decimal(3)}
    scorecard_services.weights_save(indicator=indicator, fiscal_years=[YEAR], weights=weights)
    before = scorecard_cache.generation(world.cluster.pk)

    changed = scorecard_services.weights_save(
        indicator=indicator, fiscal_years=[YEAR], weights=weights
    )

    assert changed == 0
    assert scorecard_cache.generation(world.cluster.pk) == before
    assert len(published) == 1  # the first save only


def test_removing_evidence_moves_the_dashboard_generation(
    settings, tmp_path, world, province_officer, result, published
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    upload = SimpleUploadedFile("หลักฐาน.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    evidence = scorecard_services.evidence_add(result=result, by=province_officer, upload=upload)
    before = scorecard_cache.generation(world.cluster.pk)

    scorecard_services.evidence_delete(evidence=evidence, by=province_officer)

    assert scorecard_cache.generation(world.cluster.pk) > before
    assert published == [
        (
            events.RESULT_SAVED,
            {"cluster_id": world.cluster.pk, "result_id": result.pk, "status": result.status},
        )
    ]
