"""Indicators: create, read, edit, and their targets with the cascade to provinces."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from osm import access, audit
from osm.access import Action
from osm.http import (
    AuthedRequest,
    apply_errors,
    conflict,
    conflict_status,
    render_page_or_partial,
    safe_next,
)
from osm.lib import charts, dates
from osm.lib.locking import StaleVersion
from scorecard import explain, selectors, services, weights
from scorecard.forms import (
    CascadeForm,
    CorrectiveActionForm,
    IndicatorForm,
)
from scorecard.models import CorrectiveAction, Indicator, ReportingRound, Result
from scorecard.rollup import NO_ROLLUP, rollups
from scorecard.views._common import (
    audience_key,
    get_indicator_for_user,
    get_period,
    render_dashboard,
)


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
    if not scope.reads_cluster(cluster_id):
        raise Http404
    if not scope.can_edit_cluster(cluster_id):
        raise PermissionDenied
    form = IndicatorForm(request.POST or None, cluster_id=cluster_id)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(objective=objective, **form.cleaned_data)
        except ValidationError as err:
            apply_errors(form, err)
        else:
            messages.success(request, _("The indicator was created."))
            return redirect("scorecard:targets", indicator.pk)
    return render(request, "scorecard/indicator_form.html", {"form": form, "objective": objective})


@login_required
@require_GET
@vary_on_headers("HX-Request")
def indicator_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_user(request.user, pk)
    form, year, quarter = get_period(request, indicator.cluster)

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
        breakdown = selectors.province_results(
            visible.filter(indicator=indicator).select_related("province"),
            fiscal_year=year,
            quarter=quarter,
        )
        rollup = rollups(fiscal_year=year, quarter=quarter, indicator_ids=[indicator.pk]).get(
            indicator.pk, NO_ROLLUP
        )
        return {
            "indicator": indicator,
            "year": year,
            "quarter": quarter,
            "rollup": rollup,
            "coverage": explain.coverage_text(rollup, indicator),
            "reasons": explain.rollup_reasons(rollup, indicator, quarter=quarter),
            "trend": list(zip(labels, trend, strict=True)),
            "chart": chart,
            "breakdown": breakdown,
            "results": selectors.indicator_results(indicator, visible)[:200],
            # Changes of the indicator go through services, which forget this fragment.
            "history": audit.history_for_user(request.user, indicator),
        }

    page = {
        "indicator": indicator,
        "form": form,
        "year": year,
        "quarter": quarter,
        "can_edit": access.can(request.user, Action.EDIT, indicator),
        # Outside the cached fragment: recorded by staff, shown as soon as saved.
        "corrective_actions": CorrectiveAction.objects.filter(indicator=indicator).select_related(
            "recorded_by"
        ),
    }
    return render_dashboard(
        request,
        "scorecard/indicator_detail.html",
        scope=indicator.cluster_id,
        key=(indicator.pk, year, quarter, audience_key(request.user, indicator.cluster_id)),
        build=build,
        page=page,
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_user(request.user, pk, edit=True)
    form = IndicatorForm(request.POST or None, instance=indicator, cluster_id=indicator.cluster_id)
    context: dict[str, Any] = {
        "form": form,
        "objective": indicator.objective,
        "indicator": indicator,
    }
    status = 200
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "lock_version"}
        try:
            services.indicator_update(
                indicator=indicator, lock_version=form.cleaned_data["lock_version"], **fields
            )
        except StaleVersion as error:
            context |= conflict(request, form, error)
            status = conflict_status(request)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The indicator was saved."))
            return redirect(indicator)
    return render(request, "scorecard/indicator_form.html", context, status=status)


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
        "weight_sources": weights.weight_sources(indicator),
    }


def _cascade_form(indicator: Indicator, data: Any = None) -> CascadeForm:
    provinces, cascaded, targets = selectors.cascade_rows(indicator)
    plan = indicator.objective.plan
    years = list(plan.years)
    initial: dict[str, Any] = {}
    unit = services.unit_of(indicator)

    def shown(value: Any) -> Any:
        # Stored with four places; shown with the indicator's own.
        return None if value is None else value.quantize(unit)

    for year in years:
        if year in targets:
            initial[f"cluster-{year}"] = shown(targets[year].value)
        for p in provinces:
            pt = cascaded.get((p.pk, year))
            if pt is not None:
                if pt.value is not None:
                    initial[f"p{p.pk}-{year}"] = shown(pt.value)
                if pt.weight is not None:
                    initial[f"w{p.pk}"] = plain(pt.weight)
    initial["lock_version"] = indicator.targets_lock_version
    return CascadeForm(
        data,
        years=years,
        provinces=provinces,
        initial=initial,
        lock_version=indicator.targets_lock_version,
    )


def _checks(indicator: Indicator, form: CascadeForm) -> list[Any]:
    """The cascade check for each year that has anything entered."""
    return services.cascade_checks(
        indicator=indicator,
        cluster_targets=form.cluster_targets(),
        province_values={year: form.province_values(year) for year in form.years},
        weights=form.weights(),
    )


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
    context_extra: dict[str, Any] = {}
    status = 200
    if request.method == "POST" and form.is_valid():
        if request.POST.get("split"):
            form = _apply_split(indicator, form, request.POST["split"])
        elif "copy_weights" in request.POST:
            form = _copy_weights(indicator, form, request.POST.get("weights_source", ""))
        else:
            try:
                services.targets_cascade_save(
                    indicator=indicator,
                    cluster_targets=form.cluster_targets(),
                    province_values={year: form.province_values(year) for year in form.years},
                    weights=form.weights(),
                    lock_version=form.cleaned_data["lock_version"],
                )
            except StaleVersion:
                indicator.refresh_from_db()
                context_extra = _targets_conflict(indicator, form)
                status = conflict_status(request)
            except ValidationError as err:
                apply_errors(form, err)
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
    context = _cascade_context(indicator, form, checks) | {"can_edit": can_edit} | context_extra
    return render_page_or_partial(
        request, "scorecard/targets.html", "cascade-form", context, status=status
    )


def _targets_conflict(indicator: Indicator, form: CascadeForm) -> dict[str, Any]:
    """The conflict panel of the targets table: each cell somebody else saved differently."""
    saved = _cascade_form(indicator).initial
    rows = [
        {"label": field.label, "saved": saved.get(name), "yours": form.cleaned_data.get(name)}
        for name, field in form.fields.items()
        if name != "lock_version" and saved.get(name) != form.cleaned_data.get(name)
    ]
    form.show_conflict(indicator, field="targets_lock_version")
    return {"conflict": rows}


def _read_version(form: CascadeForm) -> int:
    """The targets' version the person read (kept through a proposed split)."""
    return int(form.cleaned_data.get("lock_version") or form.fields["lock_version"].initial)


def plain(value: Decimal) -> str:
    """A weight as typed: 10, 2.5 — not 10.0000."""
    return format(value.normalize(), "f")


def _copy_weights(indicator: Indicator, form: CascadeForm, source: str) -> CascadeForm:
    """Fill the weight column from another indicator or an earlier year (not saved yet)."""
    data = form.data.copy()  # a QueryDict when bound
    sources = dict(weights.weight_sources(indicator))
    found = weights.weights_from(indicator, source) if source in sources else {}
    for p in form.provinces:
        data[f"w{p.pk}"] = plain(found[p.pk]) if p.pk in found else ""
    new = CascadeForm(
        data, years=form.years, provinces=form.provinces, lock_version=_read_version(form)
    )
    new.is_valid()
    if not found:
        new.add_error(None, _("Choose where to copy the weights from."))
    else:
        new.proposal = True  # type: ignore[attr-defined]
    return new


def _apply_split(indicator: Indicator, form: CascadeForm, method: str) -> CascadeForm:
    """The form again, filled in with the proposed split (or with why it cannot be made)."""
    data = form.data.copy()  # a QueryDict when bound
    try:
        proposal = services.cascade_propose(
            indicator=indicator,
            cluster_targets=form.cluster_targets(),
            province_ids=[p.pk for p in form.provinces],
            method=method,
            weights=form.weights(),
        )
    except ValidationError as err:
        new = CascadeForm(
            data, years=form.years, provinces=form.provinces, lock_version=_read_version(form)
        )
        new.is_valid()
        new.add_error(None, err)
        return new
    for year, split in proposal.items():
        for pid, value in split.items():
            data[f"p{pid}-{year}"] = str(value)
    new = CascadeForm(
        data, years=form.years, provinces=form.provinces, lock_version=_read_version(form)
    )
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


@login_required
@require_POST
def indicator_fate(request: AuthedRequest, pk: int) -> HttpResponse:
    """What happens to the indicator when the plan version that drops its objective is
    approved: move it to another objective of that version, retire it, or undo the choice.
    Sent from the strategy app's approval page, which it returns to."""
    from strategy.models import Objective

    indicator = get_indicator_for_user(request.user, pk, edit=True)
    action = request.POST.get("action", "")
    objective = None
    if action == services.MOVE:
        wanted = request.POST.get("objective", "")
        objective = (
            Objective.objects.select_related("plan").filter(pk=int(wanted)).first()
            if wanted.isdigit()
            else None
        )
    try:
        services.indicator_plan_fate(indicator=indicator, action=action, objective=objective)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Indicator %(code)s: the choice was saved.") % {"code": indicator.code}
        )
    return redirect(safe_next(request, indicator.get_absolute_url()))


@login_required
@require_http_methods(["GET", "POST"])
def corrective_action(request: AuthedRequest, pk: int) -> HttpResponse:
    """Staff record what the cluster will do about an indicator off track in a round."""
    indicator = get_indicator_for_user(request.user, pk, edit=True)
    rounds = list(
        ReportingRound.objects.filter(cluster_id=indicator.cluster_id)
        .order_by("-fiscal_year", "-quarter")
        .values_list("fiscal_year", "quarter")
    )
    form = CorrectiveActionForm(request.POST or None, rounds=rounds)
    if request.method == "POST" and form.is_valid():
        year, quarter = form.cleaned_data["period"]
        try:
            services.corrective_action_record(
                indicator=indicator,
                fiscal_year=year,
                quarter=quarter,
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The corrective action for %(period)s was saved.")
                % {"period": dates.FiscalQuarter(year, quarter).short_label()},
            )
            return redirect(indicator.get_absolute_url() + "#corrective")
    actions = CorrectiveAction.objects.filter(indicator=indicator).select_related("recorded_by")
    return render(
        request,
        "scorecard/corrective_action.html",
        {"indicator": indicator, "form": form, "actions": actions},
    )
