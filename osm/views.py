from __future__ import annotations

import hashlib
from typing import Any

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from osm import access, audit, registry, selectors, services
from osm.forms import ClusterSettingsForm, OutboxPasswordResetForm, PreferencesForm
from osm.http import AuthedRequest
from osm.lib import health, throttle
from osm.models import Cluster, Province
from osm.people import selectors as people_selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    scope = access.scope_for(request.user)
    context = {
        "panels": registry.panels_for(request, scope),
        "assignments": selectors.role_assignments_for(request.user),
        # Someone with no role learns whom to ask, never a dead end.
        "next_steps": people_selectors.next_steps_for(request.user)
        if request.user.is_authenticated and not (scope.roles or scope.is_superuser)
        else None,
    }
    return render(request, "osm/home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the Thai 503 page when the database is unreachable, else the 500 page."""
    import sys

    from django.views.defaults import server_error as default_server_error

    from osm.middleware import DATABASE_ERRORS, database_unavailable

    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    return default_server_error(request)


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    failed = health.failures()
    degraded = health.degradations()
    if failed:
        return JsonResponse(
            {"status": "unavailable", "failed": failed, "degraded": degraded}, status=503
        )
    if degraded:
        return JsonResponse({"status": "degraded", "degraded": degraded})
    return JsonResponse({"status": "ok"})


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your display preferences were saved."))
        return redirect("osm:preferences")
    return render(request, "osm/preferences.html", {"form": form})


@require_GET
def cluster_list(request: HttpRequest) -> HttpResponse:
    clusters = selectors.clusters_with_provinces(access.visible(request.user, Cluster))
    return render(request, "osm/cluster_list.html", {"clusters": clusters})


@require_GET
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = access.get_for_user(
        request.user, selectors.clusters_with_provinces(Cluster.objects.all()), pk=pk
    )
    scope = access.scope_for(request.user)
    context = {
        "cluster": cluster,
        "agencies": selectors.agencies_of_cluster(cluster),
        "manages_people": scope.manages_cluster_people(cluster.pk),
        "reads_people": scope.sees_all or scope.manages_cluster_people(cluster.pk),
        "edits_cluster": scope.can_edit_cluster(cluster.pk),
        "history": audit.history_for_user(request.user, cluster),
    }
    return render(request, "osm/cluster_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def cluster_settings(request: AuthedRequest, pk: int) -> HttpResponse:
    """The settings the cluster's OSM staff keep for it (Thai digits in its documents)."""
    cluster = access.get_cluster_for_user(request.user, pk, edit=True)
    # Bound on every POST: an unticked box leaves nothing in it, and that means "off".
    data = request.POST if request.method == "POST" else None
    form = ClusterSettingsForm(data, initial={"thai_digits": cluster.thai_digits})
    if form.is_valid():
        changed = services.cluster_settings_set(
            cluster=cluster, by=request.user, thai_digits=form.cleaned_data["thai_digits"]
        )
        if not changed:
            messages.info(request, _("Nothing changed."))
        elif cluster.thai_digits:
            messages.success(
                request,
                _("Saved: the documents of %(cluster)s now print Thai digits (๐–๙).")
                % {"cluster": cluster.name},
            )
        else:
            messages.success(
                request,
                _("Saved: the documents of %(cluster)s now print Arabic digits (0–9).")
                % {"cluster": cluster.name},
            )
        return redirect("osm:cluster-settings", pk=cluster.pk)
    return render(request, "osm/cluster_settings.html", {"cluster": cluster, "form": form})


@require_GET
def province_detail(request: HttpRequest, pk: int) -> HttpResponse:
    province = access.get_for_user(request.user, Province.objects.select_related("cluster"), pk=pk)
    context = {
        "province": province,
        "agencies": selectors.agencies_of_province(province),
        "history": audit.history_for_user(request.user, province),
    }
    return render(request, "osm/province_detail.html", context)


RESET_WINDOW_SECONDS = 3600


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponseBase:
    """Django's password reset, limited per client address and per e-mail address, with
    the e-mail sent through the outbox."""
    if request.method == "POST":
        address = get_client_ip_address(request) or "unknown"
        if not throttle.hit(
            f"reset:address:{address}",
            limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
            window=RESET_WINDOW_SECONDS,
        ):
            return render(request, "registration/password_reset_throttled.html", status=429)
        email = request.POST.get("email", "").strip().lower()
        digest = hashlib.sha256(email.encode()).hexdigest()
        if email and not throttle.hit(
            f"reset:email:{digest}",
            limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL,
            window=RESET_WINDOW_SECONDS,
        ):
            # The same answer as a sent link: nothing tells whether the address has an account.
            return redirect("password_reset_done")
    view = auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm)
    return view(request)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password also lifts a log-in lock-out of that account."""

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        throttle.unlock(username=form.user.get_username())
        return response
