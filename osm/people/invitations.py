"""Invitations by e-mail: create, re-send, revoke, accept, and the e-mail itself."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from osm import access
from osm.models import Cluster, Invitation, Province, RoleAssignment, User
from osm.people.rules import can_grant, role_cluster_id
from osm.people.services import _check_grant, _scope_for_role, role_grant, role_label


@dataclass
class InviteOutcome:
    """What inviting an address did: a new invitation, or a role for an existing account."""

    invitation: Invitation | None = None
    assignment: RoleAssignment | None = None


def _new_key() -> str:
    return secrets.token_urlsafe(32)


def _expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.OSM_INVITATION_DAYS)


@transaction.atomic
def person_invite(
    *,
    by: User,
    email: str,
    first_name: str,
    last_name: str = "",
    position: str = "",
    language: str = "th",
    role: str,
    cluster: Cluster | None = None,
    province: Province | None = None,
) -> InviteOutcome:
    """Invite someone by e-mail with one role. When the address already belongs to an
    active account, that account is given the role at once (no second account)."""
    email = email.strip()
    cluster, province = _scope_for_role(role, cluster, province)
    _check_grant(by, role, cluster, province)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if not existing.is_active:
            raise ValidationError(
                {
                    "email": _(
                        "An account with this e-mail exists but is deactivated. Reactivate it on the person's page first."
                    )
                }
            )
        assignment = role_grant(by=by, user=existing, role=role, cluster=cluster, province=province)
        return InviteOutcome(assignment=assignment)
    waiting = Invitation.objects.filter(
        email__iexact=email,
        role=role,
        cluster=cluster,
        province=province,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    )
    if waiting.exists():
        raise ValidationError(
            {
                "email": _(
                    "This address already has an open invitation for this role. Re-send it from the list instead."
                )
            }
        )
    invitation = Invitation.objects.create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        position=position,
        language=language,
        role=role,
        cluster=cluster,
        province=province,
        invited_by=by,
        key=_new_key(),
        expires_at=_expiry(),
    )
    invitation_send(invitation=invitation)
    return InviteOutcome(invitation=invitation)


def _check_manages(by: User, invitation: Invitation) -> None:
    cluster_id = role_cluster_id(invitation.role, invitation.cluster_id, invitation.province)
    if not can_grant(access.scope_for(by), invitation.role, cluster_id):
        raise PermissionDenied


@transaction.atomic
def invitation_resend(*, by: User, invitation: Invitation) -> Invitation:
    """Send the invitation again with a new link and a new expiry; the old link stops working."""
    _check_manages(by, invitation)
    if not invitation.is_open:
        raise ValidationError(_("This invitation was already accepted or revoked."))
    invitation.key = _new_key()
    invitation.expires_at = _expiry()
    invitation.sent_at = None
    invitation.save(update_fields=["key", "expires_at", "sent_at"])
    invitation_send(invitation=invitation)
    return invitation


def invitation_revoke(*, by: User, invitation: Invitation) -> Invitation:
    _check_manages(by, invitation)
    if not invitation.is_open:
        raise ValidationError(_("This invitation was already accepted or revoked."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str) -> tuple[User, bool]:
    """Accept an open invitation: create the account with `password` and give it the role.

    Works once: the row is locked, and an accepted, revoked or expired invitation is refused.
    When an account with the address appeared meanwhile, it gets the role and keeps its
    password. Returns the account and whether it was created.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("This invitation link is no longer valid."), code="invalid")
    user = User.objects.filter(email__iexact=invitation.email).first()
    created = user is None
    if user is None:
        username = invitation.email.lower()[:150]
        if User.objects.filter(username=username).exists():
            # Someone chose this address as a username for another account: keep both apart.
            username = f"{username[:140]}-{invitation.pk}"
        user = User(
            username=username,
            email=invitation.email,
            first_name=invitation.first_name,
            last_name=invitation.last_name,
            position=invitation.position,
            # E-mails (early warnings) in the language the invitation was written in.
            language=invitation.language,
        )
        user.set_password(password)
        user.save()
    RoleAssignment.objects.get_or_create(
        user=user, role=invitation.role, cluster=invitation.cluster, province=invitation.province
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user, created


# --- The e-mail ------------------------------------------------------------------------------


def invitation_send(*, invitation: Invitation) -> None:
    """Send the invitation e-mail through the outbox (stored in this transaction, sent after
    commit, retried by beat): the one place that sends it."""
    from osm.outbox import email_enqueue

    subject, text, html = invitation_email_render(invitation)
    email_enqueue(
        recipients=[invitation.email],
        subject=subject,
        text=text,
        html=html,
        language=invitation.language,
        # One e-mail per link: a re-send has a new key, so a new e-mail.
        dedupe_key=f"invitation:{invitation.pk}:{invitation.key[:20]}",
    )
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())


def invitation_email_render(invitation: Invitation) -> tuple[str, str, str]:
    """The invitation e-mail (subject, text, HTML) in the language chosen for the invitee."""
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "role": role_label_for_invitation(invitation),
            "link": settings.SITE_URL + reverse("osm:invitation-accept", args=[invitation.key]),
            "site_url": settings.SITE_URL,
            "days": settings.OSM_INVITATION_DAYS,
            "email": invitation.email.lower(),
        }
        subject = render_to_string("emails/invitation_subject.txt", context).strip()
        text = render_to_string("emails/invitation.txt", context)
        html = render_to_string("emails/invitation.html", context)
    return subject, text, html


def role_label_for_invitation(invitation: Invitation) -> str:
    role = RoleAssignment(
        role=invitation.role, cluster=invitation.cluster, province=invitation.province
    )
    return role_label(role)
