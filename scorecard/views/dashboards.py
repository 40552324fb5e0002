"""Dashboards: the person's own scorecard, national, cluster, province comparison and
timeliness."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from osm import access
from osm.http import AuthedRequest
from osm.lib import charts
from scorecard import cache as scorecard_cache
from scorecard import links, selectors
from scorecard.models import Result, Status
from scorecard.views._common import (
    audience_key,
    get_cluster_for_user,
    get_period,
    render_dashboard,
)


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """The person's own scorecard: central users see the nation, others their cluster."""
    scope = access.scope_for(request.user)
    if scope.sees_all:
        return redirect("scorecard:national")
    clusters = sorted(scope.reader_clusters)
    if not clusters:
        raise PermissionDenied
    return redirect("scorecard:cluster", clusters[0])


@login_required
@require_GET
@vary_on_headers("HX-Request")
def national(request: AuthedRequest) -> HttpResponse:
    if not access.scope_for(request.user).sees_all:
        raise PermissionDenied
    form, year, quarter = get_period(request, None)

    def build() -> dict[str, Any]:
        summaries = selectors.national_overview(fiscal_year=year, quarter=quarter)
        chart = charts.bar_chart(
            [s.cluster.name for s in summaries],
            [s.share(Status.ON_TRACK) for s in summaries],
            title=_("Share of indicators on track, by cluster"),
            max_value=100,
            suffix="%",
        )
        return {"year": year, "quarter": quarter, "summaries": summaries, "chart": chart}

    return render_dashboard(
        request,
        "scorecard/national.html",
        scope=scorecard_cache.NATIONAL,
        key=(year, quarter),
        build=build,
        page={"form": form, "year": year, "quarter": quarter},
    )


@login_required
@require_GET
@vary_on_headers("HX-Request")
def cluster_scorecard(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk)
    form, year, quarter = get_period(request, cluster)

    def build() -> dict[str, Any]:
        groups, totals = selectors.cluster_scorecard(cluster, fiscal_year=year, quarter=quarter)
        return {
            "year": year,
            "quarter": quarter,
            "groups": groups,
            "totals": [(s, totals.get(s.value, 0)) for s in Status],
            "provisional": totals.get("provisional", 0),
        }

    can_edit = access.scope_for(request.user).can_edit_cluster(cluster.pk)
    objectives = links.objectives_for_new_indicators(cluster) if can_edit else []
    page = {
        "cluster": cluster,
        "form": form,
        "can_edit": can_edit,
        "new_indicator_objectives": objectives,
        "objectives_without_indicators": sum(1 for o in objectives if not o.n_indicators),
    }
    return render_dashboard(
        request,
        "scorecard/cluster_scorecard.html",
        scope=cluster.pk,
        key=(year, quarter),
        build=build,
        page=page,
    )


@login_required
@require_GET
@vary_on_headers("HX-Request")
def comparison(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk)
    form, year, quarter = get_period(request, cluster)

    def build() -> dict[str, Any]:
        provinces, indicators, cells = selectors.province_comparison(
            cluster, access.visible(request.user, Result), fiscal_year=year, quarter=quarter
        )
        rows = []
        for ind in indicators:
            empty = selectors.empty_cell(ind, quarter)
            rows.append(
                {"indicator": ind, "cells": [cells.get((ind.pk, p.pk), empty) for p in provinces]}
            )
        return {"year": year, "quarter": quarter, "provinces": provinces, "rows": rows}

    page = {
        "cluster": cluster,
        "form": form,
        "can_edit": access.scope_for(request.user).can_edit_cluster(cluster.pk),
    }
    return render_dashboard(
        request,
        "scorecard/comparison.html",
        scope=cluster.pk,
        key=(year, quarter, audience_key(request.user, cluster.pk)),
        build=build,
        page=page,
    )


@login_required
@require_GET
@vary_on_headers("HX-Request")
def timeliness(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk)
    scope = access.scope_for(request.user)
    if not scope.can_read_cluster(cluster.pk):
        raise PermissionDenied  # officers see their own due list, not the league table
    form, year, _quarter = get_period(request, cluster)

    def build() -> dict[str, Any]:
        rounds, provinces, grid, totals = selectors.timeliness(cluster, fiscal_year=year)
        rows = [
            {
                "province": p,
                "cells": [grid.get((r.pk, p.pk)) for r in rounds],
                "year": totals.get(p.pk),
            }
            for p in provinces
        ]
        chart = charts.bar_chart(
            [p.name for p in provinces],
            [totals[p.pk].score if p.pk in totals else None for p in provinces],
            title=_("Reported on time and complete, share of indicators due"),
            max_value=100,
            suffix="%",
        )
        return {"year": year, "rounds": rounds, "rows": rows, "chart": chart}

    page = {"cluster": cluster, "form": form, "can_edit": scope.can_edit_cluster(cluster.pk)}
    return render_dashboard(
        request,
        "scorecard/timeliness.html",
        scope=cluster.pk,
        key=(year,),
        build=build,
        page=page,
    )
