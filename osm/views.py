from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osm import access, audit, notifications, registry, selectors
from osm.forms import PreferencesForm
from osm.http import AuthedRequest
from osm.lib import health
from osm.models import Cluster, Province


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    scope = access.scope_for(request.user)
    context = {
        "panels": registry.panels_for(request, scope),
        "assignments": selectors.role_assignments_for(request.user),
    }
    return render(request, "osm/home.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    failed = health.failures()
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
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


@login_required
@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "osm/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read(request: AuthedRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    notifications.mark_read(user=request.user, ids=ids)
    if request.htmx:
        page = Paginator(selectors.notifications_for(request.user), 30).get_page(1)
        return render(request, "osm/notification_list.html#inbox", {"page": page})
    return redirect("osm:notification-list")


@require_GET
def cluster_list(request: HttpRequest) -> HttpResponse:
    clusters = selectors.clusters_with_provinces(access.visible(request.user, Cluster))
    return render(request, "osm/cluster_list.html", {"clusters": clusters})


@require_GET
def cluster_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cluster = access.get_for_user(
        request.user, selectors.clusters_with_provinces(Cluster.objects.all()), pk=pk
    )
    context = {
        "cluster": cluster,
        "agencies": selectors.agencies_of_cluster(cluster),
        "history": audit.history_for_user(request.user, cluster),
    }
    return render(request, "osm/cluster_detail.html", context)


@require_GET
def province_detail(request: HttpRequest, pk: int) -> HttpResponse:
    province = access.get_for_user(request.user, Province.objects.select_related("cluster"), pk=pk)
    context = {
        "province": province,
        "agencies": selectors.agencies_of_province(province),
        "history": audit.history_for_user(request.user, province),
    }
    return render(request, "osm/province_detail.html", context)
