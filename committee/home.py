"""The committee's blocks on people's home pages: the next meeting (staff and members of
the committee) and the open action items a person or their province follows up."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from committee import selectors
from osm.access import Scope
from osm.registry import Panel


def panels(request: HttpRequest, scope: Scope) -> list[Panel]:
    found = []
    if scope.read_clusters:
        clusters = sorted(scope.read_clusters)
        found.append(
            Panel(
                _("Upcoming committee meetings"),
                "committee/_panel_meetings.html",
                {
                    "meetings": selectors.upcoming_meetings(clusters),
                    "clusters": clusters,
                    "overdue": selectors.overdue_count(scope.staff_clusters)
                    if scope.staff_clusters
                    else 0,
                    "staff": bool(scope.staff_clusters),
                },
                order=30,
            )
        )
    if scope.is_authenticated and not scope.sees_all:
        items = selectors.open_action_items_for(scope)
        if items or scope.officer_provinces:
            found.append(
                Panel(
                    _("Your open action items from committee resolutions"),
                    "committee/_panel_actions.html",
                    {"items": items},
                    order=20,
                )
            )
    return found
