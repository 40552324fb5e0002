"""How the core gathers from feature apps without importing them.

Each app fills these registries in its ``AppConfig.ready()``:
- ``nav``: links in the main navigation, each shown only to the scopes it suits;
- ``home_panels``: what a person has to do, shown on their home page;
- ``document_kinds``: the generated documents each app offers (see osm.documents).
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


# Generated documents (osm/documents/): each app declares its kinds; the core requests,
# renders (one Celery task), stores and serves them. See osm.documents for the whole API.
@dataclass(frozen=True)
class DocumentBuild:
    """What a kind's `build` returns: the PDF, its page count (counted by the core when
    None) and, when the kind knows better than "when the render started", its data time."""

    content: bytes
    pages: int | None = None
    data_as_of: Any = None  # a datetime


def _subject_cluster(subject: Any) -> int:
    if subject._meta.label_lower == "osm.cluster":
        return int(subject.pk)
    return int(subject.cluster_id)


def _no_params(data: Any, subject: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class DocumentKind:
    """One kind of generated document.

    code: "app.name" (e.g. "strategy.plan_book"), stored on each Document.
    label: what people call it (a lazy translation).
    subject_model: the model label of what it is about ("strategy.plan", "osm.cluster").
    build(document) -> DocumentBuild | bytes: renders the PDF (with osm.lib.pdf); runs in the
        worker with the document's language and digits active. Raise
        osm.documents.DocumentError("…translated…") for a failure people can act on.
    can_request(scope, subject) / can_read(scope, subject): who may (re)generate it and who
        may see its status and download it (default: the cluster's OSM staff / the cluster's
        staff, committee and central users).
    cluster_of(subject) -> cluster id (default: subject.cluster_id; a Cluster's own pk).
    Views ask `allows_request(scope, subject)` / `allows_read(scope, subject)`.
    filename(document) -> str: the download's name, Thai allowed (".pdf" is added).
    clean_params(data, subject) -> dict: the kind's parameters from the posted form
        (e.g. a fiscal year); raise ValidationError for bad input. "language" is the core's.
    max_attempts: failed attempts (or workers lost mid-render) before the document fails.
    listed: shown by {% document_panels subject %} (needs no parameters).
    """

    code: str
    label: Any
    subject_model: str
    build: Callable[[Any], DocumentBuild | bytes]
    can_request: Callable[[Scope, Any], bool] | None = None
    can_read: Callable[[Scope, Any], bool] | None = None
    cluster_of: Callable[[Any], int] = _subject_cluster
    filename: Callable[[Any], str] | None = None
    clean_params: Callable[[Any, Any], dict[str, Any]] = _no_params
    max_attempts: int = 3
    # Shown by {% document_panels subject %} on the subject's page (a kind that needs
    # parameters, such as a fiscal year, is placed with {% document_panel %} instead).
    listed: bool = True

    def allows_request(self, scope: Scope, subject: Any) -> bool:
        if self.can_request is not None:
            return self.can_request(scope, subject)
        return scope.can_edit_cluster(self.cluster_of(subject))

    def allows_read(self, scope: Scope, subject: Any) -> bool:
        if self.can_read is not None:
            return self.can_read(scope, subject)
        return scope.can_read_cluster(self.cluster_of(subject))


document_kinds: dict[str, DocumentKind] = {}


def add_document_kind(kind: DocumentKind) -> None:
    existing = document_kinds.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"document kind {kind.code!r} is registered twice")
    document_kinds[kind.code] = kind


def document_kind(code: str) -> DocumentKind:
    """The registered kind `code`; LookupError when no app offers it."""
    try:
        return document_kinds[code]
    except KeyError:
        raise LookupError(f"no document kind {code!r}") from None


# Sections that a later app adds to an earlier app's document (the scorecard's indicators in
# the strategy app's plan book): the kind's build asks for them without importing the app.
@dataclass(frozen=True)
class DocumentSection:
    """A part of a document, rendered with `template` (under templates/<app>/pdf/, a
    fragment that the document's own template includes) and `context`."""

    title: Any
    template: str
    context: dict[str, Any]
    anchor: str = ""  # an id for the table of contents
    order: int = 100


SectionProvider = Callable[[Any, Any], list[DocumentSection]]  # (document, subject)
document_sections: dict[str, list[SectionProvider]] = {}


def add_document_section(kind: str, provider: SectionProvider) -> None:
    providers = document_sections.setdefault(kind, [])
    if provider not in providers:
        providers.append(provider)


def document_sections_for(kind: str, document: Any, subject: Any) -> list[DocumentSection]:
    found: list[DocumentSection] = []
    for provider in document_sections.get(kind, []):
        found.extend(provider(document, subject))
    return sorted(found, key=lambda s: s.order)
