"""Inviting people by e-mail, and the invitee's one-time page to set a password."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from osm import access
from osm.access import Action
from osm.http import AuthedRequest
from osm.models import Invitation, User
from osm.people import invitations, services
from osm.people.forms import AcceptForm, InviteForm
from osm.people.views import apply_errors, posted


def get_invitation_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> Invitation:
    queryset = Invitation.objects.select_related("cluster", "province__cluster")
    return access.get_for_user(user, queryset, action=action, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: AuthedRequest) -> HttpResponse:
    scope = access.scope_for(request.user)
    if not scope.manages_people:
        raise PermissionDenied
    initial = {}
    if request.GET.get("cluster", "").isdigit():
        initial["cluster"] = int(request.GET["cluster"])
    form = InviteForm(posted(request), scope=scope, initial=initial)
    if form.is_valid():
        try:
            outcome = invitations.person_invite(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if outcome.assignment is not None:
                person = outcome.assignment.user
                messages.success(
                    request,
                    _("%(email)s already has an account: %(person)s was given the role %(role)s.")
                    % {
                        "email": person.email,
                        "person": person,
                        "role": services.role_label(outcome.assignment),
                    },
                )
                return redirect(person)
            invitation = outcome.invitation
            assert invitation is not None
            messages.success(
                request,
                _(
                    "An invitation for the role %(role)s was sent to %(email)s. The link works for %(days)s days."
                )
                % {
                    "role": invitations.role_label_for_invitation(invitation),
                    "email": invitation.email,
                    "days": settings.OSM_INVITATION_DAYS,
                },
            )
            return redirect(reverse("osm:people-list") + "#invitations")
    context = {"form": form, "days": settings.OSM_INVITATION_DAYS}
    return render(request, "osm/invitation_form.html", context)


@login_required
@require_POST
def invitation_resend(request: AuthedRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, pk, action=Action.EDIT)
    try:
        invitations.invitation_resend(by=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "The invitation was sent again to %(email)s with a new link; the earlier link no longer works."
            )
            % {"email": invitation.email},
        )
    return redirect(reverse("osm:people-list") + "#invitations")


@login_required
@require_http_methods(["GET", "POST"])
def invitation_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, pk, action=Action.EDIT)
    error = ""
    if request.method == "POST":
        try:
            invitations.invitation_revoke(by=request.user, invitation=invitation)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(
                request,
                _("The invitation to %(email)s was revoked; its link no longer works.")
                % {"email": invitation.email},
            )
            return redirect(reverse("osm:people-list") + "#invitations")
    context = {
        "title": _("Revoke the invitation to %(email)s?") % {"email": invitation.email},
        "question": _(
            "The link in the e-mail will stop working. You can invite the same address again later."
        ),
        "error": error,
        "action": reverse("osm:invitation-revoke", args=[invitation.pk]),
        "button": _("Revoke the invitation"),
        "cancel": reverse("osm:people-list") + "#invitations",
    }
    return render(request, "osm/confirm.html", context)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, key: str) -> HttpResponse:
    """The invitee's page: set a password, once, before the link expires."""
    invitation = Invitation.objects.select_related("cluster", "province").filter(key=key).first()
    if invitation is None:
        return render(request, "osm/invitation_invalid.html", {"reason": "unknown"}, status=404)
    if invitation.status != Invitation.Status.PENDING:
        context = {"reason": invitation.status, "invitation": invitation}
        return render(request, "osm/invitation_invalid.html", context, status=410)
    # An unsaved account, so that the password rules can compare it with the name and address.
    candidate = User(
        username=invitation.email.lower(),
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    form = AcceptForm(candidate, posted(request))
    if form.is_valid():
        try:
            user, created = invitations.invitation_accept(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except ValidationError:
            invitation.refresh_from_db()
            context = {"reason": invitation.status, "invitation": invitation}
            return render(request, "osm/invitation_invalid.html", context, status=410)
        role = invitations.role_label_for_invitation(invitation)
        if not created:
            messages.success(
                request,
                _(
                    "Your account %(email)s was given the role %(role)s. Log in with your existing password."
                )
                % {"email": user.email, "role": role},
            )
            return redirect("login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome! Your account is ready. Your role: %(role)s. You log in with %(username)s.")
            % {"role": role, "username": user.username},
        )
        return redirect("home")
    context = {
        "invitation": invitation,
        "form": form,
        "role": invitations.role_label_for_invitation(invitation),
    }
    return render(request, "osm/invitation_accept.html", context)
