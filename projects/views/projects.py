"""Project list (filters in the URL, Excel export), detail, create and edit, the quarterly
disbursement plan and milestones."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from osm import access, audit
from osm.access import Action
from osm.http import AuthedRequest
from osm.lib import spreadsheets
from osm.lib.workflow import StaleVersion
from osm.models import Cluster
from projects import figures, selectors, sheets
from projects.forms import (
    DisbursementPlanForm,
    MilestoneFormSet,
    ProjectFilterForm,
    ProjectForm,
)
from projects.models import Project
from projects.services import money as money_services
from projects.services import projects as services
from projects.views.common import (
    add_errors,
    get_cluster_for_user,
    get_project_for_user,
    render_page,
)

PAGE_SIZE = 50


def _objectives(cluster: Cluster) -> Any:
    from strategy.models import Objective, Plan

    return (
        Objective.objects.filter(plan__cluster=cluster, plan__status=Plan.Status.APPROVED)
        .select_related("issue")
        .order_by("plan_id", "order", "code")
    )


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """The clusters whose projects the person may read, with the year's count and budget."""
    scope = access.scope_for(request.user)
    clusters = Cluster.objects.order_by("number")
    if not scope.sees_all:
        clusters = clusters.filter(pk__in=scope.read_clusters | scope.officer_clusters)
    if clusters.count() == 1:
        return redirect("projects:list", clusters.get().pk)
    from projects.views.common import year_from

    year = year_from(request)
    totals = {
        row["cluster_id"]: row
        for row in Project.objects.filter(fiscal_year=year)
        .exclude(status=Project.Status.CANCELLED)
        .values("cluster_id")
        .annotate(n=Count("id"), money=Sum("allocated"))
    }
    rows = [(c, totals.get(c.pk)) for c in clusters]
    return render(request, "projects/project_index.html", {"rows": rows, "year": year})


@login_required
@require_GET
@vary_on_headers("HX-Request")
def project_list(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk)
    objectives = list(_objectives(cluster))
    form = ProjectFilterForm(request.GET or None, cluster=cluster, objectives=objectives)
    filters = form.filters()
    projects = selectors.project_list(
        access.visible(request.user, Project).filter(cluster=cluster), filters
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.with_provinces(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "cluster": cluster,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_edit": access.scope_for(request.user).can_edit_cluster(cluster.pk),
        "totals": figures.plain(projects.aggregate(**figures.money_sums())),
    }
    return render_page(request, "projects/project_list.html", "results", context)


@login_required
@require_GET
def project_export(request: AuthedRequest, pk: int) -> HttpResponse:
    """The filtered list as a workbook, with the alignment chain and eMENSCR ID."""
    cluster = get_cluster_for_user(request.user, pk)
    form = ProjectFilterForm(
        request.GET or None, cluster=cluster, objectives=list(_objectives(cluster))
    )
    projects = list(
        selectors.project_list(
            access.visible(request.user, Project).filter(cluster=cluster), form.filters()
        )
        .select_related("objective__plan")
        .prefetch_related("provinces", "indicators")
    )
    content = spreadsheets.export_workbook(
        sheets.ProjectExportSheet(), sheets.export_rows(projects)
    )
    response = HttpResponse(content, content_type=spreadsheets.XLSX_CONTENT_TYPE)
    year = form.filters().get("year", "all")
    response["Content-Disposition"] = f'attachment; filename="projects-{cluster.pk}-{year}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def project_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk)
    from strategy.selectors import tags_of

    context = {
        "project": project,
        "quarters": figures.project_quarters(project),
        "milestones": list(project.milestones.all()),
        "tags": tags_of(project),
        "can_edit": access.can(request.user, Action.EDIT, project),
        "can_report": access.can(request.user, Action.SUBMIT, project),
        "history": audit.history_for(project),
    }
    return render(request, "projects/project_detail.html", context)


def _form_data(form: ProjectForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = get_cluster_for_user(request.user, pk, edit=True)
    year = int(request.GET.get("year") or 0) or None
    form = ProjectForm(request.POST or None, cluster=cluster, objectives=_objectives(cluster))
    if request.method == "POST" and form.is_valid():
        data = _form_data(form)
        fiscal_year = int(request.POST.get("fiscal_year") or 0)
        try:
            project = services.project_create(cluster=cluster, fiscal_year=fiscal_year, **data)
        except ValidationError as err:
            add_errors(form, err)
        else:
            messages.success(request, _("The project was added."))
            return redirect(project)
    context = {"cluster": cluster, "form": form, "year": year or _default_year(request)}
    return render(
        request, "projects/project_form.html", context, status=400 if form.errors else 200
    )


def _default_year(request: AuthedRequest) -> int:
    from projects.views.common import year_from

    return year_from(request)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, action=Action.EDIT)
    cluster = project.cluster
    initial = {
        "provinces": list(project.provinces.all()),
        "indicators": list(project.indicators.all()),
        "version": project.version,
    }
    form = ProjectForm(
        request.POST or None,
        instance=project,
        initial=initial,
        cluster=cluster,
        objectives=_objectives(cluster),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = _form_data(form)
        fresh = Project.objects.get(pk=project.pk)
        try:
            services.project_update(
                project=fresh, expected_version=form.cleaned_data["version"] or 0, **data
            )
        except StaleVersion as err:
            conflict = err.current
            form.add_error(None, err)
        except ValidationError as err:
            add_errors(form, err)
        else:
            messages.success(request, _("The project was saved."))
            return redirect(fresh)
    context = {
        "cluster": cluster,
        "form": form,
        "project": project,
        "conflict": conflict,
        "year": project.fiscal_year,
    }
    status = 409 if conflict is not None else 400 if form.errors else 200
    return render(request, "projects/project_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def disbursement_plan(request: AuthedRequest, pk: int) -> HttpResponse:
    """The project's planned disbursement per quarter."""
    project = get_project_for_user(request.user, pk, action=Action.EDIT)
    initial = {f"q{p.quarter}": p.amount for p in project.disbursement_plans.all()}
    form = DisbursementPlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            money_services.disbursement_plan_set(project=project, amounts=form.amounts())
        except ValidationError as err:
            add_errors(form, err)
        else:
            messages.success(request, _("The disbursement plan was saved."))
            return redirect(project)
    status = 400 if form.errors else 200
    return render(
        request,
        "projects/disbursement_plan.html",
        {"project": project, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestones(request: AuthedRequest, pk: int) -> HttpResponse:
    project = get_project_for_user(request.user, pk, action=Action.EDIT)
    initial = [
        {
            "id": m.pk,
            "name": m.name,
            "kind": m.kind,
            "weight": m.weight,
            "planned_date": m.planned_date,
            "actual_date": m.actual_date,
        }
        for m in project.milestones.all()
    ]
    formset = MilestoneFormSet(request.POST or None, initial=initial)
    error = None
    if request.method == "POST" and formset.is_valid():
        rows = [
            f.cleaned_data
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            money_services.milestones_set(project=project, rows=rows)
        except ValidationError as err:
            error = " ".join(err.messages)
        else:
            messages.success(request, _("The milestones were saved."))
            return redirect(project)
    context = {"project": project, "formset": formset, "error": error}
    status = 400 if (request.method == "POST") else 200
    return render(request, "projects/milestones.html", context, status=status)


def list_url(cluster_id: int, **params: Any) -> str:
    from urllib.parse import urlencode

    query = urlencode({k: v for k, v in params.items() if v})
    return reverse("projects:list", args=[cluster_id]) + (f"?{query}" if query else "")


@login_required
@require_POST
def project_fate(request: AuthedRequest, pk: int) -> HttpResponse:
    """What happens to the project when the plan version that drops its objective is
    approved (sent from the strategy app's approval page, which it returns to)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    from strategy.models import Objective

    project = get_project_for_user(request.user, pk, action=Action.EDIT)
    action = request.POST.get("action", "")
    objective = None
    wanted = request.POST.get("objective", "")
    if action == services.MOVE and wanted.isdigit():
        objective = Objective.objects.select_related("plan").filter(pk=int(wanted)).first()
    try:
        services.project_plan_fate(project=project, action=action, objective=objective)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Project %(code)s: the choice was saved.") % {"code": project.code}
        )
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return redirect(back if safe and back else project.get_absolute_url())
