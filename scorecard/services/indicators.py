"""Writes for indicators, and how they follow their objective across plan versions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from osm import events
from osm.lib.locking import guarded_update
from scorecard.models import Indicator


def indicator_create(*, objective: Any, **fields: Any) -> Indicator:
    indicator = Indicator(objective=objective, cluster_id=objective.plan.cluster_id, **fields)
    indicator.full_clean()
    indicator.save()
    events.publish(
        events.INDICATOR_CHANGED, cluster_id=indicator.cluster_id, indicator_id=indicator.pk
    )
    return indicator


def indicator_update(
    *, indicator: Indicator, lock_version: int | None = None, **fields: Any
) -> Indicator:
    """Change the definition; `lock_version` is the version the person read (a stale form
    raises StaleVersion with the newer indicator). Nothing changed: nothing is written."""
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    if not guarded_update(indicator, expected=lock_version, fields=fields):
        return indicator
    events.publish(
        events.INDICATOR_CHANGED, cluster_id=indicator.cluster_id, indicator_id=indicator.pk
    )
    return indicator


MOVE, RETIRE, CLEAR = "move", "retire", "clear"


def indicator_plan_fate(*, indicator: Indicator, action: str, objective: Any = None) -> Indicator:
    """Decide what happens to an indicator whose objective a plan review drops, once the new
    version is approved: move it to `objective` (of a draft version of the same cluster),
    retire it, or undo the choice. Nothing changes on the dashboards until the approval."""
    from strategy.models import Plan

    if action == MOVE:
        if objective is None:
            raise ValidationError({"objective": _("Choose the objective it moves to.")})
        plan = objective.plan
        if plan.cluster_id != indicator.cluster_id or plan.status != Plan.Status.DRAFT:
            raise ValidationError(
                {"objective": _("Choose an objective of the cluster's new draft version.")}
            )
        if objective.pk == indicator.objective_id:
            raise ValidationError({"objective": _("The indicator is already on this objective.")})
        _check_code_free(indicator, objective)
        indicator.planned_objective, indicator.planned_retirement = objective, False
    elif action == RETIRE:
        indicator.planned_objective, indicator.planned_retirement = None, True
    elif action == CLEAR:
        indicator.planned_objective, indicator.planned_retirement = None, False
    else:
        raise ValidationError(_("Unknown action."))
    indicator.save(update_fields=["planned_objective", "planned_retirement"])
    return indicator


def _check_code_free(indicator: Indicator, objective: Any) -> None:
    """No indicator with the same code may end up on `objective` after the approval: one
    already there, one on its predecessor (same lasting identity) or one planned to move
    there."""
    clash = (
        Indicator.objects.filter(code=indicator.code, cluster_id=indicator.cluster_id)
        .filter(
            Q(objective=objective)
            | Q(objective__lineage=objective.lineage, objective__plan__status="approved")
            | Q(planned_objective=objective)
        )
        .exclude(pk=indicator.pk)
    )
    if clash.exists():
        raise ValidationError(
            {
                "objective": _(
                    "Indicator %(code)s would then appear twice on this objective; change one "
                    "code first."
                )
                % {"code": indicator.code}
            }
        )


def indicators_follow_objectives(
    *,
    cluster_id: int,
    plan_id: int,
    successors: Mapping[Any, Any] | None = None,
    **_: Any,
) -> int:
    """Handler of PLAN_APPROVED (runs in the approval's transaction): indicators on the old
    version's objectives move to the successors, with their targets and results (which point
    at the indicator, so the history stays whole); indicators of dropped objectives move or
    retire as staff planned. Returns how many indicators changed."""
    pairs = {int(old): int(new) for old, new in (successors or {}).items() if new is not None}
    mine = Indicator.objects.filter(cluster_id=cluster_id)
    planned_moves = mine.filter(planned_objective__plan_id=plan_id).exclude(
        Q(objective__plan_id=plan_id) | Q(objective_id__in=pairs)
    )
    _check_no_twins(mine, pairs, plan_id, planned_moves)
    changed = 0
    if pairs:
        changed += Indicator.objects.filter(objective_id__in=pairs).update(
            objective_id=Case(
                *[When(objective_id=old, then=Value(new)) for old, new in pairs.items()],
                output_field=IntegerField(),
            )
        )
    changed += planned_moves.update(objective_id=F("planned_objective_id"), planned_objective=None)
    changed += (
        mine.filter(planned_retirement=True, retired_at__isnull=True)
        .exclude(objective__plan__status="approved")
        .update(retired_at=timezone.now(), planned_retirement=False)
    )
    return changed  # the dashboards forget their fragments on PLAN_APPROVED (scorecard.cache)


def _check_no_twins(mine: Any, pairs: dict[int, int], plan_id: int, planned_moves: Any) -> None:
    """Refuse the approval (a ValidationError aborts it) when two indicators with one code
    would end up on the same objective."""
    staying = mine.filter(objective__plan_id=plan_id).values_list("objective_id", "code")
    moving = mine.filter(objective_id__in=pairs).values_list("objective_id", "code")
    planned = planned_moves.values_list("planned_objective_id", "code")
    places = Counter(
        [*staying, *((pairs[objective], code) for objective, code in moving), *planned]
    )
    twins = sorted({code for (_objective, code), n in places.items() if n > 1})
    if twins:
        raise ValidationError(
            _(
                "Two indicators with the code %(codes)s would end up on one objective; "
                "change one code first."
            )
            % {"codes": ", ".join(twins)}
        )


def corrective_action_record(
    *, indicator: Indicator, fiscal_year: int, quarter: int, text: str, by: Any
) -> Any:
    """Record (or replace) what the cluster will do about the indicator in one round. The
    early warning "off track round after round" closes at the next check."""
    from scorecard.models import CorrectiveAction

    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Describe the corrective action.")})
    action, _created = CorrectiveAction.objects.update_or_create(
        indicator=indicator,
        fiscal_year=fiscal_year,
        quarter=quarter,
        defaults={"text": text, "recorded_by": by},
    )
    return action
