"""Lookups shared by the committee views: one per aggregate, scoped to the person (404
outside their scope, 403 when they may read but not do)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from committee.models import ActionItem, AgendaItem, AgendaPaper, Meeting, Member
from osm import access
from osm.access import Action
from osm.models import Cluster


def get_cluster_for_user(user: Any, pk: int, *, edit: bool = False) -> Cluster:
    """A cluster whose committee the person reads (staff, committee, central): 404 for
    everybody else — province officers included — and 403 when it is not theirs to edit."""
    scope = access.scope_for(user)
    if not scope.can_read_cluster(pk):
        raise Http404
    try:
        cluster = Cluster.objects.get(pk=pk)
    except Cluster.DoesNotExist:
        raise Http404 from None
    if edit and not scope.can_edit_cluster(pk):
        raise PermissionDenied
    return cluster


def get_meeting_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> Meeting:
    queryset = Meeting.objects.select_related("committee__cluster")
    return access.get_for_user(user, queryset, action=action, pk=pk)


def get_member_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> Member:
    queryset = Member.objects.select_related("committee__cluster", "user")
    return access.get_for_user(user, queryset, action=action, pk=pk)


def get_item_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> AgendaItem:
    queryset = AgendaItem.objects.select_related("meeting__committee__cluster")
    return access.get_for_user(user, queryset, action=action, pk=pk)


def get_paper_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> AgendaPaper:
    queryset = AgendaPaper.objects.select_related("item__meeting__committee")
    return access.get_for_user(user, queryset, action=action, pk=pk)


def get_action_item_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> ActionItem:
    queryset = ActionItem.objects.select_related(
        "cluster",
        "owner_agency",
        "owner_province",
        "owner_user",
        "province",
        "resolution__item__meeting__committee",
    )
    return access.get_for_user(user, queryset, action=action, pk=pk)


def posted(request: Any) -> Any:
    """The POST data to bind a form to, or None on GET."""
    return request.POST if request.method == "POST" else None
