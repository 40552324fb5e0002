"""Links from core pages to the strategy app (osm.registry related links)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from osm.access import Scope
from osm.registry import Link
from strategy.models import Plan


def cluster_links(cluster: Any, scope: Scope) -> list[Link]:
    """The cluster's current plan (the latest approved, else the latest visible draft)."""
    plans = Plan.objects.filter(cluster_id=cluster.pk).order_by("-end_year", "-version")
    approved = plans.filter(status=Plan.Status.APPROVED).first()
    links = []
    if approved is not None:
        links.append(Link(_("Development plan"), approved.get_absolute_url(), testid="link-plan"))
    if scope.can_edit_cluster(cluster.pk):
        draft = plans.filter(status=Plan.Status.DRAFT).first()
        if draft is not None:
            links.append(Link(_("Draft plan"), draft.get_absolute_url(), testid="link-draft"))
        if approved is None and draft is None:
            links.append(Link(_("Create the plan"), reverse("strategy:plan-create"), primary=True))
    return links


def province_links(province: Any, scope: Scope) -> list[Link]:
    if province.cluster_id is None:
        return []
    return cluster_links(province.cluster, scope)
