"""One place for access rules.

Two questions, answered for every model that has a policy:
- ``can(user, action, obj)`` — may this user do this to this object?
- ``visible(user, Model_or_queryset)`` — which objects of this kind may this user see?

Each app registers a ``Policy`` per model in its ``AppConfig.ready()``. Views look objects up
through ``get_for_user`` (404 when the object is outside the user's scope, 403 when it is
visible but the action is not allowed) and never with a bare ``get_object_or_404``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from osm.models import Cluster

M = TypeVar("M", bound=models.Model)


class Action(StrEnum):
    VIEW = "view"  # read, within scope
    EDIT = "edit"  # create, change, delete (OSM staff of the cluster)
    SUBMIT = "submit"  # enter and submit own province's data (province officers)
    REVIEW = "review"  # approve / return submissions (OSM staff of the cluster)
    COMMENT = "comment"  # committee members comment
    # See who changed what and why: audit history, a pending review's reason and author.
    # Readers of the object's cluster only — never anonymous visitors or other clusters,
    # even where the object itself is public (an approved plan).
    HISTORY = "history"


@dataclass(frozen=True)
class Scope:
    """What one person may reach, read once per request from their role assignments."""

    user_id: int | None = None
    is_superuser: bool = False
    central: bool = False
    # Central administrators read like central and manage people everywhere (osm/people/).
    central_admin: bool = False
    staff_clusters: frozenset[int] = field(default_factory=frozenset)
    committee_clusters: frozenset[int] = field(default_factory=frozenset)
    officer_provinces: frozenset[int] = field(default_factory=frozenset)
    # Clusters of the officer's provinces: officers read their cluster's published data.
    officer_clusters: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def sees_all(self) -> bool:
        return self.central or self.central_admin or self.is_superuser

    @property
    def administers_all(self) -> bool:
        """Manages the people and agencies of every cluster (and central roles)."""
        return self.central_admin or self.is_superuser

    @property
    def manages_people(self) -> bool:
        return self.administers_all or bool(self.staff_clusters)

    def manages_cluster_people(self, cluster_id: int | None) -> bool:
        return self.administers_all or (
            cluster_id is not None and cluster_id in self.staff_clusters
        )

    @property
    def read_clusters(self) -> frozenset[int]:
        return self.staff_clusters | self.committee_clusters

    def can_read_cluster(self, cluster_id: int | None) -> bool:
        """Reads everything of the cluster (drafts, every province's values): its staff,
        its committee, central users and administrators."""
        return self.sees_all or (cluster_id is not None and cluster_id in self.read_clusters)

    @property
    def reader_clusters(self) -> frozenset[int]:
        """Clusters whose plans, indicators, targets and rounds this person reads: staff and
        committee of the cluster, and the officers of its provinces. (Not `sees_all`.)"""
        return self.read_clusters | self.officer_clusters

    def reads_cluster(self, cluster_id: int | None) -> bool:
        """The one rule for "who reads this cluster": central users and administrators every
        cluster; staff, committee and province officers their own."""
        return self.sees_all or (cluster_id is not None and cluster_id in self.reader_clusters)

    def can_edit_cluster(self, cluster_id: int | None) -> bool:
        return self.is_superuser or (cluster_id is not None and cluster_id in self.staff_clusters)

    @property
    def roles(self) -> set[str]:
        found = set()
        if self.central:
            found.add("central")
        if self.central_admin:
            found.add("central_admin")
        if self.staff_clusters:
            found.add("osm_staff")
        if self.committee_clusters:
            found.add("committee")
        if self.officer_provinces:
            found.add("province_officer")
        return found


ANONYMOUS = Scope()


def scope_for(user: Any) -> Scope:
    """The user's scope; one query, cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, "_osm_scope", None)
    if cached is not None:
        return cached
    from osm.models import RoleAssignment

    central = central_admin = False
    staff: set[int] = set()
    committee: set[int] = set()
    provinces: set[int] = set()
    officer_clusters: set[int] = set()
    rows = RoleAssignment.objects.filter(user_id=user.pk).values_list(
        "role", "cluster_id", "province_id", "province__cluster_id"
    )
    for role, cluster_id, province_id, province_cluster_id in rows:
        if role == RoleAssignment.Role.CENTRAL:
            central = True
        elif role == RoleAssignment.Role.CENTRAL_ADMIN:
            central_admin = True
        elif role == RoleAssignment.Role.OSM_STAFF:
            staff.add(cluster_id)
        elif role == RoleAssignment.Role.COMMITTEE:
            committee.add(cluster_id)
        elif role == RoleAssignment.Role.PROVINCE_OFFICER:
            provinces.add(province_id)
            if province_cluster_id:
                officer_clusters.add(province_cluster_id)
    scope = Scope(
        user_id=user.pk,
        is_superuser=user.is_superuser,
        central=central,
        central_admin=central_admin,
        staff_clusters=frozenset(staff),
        committee_clusters=frozenset(committee),
        officer_provinces=frozenset(provinces),
        officer_clusters=frozenset(officer_clusters),
    )
    user._osm_scope = scope
    return scope


class Policy:
    """Access rules for one model. Subclasses override both methods."""

    def visible(self, scope: Scope, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        return queryset.none()

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        return False


class PublicReferencePolicy(Policy):
    """Reference data everyone reads; only administrators change it (in the admin)."""

    def visible(self, scope: Scope, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        return queryset

    def allows(self, scope: Scope, action: Action, obj: Any) -> bool:
        if action == Action.HISTORY:
            return scope.is_authenticated
        return action == Action.VIEW or scope.is_superuser


_policies: dict[type[models.Model], Policy] = {}


def register(model: type[models.Model], policy: Policy) -> None:
    _policies[model] = policy


def policy_for(model: type[models.Model]) -> Policy:
    try:
        return _policies[model]
    except KeyError:
        raise LookupError(f"No access policy registered for {model.__name__}") from None


def registered_models() -> list[type[models.Model]]:
    return list(_policies)


def visible(user: Any, model_or_qs: type[M] | models.QuerySet[M]) -> models.QuerySet[M]:
    """The objects of this kind that `user` may see."""
    if isinstance(model_or_qs, models.QuerySet):
        queryset = model_or_qs
    else:
        queryset = model_or_qs._default_manager.all()
    return policy_for(queryset.model).visible(scope_for(user), queryset)


def can(user: Any, action: Action | str, obj: models.Model) -> bool:
    """May `user` do `action` to `obj`?"""
    scope = scope_for(user)
    return policy_for(type(obj)).allows(scope, Action(action), obj)


def get_for_user(
    user: Any,
    model_or_qs: type[M] | models.QuerySet[M],
    *,
    action: Action | str = Action.VIEW,
    **lookup: Any,
) -> M:
    """Fetch one object within the user's scope.

    404 when it does not exist or the user may not see it (outsiders learn nothing);
    403 when they see it but may not do `action`.
    """
    try:
        obj = visible(user, model_or_qs).get(**lookup)
    except models.ObjectDoesNotExist:
        raise Http404 from None
    if not can(user, action, obj):
        raise PermissionDenied
    return obj


def get_cluster_for_user(user: Any, pk: int, *, edit: bool = False) -> Cluster:
    """A cluster for its pages that are not public (early warnings, settings): 404 when the
    person does not read the cluster at all; 403 when they read it but not its inner
    workings (its province officers), or may not change them (`edit`: its OSM staff)."""
    from osm.models import Cluster

    scope = scope_for(user)
    cluster = Cluster.objects.filter(pk=pk).first()
    if cluster is None or not scope.reads_cluster(pk):
        raise Http404
    if not scope.can_read_cluster(pk) or (edit and not scope.can_edit_cluster(pk)):
        raise PermissionDenied
    return cluster


def role_required(check: Callable[[Scope], bool]) -> Callable[..., Any]:
    """View decorator: 403 unless `check(scope)` holds (use after login_required)."""
    from functools import wraps

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not check(scope_for(request.user)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
