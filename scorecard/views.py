from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from osm import access, audit
from osm.access import Action
from osm.http import AuthedRequest
from osm.lib import charts, dates, display, spreadsheets
from osm.lib.workflow import StaleVersion
from osm.models import Cluster, Province
from scorecard import cache as scorecard_cache
from scorecard import selectors, services, sheets
from scorecard.forms import (
    CascadeForm,
    IndicatorForm,
    PeriodForm,
    ReasonForm,
    ReopenForm,
    ResultForm,
    ReviewForm,
    RoundForm,
    UploadForm,
)
from scorecard.models import Evidence, Indicator, ReportingRound, Result, Status

# --- Lookups --------------------------------------------------------------------------------


def get_cluster_for_user(user: Any, pk: int, *, edit: bool = False) -> Cluster:
    """A cluster whose scorecard the person may read: 404 outside, 403 when not editable."""
    scope = access.scope_for(user)
    try:
        cluster = Cluster.objects.get(pk=pk)
    except Cluster.DoesNotExist:
        raise Http404 from None
    if not (scope.can_read_cluster(pk) or pk in scope.officer_clusters):
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


def _default_period(cluster: Cluster | None) -> tuple[int, int]:
    """The latest period whose reporting deadline has passed (what the committee reads),
    else the latest round, else today's quarter. One small query on rounds."""
    rounds = ReportingRound.objects.order_by("-fiscal_year", "-quarter")
    if cluster is not None:
        rounds = rounds.filter(cluster=cluster)
    today = timezone.localdate()
    latest = list(rounds.values_list("fiscal_year", "quarter", "deadline")[:40])
    for year, quarter, deadline in latest:
        if deadline < today:
            return year, quarter
    if latest:
        return latest[0][0], latest[0][1]
    period = dates.fiscal_quarter_of(today)
    return period.year, period.quarter


def _period(request: HttpRequest, cluster: Cluster | None) -> tuple[PeriodForm, int, int]:
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
    year, quarter = _default_period(cluster)
    if year not in years:
        years.append(year)
    form = PeriodForm(years=sorted(years), initial={"year": year, "quarter": quarter})
    return form, year, quarter


def _render(
    request: AuthedRequest, template: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    if request.htmx and not request.htmx.boosted:
        template = f"{template}#{partial}"
    return render(request, template, context)


# --- Dashboards -----------------------------------------------------------------------------


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """The person's own scorecard: central users see the nation, others their cluster."""
    scope = access.scope_for(request.user)
    if scope.sees_all:
        return redirect("scorecard:national")
    clusters = sorted(scope.read_clusters | scope.officer_clusters)
    if not clusters:
        raise PermissionDenied
    return redirect("scorecard:cluster", clusters[0])


def _dashboard(
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
    if request.htmx and not request.htmx.boosted:
        return HttpResponse(html)
    return render(request, template, {**page, "dashboard_html": mark_safe(html)})  # noqa: S308


def _audience(user: Any, cluster_id: int) -> str:
    """Who sees which results: everything in the cluster, or an officer's own provinces."""
    scope = access.scope_for(user)
    if scope.can_read_cluster(cluster_id):
        return "all"
    return "p" + "-".join(str(p) for p in sorted(scope.officer_provinces))


@login_required
@require_GET
@vary_on_headers("HX-Request")
def national(request: AuthedRequest) -> HttpResponse:
    if not access.scope_for(request.user).sees_all:
        raise PermissionDenied
    form, year, quarter = _period(request, None)

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

    return _dashboard(
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
    form, year, quarter = _period(request, cluster)

    def build() -> dict[str, Any]:
        groups, totals = selectors.cluster_scorecard(cluster, fiscal_year=year, quarter=quarter)
        return {
            "year": year,
            "quarter": quarter,
            "groups": groups,
            "totals": [(s, totals.get(s.value, 0)) for s in Status],
        }

    page = {
        "cluster": cluster,
        "form": form,
        "can_edit": access.scope_for(request.user).can_edit_cluster(cluster.pk),
    }
    return _dashboard(
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
    form, year, quarter = _period(request, cluster)

    def build() -> dict[str, Any]:
        provinces, indicators, cells = selectors.province_comparison(
            cluster, access.visible(request.user, Result), fiscal_year=year, quarter=quarter
        )
        empty = selectors.Cell(Status.NO_DATA, None, None, None)
        rows = [
            {"indicator": ind, "cells": [cells.get((ind.pk, p.pk), empty) for p in provinces]}
            for ind in indicators
        ]
        return {"year": year, "quarter": quarter, "provinces": provinces, "rows": rows}

    page = {
        "cluster": cluster,
        "form": form,
        "can_edit": access.scope_for(request.user).can_edit_cluster(cluster.pk),
    }
    return _dashboard(
        request,
        "scorecard/comparison.html",
        scope=cluster.pk,
        key=(year, quarter, _audience(request.user, cluster.pk)),
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
    form, year, _quarter = _period(request, cluster)

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
    return _dashboard(
        request,
        "scorecard/timeliness.html",
        scope=cluster.pk,
        key=(year,),
        build=build,
        page=page,
    )


@login_required
@require_GET
@vary_on_headers("HX-Request")
def indicator_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_user(request.user, pk)
    form, year, quarter = _period(request, indicator.cluster)

    def build() -> dict[str, Any]:
        trend = selectors.indicator_trend(indicator)
        labels = [dates.FiscalQuarter(t["fiscal_year"], t["quarter"]).short_label() for t in trend]
        chart = charts.line_chart(
            labels,
            [
                charts.Series(_("Cluster value"), [t["value"] for t in trend]),
                charts.Series(_("Target for the year"), [t["target"] for t in trend]),
            ],
            title=_("Trend of %(indicator)s") % {"indicator": indicator.name},
        )
        visible = access.visible(request.user, Result)
        breakdown = list(
            selectors.province_results(
                visible.filter(indicator=indicator).select_related("province"),
                fiscal_year=year,
                quarter=quarter,
            ).order_by("province__name_th")
        )
        return {
            "indicator": indicator,
            "year": year,
            "quarter": quarter,
            "trend": list(zip(labels, trend, strict=True)),
            "chart": chart,
            "breakdown": breakdown,
            "results": selectors.indicator_results(indicator, visible)[:200],
            # Changes of the indicator go through services, which forget this fragment.
            "history": audit.history_for(indicator),
        }

    page = {
        "indicator": indicator,
        "form": form,
        "year": year,
        "quarter": quarter,
        "can_edit": access.can(request.user, Action.EDIT, indicator),
    }
    return _dashboard(
        request,
        "scorecard/indicator_detail.html",
        scope=indicator.cluster_id,
        key=(indicator.pk, year, quarter, _audience(request.user, indicator.cluster_id)),
        build=build,
        page=page,
    )


# --- Indicators and targets -----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request: AuthedRequest, objective_pk: int) -> HttpResponse:
    from strategy.models import Objective

    scope = access.scope_for(request.user)
    try:
        objective = Objective.objects.select_related("plan").get(pk=objective_pk)
    except Objective.DoesNotExist:
        raise Http404 from None
    cluster_id = objective.plan.cluster_id
    if not (scope.can_read_cluster(cluster_id) or cluster_id in scope.officer_clusters):
        raise Http404
    if not scope.can_edit_cluster(cluster_id):
        raise PermissionDenied
    form = IndicatorForm(request.POST or None, cluster_id=cluster_id)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(objective=objective, **form.cleaned_data)
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(request, _("The indicator was created."))
            return redirect("scorecard:targets", indicator.pk)
    return render(request, "scorecard/indicator_form.html", {"form": form, "objective": objective})


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_user(request.user, pk, edit=True)
    form = IndicatorForm(request.POST or None, instance=indicator, cluster_id=indicator.cluster_id)
    if request.method == "POST" and form.is_valid():
        services.indicator_update(
            indicator=indicator, **{k: form.cleaned_data[k] for k in form.changed_data}
        )
        messages.success(request, _("The indicator was saved."))
        return redirect(indicator)
    context = {"form": form, "objective": indicator.objective, "indicator": indicator}
    return render(request, "scorecard/indicator_form.html", context)


def _cascade_context(indicator: Indicator, form: CascadeForm, checks: list[Any]) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "form": form,
        "checks": checks,
        "years": form.years,
        "split_methods": [
            (services.SplitMethod.EQUAL, _("Split equally")),
            (services.SplitMethod.WEIGHTS, _("Split by weights")),
            (services.SplitMethod.BASELINE, _("Split by baseline")),
        ],
    }


def _cascade_form(indicator: Indicator, data: Any = None) -> CascadeForm:
    provinces, cascaded, targets = selectors.cascade_rows(indicator)
    plan = indicator.objective.plan
    years = list(plan.years)
    initial: dict[str, Any] = {}
    for year in years:
        if year in targets:
            initial[f"cluster-{year}"] = targets[year].value
        for p in provinces:
            pt = cascaded.get((p.pk, year))
            if pt is not None:
                initial[f"p{p.pk}-{year}"] = pt.value
                if pt.weight is not None:
                    initial[f"w{p.pk}"] = pt.weight
    return CascadeForm(data, years=years, provinces=provinces, initial=initial)


def _checks(indicator: Indicator, form: CascadeForm) -> list[Any]:
    """The cascade check for each year that has anything entered."""
    out: list[tuple[int, services.CascadeCheck | None]] = []
    for year in form.years:
        values = form.province_values(year)
        cluster = form.cluster_targets()[year]
        if cluster is None and not any(v is not None for v in values.values()):
            out.append((year, None))
            continue
        out.append(
            (
                year,
                services.cascade_check(
                    indicator=indicator,
                    cluster_target=cluster,
                    values=values,
                    weights=form.weights(),
                ),
            )
        )
    return out


@login_required
@require_http_methods(["GET", "POST"])
def targets_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Cluster targets per year and their cascade to provinces (provinces × years).

    POST with `split` fills in a proposal (not saved); POST with `save` saves everything or,
    when any year disagrees with its cluster target, nothing.
    """
    indicator = get_indicator_for_user(request.user, pk)
    can_edit = access.can(request.user, Action.EDIT, indicator)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = _cascade_form(indicator, request.POST if request.method == "POST" else None)
    checks: list[Any] = []
    if request.method == "POST" and form.is_valid():
        if request.POST.get("split"):
            form = _apply_split(indicator, form, request.POST["split"])
        else:
            try:
                _save_cascade(indicator, form)
            except ValidationError as err:
                form.add_error(None, err)
            else:
                messages.success(request, _("The targets were saved."))
                if request.htmx:
                    return HttpResponseClientRedirect(reverse("scorecard:targets", args=[pk]))
                return redirect("scorecard:targets", pk)
        if form.is_bound and form.is_valid():
            checks = _checks(indicator, form)
    elif not form.is_bound:
        bound = _cascade_form(indicator, dict(form.initial))
        checks = _checks(indicator, bound) if bound.is_valid() else []
    context = _cascade_context(indicator, form, checks) | {"can_edit": can_edit}
    return _render(request, "scorecard/targets.html", "cascade-form", context)


@transaction.atomic
def _save_cascade(indicator: Indicator, form: CascadeForm) -> None:
    services.targets_set(indicator=indicator, values=form.cluster_targets())
    errors = []
    for year in form.years:
        values = form.province_values(year)
        if not any(v is not None for v in values.values()):
            continue
        try:
            services.cascade_save(
                indicator=indicator, fiscal_year=year, values=values, weights=form.weights()
            )
        except ValidationError as err:
            errors.append(f"{year}: {' '.join(err.messages)}")
    if errors:
        raise ValidationError(errors)


def _apply_split(indicator: Indicator, form: CascadeForm, method: str) -> CascadeForm:
    data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict when bound
    shares_by_year: dict[int, Any] = {}
    for year, cluster in form.cluster_targets().items():
        if cluster is None:
            continue
        if method == services.SplitMethod.BASELINE:
            shares = shares_by_year.setdefault(year, selectors.province_baselines(indicator, year))
        else:
            shares = form.weights()
        try:
            split = services.cascade_split(
                indicator=indicator,
                cluster_target=cluster,
                province_ids=[p.pk for p in form.provinces],
                method=method,
                shares=shares,
            )
        except ValidationError as err:
            new = CascadeForm(data, years=form.years, provinces=form.provinces)
            new.is_valid()
            new.add_error(None, err)
            return new
        for pid, value in split.items():
            data[f"p{pid}-{year}"] = str(value)
    new = CascadeForm(data, years=form.years, provinces=form.provinces)
    new.is_valid()
    new.proposal = True  # type: ignore[attr-defined]
    return new


@login_required
@require_POST
def cascade_check(request: AuthedRequest, pk: int) -> HttpResponse:
    """Live check of the cascade while OSM staff type (htmx); saves nothing."""
    indicator = get_indicator_for_user(request.user, pk, edit=True)
    form = _cascade_form(indicator, request.POST)
    checks = _checks(indicator, form) if form.is_valid() else []
    context = _cascade_context(indicator, form, checks) | {"can_edit": True}
    return render(request, "scorecard/targets.html#cascade-check", context)


# --- Reporting rounds -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def round_list(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk)
    can_edit = access.scope_for(request.user).can_edit_cluster(cluster.pk)
    current = dates.current_fiscal_year()
    years = list(range(current - 1, current + 2))
    period = dates.fiscal_quarter_of(timezone.localdate())
    form = RoundForm(
        request.POST or None,
        years=years,
        initial={
            "fiscal_year": period.year,
            "quarter": period.quarter,
            "deadline": services.default_deadline(period.year, period.quarter),
        },
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                created = services.round_open(cluster=cluster, by=request.user, **form.cleaned_data)
            except ValidationError as err:
                form.add_error(None, err)
            else:
                messages.success(request, _("The reporting round is open."))
                return redirect(created)
    context = {
        "cluster": cluster,
        "rounds": selectors.rounds_of_cluster(cluster),
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "scorecard/round_list.html", context)


@login_required
@require_GET
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    reporting_round = get_round_for_user(request.user, pk)
    scope = access.scope_for(request.user)
    own = scope.officer_provinces
    context: dict[str, Any] = {
        "round": reporting_round,
        "can_edit": scope.can_edit_cluster(reporting_round.cluster_id),
        "reopen_form": ReasonForm(),
        "upload_form": UploadForm(),
        "history": audit.history_for(reporting_round),
    }
    if own:
        context["results"] = selectors.round_results_for_province(reporting_round, own)
    if scope.can_read_cluster(reporting_round.cluster_id):
        context["progress"] = selectors.round_progress(reporting_round)
        context["cluster_results"] = selectors.round_cluster_results(reporting_round)
    return render(request, "scorecard/round_detail.html", context)


@login_required
@require_POST
def round_close(request: AuthedRequest, pk: int) -> HttpResponse:
    reporting_round = get_round_for_user(request.user, pk, edit=True)
    try:
        services.round_close(reporting_round=reporting_round)
    except ValidationError as err:
        messages.error(request, " ".join(err.messages))
    else:
        messages.success(request, _("The round is closed."))
    return redirect(reporting_round)


@login_required
@require_POST
def round_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    reporting_round = get_round_for_user(request.user, pk, edit=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.round_reopen(reporting_round=reporting_round, **form.cleaned_data)
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("The round is open again."))
    else:
        messages.error(request, _("Give a reason for reopening the round."))
    return redirect(reporting_round)


# --- Results --------------------------------------------------------------------------------


def _result_context(result: Result, form: ResultForm, **extra: Any) -> dict[str, Any]:
    return {
        "result": result,
        "form": form,
        "target": services.province_target_value(result),
        "evidence": list(result.evidence.all()),
        "history": audit.history_for(result),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def result_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """A province enters, saves as draft, or submits one result (staff and committee see it)."""
    result = get_result_for_user(request.user, pk)
    can_submit = access.can(request.user, Action.SUBMIT, result)
    if request.method == "POST" and not can_submit:
        raise PermissionDenied
    form = ResultForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "reporting": result.reporting,
            "value": result.value,
            "note": result.note,
            "explanation": result.explanation,
            "corrective_action": result.corrective_action,
            "version": result.version,
        },
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.result_save(
                    result=result,
                    by=request.user,
                    expected_version=data["version"],
                    reporting=data["reporting"],
                    value=data["value"],
                    note=data["note"],
                    explanation=data["explanation"],
                    corrective_action=data["corrective_action"],
                    submit=request.POST.get("action") == "submit",
                )
                if data.get("evidence"):
                    services.evidence_add(result=result, by=request.user, upload=data["evidence"])
        except StaleVersion as err:
            conflict = err.current
            form.add_error(None, err)
        except ValidationError as err:
            _add_errors(form, err)
        else:
            if result.status == "submitted":
                messages.success(request, _("The result was submitted for review."))
            else:
                messages.success(request, _("The draft was saved."))
            return redirect(result.round or result)
    context = _result_context(result, form, can_submit=can_submit, conflict=conflict)
    context["can_review"] = access.can(request.user, Action.REVIEW, result)
    context["review_form"] = ReviewForm(initial={"version": result.version})
    context["reopen_form"] = ReopenForm(initial={"version": result.version})
    status = 409 if conflict is not None else 200
    return render(request, "scorecard/result_edit.html", context, status=status)


def _add_errors(form: Any, err: ValidationError) -> None:
    """Put a service's errors on the form: field-keyed where the form has the field."""
    if not hasattr(err, "error_dict"):
        form.add_error(None, err)
        return
    for field, errors in err.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_POST
def result_review(request: AuthedRequest, pk: int) -> HttpResponse:
    result = get_result_for_user(request.user, pk, action=Action.REVIEW)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.result_review(
                result=result,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(
                request, _("Approved.") if result.is_locked else _("Returned to the province.")
            )
    else:
        messages.error(request, _("The review could not be recorded."))
    if request.htmx:
        return render(
            request,
            "scorecard/review_queue.html#review-row",
            {"r": result, "review_form": ReviewForm(initial={"version": result.version})},
        )
    return redirect(
        request.POST.get("next") or reverse("scorecard:review", args=[result.indicator.cluster_id])
    )


@login_required
@require_POST
def result_reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    result = get_result_for_user(request.user, pk, action=Action.REVIEW)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.result_reopen(
                result=result,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(request, _("The result is reopened for correction."))
    else:
        messages.error(request, _("Give a reason for reopening."))
    return redirect(result)


@login_required
@require_GET
def review_queue(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk, edit=True)
    rows = list(selectors.review_queue([cluster.pk]))
    context = {
        "cluster": cluster,
        "rows": [(r, ReviewForm(initial={"version": r.version})) for r in rows],
    }
    return render(request, "scorecard/review_queue.html", context)


@login_required
@require_GET
def evidence_download(request: AuthedRequest, pk: int) -> FileResponse:
    """Evidence is served only here, to people who may see its result."""
    evidence = access.get_for_user(
        request.user, Evidence.objects.select_related("result__indicator"), pk=pk
    )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Excel round trip -----------------------------------------------------------------------


def _upload_provinces(user: Any, reporting_round: ReportingRound) -> frozenset[int]:
    """The round's provinces this person reports for (administrators: all of them)."""
    scope = access.scope_for(user)
    provinces = Province.objects.filter(cluster_id=reporting_round.cluster_id)
    if not scope.is_superuser:
        provinces = provinces.filter(pk__in=scope.officer_provinces)
    return frozenset(provinces.values_list("pk", flat=True))


@login_required
@require_GET
def round_workbook(request: AuthedRequest, pk: int) -> HttpResponse:
    """The round's results the person may see, as a pre-filled workbook."""
    reporting_round = get_round_for_user(request.user, pk)
    scope = access.scope_for(request.user)
    results = access.visible(request.user, Result).filter(
        round=reporting_round, province__isnull=False
    )
    if not scope.can_read_cluster(reporting_round.cluster_id):
        results = results.filter(province_id__in=scope.officer_provinces)
    results = results.select_related("indicator", "province", "province_target").order_by(
        "province__name_th", *selectors.INDICATOR_ORDER
    )
    content = spreadsheets.export_workbook(
        sheets.ResultSheet(), sheets.workbook_rows(results), locked=sheets.LOCKED_COLUMNS
    )
    response = HttpResponse(content, content_type=spreadsheets.XLSX_CONTENT_TYPE)
    filename = f"results-{reporting_round.fiscal_year}-q{reporting_round.quarter}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def round_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """A province uploads the filled-in workbook: every row saved as a draft, or none."""
    reporting_round = get_round_for_user(request.user, pk)
    provinces = _upload_provinces(request.user, reporting_round)
    if not provinces:
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    report = None
    if form.is_valid():
        if not reporting_round.is_open:
            form.add_error(None, _("The reporting round is closed."))
        else:
            context = sheets.UploadContext(reporting_round, request.user, provinces)
            report = spreadsheets.import_file(
                sheets.ResultSheet(), form.cleaned_data["workbook"], context=context
            )
            if report.ok:
                messages.success(
                    request,
                    _("%(n)s results were saved as drafts. Check them and submit.")
                    % {"n": len(report.saved)},
                )
                return redirect(reporting_round)
    results = selectors.round_results_for_province(reporting_round, provinces)
    context_data = {
        "round": reporting_round,
        "results": results,
        "upload_form": form,
        "import_report": report,
        "can_edit": False,
        "history": [],
    }
    return render(request, "scorecard/round_detail.html", context_data, status=400)
