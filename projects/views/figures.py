"""The integration views: budget by issue, objective, province and source; disbursement
against plan and the government's targets; gaps (projects moving no indicator, objectives
no project serves); people and their open tasks. Plus the settings behind them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from osm import access
from osm.http import AuthedRequest
from osm.lib import charts, dates
from projects import figures, selectors
from projects.access import may_set_government_targets
from projects.forms import GovernmentTargetForm, SettingsForm
from projects.models import GovernmentDisbursementTarget
from projects.services import money as money_services
from projects.views.common import (
    add_errors,
    get_cluster_for_user,
    quarter_from,
    render_page,
    year_from,
    years_around,
)

PAGE_SIZE = 50
MILLION = Decimal(1_000_000)


def _base(request: AuthedRequest, pk: int) -> dict[str, Any]:
    cluster = get_cluster_for_user(request.user, pk)
    year = year_from(request)
    return {
        "cluster": cluster,
        "year": year,
        "years": years_around(year),
        "can_edit": access.scope_for(request.user).can_edit_cluster(cluster.pk),
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def budget(request: AuthedRequest, pk: int) -> HttpResponse:
    context = _base(request, pk)
    cluster, year = context["cluster"], context["year"]
    tables = figures.budget_breakdowns(cluster.pk, year)
    titles = {
        "issue": _("By strategic issue"),
        "objective": _("By objective"),
        "province": _("By province (a project's money split equally between its provinces)"),
        "source": _("By budget source"),
    }
    context["grand"] = figures.budget_totals(cluster.pk, year)
    context["tables"] = [
        {"key": key, "title": titles[key], "rows": rows, "total": figures.column_totals(rows)}
        for key, rows in tables.items()
    ]
    issue_rows = tables["issue"]
    context["chart"] = charts.bar_chart(
        [f"{r['code']} {r['label']}"[:40] for r in issue_rows],
        [r["budget"] / MILLION for r in issue_rows],
        title=_("Budget by strategic issue (million baht)"),
    )
    province_rows = tables["province"]
    context["province_chart"] = charts.bar_chart(
        [r["label"] or _("No province") for r in province_rows],
        [r["budget"] / MILLION for r in province_rows],
        title=_("Budget by province (million baht)"),
    )
    return render_page(request, "projects/budget.html", "figures", context)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def disbursement(request: AuthedRequest, pk: int) -> HttpResponse:
    context = _base(request, pk)
    cluster, year = context["cluster"], context["year"]
    quarter = quarter_from(request, year)
    summary = figures.disbursement_by_quarter(cluster.pk, year)
    rows = summary["rows"]
    today = dates.fiscal_quarter_of(timezone.localdate())
    for row in rows:
        # Quarters still to come have no disbursement yet, not the amount carried forward.
        if (year, row["quarter"]) > (today.year, today.quarter):
            row["disbursed"] = row["disbursed_pct"] = None
    labels = [_("Q%(q)s") % {"q": r["quarter"]} for r in rows]
    context.update(
        quarter=quarter,
        summary=summary,
        chart=charts.line_chart(
            labels,
            [
                charts.Series(_("Planned"), [r["planned_pct"] for r in rows]),
                charts.Series(_("Disbursed"), [r["disbursed_pct"] for r in rows]),
                charts.Series(_("Government target"), [r["target_pct"] for r in rows]),
            ],
            title=_("Disbursement to date, per cent of the budget"),
        ),
        page=Paginator(
            figures.projects_against_plan(cluster.pk, year, quarter), PAGE_SIZE
        ).get_page(request.GET.get("page")),
        threshold=_threshold(cluster),
    )
    return render_page(request, "projects/disbursement.html", "figures", context)


def _threshold(cluster: Any) -> Decimal:
    from projects.models import ProjectSettings

    found = (
        ProjectSettings.objects.filter(cluster=cluster)
        .values_list("disbursement_lag_pct", flat=True)
        .first()
    )
    return found if found is not None else Decimal(10)


@login_required
@require_GET
def gaps(request: AuthedRequest, pk: int) -> HttpResponse:
    context = _base(request, pk)
    cluster, year = context["cluster"], context["year"]
    unlinked = selectors.projects_without_indicator(cluster.pk, year)
    orphans = selectors.objectives_without_project(cluster.pk, year)
    context.update(
        unlinked=Paginator(unlinked, PAGE_SIZE).get_page(request.GET.get("page")),
        orphans=list(orphans[:200]),
        orphan_count=orphans.count(),
    )
    return render(request, "projects/gaps.html", context)


@login_required
@require_GET
def people(request: AuthedRequest, pk: int) -> HttpResponse:
    context = _base(request, pk)
    quarter = quarter_from(request, context["year"])
    context["quarter"] = quarter
    context.update(selectors.people(context["cluster"], context["year"], quarter))
    return render(request, "projects/people.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def government_targets(request: AuthedRequest) -> HttpResponse:
    """The government's quarterly disbursement targets: set by central, read by everyone."""
    scope = access.scope_for(request.user)
    can_edit = may_set_government_targets(scope)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    year = year_from(request)
    rows = list(access.visible(request.user, GovernmentDisbursementTarget).filter(fiscal_year=year))
    initial: dict[str, Any] = {
        "year": year,
        "category": GovernmentDisbursementTarget.Category.OVERALL,
    }
    for row in rows:
        if row.category == GovernmentDisbursementTarget.Category.OVERALL:
            initial[f"q{row.quarter}"] = row.pct
            initial["source"], initial["approved_on"] = row.source, row.approved_on
    form = GovernmentTargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            money_services.government_targets_set(
                fiscal_year=data["year"],
                category=data["category"],
                pcts={q: data[f"q{q}"] for q in (1, 2, 3, 4)},
                source=data["source"],
                approved_on=data["approved_on"],
            )
        except ValidationError as err:
            add_errors(form, err)
        else:
            messages.success(request, _("The disbursement targets were saved."))
            return redirect(reverse("projects:targets") + f"?year={data['year']}")
    table: dict[str, dict[str, Any]] = {}
    for row in rows:
        table.setdefault(str(row.get_category_display()), {})[str(row.quarter)] = row.pct
    context = {
        "year": year,
        "years": years_around(year),
        "form": form,
        "can_edit": can_edit,
        "table": table,
        "sources": sorted({r.source for r in rows if r.source}),
    }
    return render(request, "projects/targets.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def warning_settings(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk, edit=True)
    current = money_services.settings_for(cluster) if request.method == "POST" else None
    if current is None:
        from projects.models import ProjectSettings

        current = ProjectSettings.objects.filter(cluster=cluster).first() or ProjectSettings(
            cluster=cluster
        )
    form = SettingsForm(
        request.POST or None,
        initial={
            "disbursement_lag_pct": current.disbursement_lag_pct,
            "progress_lag_pct": current.progress_lag_pct,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            money_services.settings_update(cluster=cluster, **form.cleaned_data)
        except ValidationError as err:
            add_errors(form, err)
        else:
            messages.success(request, _("The warning thresholds were saved."))
            return redirect("projects:settings", cluster.pk)
    return render(
        request,
        "projects/settings.html",
        {"cluster": cluster, "form": form},
        status=400 if form.errors else 200,
    )
