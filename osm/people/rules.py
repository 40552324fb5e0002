"""Who may manage which people, roles, invitations and agencies (access policies)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q

from osm.access import Action, Policy, Scope
from osm.models import Agency, Invitation, Province, RoleAssignment, User

Role = RoleAssignment.Role
CENTRAL_ROLES = frozenset({Role.CENTRAL, Role.CENTRAL_ADMIN})
CLUSTER_ROLES = frozenset({Role.OSM_STAFF, Role.COMMITTEE})


def role_cluster_id(role: str, cluster_id: int | None, province: Province | None) -> int | None:
    """The cluster a role's scope lies in (a province officer's: their province's)."""
    if role == Role.PROVINCE_OFFICER:
        return province.cluster_id if province is not None else None
    return cluster_id


def can_grant(scope: Scope, role: str, cluster_id: int | None) -> bool:
    """May this person give (or take away) `role` within `cluster_id`?

    Central roles only by central administrators; any other role by whoever manages the
    people of its cluster.
    """
    if role in CENTRAL_ROLES:
        return scope.administers_all
    return scope.manages_cluster_people(cluster_id)


def assignment_cluster_id(assignment: RoleAssignment) -> int | None:
    return role_cluster_id(assignment.role, assignment.cluster_id, assignment.province)


def _in_clusters(clusters: frozenset[int], prefix: str = "") -> Q:
    return Q(**{f"{prefix}cluster__in": clusters}) | Q(
        **{f"{prefix}province__cluster__in": clusters}
    )


class PersonPolicy(Policy):
    """People: managers see those they manage, central reads everyone.

    Editing a person's account (name, e-mail, active) needs every role they hold to lie
    within the manager's reach: OSM staff cannot switch off someone who also works in
    another cluster, nor a central user or a superuser.
    """

    def visible(self, scope: Scope, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if scope.sees_all:
            return queryset
        if not scope.staff_clusters:
            return queryset.none()
        managed = RoleAssignment.objects.filter(_in_clusters(scope.staff_clusters))
        return queryset.filter(pk__in=managed.values("user_id"))

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        if action == Action.VIEW:
            return True
        if action != Action.EDIT or not scope.manages_people:
            return False
        person: User = obj
        if person.is_superuser and not scope.is_superuser:
            return False
        return all(can_grant(scope, a.role, assignment_cluster_id(a)) for a in person.roles.all())


class RoleAssignmentPolicy(Policy):
    def visible(self, scope: Scope, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if scope.sees_all:
            return queryset
        return queryset.filter(_in_clusters(scope.staff_clusters))

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        if action == Action.VIEW:
            return True
        return action == Action.EDIT and can_grant(scope, obj.role, assignment_cluster_id(obj))


class InvitationPolicy(Policy):
    def visible(self, scope: Scope, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        if scope.sees_all:
            return queryset
        return queryset.filter(_in_clusters(scope.staff_clusters))

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        if action == Action.VIEW:
            return True
        cluster_id = role_cluster_id(obj.role, obj.cluster_id, obj.province)
        return action == Action.EDIT and can_grant(scope, obj.role, cluster_id)


class AgencyPolicy(Policy):
    """Agencies are public reference data; a cluster's OSM staff keep their cluster's,
    central administrators any (including national ones with no cluster)."""

    def visible(self, scope: Scope, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        return queryset

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        if action == Action.VIEW:
            return True
        agency: Agency = obj
        cluster_id = agency.cluster_id or (agency.province.cluster_id if agency.province else None)
        return action == Action.EDIT and scope.manages_cluster_people(cluster_id)


def register_policies() -> None:
    from osm import access

    access.register(User, PersonPolicy())
    access.register(RoleAssignment, RoleAssignmentPolicy())
    access.register(Invitation, InvitationPolicy())
    access.register(Agency, AgencyPolicy())
