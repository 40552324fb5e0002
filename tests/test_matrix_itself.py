"""The permission matrix's own checks, run on throwaway urlconfs: they must fail, naming the
gap, when a route is added under an existing name or a view accepts a method without a case
(tests/matrix_checks.py; the project's matrix is tests/test_permission_matrix.py)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tests.matrix_checks import coverage_gaps, duplicate_names, needs_login, view_methods, walk


@require_GET
def page(request: Any) -> HttpResponse:
    return HttpResponse("page")


@login_required
@require_http_methods(["GET", "POST"])
def form(request: Any) -> HttpResponse:
    return HttpResponse("form")


@login_required
@require_POST
def action(request: Any) -> HttpResponse:
    return HttpResponse("done")


def unguarded(request: Any) -> HttpResponse:
    return HttpResponse("any method")


def case(method: str = "get") -> SimpleNamespace:
    return SimpleNamespace(method=method)


def test_methods_are_read_from_the_views_guards() -> None:
    assert view_methods(page) == {"GET"}
    assert view_methods(form) == {"GET", "POST"}
    assert view_methods(action) == {"POST"}
    assert view_methods(unguarded) == {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_login_protection_is_read_from_the_view() -> None:
    assert needs_login(form)
    assert not needs_login(page)


def test_a_matrix_that_covers_every_route_and_method_has_no_gap() -> None:
    routes = walk([path("a/", page, name="a"), path("b/", form, name="b")])
    cases = {"a": [case()], "b": [case(), case("post")]}
    assert coverage_gaps(routes, cases) == []


def test_a_second_route_under_an_existing_name_is_named() -> None:
    app = ([path("list/", page, name="list"), path("list-again/", page, name="list")], "app")
    routes = walk([path("app/", include(app))])
    assert duplicate_names(routes) == ["app:list names 2 routes: app/list/, app/list-again/"]


def test_a_method_added_to_a_view_without_a_case_is_named() -> None:
    """The view used to be GET-only (one GET case); now it also takes POST."""
    routes = walk([path("edit/", form, name="edit")])
    gaps = coverage_gaps(routes, {"edit": [case()]})
    assert gaps == ["POST edit/ (edit): no case in the matrix"]


def test_a_route_without_any_case_is_named_per_method() -> None:
    routes = walk([path("new/<int:pk>/", form, name="new")])
    assert coverage_gaps(routes, {}) == [
        "GET new/<int:pk>/ (new): no case in the matrix",
        "POST new/<int:pk>/ (new): no case in the matrix",
    ]


def test_a_view_without_a_method_guard_is_named() -> None:
    routes = walk([path("open/", unguarded, name="open")])
    gaps = coverage_gaps(routes, {"open": [case()]})
    assert len(gaps) == 1
    assert gaps[0].startswith("open (open/): the view has no method guard")


def test_an_unnamed_route_is_named_by_its_pattern() -> None:
    routes = walk([path("nameless/", page)])
    gaps = coverage_gaps(routes, {})
    assert gaps == ["(unnamed) nameless/: give the route a name and add its cases"]
