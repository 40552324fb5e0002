"""The permission matrix: every URL pattern of the project × every role and anonymous.

Each URL name maps to one or more cases: how to build the URL (from the objects the
`subjects` fixture makes), the method, and the status each persona must get. A URL pattern
that the matrix does not list fails `test_every_url_pattern_is_in_the_matrix`, so every new
view must be added here with its expected outcomes.

Statuses: 200 ok · 302 redirect (anonymous → login) · 403 visible but not allowed ·
404 outside the person's scope · 405 wrong method.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import World

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
]


def everyone(status: int = 200, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, status) for persona in PERSONAS}


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
    "login": [Case(u("login"), everyone(200))],
    "logout": [
        Case(u("logout"), everyone(405)),
        Case(u("logout"), everyone(302), method="post"),
    ],
    "password_change": [Case(u("password_change"), signed_in(200))],
    "password_change_done": [Case(u("password_change_done"), signed_in(200))],
    "password_reset": [Case(u("password_reset"), everyone(200))],
    "password_reset_done": [Case(u("password_reset_done"), everyone(200))],
    "password_reset_confirm": [
        Case(lambda s: reverse("password_reset_confirm", args=["MQ", "bad-token"]), everyone(200))
    ],
    "password_reset_complete": [Case(u("password_reset_complete"), everyone(200))],
    "set_language": [
        Case(
            u("set_language"),
            everyone(302),
            method="post",
            data=lambda s: {"language": "en", "next": "/"},
        )
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
for _app in ("osm", "strategy", "scorecard", "projects", "committee"):
    try:
        _module = importlib.import_module(f"tests.{_app}.matrix")
    except ModuleNotFoundError:
        continue
    APP_MATRICES.append(_module)
    MATRIX.update(_module.CASES)


def _walk(patterns: list[Any], namespace: str = "", prefix: str = "") -> list[tuple[str, str, str]]:
    """(namespace, full name or '', route) for every URL pattern."""
    found: list[tuple[str, str, str]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = ":".join(x for x in (namespace, p.namespace or "") if x)
            found.extend(_walk(p.url_patterns, ns, prefix + str(p.pattern)))
        elif isinstance(p, URLPattern):
            name = ":".join(x for x in (namespace, p.name or "") if x) if p.name else ""
            found.append((namespace, name, prefix + str(p.pattern)))
    return found


def all_url_names() -> list[tuple[str, str]]:
    return [(name, route) for _ns, name, route in _walk(get_resolver().url_patterns)]


def test_every_url_pattern_is_in_the_matrix() -> None:
    missing = []
    for namespace, name, route in _walk(get_resolver().url_patterns):
        if namespace.split(":")[0] in WILDCARD_NAMESPACES:
            continue
        if not name:
            missing.append(f"(unnamed) {route}")
        elif name not in MATRIX:
            missing.append(f"{name} ({route})")
    assert not missing, "URL patterns missing from the permission matrix:\n" + "\n".join(missing)


def test_matrix_lists_no_url_that_does_not_exist() -> None:
    names = {name for name, _route in all_url_names()}
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"Matrix entries with no URL pattern: {stale}"


def test_every_case_names_every_persona() -> None:
    for name, cases in MATRIX.items():
        for case in cases:
            assert set(case.expect) == set(PERSONAS), name


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
    }
    ns = SimpleNamespace(world=world, people=people)
    for module in APP_MATRICES:
        module.build_subjects(ns)
    return ns


def _check(case: Case, subjects: SimpleNamespace) -> list[str]:
    failures = []
    for persona in PERSONAS:
        client = Client()
        user = subjects.people[persona]
        if user is not None:
            client.force_login(user)
        url = case.url(subjects)
        send = getattr(client, case.method)
        response = send(url, data=case.data(subjects), headers=case.headers)
        if response.status_code != case.expect[persona]:
            failures.append(
                f"{persona}: {case.method.upper()} {url} → {response.status_code}, "
                f"expected {case.expect[persona]}"
            )
    return failures


def _case_ids() -> list[tuple[str, int]]:
    return [(name, i) for name, cases in MATRIX.items() for i in range(len(cases))]


@pytest.mark.parametrize(("name", "index"), _case_ids(), ids=lambda v: str(v))
def test_url_answers_each_persona_as_the_matrix_says(
    name: str, index: int, subjects: SimpleNamespace
) -> None:
    failures = _check(MATRIX[name][index], subjects)
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
