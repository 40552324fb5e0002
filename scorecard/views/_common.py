"""Scoped lookups and the dashboard helpers the scorecard's views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from osm import access
from osm.access import Action
from osm.http import AuthedRequest, vary_on_htmx, wants_partial
from osm.lib import dates, display
from osm.models import Cluster
from scorecard import cache as scorecard_cache
from scorecard import periods
from scorecard.forms import PeriodForm
from scorecard.models import Indicator, ReportingRound, Result


def get_cluster_for_user(user: Any, pk: int, *, edit: bool = False) -> Cluster:
    """A cluster whose scorecard the person may read: 404 outside, 403 when not editable."""
    scope = access.scope_for(user)
    try:
        cluster = Cluster.objects.get(pk=pk)
    except Cluster.DoesNotExist:
        raise Http404 from None
    if not scope.reads_cluster(pk):
        raise Http404
    if edit and not scope.can_edit_cluster(pk):
        raise PermissionDenied
    return cluster


def get_indicator_for_user(user: Any, pk: int, *, edit: bool = False) -> Indicator:
    qs = Indicator.objects.select_related(
        "objective__plan", "objective__issue", "objective__perspective", "owner_agency", "cluster"
    )
    return access.get_for_user(user, qs, action=Action.EDIT if edit else Action.VIEW, pk=pk)


def get_round_for_user(user: Any, pk: int, *, edit: bool = False) -> ReportingRound:
    qs = ReportingRound.objects.select_related("cluster")
    return access.get_for_user(user, qs, action=Action.EDIT if edit else Action.VIEW, pk=pk)


def get_result_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> Result:
    qs = Result.objects.select_related(
        "indicator", "province", "province_target", "round", "reviewed_by", "submitted_by"
    )
    return access.get_for_user(user, qs, action=action, pk=pk)


def get_period(request: HttpRequest, cluster: Cluster | None) -> tuple[PeriodForm, int, int]:
    """The period a dashboard shows: from the URL, else the latest with data. A URL with a
    year and no quarter (the year-only pages) means the year's last quarter."""
    current = dates.current_fiscal_year()
    years = list(range(current - 4, current + 2))
    if "year" in request.GET:
        data = request.GET.copy()
        data.setdefault("quarter", "4")
        form = PeriodForm(data, years=years)
        if form.is_valid():
            return form, form.cleaned_data["year"], form.cleaned_data["quarter"]
    year, quarter = periods.default_period(cluster)
    if year not in years:
        years.append(year)
    form = PeriodForm(years=sorted(years), initial={"year": year, "quarter": quarter})
    return form, year, quarter


def render_dashboard(
    request: AuthedRequest,
    template: str,
    *,
    scope: int | str,
    key: tuple[object, ...],
    build: Callable[[], dict[str, Any]],
    page: dict[str, Any],
) -> HttpResponse:
    """Render the template's `dashboard` fragment from cache (see scorecard.cache), alone
    for htmx requests or inside the whole page otherwise."""
    parts = (template, translation.get_language(), display.thai_digits_enabled.get(), *key)
    html = scorecard_cache.fragment(
        parts, scope, lambda: render_to_string(f"{template}#dashboard", build())
    )
    if wants_partial(request):
        return vary_on_htmx(HttpResponse(html))
    response = render(request, template, {**page, "dashboard_html": mark_safe(html)})  # noqa: S308
    return vary_on_htmx(response)


def audience_key(user: Any, cluster_id: int) -> str:
    """Who sees which results: everything in the cluster, or an officer's own provinces."""
    scope = access.scope_for(user)
    if scope.can_read_cluster(cluster_id):
        return "all"
    return "p" + "-".join(str(p) for p in sorted(scope.officer_provinces))
