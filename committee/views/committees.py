"""The committee of a cluster: its page (members and meetings), its settings, its members."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from committee import selectors
from committee.forms import CommitteeForm, MemberForm
from committee.models import Committee, Member
from committee.services import committees as services
from committee.views.common import get_cluster_for_user, get_member_for_user, posted
from osm import access, audit
from osm.access import Action
from osm.http import AuthedRequest, apply_errors, changed_labels, conflict, conflict_status
from osm.lib.locking import StaleVersion


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """Central users pick a cluster's committee; others go to their own committee, and
    province officers to the action items of their province."""
    scope = access.scope_for(request.user)
    if scope.sees_all:
        return render(
            request, "committee/committee_index.html", {"clusters": selectors.committee_overview()}
        )
    if scope.read_clusters:
        return redirect("committee:detail", min(scope.read_clusters))
    if scope.officer_provinces:
        return redirect("committee:action-list")
    raise PermissionDenied


@login_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk)
    committee = services.committee_draft(cluster)
    scope = access.scope_for(request.user)
    meetings = list(selectors.meetings_of(committee)) if committee.pk else []
    context = {
        "cluster": cluster,
        "committee": committee,
        "members": list(selectors.members_of(committee)) if committee.pk else [],
        "meetings": meetings,
        "can_edit": scope.can_edit_cluster(cluster.pk),
        "links_people": scope.manages_cluster_people(cluster.pk) or scope.sees_all,
        "history": audit.history_for_user(request.user, committee) if committee.pk else [],
    }
    return render(request, "committee/committee_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def settings(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk, edit=True)
    committee = services.committee_draft(cluster)
    form = CommitteeForm(posted(request), instance=committee, lock_version=committee.lock_version)
    context: dict[str, Any] = {"cluster": cluster, "committee": committee, "form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "lock_version"}
            try:
                changed = services.committee_update(
                    committee=committee, lock_version=form.cleaned_data["lock_version"], **fields
                )
            except StaleVersion as error:
                context |= conflict(request, form, error)
                status = conflict_status(request)
            else:
                if changed:
                    messages.success(
                        request,
                        _("Saved: %(fields)s.") % {"fields": changed_labels(Committee, changed)},
                    )
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect("committee:detail", cluster.pk)
        else:
            status = 400
    return render(request, "committee/committee_settings.html", context, status=status)


def _member_fields(form: MemberForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["order"] = data.get("order") or 0
    return data


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk, edit=True)
    committee = services.committee_draft(cluster)
    form = MemberForm(posted(request), cluster=cluster)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(committee=committee, **_member_fields(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added to the committee.") % {"name": member})
            return redirect("committee:detail", cluster.pk)
    status = 400 if request.method == "POST" else 200
    context = {"cluster": cluster, "committee": committee, "form": form, "member": None}
    return render(request, "committee/member_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk, action=Action.EDIT)
    cluster = member.committee.cluster
    form = MemberForm(posted(request), instance=member, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        member = get_member_for_user(request.user, pk, action=Action.EDIT)  # unbound copy
        try:
            changed = services.member_update(member=member, **_member_fields(form))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if changed:
                messages.success(
                    request, _("Saved: %(fields)s.") % {"fields": changed_labels(Member, changed)}
                )
            return redirect("committee:detail", cluster.pk)
    status = 400 if request.method == "POST" else 200
    context = {"cluster": cluster, "committee": member.committee, "form": form, "member": member}
    return render(request, "committee/member_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def member_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request.user, pk, action=Action.EDIT)
    cluster_id = member.committee.cluster_id
    if request.method == "POST":
        services.member_delete(member=member)
        messages.success(request, _("%(name)s was removed from the committee.") % {"name": member})
        return redirect("committee:detail", cluster_id)
    context = {
        "title": _("Remove %(name)s from the committee?") % {"name": member},
        "question": _(
            "Remove a member entered by mistake. A member whose term ended stays listed "
            "with the end of the term, so that earlier minutes still name them."
        ),
        "action": reverse("committee:member-delete", args=[member.pk]),
        "button": _("Remove the member"),
        "cancel": reverse("committee:detail", args=[cluster_id]),
    }
    return render(request, "osm/confirm.html", context)
