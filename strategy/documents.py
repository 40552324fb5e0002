"""The plan book (strategy.plan_book): a plan as one official document.

Vision, issues and objectives, the strategy map (the same SVG as the web page), the
alignment with national targets, and whatever later apps add through
``registry.add_document_section("strategy.plan_book", …)`` — the scorecard adds the
indicators with their targets per year and per province. The strategy app cannot import the
scorecard (layering), so the book asks the registry for its sections.
"""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from osm import registry
from osm.lib.pdf import render_pdf_pages
from strategy import maps, selectors
from strategy.models import Objective, Plan, StrategicIssue

PLAN_BOOK = "strategy.plan_book"


def plan_book_context(plan: Plan, document: Any) -> dict[str, Any]:
    """Everything the book prints, read at once (a fixed number of queries)."""
    plan = selectors.plan_with_cluster().get(pk=plan.pk)
    issues = selectors.issues_with_objectives(plan)
    objectives = [o for issue in issues for o in issue.objectives.all()]
    tags = selectors.tags_for([*issues, *objectives])
    issue_type = ContentType.objects.get_for_model(StrategicIssue).pk
    objective_type = ContentType.objects.get_for_model(Objective).pk
    for issue in issues:
        issue.book_tags = tags.get((issue_type, issue.pk), [])  # type: ignore[attr-defined]
        for objective in issue.objectives.all():
            objective.book_tags = tags.get((objective_type, objective.pk), [])  # type: ignore[attr-defined]
    matrix = selectors.alignment_matrix(plan)
    # The web page's map, without links (a printed box leads nowhere).
    data = maps.map_data(plan, url_for=lambda o: "")
    svg = maps.map_data_svg(data)
    sections = registry.document_sections_for(PLAN_BOOK, document, plan)
    toc = [
        {"anchor": "vision", "title": _("Vision")},
        {"anchor": "issues", "title": _("Development issues and objectives")},
        {"anchor": "map", "title": _("Strategy map")},
        {"anchor": "alignment", "title": _("Alignment with national targets")},
        *({"anchor": s.anchor, "title": s.title} for s in sections if s.anchor),
    ]
    return {
        "plan": plan,
        "cluster": plan.cluster,
        "provinces": list(plan.cluster.provinces.order_by("name_th")),
        "issues": issues,
        "perspectives": selectors.perspectives_of(plan),
        # A map whose box text would print below 8 pt prints in parts (strategy.maps.pages).
        "print_pages": maps.print_pages(data, svg),
        "links": selectors.links_of(plan),
        "svg": svg,
        "matrix": matrix,
        "sections": sections,
        "toc": toc,
        "document": document,
        "draft": plan.status != Plan.Status.APPROVED,
    }


def build_plan_book(document: Any) -> registry.DocumentBuild:
    plan = document.subject
    context = plan_book_context(plan, document)
    rendered = render_pdf_pages("strategy/pdf/plan_book.html", context)
    return registry.DocumentBuild(rendered.content, rendered.pages)


def plan_book_filename(document: Any) -> str:
    plan = document.subject
    return f"แผนพัฒนา{plan.cluster.name_th} {plan.start_year}-{plan.end_year} ฉบับที่ {plan.version}"


PLAN_BOOK_KIND = registry.DocumentKind(
    code=PLAN_BOOK,
    label=gettext_lazy("Plan book"),
    subject_model="strategy.plan",
    build=build_plan_book,
    filename=plan_book_filename,
)


def seed_demo_plan_book(context: Any) -> None:
    """Demo: the main demo cluster's plan book is ready to download (after the scorecard's
    indicators are seeded). Rendered inline in the embedded demo, by the worker otherwise."""
    from osm.documents.models import Document
    from osm.documents.services import document_request

    if getattr(context, "key", ""):
        return
    plan = Plan.objects.filter(cluster=context.cluster, status=Plan.Status.APPROVED).first()
    if plan is None or Document.objects.filter(kind=PLAN_BOOK, object_id=plan.pk).exists():
        return
    document = document_request(kind=PLAN_BOOK, subject=plan, by=None)
    document.refresh_from_db()
    context.log.append(f"documents: plan book of {plan.title_th} ({document.status})")
