"""Projects follow their objective's identity when a plan is approved (event), and the annual
action plan ranks proposals, marks the ceiling and is approved by a resolution."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from osm import events
from projects.models import ActionPlan, Project
from projects.services import action_plans
from tests.factories import ObjectiveFactory, PlanFactory

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def test_projects_move_to_the_successor_objectives_when_a_plan_is_approved(
    world: Any, make_project: Any, objectives: list[Any]
) -> None:
    moved, stays = make_project(objective=objectives[0]), make_project(objective=objectives[2])
    new_plan = PlanFactory(cluster=world.cluster, version=2, status="draft")
    successor = ObjectiveFactory(issue__plan=new_plan, code=objectives[0].code)
    events.publish(
        events.PLAN_APPROVED,
        cluster_id=world.cluster.pk,
        plan_id=new_plan.pk,
        previous_plan_id=objectives[0].plan_id,
        successors={objectives[0].pk: successor.pk, objectives[2].pk: None},
    )
    moved.refresh_from_db()
    stays.refresh_from_db()
    assert moved.objective_id == successor.pk
    assert stays.objective_id == objectives[2].pk


def _plan(world: Any) -> ActionPlan:
    return action_plans.action_plan_for(cluster=world.cluster, fiscal_year=YEAR)


def test_ceiling_marks_proposals_by_their_running_total(world: Any, make_project: Any) -> None:
    a, b, c = (make_project(requested=Decimal(v)) for v in ("400", "500", "200"))
    plan = _plan(world)
    action_plans.action_plan_set_ceiling(plan=plan, ceiling=Decimal(1000), expected_version=1)
    frames = dict(Project.objects.values_list("code", "frame"))
    assert [frames[p.code] for p in (a, b, c)] == ["within", "within", "over"]
    action_plans.action_plan_move(plan=plan, project=c, direction="up")
    frames = dict(Project.objects.values_list("code", "frame"))
    ranks = dict(Project.objects.values_list("code", "rank"))
    assert ranks[c.code] == 2 and ranks[b.code] == 3
    assert [frames[p.code] for p in (a, c, b)] == ["within", "within", "over"]


def test_approval_with_the_resolution_makes_proposals_within_the_ceiling_projects(
    world: Any, make_project: Any, osm_staff: Any
) -> None:
    within, over = make_project(requested=Decimal(600)), make_project(requested=Decimal(600))
    plan = _plan(world)
    action_plans.action_plan_set_ceiling(plan=plan, ceiling=Decimal(1000), expected_version=1)
    with pytest.raises(ValidationError):
        action_plans.action_plan_approve(
            plan=plan,
            by=osm_staff,
            expected_version=plan.version,
            approved_on=dt.date(2026, 11, 20),
            resolution_text="",
            resolution_meeting="",
        )
    action_plans.action_plan_approve(
        plan=plan,
        by=osm_staff,
        expected_version=plan.version,
        approved_on=dt.date(2026, 11, 20),
        resolution_text="ที่ประชุมมีมติเห็นชอบแผนปฏิบัติราชการประจำปี",
        resolution_meeting="ครั้งที่ 4/2569",
    )
    plan.refresh_from_db()
    within.refresh_from_db()
    over.refresh_from_db()
    assert plan.is_approved and plan.approved_by == osm_staff
    assert within.status == "approved" and within.allocated == Decimal(600)
    assert over.status == "proposed" and over.frame == "over"
    with pytest.raises(ValidationError):
        action_plans.action_plan_move(plan=plan, project=over, direction="up")


def test_a_project_on_a_dropped_objective_is_listed_and_moves_as_staff_planned(
    world: Any, make_project: Any, objectives: list[Any]
) -> None:
    from osm import registry
    from projects.services.projects import project_plan_fate

    project = make_project(objective=objectives[1], status=Project.Status.APPROVED)
    found = registry.objective_dependents([objectives[1].pk])
    assert [d.label for d in found[objectives[1].pk] if "โครงการ" in d.label] == [str(project)]
    assert not found[objectives[1].pk][0].resolved
    draft = PlanFactory(cluster=world.cluster, version=2, status="draft")
    target = ObjectiveFactory(issue__plan=draft, code="9.9")
    with pytest.raises(ValidationError):
        project_plan_fate(project=project, action="move", objective=objectives[2])  # not a draft's
    project_plan_fate(project=project, action="move", objective=target)
    assert registry.objective_dependents([objectives[1].pk])[objectives[1].pk][-1].resolved
    events.publish(
        events.PLAN_APPROVED,
        cluster_id=world.cluster.pk,
        plan_id=draft.pk,
        previous_plan_id=objectives[1].plan_id,
        successors={},
    )
    project.refresh_from_db()
    assert project.objective_id == target.pk and project.planned_objective_id is None
