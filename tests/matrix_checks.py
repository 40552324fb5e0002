"""The machinery behind the permission matrix (tests/test_permission_matrix.py): what each
route answers to, which (route, method) pairs lack a case, and how many rows and audit events
the database holds — so that a refused request or a GET is shown to write nothing.

Kept apart from the matrix so that the matrix's own tests can run it against a throwaway
urlconf (tests/test_matrix_itself.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver

# The methods the matrix reasons about. HEAD and OPTIONS follow GET and are left out.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# A view with no method guard answers every method: the matrix asks for one.
UNGUARDED = frozenset(METHODS)


@dataclass(frozen=True)
class Route:
    namespace: str
    name: str  # the full name ("strategy:plan-edit"), "" when unnamed
    route: str  # the pattern, prefixes included ("strategy/plans/<int:pk>/edit/")
    callback: Callable[..., Any]


def walk(patterns: Iterable[Any], namespace: str = "", prefix: str = "") -> list[Route]:
    """Every URL pattern under `patterns`, depth first."""
    found: list[Route] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            found.extend(walk(p.url_patterns, ns, prefix + str(p.pattern)))
        elif isinstance(p, URLPattern):
            name = ":".join(x for x in (namespace, p.name or "") if x) if p.name else ""
            found.append(Route(namespace, name, prefix + str(p.pattern), p.callback))
    return found


def _chain(view: Callable[..., Any]) -> list[Callable[..., Any]]:
    """The view and every function it wraps (functools.wraps sets __wrapped__)."""
    chain = []
    seen: set[int] = set()
    current: Any = view
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = getattr(current, "__wrapped__", None)
    return chain


def _free(func: Any, name: str) -> Any:
    code = getattr(func, "__code__", None)
    if code is None or name not in code.co_freevars or func.__closure__ is None:
        return None
    return func.__closure__[code.co_freevars.index(name)].cell_contents


def view_methods(view: Callable[..., Any]) -> frozenset[str]:
    """The methods `view` accepts, read from its guards: Django's require_http_methods
    (require_GET, require_POST, require_safe) keep their list in the wrapper's closure; a
    class-based view lists them as handlers. No guard at all: every method."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return frozenset(
            m.upper()
            for m in view_class.http_method_names
            if hasattr(view_class, m) and m.upper() in METHODS
        )
    allowed: frozenset[str] | None = None
    for func in _chain(view):
        listed = _free(func, "request_method_list")
        if listed is not None:
            methods = frozenset(m.upper() for m in listed) & frozenset(METHODS)
            allowed = methods if allowed is None else allowed & methods
    return UNGUARDED if allowed is None else allowed


def needs_login(view: Callable[..., Any]) -> bool:
    """Behind login_required: user_passes_test's wrapper holds the test and the redirect to
    the login page in its closure."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None and any(
        getattr(c, "__name__", "") == "LoginRequiredMixin" for c in view_class.__mro__
    ):
        return True
    return any(
        _free(func, "test_func") is not None
        and "_redirect_to_login" in getattr(getattr(func, "__code__", None), "co_freevars", ())
        for func in _chain(view)
    )


def duplicate_names(routes: Iterable[Route]) -> list[str]:
    """URL names used by more than one route: `reverse()` reaches only one of them, so the
    other would escape the matrix."""
    by_name: dict[str, list[str]] = {}
    for r in routes:
        if r.name:
            by_name.setdefault(r.name, []).append(r.route)
    return [
        f"{name} names {len(found)} routes: {', '.join(found)}"
        for name, found in sorted(by_name.items())
        if len(found) > 1
    ]


def coverage_gaps(
    routes: Iterable[Route],
    cases: Mapping[str, Iterable[Any]],
    *,
    declared: Mapping[str, frozenset[str]] | None = None,
    skip_namespaces: frozenset[str] = frozenset(),
) -> list[str]:
    """Every (route, method) the views accept that no case requests, as readable lines.

    `declared` gives the methods of views whose guards cannot be read (third-party views
    that check the method inside)."""
    declared = declared or {}
    gaps = []
    for r in routes:
        if r.namespace.split(":")[0] in skip_namespaces:
            continue
        if not r.name:
            gaps.append(f"(unnamed) {r.route}: give the route a name and add its cases")
            continue
        accepted = declared.get(r.name) or view_methods(r.callback)
        have = Counter(c.method.upper() for c in cases.get(r.name, ()))
        if accepted == UNGUARDED and r.name not in declared:
            gaps.append(
                f"{r.name} ({r.route}): the view has no method guard; add require_GET, "
                "require_POST or require_http_methods"
            )
            continue
        for method in sorted(accepted):
            if not have[method]:
                gaps.append(f"{method} {r.route} ({r.name}): no case in the matrix")
    return gaps


def counted_tables() -> dict[str, str]:
    """{table: "audit" | "rows"} for every table of the project's apps: the pghistory event
    tables (audit events) and the data tables. Sessions and login throttling are left out:
    signing in writes them before the request under test."""
    from osm import audit

    audit_tables = {audit.event_model_for(m)._meta.db_table for m in audit.tracked_models()}
    tables: dict[str, str] = {}
    for app_label in ("osm", "strategy", "scorecard", "projects", "committee", "auth"):
        try:
            config = apps.get_app_config(app_label)
        except LookupError:
            continue
        for model in config.get_models():
            if model._meta.proxy or not model._meta.managed:
                continue
            table = model._meta.db_table
            tables[table] = "audit" if table in audit_tables else "rows"
    return tables


def table_counts(tables: Iterable[str]) -> dict[str, int]:
    """Rows per table, in one query."""
    names = list(tables)
    if not names:
        return {}
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(f"SELECT %s, COUNT(*) FROM {quote(name)}" for name in names)
    with connection.cursor() as cursor:
        cursor.execute(sql, names)
        return {name: int(count) for name, count in cursor.fetchall()}


def changes(before: Mapping[str, int], after: Mapping[str, int]) -> dict[str, int]:
    return {t: after[t] - before[t] for t in before if after.get(t) != before[t]}
