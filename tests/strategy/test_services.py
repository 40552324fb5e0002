from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from strategy import services
from strategy.models import (
    AlignmentLink,
    AlignmentTarget,
    Objective,
    ObjectiveLink,
    Perspective,
    Plan,
    Review,
)
from tests.factories import PlanFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# --- Cycles ---------------------------------------------------------------------------------


def test_link_that_closes_a_cycle_is_refused_with_a_clear_message(chain: list[Objective]) -> None:
    a, _b, c = chain
    with pytest.raises(ValidationError) as caught:
        services.link_create(cause=c, effect=a)
    message = " ".join(caught.value.message_dict["effect"])
    assert "cycle" in message
    assert "A" in message
    assert "C" in message
    assert ObjectiveLink.objects.filter(cause=c, effect=a).count() == 0


def test_link_to_itself_and_duplicate_links_are_refused(chain: list[Objective]) -> None:
    a, b, _c = chain
    with pytest.raises(ValidationError):
        services.link_create(cause=a, effect=a)
    with pytest.raises(ValidationError):
        services.link_create(cause=a, effect=b)


def test_a_shortcut_that_keeps_the_graph_acyclic_is_accepted(chain: list[Objective]) -> None:
    a, _b, c = chain
    link = services.link_create(cause=a, effect=c, note="ทางลัด")
    assert link.plan_id == a.plan_id


def test_link_across_plans_is_refused(chain: list[Objective], world: Any) -> None:
    other = PlanFactory(cluster=world.cluster, start_year=2580, end_year=2584)
    from tests.factories import ObjectiveFactory

    stranger = ObjectiveFactory(issue__plan=other)
    with pytest.raises(ValidationError):
        services.link_create(cause=chain[0], effect=stranger)


def test_find_cycle_link_names_the_edge_that_closes_the_loop() -> None:
    assert services.find_cycle_link([(1, 2), (2, 3), (3, 1), (1, 3)]) == (3, 1)
    assert services.find_cycle_link([(1, 2), (1, 3), (2, 3)]) is None


def test_database_refuses_a_self_link(chain: list[Objective]) -> None:
    a = chain[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        ObjectiveLink.objects.create(plan=a.plan, cause=a, effect=a)


# --- Structure ------------------------------------------------------------------------------


def test_plan_create_numbers_versions_and_adds_default_perspectives(world: Any) -> None:
    first = services.plan_create(
        cluster=world.cluster, title_th="ก", start_year=2571, end_year=2575
    )
    second = services.plan_create(
        cluster=world.cluster, title_th="ข", start_year=2571, end_year=2575
    )
    assert (first.version, second.version) == (1, 2)
    keys = list(Perspective.objects.filter(cluster=world.cluster).values_list("key", flat=True))
    assert sorted(keys) == sorted(k for k, _ in Perspective.Key.choices)


def test_plan_years_must_be_buddhist_era_and_ordered(world: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.plan_create(cluster=world.cluster, title_th="ก", start_year=2023, end_year=2027)
    assert "start_year" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.plan_create(cluster=world.cluster, title_th="ก", start_year=2571, end_year=2570)
    assert "end_year" in caught.value.message_dict


def test_renamed_perspective_is_kept_by_ensure(world: Any, perspectives: dict[str, Any]) -> None:
    services.perspective_rename(perspective=perspectives["efficiency"], name_th="ด้านผลิตภาพ")
    again = {p.key: p for p in services.perspectives_ensure(cluster=world.cluster)}
    assert again["efficiency"].name_th == "ด้านผลิตภาพ"


def test_duplicate_codes_are_refused_per_plan(chain: list[Objective], perspectives: Any) -> None:
    issue = chain[0].issue
    with pytest.raises(ValidationError) as caught:
        services.objective_create(
            issue=issue, perspective=perspectives["efficiency"], code="A", name_th="ซ้ำ"
        )
    assert "code" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.issue_create(plan=issue.plan, code="1", name_th="ซ้ำ")


def test_objective_perspective_must_belong_to_the_plans_cluster(
    chain: list[Objective], world: Any
) -> None:
    foreign = services.perspectives_ensure(cluster=world.other_cluster)[0]
    with pytest.raises(ValidationError) as caught:
        services.objective_update(objective=chain[0], perspective=foreign)
    assert "perspective" in caught.value.message_dict


def test_move_swaps_neighbours_and_renumbers(draft: Plan) -> None:
    one = services.issue_create(plan=draft, code="1", name_th="หนึ่ง")
    two = services.issue_create(plan=draft, code="2", name_th="สอง")
    three = services.issue_create(plan=draft, code="3", name_th="สาม")
    services.issue_move(issue=three, direction="up")
    assert list(draft.issues.order_by("order").values_list("code", flat=True)) == ["1", "3", "2"]
    services.issue_move(issue=one, direction="up")  # already first: nothing moves
    assert list(draft.issues.order_by("order").values_list("code", flat=True)) == ["1", "3", "2"]
    del two


def test_deleting_an_objective_removes_its_links(chain: list[Objective]) -> None:
    services.objective_delete(objective=chain[1])
    assert ObjectiveLink.objects.filter(plan=chain[0].plan).count() == 0


# --- Versions and reviews -------------------------------------------------------------------


def _tag(element: Any, code: str) -> None:
    AlignmentLink.objects.create(
        target=AlignmentTarget.objects.get(code=code),
        content_type=ContentType.objects.get_for_model(element),
        object_id=element.pk,
    )


def _approved(chain: list[Objective]) -> Plan:
    plan = chain[0].plan
    _tag(chain[0].issue, "NS2")
    _tag(chain[2], "SDG08")
    return services.plan_approve(plan=plan)


def test_review_copies_the_whole_structure_into_a_new_draft(
    chain: list[Objective], osm_staff: Any
) -> None:
    plan = _approved(chain)
    review = services.plan_review_start(
        plan=plan, reason="ทบทวนประจำปี", fiscal_year=2570, by=osm_staff
    )
    draft = review.to_plan
    assert (draft.status, draft.version, draft.previous_id) == (Plan.Status.DRAFT, 2, plan.pk)
    assert list(draft.issues.values_list("code", "name_th")) == list(
        plan.issues.values_list("code", "name_th")
    )
    assert sorted(
        draft.objectives.values_list("code", "perspective__key", "issue__code")
    ) == sorted(plan.objectives.values_list("code", "perspective__key", "issue__code"))
    assert sorted(draft.links.values_list("cause__code", "effect__code")) == [
        ("A", "B"),
        ("B", "C"),
    ]
    # The copies are new rows that point at the new version's own objectives.
    assert not set(draft.objectives.values_list("pk", flat=True)) & set(
        plan.objectives.values_list("pk", flat=True)
    )
    assert all(link.cause.plan_id == draft.pk for link in draft.links.select_related("cause"))
    copied_issue = draft.issues.get(code="1")
    copied_c = draft.objectives.get(code="C")
    assert AlignmentLink.objects.filter(object_id=copied_issue.pk, target__code="NS2").exists()
    assert AlignmentLink.objects.filter(object_id=copied_c.pk, target__code="SDG08").exists()
    assert review.reason == "ทบทวนประจำปี"
    assert review.decision == Review.Decision.PENDING
    # The approved version is untouched while the review runs.
    plan.refresh_from_db()
    assert plan.status == Plan.Status.APPROVED


def test_approving_a_new_version_archives_the_previous_and_records_the_decision(
    chain: list[Objective], osm_staff: Any
) -> None:
    plan = _approved(chain)
    review = services.plan_review_start(plan=plan, reason="ทบทวน", fiscal_year=2570)
    services.plan_approve(plan=review.to_plan, decision_note="มติ ก.บ.ก. ครั้งที่ 2/2570")
    plan.refresh_from_db()
    review.refresh_from_db()
    review.to_plan.refresh_from_db()
    assert plan.status == Plan.Status.ARCHIVED
    assert review.to_plan.status == Plan.Status.APPROVED
    assert review.decision == Review.Decision.APPROVED
    assert review.decision_note == "มติ ก.บ.ก. ครั้งที่ 2/2570"
    assert review.decided_at


def test_only_drafts_with_objectives_can_be_approved(draft: Plan, chain: list[Objective]) -> None:
    empty = services.plan_create(
        cluster=draft.cluster, title_th="ว่าง", start_year=2581, end_year=2585
    )
    with pytest.raises(ValidationError):
        services.plan_approve(plan=empty)
    plan = services.plan_approve(plan=draft)
    with pytest.raises(ValidationError):
        services.plan_approve(plan=plan)


def test_only_an_approved_plan_can_be_reviewed_once_at_a_time(chain: list[Objective]) -> None:
    with pytest.raises(ValidationError):
        services.plan_review_start(plan=chain[0].plan, reason="x", fiscal_year=2570)
    plan = _approved(chain)
    services.plan_review_start(plan=plan, reason="x", fiscal_year=2570)
    with pytest.raises(ValidationError):
        services.plan_review_start(plan=plan, reason="y", fiscal_year=2570)


def test_database_allows_one_approved_version_per_period(world: Any) -> None:
    PlanFactory(cluster=world.cluster, status=Plan.Status.APPROVED, version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(cluster=world.cluster, status=Plan.Status.APPROVED, version=2)


# --- Alignment --------------------------------------------------------------------------------


def test_alignment_set_adds_and_removes_only_the_difference(chain: list[Objective]) -> None:
    objective = chain[0]
    ns2, sdg8, m02 = (AlignmentTarget.objects.get(code=c) for c in ("NS2", "SDG08", "M02"))
    services.alignment_set(element=objective, targets=[ns2, sdg8])
    first_ids = set(AlignmentLink.objects.values_list("pk", flat=True))
    services.alignment_set(element=objective, targets=[sdg8, m02])
    tags = AlignmentLink.objects.filter(object_id=objective.pk)
    assert sorted(tags.values_list("target__code", flat=True)) == ["M02", "SDG08"]
    kept = AlignmentLink.objects.get(object_id=objective.pk, target=sdg8)
    assert kept.pk in first_ids


def test_national_targets_are_loaded_by_migration_with_sources_and_tree() -> None:
    layers = set(AlignmentTarget.objects.values_list("layer", flat=True))
    assert layers == {key for key, _ in AlignmentTarget.Layer.choices}
    assert AlignmentTarget.objects.filter(layer="national_strategy").count() == 6
    assert AlignmentTarget.objects.filter(layer="master_plan").count() == 23
    assert AlignmentTarget.objects.filter(layer="nesdp13_milestone").count() == 13
    assert AlignmentTarget.objects.filter(layer="sdg").count() == 17
    assert AlignmentTarget.objects.get(code="MP05").parent.code == "NS2"
    assert AlignmentTarget.objects.get(code="MP05-1").parent.code == "MP05"
    assert not AlignmentTarget.objects.filter(source="").exists()


def test_loading_targets_again_keeps_corrections_unless_overwrite() -> None:
    target = AlignmentTarget.objects.get(code="SDG08")
    target.name_th = "แก้ไขโดยผู้ดูแล"
    target.save()
    report = services.alignment_targets_load()
    assert report.created == 0
    assert report.updated == 0
    target.refresh_from_db()
    assert target.name_th == "แก้ไขโดยผู้ดูแล"
    report = services.alignment_targets_load(overwrite=True)
    target.refresh_from_db()
    assert report.updated == 1
    assert target.name_th == "งานที่มีคุณค่าและการเติบโตทางเศรษฐกิจ"


def test_rejecting_a_review_records_the_decision_and_keeps_the_approved_version(
    chain: list[Objective],
) -> None:
    plan = _approved(chain)
    review = services.plan_review_start(plan=plan, reason="ทบทวน", fiscal_year=2570)
    with pytest.raises(ValidationError):
        services.plan_reject(plan=review.to_plan, decision_note="")
    services.plan_reject(plan=review.to_plan, decision_note="ก.บ.ก. ให้คงแผนเดิม")
    review.refresh_from_db()
    plan.refresh_from_db()
    assert review.decision == Review.Decision.REJECTED
    assert review.decided_at
    assert review.to_plan.status == Plan.Status.ARCHIVED
    assert plan.status == Plan.Status.APPROVED
    with pytest.raises(ValidationError):
        services.plan_reject(plan=review.to_plan, decision_note="อีกครั้ง")
    # A new review can start once the last one is decided.
    assert services.plan_review_start(plan=plan, reason="รอบใหม่", fiscal_year=2571).to_plan


def test_codes_are_stored_trimmed_with_arabic_digits_and_checked_so(
    draft: Plan, perspectives: Any
) -> None:
    issue = services.issue_create(plan=draft, code=" ๒ ", name_th="สอง")
    assert issue.code == "2"
    objective = services.objective_create(
        issue=issue, perspective=perspectives["efficiency"], code="๒.๑", name_th="ก"
    )
    assert objective.code == "2.1"
    with pytest.raises(ValidationError) as caught:
        services.objective_create(
            issue=issue, perspective=perspectives["efficiency"], code="2.๑", name_th="ซ้ำ"
        )
    assert "code" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.issue_update(
            issue=services.issue_create(plan=draft, code="3", name_th="ก"), code="๒"
        )
    services.objective_update(objective=objective, code="๒.๒")
    objective.refresh_from_db()
    assert objective.code == "2.2"
