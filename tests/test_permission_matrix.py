"""The permission matrix: every (route, HTTP method) of the project × every persona.

HOW TO ADD A ROUTE (the test names what is missing when you forget):
- In `tests/<app>/matrix.py`, add to `CASES` an entry under the route's URL name (names are
  unique — a second route under an existing name fails `test_url_names_are_unique`):

      "strategy:plan-edit": [
          Case(u("strategy:plan-edit", lambda s: s.draft.pk), edit(200)),            # GET
          Case(u("strategy:plan-edit", lambda s: s.draft.pk), edit(200), method="post",
               data=lambda s: {"lock_version": s.draft.lock_version}),
      ],

  `Case(url, expect, method="get", data=…, headers=…)`: `url` builds the URL from the
  objects `build_subjects(ns)` put on the namespace `s` (it runs once per persona, so a
  destructive POST can build a fresh object each time); `expect` maps every persona to the
  status it must get: 200 ok · 302 redirect (anonymous → the login page) · 400 bad input ·
  403 visible but not allowed · 404 outside the person's scope · 405 wrong method. Helpers
  `everyone(status, **overrides)` and `signed_in(status, **overrides)` build it.
- One case per method the view accepts: the methods are read from the view's guards
  (`require_GET`, `require_POST`, `require_http_methods`; a class-based view's handlers). A
  method added to a view without a case fails `test_every_route_and_method_has_a_case`, and
  a view without a method guard fails there too.
- The persona `dual` (OSM staff of another cluster *and* officer of Chiang Mai) gets what
  `province_officer` gets unless the case says otherwise (`expect={..., "dual": 200}`): a
  second role elsewhere must not open anything in the demo cluster.

WHAT EVERY CASE CHECKS, for every persona:
- the status;
- an anonymous request to a page behind login goes to `LOGIN_URL?next=<the page>`;
- a refused request (403, 404, 405, or anonymous → login) writes nothing: no audit event
  and no row in any table of the project's apps;
- a GET writes nothing at all, whoever asks and whatever it answers;
- every GET is asked again with `HX-Request: true` and must answer the same status.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.http import QueryDict
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import get_resolver, resolve, reverse

from tests.conftest import World
from tests.factories import UserFactory, assign
from tests.matrix_checks import (
    Route,
    changes,
    counted_tables,
    coverage_gaps,
    duplicate_names,
    needs_login,
    table_counts,
    walk,
)

PERSONAS = [
    "anonymous",
    "central",
    "osm_staff",
    "committee",
    "province_officer",
    "other_staff",
    "other_officer",
    "no_role",
    "admin",
    "dual",
]


def everyone(status: int = 200, **overrides: int) -> dict[str, int]:
    """`status` for every persona; `dual` follows `province_officer` unless overridden."""
    return {
        persona: overrides.get(persona, status)
        for persona in PERSONAS
        if persona != "dual" or persona in overrides
    }


def signed_in(status: int = 200, **overrides: int) -> dict[str, int]:
    """Anonymous visitors go to the login page; everyone signed in gets `status`."""
    return {**everyone(status), "anonymous": 302, **overrides}


def admin_only() -> dict[str, int]:
    """The Django admin: only staff accounts; everyone else is sent to its login."""
    return {**everyone(302), "admin": 200}


@dataclass
class Case:
    url: Callable[[SimpleNamespace], str]
    expect: dict[str, int]
    method: str = "get"
    data: Callable[[SimpleNamespace], dict[str, Any]] = field(default=lambda s: {})
    headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Two roles, one in another cluster: in the demo cluster the person is its officer.
        if "dual" not in self.expect and "province_officer" in self.expect:
            self.expect = {**self.expect, "dual": self.expect["province_officer"]}


def u(name: str, *args: Callable[[SimpleNamespace], Any]) -> Callable[[SimpleNamespace], str]:
    """A URL builder: u('osm:cluster-detail', lambda s: s.cluster.pk)."""
    return lambda s: reverse(name, args=[arg(s) for arg in args])


MATRIX: dict[str, list[Case]] = {
    # --- core
    "home": [Case(u("home"), everyone(200))],
    "healthz": [Case(u("healthz"), everyone(200))],
    "readyz": [Case(u("readyz"), everyone(200))],
    "osm:preferences": [
        Case(u("osm:preferences"), signed_in(200)),
        Case(
            u("osm:preferences"),
            signed_in(302),
            method="post",
            data=lambda s: {"thai_digits": "on"},
        ),
    ],
    "osm:notification-list": [Case(u("osm:notification-list"), signed_in(200))],
    "osm:notification-read": [
        Case(u("osm:notification-read"), signed_in(405)),
        Case(u("osm:notification-read"), signed_in(302), method="post"),
    ],
    "osm:cluster-list": [Case(u("osm:cluster-list"), everyone(200))],
    "osm:cluster-detail": [
        Case(u("osm:cluster-detail", lambda s: s.world.cluster.pk), everyone(200))
    ],
    "osm:province-detail": [
        Case(u("osm:province-detail", lambda s: s.world.province.pk), everyone(200))
    ],
    # --- accounts
    # Django's form views also take PUT (as a POST); an empty form is shown again (200).
    "login": [
        Case(u("login"), everyone(200)),
        Case(u("login"), everyone(200), method="post"),
        Case(u("login"), everyone(200), method="put"),
    ],
    "logout": [
        Case(u("logout"), everyone(405)),
        Case(u("logout"), everyone(302), method="post"),
    ],
    "password_change": [
        Case(u("password_change"), signed_in(200)),
        Case(u("password_change"), signed_in(200), method="post"),
        Case(u("password_change"), signed_in(200), method="put"),
    ],
    "password_change_done": [Case(u("password_change_done"), signed_in(200))],
    "password_reset": [
        Case(u("password_reset"), everyone(200)),
        Case(u("password_reset"), everyone(200), method="post"),
    ],
    "password_reset_done": [Case(u("password_reset_done"), everyone(200))],
    "password_reset_confirm": [
        Case(lambda s: reverse("password_reset_confirm", args=["MQ", "bad-token"]), everyone(200)),
        Case(
            lambda s: reverse("password_reset_confirm", args=["MQ", "bad-token"]),
            everyone(200),
            method="post",
        ),
        Case(
            lambda s: reverse("password_reset_confirm", args=["MQ", "bad-token"]),
            everyone(200),
            method="put",
        ),
    ],
    "password_reset_complete": [Case(u("password_reset_complete"), everyone(200))],
    "set_language": [
        # Without POST it changes nothing and goes back.
        Case(u("set_language"), everyone(302)),
        Case(
            u("set_language"),
            everyone(302),
            method="post",
            data=lambda s: {"language": "en", "next": "/"},
        ),
    ],
}

# The admin site guards all of its patterns with one check; these samples stand for it.
ADMIN_SAMPLES = [
    Case(lambda s: reverse("admin:index"), admin_only()),
    Case(lambda s: reverse("admin:app_list", args=["osm"]), admin_only()),
    Case(lambda s: reverse("admin:osm_cluster_changelist"), admin_only()),
    Case(lambda s: reverse("admin:osm_cluster_change", args=[s.world.cluster.pk]), admin_only()),
    Case(lambda s: reverse("admin:osm_user_changelist"), admin_only()),
]
WILDCARD_NAMESPACES = {"admin"}

# Each feature app lists its own URLs in tests/<app>/matrix.py: CASES (same shape as MATRIX)
# and build_subjects(ns), which adds the objects its URLs need to the namespace.
APP_MATRICES = []
for _app in ("osm", "strategy", "scorecard", "projects", "committee", "alerts"):
    try:
        _module = importlib.import_module(f"tests.{_app}.matrix")
    except ModuleNotFoundError:
        continue
    APP_MATRICES.append(_module)
    MATRIX.update(_module.CASES)


# Views whose method guard cannot be read (Django's own, checking the method inside).
DECLARED_METHODS: dict[str, frozenset[str]] = {
    "set_language": frozenset({"GET", "POST"}),
}


def project_routes() -> list[Route]:
    return walk(get_resolver().url_patterns)


def all_url_names() -> list[tuple[str, str]]:
    return [(r.name, r.route) for r in project_routes()]


def test_url_names_are_unique() -> None:
    duplicates = duplicate_names(project_routes())
    assert not duplicates, "URL names must be unique:\n" + "\n".join(duplicates)


def test_every_route_and_method_has_a_case() -> None:
    gaps = coverage_gaps(
        project_routes(),
        MATRIX,
        declared=DECLARED_METHODS,
        skip_namespaces=frozenset(WILDCARD_NAMESPACES),
    )
    assert not gaps, "Routes and methods missing from the permission matrix:\n" + "\n".join(gaps)


def test_matrix_lists_no_url_that_does_not_exist() -> None:
    names = {name for name, _route in all_url_names()}
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"Matrix entries with no URL pattern: {stale}"


def test_every_case_names_every_persona() -> None:
    for name, cases in MATRIX.items():
        for case in cases:
            missing = set(PERSONAS) - set(case.expect)
            assert not missing, f"{name}: no expected status for {sorted(missing)}"


@pytest.fixture
def dual(world: World) -> Any:
    """Two roles: OSM staff of another cluster, and officer of Chiang Mai (demo cluster)."""
    person = assign(UserFactory(username="p_dual"), "osm_staff", cluster=world.other_cluster)
    return assign(person, "province_officer", province=world.province)


@pytest.fixture
def subjects(
    world: World,
    central: Any,
    osm_staff: Any,
    committee: Any,
    province_officer: Any,
    other_staff: Any,
    other_officer: Any,
    no_role: Any,
    admin_user_: Any,
    dual: Any,
    settings: Any,
    tmp_path: Any,
) -> SimpleNamespace:
    people = {
        "anonymous": None,
        "central": central,
        "osm_staff": osm_staff,
        "committee": committee,
        "province_officer": province_officer,
        "other_staff": other_staff,
        "other_officer": other_officer,
        "no_role": no_role,
        "admin": admin_user_,
        "dual": dual,
    }
    # Matrices change settings through `ns.settings` (restored after the test) and keep files
    # under `ns.tmp_path`.
    ns = SimpleNamespace(world=world, people=people, settings=settings, tmp_path=tmp_path)
    for module in APP_MATRICES:
        module.build_subjects(ns)
    return ns


REFUSED = {403, 404, 405}


def _login_redirect(url: str) -> str:
    query = QueryDict(mutable=True)
    query["next"] = url
    return f"{resolve_url(settings.LOGIN_URL)}?{query.urlencode(safe='/')}"


def _check(case: Case, subjects: SimpleNamespace, *, htmx: bool = False) -> list[str]:
    """Ask as every persona; return what differs from the case, one line each."""
    failures = []
    tables = counted_tables()
    headers = {**case.headers, **({"HX-Request": "true"} if htmx else {})}
    for persona in PERSONAS:
        client = Client()
        user = subjects.people[persona]
        if user is not None:
            client.force_login(user)
        url = case.url(subjects)
        data = case.data(subjects)
        route = resolve(url.split("?")[0])
        before = table_counts(tables)
        response = getattr(client, case.method)(url, data=data, headers=headers)
        after = table_counts(tables)
        said = f"{persona}: {case.method.upper()} {url}{' (htmx)' if htmx else ''}"
        status, expected = response.status_code, case.expect[persona]
        if status != expected:
            failures.append(f"{said} → {status}, expected {expected}")
            continue
        to_login = user is None and status == 302 and needs_login(route.func)
        if to_login and response["Location"] != _login_redirect(url):
            failures.append(f"{said} → Location {response['Location']}, expected the login page")
        written = changes(before, after)
        if written and (to_login or status in REFUSED):
            failures.append(f"{said} was refused ({status}) but wrote {written}")
        elif written and case.method == "get":
            failures.append(f"{said}: a GET wrote {written}")
    return failures


def _case_ids(method: str | None = None) -> list[tuple[str, int]]:
    return [
        (name, i)
        for name, cases in MATRIX.items()
        for i, case in enumerate(cases)
        if method is None or case.method == method
    ]


@pytest.mark.parametrize(("name", "index"), _case_ids(), ids=lambda v: str(v))
def test_url_answers_each_persona_as_the_matrix_says(
    name: str, index: int, subjects: SimpleNamespace
) -> None:
    failures = _check(MATRIX[name][index], subjects)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(("name", "index"), _case_ids("get"), ids=lambda v: str(v))
def test_every_get_answers_htmx_the_same(name: str, index: int, subjects: SimpleNamespace) -> None:
    """htmx asks for fragments: the access rules must not depend on the header."""
    failures = _check(MATRIX[name][index], subjects, htmx=True)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("index", range(len(ADMIN_SAMPLES)))
def test_admin_is_for_administrators_only(index: int, subjects: SimpleNamespace) -> None:
    failures = _check(ADMIN_SAMPLES[index], subjects)
    assert not failures, "\n".join(failures)


def test_csrf_is_enforced_on_post(subjects: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(subjects.people["osm_staff"])
    response = client.post(reverse("osm:preferences"), {"thai_digits": "on"})
    assert response.status_code == 403
