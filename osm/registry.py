"""How the core gathers from feature apps without importing them.

Each app fills these registries in its ``AppConfig.ready()``:
- ``nav``: links in the main navigation, each shown only to the scopes it suits;
- ``home_panels``: what a person has to do, shown on their home page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from osm.access import Scope


@dataclass(frozen=True)
class NavItem:
    label: Any  # a lazy translation
    url_name: str
    visible_to: Callable[[Scope], bool]
    order: int = 100


@dataclass
class Panel:
    """A block on a person's home page; rendered with `template` and `context`."""

    title: Any
    template: str
    context: dict[str, Any]
    order: int = 100


PanelProvider = Callable[[HttpRequest, Scope], list[Panel]]

nav: list[NavItem] = []
home_panels: list[PanelProvider] = []


def add_nav(item: NavItem) -> None:
    if item not in nav:
        nav.append(item)
        nav.sort(key=lambda i: i.order)


def add_home_panels(provider: PanelProvider) -> None:
    if provider not in home_panels:
        home_panels.append(provider)


def nav_for(scope: Scope) -> list[NavItem]:
    return [item for item in nav if item.visible_to(scope)]


def panels_for(request: HttpRequest, scope: Scope) -> list[Panel]:
    panels: list[Panel] = []
    for provider in home_panels:
        panels.extend(provider(request, scope))
    return sorted(panels, key=lambda p: p.order)


# Demo data: each app adds a seeder that builds on what the core seeded.
DemoSeeder = Callable[[Any], None]  # receives the DemoContext (osm.demo.DemoContext)
demo_seeders: list[tuple[int, DemoSeeder]] = []


def add_demo_seeder(seeder: DemoSeeder, *, order: int) -> None:
    if all(existing is not seeder for _order, existing in demo_seeders):
        demo_seeders.append((order, seeder))
        demo_seeders.sort(key=lambda pair: pair[0])


# Early warnings, run by beat every morning (osm/alerts/engine.py). A rule is an
# `osm.alerts.rules.AlertRule` (alerts as records: see that module for the API), or — the
# older form, still run as before — a callable returning `osm.notifications.Alert` rows.
LegacyAlertRule = Callable[[], Iterable[Any]]
alert_rules: list[Any] = []


def add_alert_rule(rule: Any) -> None:
    if rule not in alert_rules:
        alert_rules.append(rule)


# Links on an object's page to what other apps hold about it (a cluster's projects, an
# objective's projects, …): each app adds a provider per model label ("osm.cluster");
# the page renders them with {% page_links obj %}.
@dataclass(frozen=True)
class PageLink:
    label: Any
    url: str
    testid: str = ""


PageLinkProvider = Callable[[Any, Any], list[PageLink]]  # (user, obj) -> links
page_links: dict[str, list[PageLinkProvider]] = {}


def add_page_links(model_label: str, provider: PageLinkProvider) -> None:
    providers = page_links.setdefault(model_label.lower(), [])
    if provider not in providers:
        providers.append(provider)


def page_links_for(user: Any, obj: Any) -> list[PageLink]:
    found: list[PageLink] = []
    for provider in page_links.get(obj._meta.label_lower, []):
        found.extend(provider(user, obj))
    return found


# National-scale data (`manage.py seed_scale`): apps above the scorecard add a seeder that
# builds on its data; each gets (years, clusters) and returns a line for the report.
ScaleSeeder = Callable[[range, int | None], str]
scale_seeders: list[tuple[int, ScaleSeeder]] = []


def add_scale_seeder(seeder: ScaleSeeder, *, order: int) -> None:
    if all(existing is not seeder for _order, existing in scale_seeders):
        scale_seeders.append((order, seeder))
        scale_seeders.sort(key=lambda pair: pair[0])


# What hangs on objectives: each app that points at strategy objectives (indicators,
# projects, resolutions) tells the strategy app what it holds, without the strategy app
# importing it. The approval page of a plan version lists what hangs on the objectives its
# review drops; approval is refused while any of it is unresolved; a draft with something
# on its objectives is not deleted.
@dataclass(frozen=True)
class Dependent:
    """One thing that hangs on an objective.

    `resolve_url` takes a POST with ``action=move&objective=<id of an objective of the new
    version>``, ``action=retire`` or ``action=clear`` (and a safe ``next``): the owning app
    records the choice and carries it out when the version is approved (through
    ``events.PLAN_APPROVED``). `resolution` describes the choice made ("" while none is).
    """

    kind: Any  # what it is, e.g. "ตัวชี้วัด" (lazy translation)
    label: str  # e.g. "K1 มูลค่าการค้าชายแดน"
    url: str = ""
    detail: str = ""  # e.g. "ค่าเป้าหมาย 3 ปี · ผลการดำเนินงาน 12 รายการ"
    resolve_url: str = ""
    resolution: str = ""
    moves_to: int | None = None  # objective id chosen as the new home
    retires: bool = False

    @property
    def resolved(self) -> bool:
        return self.moves_to is not None or self.retires


DependentsProvider = Callable[[list[int]], dict[int, list[Dependent]]]
objective_dependent_providers: list[DependentsProvider] = []


def add_objective_dependents(provider: DependentsProvider) -> None:
    """`provider(objective_ids)` returns, per objective id, what of the app hangs on it
    (objectives with nothing are left out). Called with one list: one or two queries."""
    if provider not in objective_dependent_providers:
        objective_dependent_providers.append(provider)


def objective_dependents(objective_ids: Iterable[int]) -> dict[int, list[Dependent]]:
    ids = list(objective_ids)
    found: dict[int, list[Dependent]] = {}
    if not ids:
        return found
    for provider in objective_dependent_providers:
        for objective_id, items in provider(ids).items():
            found.setdefault(objective_id, []).extend(items)
    return found


# Links between apps' pages: a core or strategy page (a cluster, a province, an objective)
# links to what later apps hold about it without importing them. Each provider returns the
# links that the person's scope may follow; templates show them with `{% related_links %}`.
@dataclass(frozen=True)
class Link:
    label: Any  # a lazy translation or text
    url: str
    primary: bool = False  # an action (a button) rather than a page to read
    testid: str = ""


LinkProvider = Callable[[Any, Scope], list[Link]]
related_link_providers: dict[str, list[LinkProvider]] = {}


def add_related_links(kind: str, provider: LinkProvider) -> None:
    """`kind` names the page: "cluster", "province", "objective" or "alert-settings"."""
    providers = related_link_providers.setdefault(kind, [])
    if provider not in providers:
        providers.append(provider)


def related_links(kind: str, obj: Any, scope: Scope) -> list[Link]:
    links: list[Link] = []
    for provider in related_link_providers.get(kind, []):
        links.extend(provider(obj, scope))
    return links
