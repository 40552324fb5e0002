"""Lookups and small helpers shared by the projects views."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from osm import access
from osm.access import Action
from osm.http import AuthedRequest
from osm.lib import dates
from osm.models import Cluster
from projects import selectors
from projects.models import ProgressReport, Project


def get_cluster_for_user(user: Any, pk: int, *, edit: bool = False) -> Cluster:
    """A cluster whose projects the person may read: 404 outside, 403 when not editable."""
    scope = access.scope_for(user)
    if not (scope.can_read_cluster(pk) or pk in scope.officer_clusters):
        raise Http404
    try:
        cluster = Cluster.objects.get(pk=pk)
    except Cluster.DoesNotExist:
        raise Http404 from None
    if edit and not scope.can_edit_cluster(pk):
        raise PermissionDenied
    return cluster


def get_project_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> Project:
    qs = selectors.project_for_page(Project.objects.all())
    return access.get_for_user(user, qs, action=action, pk=pk)


def get_report_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> ProgressReport:
    qs = ProgressReport.objects.select_related("project__cluster", "project__agency")
    return access.get_for_user(user, qs, action=action, pk=pk)


def year_from(request: HttpRequest) -> int:
    """The fiscal year a page shows: ?year= (BE) when valid, else the current one."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return dates.current_fiscal_year()
    return year if 2500 <= year <= 2700 else dates.current_fiscal_year()


def quarter_from(request: HttpRequest, year: int) -> int:
    """?quarter= when valid; else this quarter in the current year, the last one otherwise."""
    try:
        quarter = int(request.GET.get("quarter", ""))
    except ValueError:
        quarter = 0
    if quarter in (1, 2, 3, 4):
        return quarter
    today = dates.fiscal_quarter_of(timezone.localdate())
    return today.quarter if today.year == year else 4


def render_page(
    request: AuthedRequest, template: str, partial: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The whole page, or only `partial` for an htmx request (the caller varies on HX-Request)."""
    if request.htmx and not request.htmx.boosted:
        template = f"{template}#{partial}"
    return render(request, template, context, status=status)


def add_errors(form: Any, err: ValidationError) -> None:
    """Put a service's errors on the form: field-keyed where the form has the field."""
    if not hasattr(err, "error_dict"):
        form.add_error(None, err)
        return
    for field, errors in err.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def years_around(year: int) -> list[int]:
    current = dates.current_fiscal_year()
    return sorted({*range(current - 3, current + 3), year})
