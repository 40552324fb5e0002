"""Who may see and do what with the committee's records (registered in CommitteeConfig.ready).

- OSM staff of the cluster edit everything of its committee.
- Committee members of the cluster read everything of it (papers and packs included);
  central users read every committee.
- Province officers see only the action items their province follows up (and add dated
  follow-up notes to them); a person named as an action item's owner sees and follows up
  that item. Nothing else of the committee reaches them.
- Anonymous visitors and people of other clusters see nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from osm.access import Action, Policy, Scope


class CommitteeOwnedPolicy(Policy):
    """A record of the committee: read by its cluster's staff and committee (and central),
    changed by the cluster's staff. Officers of the cluster's provinces read none of it."""

    def __init__(self, cluster_path: str) -> None:
        self.cluster_path = cluster_path

    def _cluster_id(self, obj: Any) -> int:
        value = obj
        for part in self.cluster_path.split("__"):
            value = getattr(value, part)
        return value  # type: ignore[no-any-return]

    def visible(self, scope: Scope, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if scope.sees_all:
            return queryset
        return queryset.filter(**{f"{self.cluster_path}__in": scope.read_clusters})

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        cluster_id = self._cluster_id(obj)
        if action in (Action.VIEW, Action.HISTORY):
            return scope.can_read_cluster(cluster_id)
        return scope.can_edit_cluster(cluster_id)


def follows_up(scope: Scope, item: Any) -> bool:
    """The action item's province officer, or the person who owns it."""
    return (item.province_id is not None and item.province_id in scope.officer_provinces) or (
        scope.user_id is not None and item.owner_user_id == scope.user_id
    )


class ActionItemPolicy(Policy):
    def visible(self, scope: Scope, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if scope.sees_all:
            return queryset
        q = Q(cluster_id__in=scope.read_clusters)
        if scope.officer_provinces:
            q |= Q(province_id__in=scope.officer_provinces)
        if scope.user_id is not None:
            q |= Q(owner_user_id=scope.user_id)
        return queryset.filter(q)

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        if action == Action.VIEW:
            return scope.can_read_cluster(obj.cluster_id) or follows_up(scope, obj)
        if action == Action.HISTORY:
            # The audit history names the resolution: the committee's readers only.
            return scope.can_read_cluster(obj.cluster_id)
        if action == Action.COMMENT:  # dated follow-up notes
            return scope.can_edit_cluster(obj.cluster_id) or follows_up(scope, obj)
        return scope.can_edit_cluster(obj.cluster_id)


class FollowUpNotePolicy(Policy):
    def visible(self, scope: Scope, queryset: QuerySet[Any]) -> QuerySet[Any]:
        from committee.models import ActionItem

        items = ActionItemPolicy().visible(scope, ActionItem.objects.all())
        return queryset.filter(action_item__in=items)

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        return ActionItemPolicy().allows(scope, action, obj.action_item)
