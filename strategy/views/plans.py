"""Plans: list, create, read, edit, compare versions, the strategy map, Excel export and
import."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from osm import access, audit
from osm.access import Action
from osm.http import (
    AuthedRequest,
    HtmxHttpRequest,
    apply_errors,
    conflict,
    conflict_status,
    vary_on_htmx,
    wants_partial,
    xlsx_response,
)
from osm.imports import import_step
from osm.lib.locking import StaleVersion
from osm.models import Cluster
from strategy import forms, imports, maps, selectors, services
from strategy.models import Plan, Review
from strategy.views._common import (
    get_plan_for_user,
    map_context,
    posted,
    structure_context,
)


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    scope = access.scope_for(request.user)
    context = {
        "plans": selectors.plans_for(request.user),
        "can_create": bool(scope.staff_clusters) or scope.is_superuser,
    }
    return render(request, "strategy/plan_list.html", context)


def _editable_clusters(user: Any) -> QuerySet[Cluster]:
    scope = access.scope_for(user)
    if scope.is_superuser:
        return Cluster.objects.order_by("number")
    return Cluster.objects.filter(pk__in=scope.staff_clusters).order_by("number")


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: AuthedRequest) -> HttpResponse:
    clusters = _editable_clusters(request.user)
    if not clusters.exists():
        raise PermissionDenied
    form = forms.PlanCreateForm(posted(request), clusters=clusters)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The draft plan was created. Add its issues next."))
            return redirect(plan)
    return render(request, "strategy/plan_form.html", {"form": form, "plan": None})


@require_GET
def plan_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if wants_partial(request):
        return vary_on_htmx(
            render(request, "strategy/plan_detail.html#structure", structure_context(request, plan))
        )
    reviews = selectors.reviews_of(plan)
    context = {
        **structure_context(request, plan),
        "can_review": access.can(request.user, Action.REVIEW, plan),
        "perspectives": selectors.perspectives_of(plan),
        "versions": selectors.versions_of(plan, request.user),
        "reviews": reviews,
        "approve_form": forms.ApproveForm(),
        "pending_review": next(
            (
                r
                for r in reviews
                if r.to_plan_id == plan.pk and r.decision == Review.Decision.PENDING
            ),
            None,
        ),
        "history": audit.history_for_user(request.user, plan),
        "can_see_history": access.can(request.user, Action.HISTORY, plan),
    }
    return vary_on_htmx(render(request, "strategy/plan_detail.html", context))


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, action=Action.EDIT)
    form = forms.PlanForm(posted(request), instance=plan)
    context: dict[str, Any] = {"form": form, "plan": plan}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, **form.cleaned_data)
        except StaleVersion as error:
            context |= conflict(request, form, error)
            status = conflict_status(request)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(plan)
    return render(request, "strategy/plan_form.html", context, status=status)


@require_GET
def plan_compare(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    versions = [v for v in selectors.versions_of(plan, request.user) if v.pk != plan.pk]
    other = None
    wanted = request.GET.get("with") or plan.previous_id
    if wanted:
        # A version the person may not see (an archived one, for the public) is just absent.
        with contextlib.suppress(ValueError, Http404):
            other = get_plan_for_user(request.user, int(wanted))
    diffs = selectors.compare_plans(other, plan) if other else []
    context = {"plan": plan, "other": other, "versions": versions, "diffs": diffs}
    return render(request, "strategy/plan_compare.html", context)


@require_GET
def plan_map(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return render(request, "strategy/plan_map.html", map_context(request, plan))


@require_GET
def plan_map_svg(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    svg = '<?xml version="1.0" encoding="UTF-8"?>\n' + maps.strategy_map_svg(
        plan, url_for=lambda o: request.build_absolute_uri(o.get_absolute_url())
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="strategy-map-{plan.pk}.svg"'
    return response


@require_GET
def plan_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return xlsx_response(imports.plan_structure_workbook(plan), _export_filename(plan))


def _export_filename(plan: Plan) -> str:
    """The cluster's Thai name in the filename, as staff file it (sent RFC 5987-encoded)."""
    return f"แผน-{plan.cluster.name_th}-{plan.start_year}-{plan.end_year}-v{plan.version}.xlsx"


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: AuthedRequest, pk: int) -> HttpResponse:
    """Upload the plan-structure workbook, see what it will add, change and delete, confirm."""
    plan = get_plan_for_user(request.user, pk, action=Action.EDIT)
    if request.method == "POST":  # the sheet reads the perspectives; a GET writes nothing
        services.perspectives_ensure(cluster=plan.cluster)
    step = import_step(
        request,
        imports.PlanStructureSheet(plan),
        context=plan,
        owner=f"{request.user.pk}:strategy.plan:{plan.pk}",
        upload_form_class=forms.ImportForm,
    )
    if step.saved:
        assert step.result is not None and step.result.preview is not None
        diff = step.result.preview.diff
        message = _(
            "The workbook was imported: %(added)s added, %(changed)s changed, %(deleted)s deleted."
        ) % {
            "added": len(diff.adds),
            "changed": len(diff.updates),
            "deleted": len(diff.deletes) if step.result.deleted else 0,
        }
        if diff.deletes and not step.result.deleted:
            message += " " + _("%(n)s items not in the file were kept.") % {"n": len(diff.deletes)}
        messages.success(request, message)
        return redirect(plan)
    context = {"plan": plan, "step": step}
    return render(request, "strategy/plan_import.html", context, status=step.status)
