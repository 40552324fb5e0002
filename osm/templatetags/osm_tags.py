"""Display filters: Buddhist-Era dates, fiscal years and quarters, Thai digits, numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import number_format

from osm.lib import dates
from osm.lib.display import digits as _digits

register = template.Library()


@register.filter
def be_date(value: dt.date | dt.datetime | None, style: str = "short") -> str:
    """{{ d|be_date }} → '25 พ.ย. 2569'; {{ d|be_date:"long" }} → '25 พฤศจิกายน 2569'."""
    return _digits(dates.format_date(value, style=style))


@register.filter
def be_datetime(value: dt.datetime | None) -> str:
    return _digits(dates.format_datetime(value))


@register.filter
def fiscal_year(value: int | dt.date | None) -> str:
    """{{ 2570|fiscal_year }} or {{ some_date|fiscal_year }} → 'ปีงบประมาณ พ.ศ. 2570'."""
    if value is None:
        return ""
    year = dates.fiscal_year_of(value) if isinstance(value, dt.date) else int(value)
    return _digits(dates.fiscal_year_label(year))


@register.simple_tag
def quarter_label(year: int, quarter: int) -> str:
    return _digits(dates.FiscalQuarter(int(year), int(quarter)).label())


@register.filter
def digits(value: Any) -> str:
    return _digits(value)


@register.filter
def num(value: Any, places: int = 2) -> str:
    """Thousands separators and fixed decimals, in the person's digits; '—' for no value."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return _digits(value)
    return _digits(number_format(number, decimal_pos=int(places), force_grouping=True))


@register.inclusion_tag("osm/_page_links.html", takes_context=True)
def page_links(context: Any, obj: Any) -> dict[str, Any]:
    """Links that other apps add to this object's page (osm.registry.add_page_links)."""
    from osm import registry

    request = context.get("request")
    user = getattr(request, "user", None)
    return {"links": registry.page_links_for(user, obj)}


@register.simple_tag(takes_context=True)
def related_links(context: Any, kind: str, obj: Any) -> list[Any]:
    """What other apps hold about `obj` that the person may open (osm.registry links)."""
    from osm import access, registry

    request = context.get("request")
    user = getattr(request, "user", None)
    return registry.related_links(kind, obj, access.scope_for(user))


@register.filter
def minutes(value: dt.timedelta | None) -> int | None:
    """Whole minutes of a duration (the log-in cool-off time)."""
    if value is None:
        return None
    return int(value.total_seconds() // 60)


@register.inclusion_tag("osm/_document_panel.html", takes_context=True)
def document_panel(context: Any, kind: str, subject: Any, **params: Any) -> dict[str, Any]:
    """{% document_panel "strategy.plan_book" plan %} (kind parameters as keywords, e.g.
    fiscal_year=2570): the generate button for those who may request the document, its
    live status and the download link. One query (the document's record)."""
    from osm import registry
    from osm.documents.panel import document_for, panel_context

    spec = registry.document_kind(kind)
    document = document_for(kind, subject, params)
    return panel_context(context["request"], spec, subject, document, params=params)


@register.simple_tag(takes_context=True)
def document_panels(context: Any, subject: Any) -> list[Any]:
    """{% document_panels plan as panels %}: the rendered panels of every listed kind about
    `subject` that the person may read, whichever app declared it (one query)."""
    from django.template.loader import render_to_string

    from osm.documents.panel import panels_for

    request = context["request"]
    return [
        render_to_string("osm/_document_panel.html", panel, request=request)
        for panel in panels_for(request, subject)
    ]
