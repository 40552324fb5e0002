"""Writes and reads for agencies (provincial offices, line agencies) kept by a cluster."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from osm import access, audit
from osm.access import Action
from osm.models import Agency, Cluster, Province, User


def agencies_for(user: Any, *, cluster: Cluster | None = None) -> QuerySet[Agency]:
    """The agencies a manager keeps (central: all), with what the list shows."""
    scope = access.scope_for(user)
    queryset = Agency.objects.select_related("cluster", "province")
    if cluster is not None:
        queryset = queryset.filter(Q(cluster=cluster) | Q(province__cluster=cluster))
    elif not scope.sees_all:
        queryset = queryset.filter(
            Q(cluster__in=scope.staff_clusters) | Q(province__cluster__in=scope.staff_clusters)
        )
    return queryset.order_by("-is_active", "cluster__number", "name_th")


def _check(by: User, agency: Agency) -> None:
    if not access.can(by, Action.EDIT, agency):
        raise PermissionDenied


def _check_cluster(by: User, cluster: Cluster | None) -> None:
    if not access.scope_for(by).manages_cluster_people(cluster.pk if cluster else None):
        raise PermissionDenied


def agency_create(
    *,
    by: User,
    name_th: str,
    name_en: str = "",
    kind: str,
    cluster: Cluster | None,
    province: Province | None = None,
) -> Agency:
    _check_cluster(by, cluster)
    agency = Agency(name_th=name_th, name_en=name_en, kind=kind, cluster=cluster, province=province)
    agency.full_clean()
    agency.save()
    return agency


def agency_update(*, by: User, agency: Agency, **values: Any) -> list[str]:
    """Change an agency; returns the names of the fields changed. Moving it to another
    cluster needs the right to manage that cluster too."""
    _check(by, agency)
    if "cluster" in values and values["cluster"] != agency.cluster:
        _check_cluster(by, values["cluster"])
    changed = [name for name, value in values.items() if getattr(agency, name) != value]
    for name in changed:
        setattr(agency, name, values[name])
    if changed:
        agency.full_clean()
        agency.save(update_fields=changed)
    return changed


def agency_set_active(*, by: User, agency: Agency, active: bool) -> Agency:
    """Deactivate (kept for what refers to it, offered for nothing new) or reactivate."""
    _check(by, agency)
    if agency.is_active != active:
        agency.is_active = active
        agency.save(update_fields=["is_active"])
    return agency


def agency_uses(agency: Agency) -> list[tuple[str, int]]:
    """What refers to the agency, as (kind of record, count); empty when unused.

    Read from the model's relations, so apps above the core are counted without importing
    them; the audit history is not a use.
    """
    uses = []
    for relation in agency._meta.related_objects:
        if relation.get_accessor_name() == audit.EVENTS_RELATED_NAME or not isinstance(
            relation, models.ManyToOneRel
        ):
            continue
        related: Any = relation.related_model
        count = related._default_manager.filter(**{relation.field.name: agency}).count()
        if count:
            uses.append((str(related._meta.verbose_name_plural), count))
    return uses


@transaction.atomic
def agency_delete(*, by: User, agency: Agency) -> None:
    """Delete an agency nothing refers to; one in use can only be deactivated."""
    _check(by, agency)
    if agency_uses(agency):
        raise ValidationError(
            _("This agency is in use and cannot be deleted. Deactivate it instead.")
        )
    agency.delete()
