"""Agencies of a cluster: list, add, edit, deactivate, delete when unused."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osm import access
from osm.access import Action
from osm.http import AuthedRequest
from osm.models import Agency, Cluster
from osm.people import agencies
from osm.people.forms import AgencyForm, managed_clusters
from osm.people.views import apply_errors, cluster_filter, posted, reads_people


def get_agency_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> Agency:
    """Agencies are public, but their pages are for those who keep them: 404 for the
    agencies of other clusters, 403 for read-only central users."""
    return access.get_for_user(user, agencies.agencies_for(user), action=action, pk=pk)


def _list_url(agency: Agency) -> str:
    cluster_id = agency.cluster_id or (agency.province.cluster_id if agency.province else None)
    url = reverse("osm:agency-list")
    return f"{url}?cluster={cluster_id}" if cluster_id else url


@login_required
@access.role_required(reads_people)
@require_GET
def agency_list(request: AuthedRequest) -> HttpResponse:
    scope = access.scope_for(request.user)
    clusters = Cluster.objects.order_by("number") if scope.sees_all else managed_clusters(scope)
    cluster = cluster_filter(request, clusters)
    rows = agencies.agencies_for(request.user, cluster=cluster)
    context = {
        "page": Paginator(rows, 100).get_page(request.GET.get("page")),
        "clusters": list(clusters),
        "cluster": cluster,
        "can_add": scope.manages_people,
        "managed": set(managed_clusters(scope).values_list("pk", flat=True)),
    }
    template = "osm/agency_list.html"
    if request.htmx:
        template += "#agency-results"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def agency_create(request: AuthedRequest) -> HttpResponse:
    scope = access.scope_for(request.user)
    if not scope.manages_people:
        raise PermissionDenied
    initial = (
        {"cluster": request.GET["cluster"]} if request.GET.get("cluster", "").isdigit() else {}
    )
    form = AgencyForm(posted(request), scope=scope, initial=initial)
    if form.is_valid():
        try:
            agency = agencies.agency_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The agency %(name)s was added.") % {"name": agency})
            return redirect(_list_url(agency))
    return render(request, "osm/agency_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def agency_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, pk, action=Action.EDIT)
    scope = access.scope_for(request.user)
    form = AgencyForm(posted(request), scope=scope, instance=Agency.objects.get(pk=agency.pk))
    if form.is_valid():
        try:
            changed = agencies.agency_update(by=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if changed:
                labels = ", ".join(str(form.fields[name].label) for name in changed)
                messages.success(
                    request, _("%(name)s: saved %(fields)s.") % {"name": agency, "fields": labels}
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(_list_url(agency))
    return render(request, "osm/agency_form.html", {"form": form, "agency": agency})


@login_required
@require_http_methods(["GET", "POST"])
def agency_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, pk, action=Action.EDIT)
    if request.method == "POST":
        agencies.agency_set_active(by=request.user, agency=agency, active=False)
        messages.success(
            request,
            _(
                "The agency %(name)s was deactivated: it is no longer offered for new records; existing records keep it."
            )
            % {"name": agency},
        )
        return redirect(_list_url(agency))
    context = {
        "title": _("Deactivate the agency %(name)s?") % {"name": agency},
        "question": _(
            "It will no longer be offered for new indicators and projects. Records that name it keep it, and it can be reactivated."
        ),
        "action": reverse("osm:agency-deactivate", args=[agency.pk]),
        "button": _("Deactivate the agency"),
        "cancel": _list_url(agency),
    }
    return render(request, "osm/confirm.html", context)


@login_required
@require_POST
def agency_reactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, pk, action=Action.EDIT)
    agencies.agency_set_active(by=request.user, agency=agency, active=True)
    messages.success(request, _("The agency %(name)s is active again.") % {"name": agency})
    return redirect(_list_url(agency))


@login_required
@require_http_methods(["GET", "POST"])
def agency_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    agency = get_agency_for_user(request.user, pk, action=Action.EDIT)
    uses = agencies.agency_uses(agency)
    error = ""
    if request.method == "POST":
        try:
            agencies.agency_delete(by=request.user, agency=agency)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, _("The agency %(name)s was deleted.") % {"name": agency})
            return redirect(_list_url(agency))
    context = {
        "title": _("Delete the agency %(name)s?") % {"name": agency},
        "question": _("Nothing refers to this agency. Deleting it cannot be undone.")
        if not uses
        else _("This agency cannot be deleted because records refer to it. Deactivate it instead."),
        "details": [f"{label}: {count}" for label, count in uses],
        "error": error,
        "action": "" if uses else reverse("osm:agency-delete", args=[agency.pk]),
        "button": _("Delete the agency"),
        "alternative": reverse("osm:agency-deactivate", args=[agency.pk])
        if uses and agency.is_active
        else "",
        "alternative_label": _("Deactivate instead"),
        "cancel": _list_url(agency),
    }
    return render(request, "osm/confirm.html", context)
