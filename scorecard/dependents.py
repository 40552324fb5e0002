"""What of the scorecard hangs on strategy objectives, for the strategy app's pages (through
`osm.registry.add_objective_dependents`): each indicator with its targets and results."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osm.registry import Dependent
from scorecard.models import Indicator


def indicator_dependents(objective_ids: list[int]) -> dict[int, list[Dependent]]:
    """Per objective id, its indicators (retired ones included: they keep pointing at the
    objective). One query."""
    rows = (
        Indicator.objects.filter(objective_id__in=objective_ids)
        .select_related("planned_objective")
        .annotate(
            n_targets=Count("targets", distinct=True),
            n_results=Count("results", distinct=True),
        )
        .order_by("objective_id", "order", "code")
    )
    found: dict[int, list[Dependent]] = {}
    for ind in rows:
        if ind.retired_at is not None:
            resolution = _("Retired")
        elif ind.planned_retirement:
            resolution = _("Retired when this version is approved")
        elif ind.planned_objective is not None:
            resolution = _("Moves to %(objective)s when this version is approved") % {
                "objective": f"{ind.planned_objective.code} {ind.planned_objective.name}"
            }
        else:
            resolution = ""
        found.setdefault(ind.objective_id, []).append(
            Dependent(
                kind=gettext_lazy("Indicator"),
                label=f"{ind.code} {ind.name}",
                url=ind.get_absolute_url(),
                detail=_("%(targets)s yearly targets · %(results)s results")
                % {"targets": ind.n_targets, "results": ind.n_results},  # type: ignore[attr-defined]
                resolve_url=reverse("scorecard:indicator-fate", args=[ind.pk]),
                resolution=resolution,
                moves_to=ind.planned_objective_id,
                retires=ind.planned_retirement or ind.retired_at is not None,
            )
        )
    return found
