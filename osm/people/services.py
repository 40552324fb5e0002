"""Writes for people: invitations, roles and accounts (STYLE.md §12–14).

Every service takes the acting person (`by`) and checks, again, that they may do what they
ask: views check first to answer 403/404, services hold the rule whatever calls them.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from osm import access, notifications
from osm.models import Cluster, Invitation, Province, RoleAssignment, User
from osm.people.rules import CENTRAL_ROLES, CLUSTER_ROLES, can_grant, role_cluster_id

Role = RoleAssignment.Role


def _scope_for_role(
    role: str, cluster: Cluster | None, province: Province | None
) -> tuple[Cluster | None, Province | None]:
    """The scope a role carries, dropping what it does not need; ValidationError when the
    scope it needs is missing."""
    if role in CENTRAL_ROLES:
        return None, None
    if role in CLUSTER_ROLES:
        if cluster is None:
            raise ValidationError({"cluster": _("Choose the cluster for this role.")})
        return cluster, None
    if role == Role.PROVINCE_OFFICER:
        if province is None:
            raise ValidationError({"province": _("Choose the province for this role.")})
        if province.cluster_id is None:
            raise ValidationError({"province": _("This province belongs to no cluster.")})
        return None, province
    raise ValidationError({"role": _("Choose a role.")})


def _check_grant(by: User, role: str, cluster: Cluster | None, province: Province | None) -> None:
    if not can_grant(
        access.scope_for(by), role, role_cluster_id(role, getattr(cluster, "pk", None), province)
    ):
        raise PermissionDenied(_("You may not give this role."))


def _forget_scope(user: User) -> None:
    # The scope is cached on the user object for the request; a role change must show at once.
    user.__dict__.pop("_osm_scope", None)


# --- Roles ---------------------------------------------------------------------------------


def role_grant(
    *,
    by: User,
    user: User,
    role: str,
    cluster: Cluster | None = None,
    province: Province | None = None,
) -> RoleAssignment:
    """Give `user` a role with its scope. Nobody gives themselves a role."""
    if by.pk == user.pk:
        raise ValidationError(
            {"role": _("You cannot give yourself a role. Ask another administrator.")}
        )
    cluster, province = _scope_for_role(role, cluster, province)
    _check_grant(by, role, cluster, province)
    exists = RoleAssignment.objects.filter(user=user, role=role, cluster=cluster, province=province)
    if exists.exists():
        raise ValidationError({"role": _("This person already has this role.")})
    try:
        with transaction.atomic():
            assignment = RoleAssignment.objects.create(
                user=user, role=role, cluster=cluster, province=province
            )
    except IntegrityError:
        raise ValidationError({"role": _("This person already has this role.")}) from None
    _forget_scope(user)
    notifications.notify(
        user=user,
        key=f"role-granted-{assignment.pk}",
        # In the person's language, not the administrator's (osm.notifications).
        title=lambda: _("You were given a role: %(role)s") % {"role": role_label(assignment)},
        url="/",
    )
    return assignment


def role_change(
    *,
    by: User,
    assignment: RoleAssignment,
    role: str,
    cluster: Cluster | None = None,
    province: Province | None = None,
) -> RoleAssignment:
    """Change a role or its scope. The actor must manage both the old and the new scope."""
    if by.pk == assignment.user_id:
        raise ValidationError(
            {"role": _("You cannot change your own role. Ask another administrator.")}
        )
    old_cluster = role_cluster_id(assignment.role, assignment.cluster_id, assignment.province)
    if not can_grant(access.scope_for(by), assignment.role, old_cluster):
        raise PermissionDenied
    cluster, province = _scope_for_role(role, cluster, province)
    _check_grant(by, role, cluster, province)
    duplicate = RoleAssignment.objects.filter(
        user_id=assignment.user_id, role=role, cluster=cluster, province=province
    ).exclude(pk=assignment.pk)
    if duplicate.exists():
        raise ValidationError({"role": _("This person already has this role.")})
    assignment.role, assignment.cluster, assignment.province = role, cluster, province
    assignment.save(update_fields=["role", "cluster", "province"])
    return assignment


class LastStaffError(ValidationError):
    """Removing this role leaves a cluster without OSM staff (or the country without central
    administrators); the caller must confirm."""


def is_last_manager(assignment: RoleAssignment) -> bool:
    """Is this the only active staff role of its cluster (or the only central administrator)?"""
    if assignment.role not in (Role.OSM_STAFF, Role.CENTRAL_ADMIN):
        return False
    others = RoleAssignment.objects.filter(
        role=assignment.role, cluster=assignment.cluster, user__is_active=True
    ).exclude(pk=assignment.pk)
    return not others.exists()


def _check_not_last_staff(assignment: RoleAssignment, *, confirmed: bool) -> None:
    if not confirmed and is_last_manager(assignment):
        raise LastStaffError(
            _(
                "This is the last active %(role)s role of %(scope)s. Nobody would be left to manage its people. Tick the box to confirm."
            )
            % {"role": assignment.get_role_display(), "scope": role_scope_label(assignment)},
            code="last_staff",
        )


def role_remove(*, by: User, assignment: RoleAssignment, confirm_last: bool = False) -> None:
    """Take a role away. Removing the last staff role of a cluster needs `confirm_last`."""
    cluster_id = role_cluster_id(assignment.role, assignment.cluster_id, assignment.province)
    if not can_grant(access.scope_for(by), assignment.role, cluster_id):
        raise PermissionDenied
    _check_not_last_staff(assignment, confirmed=confirm_last)
    user = assignment.user
    assignment.delete()
    _forget_scope(user)


def role_label(assignment: RoleAssignment) -> str:
    scope = role_scope_label(assignment)
    return f"{assignment.get_role_display()} — {scope}" if scope else assignment.get_role_display()


def role_scope_label(assignment: RoleAssignment | Invitation) -> str:
    """The province or cluster of a role, named in the active language."""
    if assignment.province is not None:
        return assignment.province.name
    if assignment.cluster is not None:
        return assignment.cluster.name
    return ""


# --- Accounts ------------------------------------------------------------------------------


def _check_manages(by: User, person: User) -> None:
    if not access.can(by, access.Action.EDIT, person):
        raise PermissionDenied


def person_update(
    *, by: User, person: User, first_name: str, last_name: str, email: str, position: str
) -> list[str]:
    """Change a person's name, e-mail and position; returns the names of the fields changed."""
    if by.pk != person.pk:
        _check_manages(by, person)
    email = email.strip()
    if email and User.objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
        raise ValidationError({"email": _("Another account already uses this e-mail address.")})
    values = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "position": position,
    }
    changed = [name for name, value in values.items() if getattr(person, name) != value]
    for name in changed:
        setattr(person, name, values[name])
    if changed:
        person.save(update_fields=changed)
    return changed


def person_deactivate(*, by: User, person: User) -> User:
    """Switch an account off: it can no longer log in; its history and records stay."""
    if by.pk == person.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    _check_manages(by, person)
    if person.is_active:
        person.is_active = False
        person.save(update_fields=["is_active"])
    return person


def person_reactivate(*, by: User, person: User) -> User:
    _check_manages(by, person)
    if not person.is_active:
        person.is_active = True
        person.save(update_fields=["is_active"])
    return person
