"""Reads for the people pages and the home page of a person with no role."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from osm import access, audit
from osm.models import Cluster, Invitation, Province, RoleAssignment, User

Role = RoleAssignment.Role


def _roles_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "roles",
        queryset=RoleAssignment.objects.select_related("cluster", "province__cluster").order_by(
            "role", "id"
        ),
    )


def people_for(
    user: Any, *, cluster: Cluster | None = None, query: str = "", inactive: bool = True
) -> QuerySet[User]:
    """The people `user` may see (managers: those they manage), with their roles; optionally
    of one cluster or matching a name / e-mail. Two queries."""
    queryset = access.visible(user, User.objects.all())
    if cluster is not None:
        in_cluster = RoleAssignment.objects.filter(
            Q(cluster=cluster) | Q(province__cluster=cluster)
        )
        queryset = queryset.filter(pk__in=in_cluster.values("user_id"))
    if query:
        queryset = queryset.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
            | Q(username__icontains=query)
        )
    if not inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.prefetch_related(_roles_prefetch()).order_by(
        "-is_active", "first_name", "last_name", "id"
    )


def person_for_page() -> QuerySet[User]:
    return User.objects.prefetch_related(_roles_prefetch())


def open_invitations_for(user: Any, *, cluster: Cluster | None = None) -> QuerySet[Invitation]:
    """Invitations not yet accepted or revoked (expired ones too: they can be re-sent)."""
    queryset = access.visible(user, Invitation.objects.all()).filter(
        accepted_at__isnull=True, revoked_at__isnull=True
    )
    if cluster is not None:
        queryset = queryset.filter(Q(cluster=cluster) | Q(province__cluster=cluster))
    return queryset.select_related("cluster", "province__cluster", "invited_by").order_by(
        "-created_at", "-id"
    )


def person_history(person: User) -> list[audit.HistoryEntry]:
    """The account's changes and those of its roles, removed roles included, newest first."""
    from django.utils.translation import gettext

    return audit.merge_histories(
        audit.history_for(person),
        audit.history_of_rows(RoleAssignment, subject=gettext("role"), user_id=person.pk),
    )


# --- A person with no role: who to ask ----------------------------------------------------


@dataclass
class NextSteps:
    cluster: Cluster | None = None
    contacts: list[User] = field(default_factory=list)
    central: bool = False  # the contacts are central administrators


def _last_known_cluster_id(user: User) -> int | None:
    """The cluster the person was invited to, or of the last role they held."""
    invitation = (
        Invitation.objects.filter(accepted_user=user)
        .select_related("province")
        .order_by("-accepted_at")
        .first()
    )
    if invitation is not None:
        return invitation.cluster_id or (
            invitation.province.cluster_id if invitation.province else None
        )
    event: Any = (
        audit.event_model_for(RoleAssignment)
        ._default_manager.filter(user_id=user.pk)
        .order_by("-pgh_id")
        .values("cluster_id", "province_id")
        .first()
    )
    if event is None:
        return None
    if event["cluster_id"]:
        return int(event["cluster_id"])
    if event["province_id"]:
        return (
            Province.objects.filter(pk=event["province_id"])
            .values_list("cluster_id", flat=True)
            .first()
        )
    return None


def next_steps_for(user: User) -> NextSteps:
    """Whom a person with no role should contact: their cluster's OSM staff when known,
    else the central administrators (superusers when there are none)."""
    cluster_id = _last_known_cluster_id(user)
    active = User.objects.filter(is_active=True).exclude(pk=user.pk).order_by("first_name", "id")
    if cluster_id is not None:
        staff = list(active.filter(roles__role=Role.OSM_STAFF, roles__cluster_id=cluster_id)[:5])
        if staff:
            return NextSteps(cluster=Cluster.objects.filter(pk=cluster_id).first(), contacts=staff)
    admins = list(active.filter(roles__role=Role.CENTRAL_ADMIN)[:5])
    if not admins:
        admins = list(active.filter(is_superuser=True)[:5])
    return NextSteps(contacts=admins, central=True)
