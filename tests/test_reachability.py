"""Every page a role may use is reachable by links from the home page.

On the demo data, the test crawls from the home page as each demo role (and anonymously),
following only links (`<a href>`) and the actions of GET forms. The routes come from the
URLconf, so routes added later are covered without editing this test. For each GET route
the crawl did not reach, the test asks whether the role may use it: it requests the route
for the objects of the data (by the model its path names) and fails, naming the route, when
one of them answers 200 to that role. A short allow-list names routes that are not pages.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

from osm import access

pytestmark = pytest.mark.django_db

ROLES = ["central", "osm_staff", "committee", "province_officer", "anonymous"]

# Routes that are not pages a person navigates to.
NOT_PAGES = {
    "healthz",  # health checks for the load balancer
    "readyz",
    "set_language",  # POST only (the language switch is a form in every page's header)
    "password_reset_confirm",  # the one-time link from the password-reset e-mail
    "osm:invitation-accept",  # the one-time link from the invitation e-mail
    "password_reset_done",  # shown after a POST
    "password_reset_complete",
    "password_change_done",
    "scorecard:cascade-check",  # htmx fragment of the targets page (its full-page twin)
    "osm:notification-count",  # htmx fragment of every page's header (the unread count)
    "strategy:plan-map-svg",  # the image inside the plan map page
    # Compares a plan with an earlier version: linked from the plan page when there is one
    # (tests/strategy); for a plan without versions it answers 200 with nothing to compare.
    "strategy:plan-compare",
}
NOT_PAGE_NAMESPACES = {"admin"}
# Pages for people who are not signed in: not expected in a signed-in person's pages.
SIGNED_OUT_ONLY = {"login", "password_reset"}
# Routes whose path ends in something other than a model's plural name.
SEGMENT_MODELS = {
    "national-targets": "strategy.AlignmentTarget",
    "links": "strategy.ObjectiveLink",
    "people": "osm.User",
    "roles": "osm.RoleAssignment",
    "rounds": "scorecard.ReportingRound",
}
MAX_PER_ROUTE = 6  # pages crawled per route and role: enough to see every kind of link (central
# meets clusters with no projects first in the project index)
MAX_PAGES = 400  # per role
MAX_PROBES = 15  # objects tried per unreached route


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        elif tag == "form" and (values.get("method") or "get").lower() == "get":
            self.links.append(values.get("action") or "")


def _routes() -> list[tuple[str, str]]:
    """(view name, route) of every named URL pattern."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[Any], namespace: str, prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace or "") if x)
                walk(p.url_patterns, ns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern) and p.name:
                found.append(
                    (":".join(x for x in (namespace, p.name) if x), prefix + str(p.pattern))
                )

    walk(get_resolver().url_patterns, "", "")
    return found


def _model_for(route: str) -> type[models.Model] | None:
    """The model a route's <int:…> argument names: by the path segment before it."""
    match = re.search(r"([\w-]+)/<int:\w+>", route)
    if not match:
        return None
    segment = match.group(1)
    if segment in SEGMENT_MODELS:
        return apps.get_model(SEGMENT_MODELS[segment])
    if segment.endswith("ies"):
        singular = segment[:-3] + "y"
    else:
        singular = segment[:-1] if segment.endswith("s") else segment
    singular = singular.replace("-", "")
    candidates = [m for m in apps.get_models() if m._meta.model_name == singular]
    candidates = candidates or [
        m
        for m in apps.get_models()
        if m._meta.model_name.endswith(singular) and m._meta.app_label != "admin"
    ]
    return candidates[0] if len(candidates) == 1 else None


def _crawl(client: Client) -> tuple[set[str], int]:
    """Follow links from the home page; returns the view names the links lead to."""
    reached: set[str] = {"home"}
    per_route: dict[str, int] = {}
    seen: set[str] = set()
    queue: deque[str] = deque(["/"])
    pages = 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url, follow=True)
        pages += 1
        if response.redirect_chain:
            with contextlib.suppress(Resolver404):
                reached.add(resolve(urlsplit(response.redirect_chain[-1][0]).path).view_name)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.links:
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            try:
                match = resolve(parts.path)
            except Resolver404:
                continue
            name = match.view_name
            reached.add(name)
            if name.split(":")[0] in NOT_PAGE_NAMESPACES or name == "logout":
                continue
            key = parts.path + ("?" + parts.query if parts.query else "")
            if key in seen or per_route.get(name, 0) >= MAX_PER_ROUTE:
                continue
            seen.add(key)
            per_route[name] = per_route.get(name, 0) + 1
            queue.append(key)
    return reached, pages


def _usable(client: Client, user: Any, route: str) -> str | None:
    """A URL of the route that answers 200 to the person, or None."""
    if "<" not in route:
        url = "/" + route
        return url if client.get(url).status_code == 200 else None
    if route.count("<") > 1 or "<int:" not in route:
        return None  # several arguments, or a token: not reachable by browsing
    model = _model_for(route)
    assert model is not None, f"add the model of {route!r} to SEGMENT_MODELS"
    queryset = model._default_manager.order_by("pk")
    if user is not None:
        with contextlib.suppress(LookupError, KeyError, TypeError):
            queryset = access.visible(user, queryset)
    for pk in queryset.values_list("pk", flat=True)[:MAX_PROBES]:
        url = "/" + re.sub(r"<int:\w+>", str(pk), route)
        status = client.get(url).status_code
        if status == 200:
            return url
        if status == 405:  # POST only: not a page
            return None
    return None


@pytest.fixture
def demo_users(db: Any) -> dict[str, Any]:
    from osm.demo import demo_seed

    return demo_seed().users


def test_every_page_a_role_may_use_is_reachable_by_links(demo_users: dict[str, Any]) -> None:
    started = time.monotonic()
    routes = [
        (name, route)
        for name, route in _routes()
        if name not in NOT_PAGES and name.split(":")[0] not in NOT_PAGE_NAMESPACES
    ]
    unreachable: list[str] = []
    for role in ROLES:
        client = Client()
        user = demo_users.get(role)
        if user is not None:
            client.force_login(user)
        reached, _pages = _crawl(client)
        for name, route in routes:
            if name in reached or (user is not None and name in SIGNED_OUT_ONLY):
                continue
            url = _usable(client, user, route)
            if url is not None:
                unreachable.append(f"{role}: {name} (e.g. {url})")
    assert not unreachable, "Pages a role may use but cannot reach by links:\n" + "\n".join(
        unreachable
    )
    assert time.monotonic() - started < 300  # a guard against an unbounded crawl
