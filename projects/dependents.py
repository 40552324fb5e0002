"""What of the projects hangs on strategy objectives, for the strategy app's approval page
(through `osm.registry.add_objective_dependents`): the projects of the current and later
fiscal years that are not cancelled or completed. Earlier and finished projects keep the
objective they ran under, as history."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osm.lib import dates
from osm.registry import Dependent
from projects.models import Project

OPEN = [Project.Status.PROPOSED, Project.Status.APPROVED, Project.Status.IN_PROGRESS]


def project_dependents(objective_ids: list[int]) -> dict[int, list[Dependent]]:
    """Per objective id, its open projects of this year on. One query."""
    rows = (
        Project.objects.filter(
            objective_id__in=objective_ids,
            status__in=OPEN,
            fiscal_year__gte=dates.current_fiscal_year(),
        )
        .select_related("planned_objective")
        .order_by("objective_id", "fiscal_year", "rank", "code")
    )
    found: dict[int, list[Dependent]] = {}
    for p in rows:
        if p.planned_retirement:
            resolution = _("Stays on this objective as history")
        elif p.planned_objective is not None:
            resolution = _("Moves to %(objective)s when this version is approved") % {
                "objective": f"{p.planned_objective.code} {p.planned_objective.name}"
            }
        else:
            resolution = ""
        found.setdefault(p.objective_id, []).append(
            Dependent(
                kind=gettext_lazy("Project"),
                label=f"{p.code} {p.name}",
                url=p.get_absolute_url(),
                detail=_("FY %(year)s · allocated %(amount)s baht")
                % {"year": p.fiscal_year, "amount": f"{p.allocated:,.2f}"},
                resolve_url=reverse("projects:fate", args=[p.pk]),
                resolution=resolution,
                moves_to=p.planned_objective_id,
                retires=p.planned_retirement,
            )
        )
    return found
