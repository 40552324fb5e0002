"""The annual action plan page: ranked proposals within or over the ceiling, the committee's
approval, and importing proposals from a workbook."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from osm import access, audit
from osm.access import Action
from osm.http import AuthedRequest
from osm.imports import import_step
from osm.lib import spreadsheets
from osm.lib.workflow import StaleVersion
from osm.models import Cluster
from projects import sheets
from projects.forms import ActionPlanApprovalForm, CeilingForm, ImportForm, MoveForm
from projects.models import ActionPlan
from projects.services import action_plans as services
from projects.views.common import (
    get_cluster_for_user,
    get_project_for_user,
    render_page,
    year_from,
    years_around,
)


def _plan(cluster: Cluster, year: int) -> ActionPlan:
    """The year's plan as stored, or an unsaved draft (a GET never writes)."""
    found = ActionPlan.objects.filter(cluster=cluster, fiscal_year=year).first()
    return found or ActionPlan(cluster=cluster, fiscal_year=year)


def _context(
    request: AuthedRequest, cluster: Cluster, year: int, **extra: object
) -> dict[str, object]:
    plan = _plan(cluster, year)
    rows = list(services.proposals(plan).select_related("objective", "agency"))
    running, within = Decimal(0), Decimal(0)
    for project in rows:
        running += project.requested
        project.running_total = running
        within += project.requested if project.frame == "within" else Decimal(0)
    can_edit = access.scope_for(request.user).can_edit_cluster(cluster.pk)
    return {
        "cluster": cluster,
        "year": year,
        "years": years_around(year),
        "plan": plan,
        "rows": rows,
        "requested_total": running,
        "within_total": within,
        "can_edit": can_edit and not plan.is_approved,
        "ceiling_form": CeilingForm(initial={"ceiling": plan.ceiling, "version": plan.version}),
        "approval_form": ActionPlanApprovalForm(initial={"version": plan.version}),
        "import_form": ImportForm(),
        "history": audit.history_for(plan) if plan.pk else [],
        **extra,
    }


@login_required
@require_GET
@vary_on_headers("HX-Request")
def action_plan(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk)
    context = _context(request, cluster, year_from(request))
    return render_page(request, "projects/action_plan.html", "ranking", context)


@login_required
@require_POST
def action_plan_move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move a proposal up or down the ranking (htmx swaps the table; without JS, a redirect)."""
    project = get_project_for_user(request.user, pk, action=Action.EDIT)
    form = MoveForm(request.POST)
    plan = services.action_plan_for(cluster=project.cluster, fiscal_year=project.fiscal_year)
    if form.is_valid():
        try:
            services.action_plan_move(
                plan=plan, project=project, direction=form.cleaned_data["direction"]
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
    if request.htmx:
        context = _context(request, project.cluster, project.fiscal_year)
        return render(request, "projects/action_plan.html#ranking", context)
    return redirect(plan)


@login_required
@require_POST
def action_plan_ceiling(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk, edit=True)
    year = year_from(request)
    plan = services.action_plan_for(cluster=cluster, fiscal_year=year)
    form = CeilingForm(request.POST)
    if form.is_valid():
        try:
            services.action_plan_set_ceiling(
                plan=plan,
                ceiling=form.cleaned_data["ceiling"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersion:
            messages.error(
                request, _("Somebody else changed the action plan in the meantime; look again.")
            )
        except ValidationError as err:
            messages.error(request, " ".join(err.messages))
        else:
            messages.success(
                request, _("The ceiling was saved; proposals are marked within or over it.")
            )
    else:
        messages.error(request, _("The ceiling could not be saved."))
    return redirect(plan)


@login_required
@require_POST
def action_plan_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the committee's resolution approving the year's action plan."""
    cluster = get_cluster_for_user(request.user, pk, edit=True)
    year = year_from(request)
    plan = services.action_plan_for(cluster=cluster, fiscal_year=year)
    form = ActionPlanApprovalForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            chosen = services.action_plan_approve(
                plan=plan,
                by=request.user,
                expected_version=data["version"],
                approved_on=data["approved_on"],
                resolution_text=data["resolution_text"],
                resolution_meeting=data["resolution_meeting"],
            )
        except StaleVersion:
            form.add_error(
                None, _("Somebody else changed the action plan in the meantime; look again.")
            )
        except ValidationError as err:
            form.add_error(None, err)
        else:
            messages.success(
                request,
                _("The action plan is approved: %(n)s projects approved.") % {"n": len(chosen)},
            )
            return redirect(plan)
    context = _context(request, cluster, year, approval_form=form)
    return render(request, "projects/action_plan.html", context, status=400)


@login_required
@require_GET
def import_template(request: AuthedRequest, pk: int) -> HttpResponse:
    get_cluster_for_user(request.user, pk, edit=True)
    content = spreadsheets.export_workbook(sheets.ProjectSheet())
    response = HttpResponse(content, content_type=spreadsheets.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="projects-template.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def project_import(request: AuthedRequest, pk: int) -> HttpResponse:
    """Upload proposals: a preview of what is added (or every mistake, nothing saved), then
    the confirmation saves every row."""
    cluster = get_cluster_for_user(request.user, pk, edit=True)
    year = year_from(request)
    step = import_step(
        request,
        sheets.ProjectSheet(),
        context=sheets.ImportContext(cluster, request.user),
        owner=f"{request.user.pk}:projects.cluster:{cluster.pk}",
        upload_form_class=ImportForm,
    )
    if step.saved and step.result is not None:
        saved = step.result.saved or []
        messages.success(request, _("%(n)s projects were added.") % {"n": len(saved)})
        years = sorted({p.fiscal_year for p in saved}) or [year]
        return redirect(_plan(cluster, years[0]))
    context_data = {"cluster": cluster, "year": year, "form": step.upload_form, "step": step}
    return render(request, "projects/project_import.html", context_data, status=step.status)
