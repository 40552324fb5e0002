"""The committee of a cluster and its members."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committee.models import Committee, Member
from osm.lib.locking import guarded_update
from osm.models import Cluster, RoleAssignment

DEFAULT_NAME_TH = "คณะกรรมการบริหารงานกลุ่มจังหวัดแบบบูรณาการ{name}"
DEFAULT_NAME_EN = "Integrated Cluster Administration Committee, {name}"
MEMBER_FIELDS = ("user", "name", "position_title", "role", "term_start", "term_end", "order")


def committee_draft(cluster: Cluster) -> Committee:
    """The cluster's committee as stored, or an unsaved one with the default names (a GET
    never writes)."""
    found = Committee.objects.filter(cluster=cluster).first()
    if found is not None:
        return found
    return Committee(
        cluster=cluster,
        name_th=DEFAULT_NAME_TH.format(name=cluster.name_th),
        name_en=DEFAULT_NAME_EN.format(name=cluster.name_en or cluster.name_th),
    )


def committee_for(cluster: Cluster) -> Committee:
    """The cluster's committee, started with the default names when there is none."""
    draft = committee_draft(cluster)
    if draft.pk is None:
        committee, _created = Committee.objects.get_or_create(
            cluster=cluster, defaults={"name_th": draft.name_th, "name_en": draft.name_en}
        )
        return committee
    return draft


def committee_update(
    *, committee: Committee, lock_version: int | None = None, **fields: Any
) -> dict[str, tuple[Any, Any]]:
    """Change the committee's names and document settings; returns what changed. A draft
    committee (never saved) is started first: the form read it at version 1, as it is now."""
    if committee.pk is None:
        saved = committee_for(committee.cluster)
        committee.pk, committee.lock_version = saved.pk, saved.lock_version
    return guarded_update(committee, expected=lock_version, fields=fields)


def member_accounts(cluster_id: int) -> Any:
    """The accounts a member may be linked to: people with the committee role of the cluster,
    or its OSM staff (the secretaries). Roles are given on the people pages."""
    from osm.models import User

    return (
        User.objects.filter(
            roles__cluster_id=cluster_id,
            roles__role__in=[RoleAssignment.Role.COMMITTEE, RoleAssignment.Role.OSM_STAFF],
            is_active=True,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def _check_member(committee: Committee, fields: dict[str, Any], member: Member | None) -> None:
    user = fields.get("user")
    if user is not None and not member_accounts(committee.cluster_id).filter(pk=user.pk).exists():
        raise ValidationError(
            {"user": _("Only people with the committee role of this cluster or its OSM staff.")}
        )
    others = Member.objects.filter(committee=committee, user=user)
    if member is not None:
        others = others.exclude(pk=member.pk)
    if user is not None and (others.exists()):
        raise ValidationError({"user": _("This person is already a member.")})
    start, end = fields.get("term_start"), fields.get("term_end")
    if start and end and end < start:
        raise ValidationError({"term_end": _("The term cannot end before it starts.")})
    if not (fields.get("name") or "").strip():
        if user is None:
            raise ValidationError({"name": _("Give the member's name (or choose an account).")})
        fields["name"] = user.get_full_name() or user.username


@transaction.atomic
def member_create(*, committee: Committee, **fields: Any) -> Member:
    if committee.pk is None:
        committee = committee_for(committee.cluster)
    clean = {k: v for k, v in fields.items() if k in MEMBER_FIELDS}
    _check_member(committee, clean, None)
    if not clean.get("order"):
        last = Member.objects.filter(committee=committee).order_by("-order").first()
        clean["order"] = (last.order + 1) if last else 1
    return Member.objects.create(committee=committee, **clean)


@transaction.atomic
def member_update(*, member: Member, **fields: Any) -> dict[str, tuple[Any, Any]]:
    clean = {k: v for k, v in fields.items() if k in MEMBER_FIELDS}
    _check_member(member.committee, clean, member)
    changed: dict[str, tuple[Any, Any]] = {}
    for name, value in clean.items():
        old = getattr(member, name)
        if old != value:
            changed[name] = (old, value)
            setattr(member, name, value)
    if changed:
        member.save(update_fields=list(changed))
    return changed


def member_delete(*, member: Member) -> None:
    """Remove a member entered by mistake (a member whose term ended keeps the row, with
    its end date, so that past minutes still name them)."""
    member.delete()


def members_serving(committee: Committee, day: dt.date) -> list[Member]:
    from django.db.models import Q

    return list(
        Member.objects.filter(committee=committee, term_start__lte=day)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=day))
        .in_list_order()
    )
