"""Status badges and trend arrows: text and icon as well as colour."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from osm.lib.workflow import ReviewStatus
from scorecard.models import Result, Status

register = template.Library()

ICONS = {
    Status.ON_TRACK: "✓",
    Status.AT_RISK: "!",
    Status.OFF_TRACK: "✕",
    Status.NO_DATA: "–",
}
REVIEW_CLASSES = {
    ReviewStatus.DRAFT: "text-bg-light border",
    ReviewStatus.SUBMITTED: "text-bg-info",
    ReviewStatus.APPROVED: "text-bg-success",
    ReviewStatus.RETURNED: "text-bg-warning",
}


# The badges and arrows below depend only on their value and the language: each is built
# once per process and language (a cluster scorecard draws hundreds of them per page).
@lru_cache(maxsize=256)
def _memo(kind: str, value: str | None, language: str | None) -> SafeString:
    if kind == "status":
        return _status_badge(value or Status.NO_DATA)
    if kind == "trend":
        return _trend_icon(value)
    return _provisional_badge()


@register.simple_tag
def status_badge(status: str | None) -> SafeString:
    return _memo("status", status or Status.NO_DATA, get_language())


def _status_badge(status: str) -> SafeString:
    return format_html(
        '<span class="badge-status status-{}" data-status="{}"><span aria-hidden="true">{}</span> {}</span>',
        status,
        status,
        ICONS.get(status, "–"),  # type: ignore[call-overload]
        Status(status).label,
    )


@register.simple_tag
def review_badge(status: str) -> SafeString:
    return format_html(
        '<span class="badge {}" data-review="{}">{}</span>',
        REVIEW_CLASSES.get(status, ""),  # type: ignore[call-overload]
        status,
        ReviewStatus(status).label,
    )


@register.simple_tag
def reporting_label(reporting: str | None) -> str:
    if not reporting:
        return ""
    return str(Result.Reporting(reporting).label)


@register.simple_tag
def result_reporting(result: Result) -> str:
    """A result's reporting state as people mean it: a draft nobody has filled in yet is
    "not entered yet", not "not reported" (the state every new result starts in)."""
    if (
        result.status == ReviewStatus.DRAFT
        and result.reporting == Result.Reporting.NOT_REPORTED
        and not result.not_reported_reason
    ):
        return _("not entered yet")
    return reporting_label(result.reporting)


@register.simple_tag
def trend_icon(trend: str | None) -> SafeString:
    return _memo("trend", trend, get_language())


def _trend_icon(trend: str | None) -> SafeString:
    if trend is None:
        return format_html('<span class="text-muted">{}</span>', "—")
    arrow, label = {
        "up": ("▲", _("improving")),
        "down": ("▼", _("worsening")),
        "flat": ("▶", _("steady")),
    }[trend]
    return format_html(
        '<span class="trend"><span aria-hidden="true">{}</span> {}</span>', arrow, label
    )


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.simple_tag
def provisional_badge() -> SafeString:
    """The mark of a status built on part of the provinces (or of the quarters)."""
    return _memo("provisional", None, get_language())


def _provisional_badge() -> SafeString:
    return format_html(
        '<span class="badge-provisional" data-provisional="true" title="{}"><span aria-hidden="true">◔</span> {}</span>',
        _("Provisional: not every province or quarter is in yet"),
        _("provisional"),
    )


@register.filter
def why_missing(result: Any) -> str:
    """Why a province's value is missing or partial ("" when it is shown in full)."""
    from scorecard.explain import result_reason

    return result_reason(result)


@register.filter
def partial_note(missing: str) -> str:
    """ "The total to date leaves out quarter 1, which was not reported." """
    from scorecard.explain import partial_note as note

    return note(missing) if missing else ""
