"""Links from other apps' pages to the projects that concern them (osm.registry page links):
the cluster page to its projects and integration views, an objective's and an indicator's
page to the projects serving them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from osm import access
from osm.registry import PageLink


def _may_read(user: Any, cluster_id: int) -> bool:
    scope = access.scope_for(user)
    return scope.can_read_cluster(cluster_id) or cluster_id in scope.officer_clusters


def cluster_links(user: Any, cluster: Any) -> list[PageLink]:
    if not _may_read(user, cluster.pk):
        return []
    links = [
        PageLink(_("Projects"), reverse("projects:list", args=[cluster.pk]), "link-projects"),
        PageLink(_("Annual action plan"), reverse("projects:action-plan", args=[cluster.pk])),
        PageLink(_("Budget"), reverse("projects:budget", args=[cluster.pk])),
        PageLink(_("Disbursement"), reverse("projects:disbursement", args=[cluster.pk])),
        PageLink(_("Gaps"), reverse("projects:gaps", args=[cluster.pk])),
        PageLink(_("People"), reverse("projects:people", args=[cluster.pk])),
    ]
    return links


def objective_links(user: Any, objective: Any) -> list[PageLink]:
    cluster_id = objective.plan.cluster_id
    if not _may_read(user, cluster_id):
        return []
    url = reverse("projects:list", args=[cluster_id]) + f"?objective={objective.pk}"
    return [PageLink(_("Projects serving this objective"), url, "link-projects")]


def indicator_links(user: Any, indicator: Any) -> list[PageLink]:
    if not _may_read(user, indicator.cluster_id):
        return []
    url = reverse("projects:list", args=[indicator.cluster_id]) + f"?indicator={indicator.pk}"
    return [PageLink(_("Projects expected to move it"), url, "link-projects")]


def alert_settings_links(cluster: Any, scope: Any) -> list[Any]:
    """The early-warning settings page points to the project thresholds (kept here)."""
    from osm.registry import Link

    if not scope.can_edit_cluster(cluster.pk):
        return []
    return [Link(_("Project warning thresholds"), reverse("projects:settings", args=[cluster.pk]))]
