"""Permission matrix of the strategy app's URLs (gathered by tests/test_permission_matrix.py).

Subjects: `plan` is the demo cluster's approved plan, `draft` a draft version of the same
cluster (only its readers see it; only its OSM staff edit it). Destructive POSTs build a fresh
object for every persona (the URL builder runs once per request), so one persona's success
does not change what the next one gets.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.urls import reverse

from strategy import services
from strategy.models import Plan
from tests.factories import IssueFactory, ObjectiveFactory, PlanFactory
from tests.test_permission_matrix import Case, everyone, u

# A draft of the demo cluster: its readers see it, its OSM staff (and administrators) edit it.
DRAFT_READ = {
    "anonymous": 404,
    "central": 200,
    "osm_staff": 200,
    "committee": 200,
    "province_officer": 200,
    "other_staff": 404,
    "other_officer": 200,
    "no_role": 404,
    "admin": 200,
}


PLAN_CREATE = {
    **everyone(403),
    "anonymous": 302,
    "osm_staff": 200,
    "other_staff": 200,
    "admin": 200,
    "dual": 200,
}


def edit(status: int = 200) -> dict[str, int]:
    """Editing the draft: anonymous → login; readers 403; outsiders 404."""
    return {
        "anonymous": 302,
        "central": 403,
        "osm_staff": status,
        "committee": 403,
        "province_officer": 403,
        "other_staff": 404,
        "other_officer": 403,
        "no_role": 404,
        "admin": status,
    }


def review(status: int = 200) -> dict[str, int]:
    """Deciding on the approved plan: everyone sees it, only its OSM staff decide."""
    return {**everyone(403), "anonymous": 302, "osm_staff": status, "admin": status}


def wrong_method() -> dict[str, int]:
    return {**everyone(405), "anonymous": 302}


def build_subjects(ns: SimpleNamespace) -> None:
    cluster = ns.world.cluster
    ns.plan = PlanFactory(cluster=cluster, status=Plan.Status.APPROVED, start_year=2566)
    ns.issue = IssueFactory(plan=ns.plan)
    ns.objective = ObjectiveFactory(issue=ns.issue)
    ns.draft = PlanFactory(
        cluster=cluster, status=Plan.Status.DRAFT, start_year=2571, end_year=2575
    )
    ns.draft_issue = IssueFactory(plan=ns.draft)
    ns.draft_objective = ObjectiveFactory(issue=ns.draft_issue)
    ns.perspective = ns.draft_objective.perspective


def _fresh_issue(s: SimpleNamespace) -> int:
    return IssueFactory(plan=s.draft).pk


def _fresh_objective(s: SimpleNamespace) -> int:
    return ObjectiveFactory(issue=s.draft_issue).pk


def _fresh_link(s: SimpleNamespace) -> int:
    cause = ObjectiveFactory(issue=s.draft_issue)
    effect = ObjectiveFactory(issue=s.draft_issue)
    return services.link_create(cause=cause, effect=effect).pk


def _fresh_empty_draft(s: SimpleNamespace) -> int:
    # Approving a draft without objectives is refused (a message and a redirect), so the
    # plan's state does not change between personas.
    versions = Plan.objects.filter(cluster=s.world.cluster, start_year=2576).count()
    return PlanFactory(
        cluster=s.world.cluster,
        status=Plan.Status.DRAFT,
        start_year=2576,
        end_year=2580,
        version=versions + 1,
    ).pk


def _u(name: str, attr: str) -> object:
    return u(name, lambda s: getattr(s, attr).pk)


CASES: dict[str, list[Case]] = {
    "strategy:plan-list": [Case(u("strategy:plan-list"), everyone(200))],
    "strategy:plan-create": [
        # Any cluster's OSM staff (dual is staff of another cluster) start a plan there.
        Case(u("strategy:plan-create"), PLAN_CREATE),
        Case(u("strategy:plan-create"), PLAN_CREATE, method="post"),
    ],
    "strategy:plan-detail": [
        Case(_u("strategy:plan-detail", "plan"), everyone(200)),
        Case(_u("strategy:plan-detail", "draft"), DRAFT_READ),
    ],
    "strategy:plan-edit": [
        Case(_u("strategy:plan-edit", "draft"), edit(200)),
        Case(_u("strategy:plan-edit", "draft"), edit(200), method="post"),
        # An approved version changes only through a review.
        Case(
            _u("strategy:plan-edit", "plan"),
            {**everyone(403), "anonymous": 302},
        ),
    ],
    "strategy:plan-approve": [
        # The approval page of a draft: its OSM staff decide; readers 403, outsiders 404.
        Case(_u("strategy:plan-approve", "draft"), {**edit(200), "central": 403}),
        # An empty POST fails the form: the page again, nothing changes.
        Case(
            lambda s: reverse("strategy:plan-approve", args=[_fresh_empty_draft(s)]),
            {**edit(200), "central": 403},
            method="post",
        ),
        # An approved version: those who decide are sent back to the plan.
        Case(_u("strategy:plan-approve", "plan"), review(302)),
        Case(_u("strategy:plan-approve", "draft"), wrong_method(), method="put"),
    ],
    "strategy:plan-delete": [
        Case(_u("strategy:plan-delete", "draft"), edit(200)),
        Case(
            lambda s: reverse("strategy:plan-delete", args=[_fresh_empty_draft(s)]),
            edit(302),
            method="post",
        ),
        # Approved and archived versions are never deleted.
        Case(_u("strategy:plan-delete", "plan"), {**everyone(403), "anonymous": 302}),
        Case(
            _u("strategy:plan-delete", "plan"), {**everyone(403), "anonymous": 302}, method="post"
        ),
    ],
    "strategy:plan-reject": [
        # A draft with no review under way: refused with a message, nothing changes.
        Case(
            lambda s: reverse("strategy:plan-reject", args=[_fresh_empty_draft(s)]),
            {**edit(302), "central": 403},
            method="post",
        ),
        Case(_u("strategy:plan-reject", "plan"), wrong_method()),
    ],
    "strategy:plan-review": [
        Case(_u("strategy:plan-review", "plan"), review(200)),
        Case(_u("strategy:plan-review", "plan"), review(200), method="post"),
    ],
    "strategy:plan-compare": [
        Case(_u("strategy:plan-compare", "plan"), everyone(200)),
        Case(_u("strategy:plan-compare", "draft"), DRAFT_READ),
    ],
    "strategy:plan-map": [
        Case(_u("strategy:plan-map", "plan"), everyone(200)),
        Case(_u("strategy:plan-map", "draft"), DRAFT_READ),
    ],
    "strategy:plan-map-svg": [
        Case(_u("strategy:plan-map-svg", "plan"), everyone(200)),
        Case(_u("strategy:plan-map-svg", "draft"), DRAFT_READ),
    ],
    "strategy:plan-alignment": [
        Case(_u("strategy:plan-alignment", "plan"), everyone(200)),
        Case(_u("strategy:plan-alignment", "draft"), DRAFT_READ),
    ],
    "strategy:plan-alignment-export": [
        Case(_u("strategy:plan-alignment-export", "plan"), everyone(200)),
        Case(_u("strategy:plan-alignment-export", "draft"), DRAFT_READ),
    ],
    "strategy:plan-export": [
        Case(_u("strategy:plan-export", "plan"), everyone(200)),
        Case(_u("strategy:plan-export", "draft"), DRAFT_READ),
    ],
    "strategy:plan-import": [
        Case(_u("strategy:plan-import", "draft"), edit(200)),
        Case(_u("strategy:plan-import", "draft"), edit(200), method="post"),
    ],
    "strategy:issue-create": [
        Case(_u("strategy:issue-create", "draft"), edit(200)),
        Case(_u("strategy:issue-create", "draft"), edit(200), method="post"),
    ],
    "strategy:issue-edit": [
        Case(_u("strategy:issue-edit", "draft_issue"), edit(200)),
        Case(_u("strategy:issue-edit", "draft_issue"), edit(200), method="post"),
        Case(_u("strategy:issue-edit", "issue"), {**everyone(403), "anonymous": 302}),
    ],
    "strategy:issue-delete": [
        Case(
            lambda s: reverse("strategy:issue-delete", args=[_fresh_issue(s)]),
            edit(302),
            method="post",
        ),
        Case(_u("strategy:issue-delete", "draft_issue"), {**wrong_method()}),
    ],
    "strategy:issue-move": [
        Case(
            _u("strategy:issue-move", "draft_issue"),
            edit(302),
            method="post",
            data=lambda s: {"direction": "down"},
        ),
    ],
    "strategy:issue-alignment": [
        Case(_u("strategy:issue-alignment", "draft_issue"), edit(200)),
        Case(_u("strategy:issue-alignment", "draft_issue"), edit(302), method="post"),
    ],
    "strategy:objective-create": [
        Case(_u("strategy:objective-create", "draft_issue"), edit(200)),
        Case(_u("strategy:objective-create", "draft_issue"), edit(200), method="post"),
    ],
    "strategy:objective-detail": [
        Case(_u("strategy:objective-detail", "objective"), everyone(200)),
        Case(_u("strategy:objective-detail", "draft_objective"), DRAFT_READ),
    ],
    "strategy:objective-edit": [
        Case(_u("strategy:objective-edit", "draft_objective"), edit(200)),
        Case(_u("strategy:objective-edit", "draft_objective"), edit(200), method="post"),
    ],
    "strategy:objective-delete": [
        Case(
            lambda s: reverse("strategy:objective-delete", args=[_fresh_objective(s)]),
            edit(302),
            method="post",
        ),
        Case(_u("strategy:objective-delete", "draft_objective"), wrong_method()),
    ],
    "strategy:objective-move": [
        Case(
            _u("strategy:objective-move", "draft_objective"),
            edit(302),
            method="post",
            data=lambda s: {"direction": "up"},
        ),
    ],
    "strategy:objective-alignment": [
        Case(_u("strategy:objective-alignment", "draft_objective"), edit(200)),
        Case(_u("strategy:objective-alignment", "draft_objective"), edit(302), method="post"),
    ],
    "strategy:link-create": [
        Case(_u("strategy:link-create", "draft"), edit(200)),
        Case(_u("strategy:link-create", "draft"), edit(200), method="post"),
    ],
    "strategy:link-delete": [
        Case(
            lambda s: reverse("strategy:link-delete", args=[_fresh_link(s)]),
            edit(302),
            method="post",
        ),
    ],
    "strategy:perspective-edit": [
        Case(
            _u("strategy:perspective-edit", "perspective"),
            {**everyone(403), "anonymous": 302, "osm_staff": 200, "admin": 200},
        ),
        Case(
            _u("strategy:perspective-edit", "perspective"),
            {**everyone(403), "anonymous": 302, "osm_staff": 200, "admin": 200},
            method="post",
        ),
    ],
    "strategy:target-list": [Case(u("strategy:target-list"), everyone(200))],
}
