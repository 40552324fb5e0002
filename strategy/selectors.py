"""Reads of the strategy app, each with the related rows its page needs."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q, QuerySet

from osm import access
from strategy.models import (
    AlignmentLink,
    AlignmentTarget,
    Objective,
    ObjectiveLink,
    Perspective,
    Plan,
    Review,
    StrategicIssue,
)


def plans_for(user: Any) -> QuerySet[Plan]:
    """The plans `user` may see, with their cluster and counts (one query)."""
    return (
        access.visible(user, Plan)
        .select_related("cluster")
        .annotate(
            issue_count=Count("issues", distinct=True),
            objective_count=Count("objectives", distinct=True),
        )
        .order_by("cluster__number", "-start_year", "-version")
    )


def plan_with_cluster() -> QuerySet[Plan]:
    return Plan.objects.select_related("cluster", "previous", "approved_by")


def issues_with_objectives(plan: Plan) -> list[StrategicIssue]:
    """The plan's issues in order, each with its objectives and their perspectives (2 queries)."""
    objectives = Objective.objects.select_related("perspective").order_by("order", "code")
    return list(
        plan.issues.order_by("order", "code").prefetch_related(
            Prefetch("objectives", queryset=objectives)
        )
    )


def perspectives_of(plan: Plan) -> list[Perspective]:
    return list(Perspective.objects.filter(cluster_id=plan.cluster_id).order_by("order"))


def links_of(plan: Plan) -> list[ObjectiveLink]:
    return list(
        ObjectiveLink.objects.filter(plan=plan)
        .select_related("cause", "effect")
        .order_by("cause__code", "effect__code")
    )


def objective_for_page(objective_qs: QuerySet[Objective]) -> QuerySet[Objective]:
    return objective_qs.select_related("plan__cluster", "issue", "perspective")


def objective_neighbours(objective: Objective) -> tuple[list[Objective], list[Objective]]:
    """(causes, effects) of an objective: what drives it and what it drives."""
    links = ObjectiveLink.objects.filter(Q(cause=objective) | Q(effect=objective)).select_related(
        "cause", "effect"
    )
    causes = [link.cause for link in links if link.effect_id == objective.pk]
    effects = [link.effect for link in links if link.cause_id == objective.pk]
    return causes, effects


@dataclass
class LinkEvent:
    when: Any
    label: str
    cause: str
    effect: str
    user: Any


def link_history(objective: Objective, *, limit: int = 50) -> list[LinkEvent]:
    """Cause-and-effect links made and removed around `objective`, newest first — including
    links deleted since (their audit events keep both ends). Three queries."""
    from osm import audit
    from osm.models import User

    # Event rows are pghistory's generated models: their fields are not known to the checker.
    events: list[Any] = list(
        audit.event_model_for(ObjectiveLink)
        ._default_manager.filter(Q(cause_id=objective.pk) | Q(effect_id=objective.pk))
        .exclude(pgh_label="update")
        .select_related("pgh_context")
        .order_by("-pgh_created_at", "-pgh_id")[:limit]
    )
    ends = {e.cause_id for e in events} | {e.effect_id for e in events}
    codes = dict(Objective.objects.filter(pk__in=ends).values_list("pk", "code"))
    metadata = [e.pgh_context.metadata if e.pgh_context else {} for e in events]
    users = User.objects.in_bulk({m["user"] for m in metadata if m.get("user")})
    return [
        LinkEvent(
            when=e.pgh_created_at,
            label=str(audit.LABELS.get(e.pgh_label, e.pgh_label)),
            cause=codes.get(e.cause_id, f"#{e.cause_id}"),
            effect=codes.get(e.effect_id, f"#{e.effect_id}"),
            user=users.get(m.get("user")),
        )
        for e, m in zip(events, metadata, strict=True)
    ]


def tags_for(elements: list[Any]) -> dict[tuple[int, int], list[AlignmentTarget]]:
    """Alignment tags of many elements in one query, keyed by (content type id, object id)."""
    if not elements:
        return {}
    condition = Q()
    by_type: dict[int, list[int]] = defaultdict(list)
    for element in elements:
        by_type[ContentType.objects.get_for_model(element).pk].append(element.pk)
    for type_id, ids in by_type.items():
        condition |= Q(content_type_id=type_id, object_id__in=ids)
    found: dict[tuple[int, int], list[AlignmentTarget]] = defaultdict(list)
    for link in (
        AlignmentLink.objects.filter(condition)
        .select_related("target")
        .order_by("target__layer", "target__order")
    ):
        found[(link.content_type_id, link.object_id)].append(link.target)
    return found


def tags_of(element: Any) -> list[AlignmentTarget]:
    return tags_for([element]).get((ContentType.objects.get_for_model(element).pk, element.pk), [])


def targets_by_layer(
    *, active_only: bool = True, region_th: str | None = None
) -> list[tuple[str, str, list[AlignmentTarget]]]:
    """(layer key, layer label, targets) in the layers' order, parents before children.

    With `region_th`, the regional layer keeps that region's targets only: a cluster is
    matched against its own region's development goals (a cluster without a region, none).
    """
    qs = AlignmentTarget.objects.select_related("parent").order_by("order", "code")
    if active_only:
        qs = qs.filter(active=True)
    grouped: dict[str, list[AlignmentTarget]] = defaultdict(list)
    for target in qs:
        regional = target.layer == AlignmentTarget.Layer.REGIONAL_TARGET
        if regional and region_th is not None and target.region_th != region_th:
            continue
        grouped[target.layer].append(target)
    return [
        (key, str(label), grouped[key])
        for key, label in AlignmentTarget.Layer.choices
        if grouped.get(key)
    ]


@dataclass
class MatrixRow:
    """One national target and what of the plan serves it: tagged with the target itself or
    with one of its sub-targets (`through`), which counts for every target above it."""

    target: AlignmentTarget
    issues: list[StrategicIssue] = field(default_factory=list)
    objectives: list[Objective] = field(default_factory=list)
    through: list[AlignmentTarget] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)  # per issue: "issue", "objective" or ""

    @property
    def served(self) -> bool:
        return bool(self.issues or self.objectives)


@dataclass
class Matrix:
    issues: list[StrategicIssue]
    layers: list[tuple[str, str, list[MatrixRow]]]  # (key, label, rows), as filtered
    served: int  # targets served, of
    total: int  # all the targets that apply to the plan's cluster, whatever the filters


MATRIX_STATUSES = ("served", "gap")


def alignment_matrix(plan: Plan, *, layer: str = "", status: str = "") -> Matrix:
    """For each national target that applies to the plan's cluster (the regional layer: its
    own region's), which of the plan's issues and objectives serve it, directly or through a
    sub-target. `layer` keeps one layer, `status` ("served" or "gap") one kind of row; the
    counts are over all rows. Four queries (the plan's cluster loaded with it).
    """
    issues = issues_with_objectives(plan)
    objectives = [o for issue in issues for o in issue.objectives.all()]
    tags = tags_for([*issues, *objectives])
    grouped = targets_by_layer(region_th=plan.cluster.region_th)
    rows = {t.pk: MatrixRow(t) for _key, _label, targets in grouped for t in targets}
    issue_type = ContentType.objects.get_for_model(StrategicIssue).pk
    objective_type = ContentType.objects.get_for_model(Objective).pk
    elements: list[tuple[int, Any]] = [(issue_type, i) for i in issues]
    elements += [(objective_type, o) for o in objectives]
    for type_id, element in elements:
        for tagged in tags.get((type_id, element.pk), []):
            node: AlignmentTarget | None = rows[tagged.pk].target if tagged.pk in rows else None
            while node is not None:  # the tagged target, then each target above it
                row = rows[node.pk]
                found = row.issues if type_id == issue_type else row.objectives
                if element not in found:
                    found.append(element)
                if node.pk != tagged.pk and tagged not in row.through:
                    row.through.append(tagged)
                node = rows[node.parent_id].target if node.parent_id in rows else None
    issue_order = {issue.pk: n for n, issue in enumerate(issues)}
    for row in rows.values():
        row.issues.sort(key=lambda i: issue_order[i.pk])
        row.objectives.sort(key=lambda o: (issue_order[o.issue_id], o.order, o.code))
        by_objective = {o.issue_id for o in row.objectives}
        row.cells = [
            "issue" if issue in row.issues else "objective" if issue.pk in by_objective else ""
            for issue in issues
        ]
    served = sum(1 for row in rows.values() if row.served)
    layers = []
    for key, label, targets in grouped:
        if layer and key != layer:
            continue
        kept = [rows[t.pk] for t in targets]
        if status:
            kept = [row for row in kept if row.served == (status == "served")]
        if kept:
            layers.append((key, label, kept))
    return Matrix(issues=issues, layers=layers, served=served, total=len(rows))


@dataclass
class Difference:
    kind: str  # "issue" | "objective" | "link"
    change: str  # "added" | "removed" | "renamed" | "moved"
    code: str
    old: str = ""
    new: str = ""


def _compare_names(kind: str, before: dict[str, Any], after: dict[str, Any]) -> list[Difference]:
    diffs = [
        Difference(kind, "removed", c, old=before[c].name_th)
        for c in sorted(before.keys() - after.keys())
    ]
    diffs += [
        Difference(kind, "added", c, new=after[c].name_th)
        for c in sorted(after.keys() - before.keys())
    ]
    for code in sorted(before.keys() & after.keys()):
        a, b = before[code], after[code]
        if (a.name_th, a.name_en) != (b.name_th, b.name_en):
            diffs.append(Difference(kind, "renamed", code, old=a.name_th, new=b.name_th))
    return diffs


def _compare_objectives(before: list[Objective], after: list[Objective]) -> list[Difference]:
    """Objectives matched by their lasting identity: a new code or name is a rename, not a
    removal and an addition."""
    old = {o.lineage: o for o in before}
    new = {o.lineage: o for o in after}
    diffs = [
        Difference("objective", "removed", o.code, old=o.name_th)
        for o in sorted((old[k] for k in old.keys() - new.keys()), key=lambda o: o.code)
    ]
    diffs += [
        Difference("objective", "added", o.code, new=o.name_th)
        for o in sorted((new[k] for k in new.keys() - old.keys()), key=lambda o: o.code)
    ]
    for a, b in sorted(
        ((old[k], new[k]) for k in old.keys() & new.keys()), key=lambda p: p[1].code
    ):
        code = b.code if a.code == b.code else f"{a.code} → {b.code}"
        if (a.code, a.name_th, a.name_en) != (b.code, b.name_th, b.name_en):
            diffs.append(
                Difference(
                    "objective",
                    "renamed",
                    code,
                    old=f"{a.code} {a.name_th}",
                    new=f"{b.code} {b.name_th}",
                )
            )
        if (a.issue.code, a.perspective_id) != (b.issue.code, b.perspective_id):
            diffs.append(
                Difference(
                    "objective",
                    "moved",
                    code,
                    old=f"{a.issue.code} · {a.perspective.name_th}",
                    new=f"{b.issue.code} · {b.perspective.name_th}",
                )
            )
    return diffs


def compare_plans(old: Plan, new: Plan) -> list[Difference]:
    """What changed from `old` to `new`: issues matched by code, objectives by their lasting
    identity (added, removed, renamed — a new code included — and moved to another issue or
    perspective), then links between the same objectives. Five queries."""
    issues_before = {i.code: i for i in StrategicIssue.objects.filter(plan=old)}
    issues_after = {i.code: i for i in StrategicIssue.objects.filter(plan=new)}
    diffs = _compare_names("issue", issues_before, issues_after)
    objectives = Objective.objects.select_related("issue", "perspective")
    before = list(objectives.filter(plan=old))
    after = list(objectives.filter(plan=new))
    diffs += _compare_objectives(before, after)
    codes = {o.lineage: o.code for o in before} | {o.lineage: o.code for o in after}

    def link_ends(plan: Plan) -> set[tuple[Any, Any]]:
        return set(
            ObjectiveLink.objects.filter(plan=plan).values_list("cause__lineage", "effect__lineage")
        )

    before_links, after_links = link_ends(old), link_ends(new)
    for change, ends in (
        ("removed", before_links - after_links),
        ("added", after_links - before_links),
    ):
        for cause, effect in sorted(ends, key=lambda e: (codes[e[0]], codes[e[1]])):
            diffs.append(Difference("link", change, f"{codes[cause]} → {codes[effect]}"))
    return diffs


@dataclass
class Succession:
    """How approving `plan` carries the objectives of the versions it replaces."""

    plan: Plan
    replaced: list[Plan]
    objectives: list[Objective]  # the new version's, in order
    successors: dict[int, int]  # old objective id → new objective id
    carried: list[tuple[Objective, Objective]]  # (old, new) pairs
    dropped: list[Objective]  # old objectives with no successor

    @property
    def renamed(self) -> list[tuple[Objective, Objective]]:
        return [
            (a, b)
            for a, b in self.carried
            if (a.code, a.name_th, a.name_en) != (b.code, b.name_th, b.name_en)
        ]


def replaced_plans(plan: Plan) -> QuerySet[Plan]:
    """The approved versions that approving `plan` archives: the one it was copied from and
    any approved version of the same period."""
    return (
        Plan.objects.filter(cluster_id=plan.cluster_id, status=Plan.Status.APPROVED)
        .filter(Q(pk=plan.previous_id) | Q(start_year=plan.start_year, end_year=plan.end_year))
        .exclude(pk=plan.pk)
    )


def plan_succession(plan: Plan) -> Succession:
    """Successors by lasting identity; for a version built by hand beside the approved one
    (not copied from it), an objective with the same code succeeds. Three queries."""
    replaced = list(replaced_plans(plan).order_by("pk"))
    objectives = Objective.objects.select_related("issue").order_by("issue__order", "order", "code")
    new = list(objectives.filter(plan=plan))
    old = list(objectives.filter(plan__in=replaced)) if replaced else []
    by_lineage = {o.lineage: o for o in new}
    by_code = {o.code: o for o in new}
    carried: list[tuple[Objective, Objective]] = []
    dropped: list[Objective] = []
    taken: set[int] = set()
    for objective in old:
        successor = by_lineage.get(objective.lineage)
        if successor is None and objective.plan_id != plan.previous_id:
            candidate = by_code.get(objective.code)
            if candidate is not None and candidate.pk not in taken:
                successor = candidate
        if successor is None:
            dropped.append(objective)
        else:
            taken.add(successor.pk)
            carried.append((objective, successor))
    return Succession(
        plan=plan,
        replaced=replaced,
        objectives=new,
        successors={a.pk: b.pk for a, b in carried},
        carried=carried,
        dropped=dropped,
    )


def objective_versions(objective: Objective, user: Any) -> list[Objective]:
    """The same objective (same lasting identity) in every version of its plan that `user`
    may see, newest version first; one query."""
    plans = access.visible(user, Plan).values("pk")
    return list(
        Objective.objects.filter(lineage=objective.lineage, plan__in=plans)
        .select_related("plan")
        .order_by("-plan__version", "-plan_id")
    )


def versions_of(plan: Plan, user: Any) -> list[Plan]:
    """Every version of the plan's period that `user` may see, newest first."""
    return list(
        access.visible(user, Plan)
        .filter(cluster_id=plan.cluster_id, start_year=plan.start_year, end_year=plan.end_year)
        .order_by("-version")
    )


def reviews_of(plan: Plan) -> list[Review]:
    return list(
        Review.objects.filter(Q(from_plan=plan) | Q(to_plan=plan))
        .select_related("from_plan", "to_plan", "started_by")
        .order_by("-started_at")
    )
