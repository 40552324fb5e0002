"""Links from other apps' pages to the committee's records about them (osm.registry page
links): the cluster page to its committee and register, and a plan, an indicator or a
project to the agenda items that discussed it. Only the committee's readers see them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from committee.models import AgendaItem
from osm import access
from osm.registry import PageLink

MAX_ITEMS = 5


def _reads(user: Any, cluster_id: int) -> bool:
    return access.scope_for(user).can_read_cluster(cluster_id)


def cluster_links(user: Any, cluster: Any) -> list[PageLink]:
    scope = access.scope_for(user)
    links = []
    if scope.can_read_cluster(cluster.pk):
        links += [
            PageLink(
                _("Committee"), reverse("committee:detail", args=[cluster.pk]), "link-committee"
            ),
            PageLink(
                _("Register of resolutions"), reverse("committee:register", args=[cluster.pk])
            ),
        ]
    if scope.can_read_cluster(cluster.pk) or scope.officer_provinces:
        links.append(
            PageLink(
                _("Committee action items"),
                reverse("committee:action-list") + f"?cluster={cluster.pk}",
            )
        )
    return links


def _discussed(user: Any, cluster_id: int, **lookup: Any) -> list[PageLink]:
    if not _reads(user, cluster_id):
        return []
    items = (
        AgendaItem.objects.filter(**lookup)
        .select_related("meeting")
        .order_by("-meeting__date", "section", "order")[:MAX_ITEMS]
    )
    return [
        PageLink(
            _("Committee: %(meeting)s — %(title)s")
            % {"meeting": item.meeting.label, "title": item.title},
            item.get_absolute_url(),
            "link-committee-item",
        )
        for item in items
    ]


def _decision(user: Any, approved: Any) -> list[PageLink]:
    """The committee's resolution an approval points at (osm.lib.approvals), when the person
    may read it."""
    from django.contrib.contenttypes.models import ContentType

    from committee.models import Resolution

    if not approved.decision_id or approved.decision_type_id != (
        ContentType.objects.get_for_model(Resolution).pk
    ):
        return []
    resolution = (
        Resolution.objects.filter(pk=approved.decision_id).select_related("item__meeting").first()
    )
    if resolution is None or not access.can(user, "view", resolution):
        return []
    label = _("Resolution of %(meeting)s approving it") % {"meeting": resolution.item.meeting.label}
    return [PageLink(label, resolution.get_absolute_url(), "link-decision")]


def plan_links(user: Any, plan: Any) -> list[PageLink]:
    return _decision(user, plan) + _discussed(user, plan.cluster_id, plans=plan)


def action_plan_links(user: Any, plan: Any) -> list[PageLink]:
    return _decision(user, plan)


def indicator_links(user: Any, indicator: Any) -> list[PageLink]:
    return _discussed(user, indicator.cluster_id, indicators=indicator)


def project_links(user: Any, project: Any) -> list[PageLink]:
    return _discussed(user, project.cluster_id, projects=project)
