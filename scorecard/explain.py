"""Why a number is missing or partial, in words: every empty cell on a page says why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from osm.lib import dates, display
from osm.lib.workflow import ReviewStatus
from scorecard.models import Indicator, Result
from scorecard.rules import Rollup


def _date(day: dt.date) -> str:
    return display.digits(dates.format_date(day))


def quarters_text(missing: str) -> str:
    return display.digits(", ".join(missing))


def partial_note(missing: str) -> str:
    """A cumulative total that leaves earlier quarters out."""
    return ngettext(
        "The total to date leaves out quarter %(quarters)s, which was not reported.",
        "The total to date leaves out quarters %(quarters)s, which were not reported.",
        len(missing),
    ) % {"quarters": quarters_text(missing)}


def coverage_text(rollup: Rollup, indicator: Indicator | None = None) -> str:
    if indicator is not None and indicator.aggregation == Indicator.Aggregation.NONE:
        if rollup.coverage_reported:
            return _("The cluster's own value")
        return _("The cluster's own value, not yet reported")
    return _("Reported by %(reported)s of %(expected)s provinces") % {
        "reported": display.digits(rollup.coverage_reported),
        "expected": display.digits(rollup.coverage_expected),
    }


def result_reason(result: Result | None, *, today: dt.date | None = None) -> str:
    """Why one province's value is not shown (or is only part of the total); "" when it is
    shown in full."""
    today = today or timezone.localdate()
    if result is None:
        return _("Not due this quarter")
    if result.status == ReviewStatus.DRAFT:
        deadline = result.round.deadline if result.round_id and result.round else None
        if deadline is not None and deadline >= today:
            return _("Not yet due (deadline %(date)s)") % {"date": _date(deadline)}
        return _("Not submitted")
    if result.status == ReviewStatus.SUBMITTED:
        return _("Awaiting review")
    if result.status == ReviewStatus.RETURNED:
        return _("Returned for correction")
    if result.reporting == Result.Reporting.NOT_APPLICABLE:
        return _("Not applicable")
    if result.reporting == Result.Reporting.NOT_REPORTED:
        if result.not_reported_reason:
            return _("Not reported: %(reason)s") % {"reason": result.not_reported_reason}
        return _("Not reported")
    if result.missing_quarters:
        return partial_note(result.missing_quarters)
    return ""


def rollup_reasons(
    rollup: Rollup, indicator: Indicator, *, quarter: int, today: dt.date | None = None
) -> list[str]:
    """Why a cluster value is missing or provisional, one phrase per cause."""
    today = today or timezone.localdate()
    out: list[str] = []
    pending = rollup.n_pending + rollup.n_returned + rollup.n_draft
    if not indicator.is_due(quarter):
        return [
            _("Not due this quarter (%(frequency)s)")
            % {"frequency": indicator.get_frequency_display()}
        ]
    if rollup.deadline is None and not (rollup.n_reported or pending):
        return [_("No reporting round for this quarter yet")]
    if rollup.n_draft:
        if rollup.deadline is not None and rollup.deadline >= today:
            out.append(
                ngettext(
                    "%(n)s province not yet due (deadline %(date)s)",
                    "%(n)s provinces not yet due (deadline %(date)s)",
                    rollup.n_draft,
                )
                % {"n": display.digits(rollup.n_draft), "date": _date(rollup.deadline)}
            )
        else:
            out.append(
                ngettext(
                    "%(n)s province not submitted", "%(n)s provinces not submitted", rollup.n_draft
                )
                % {"n": display.digits(rollup.n_draft)}
            )
    if rollup.n_pending:
        out.append(_("%(n)s awaiting review") % {"n": display.digits(rollup.n_pending)})
    if rollup.n_returned:
        out.append(_("%(n)s returned for correction") % {"n": display.digits(rollup.n_returned)})
    if rollup.n_not_reported:
        out.append(
            _("%(n)s not reported, with a reason") % {"n": display.digits(rollup.n_not_reported)}
        )
    if rollup.n_not_applicable and not rollup.coverage_expected:
        out.append(_("Not applicable to any province"))
    if rollup.n_partial:
        out.append(
            ngettext(
                "%(n)s province's total to date leaves out an earlier quarter",
                "%(n)s provinces' totals to date leave out an earlier quarter",
                rollup.n_partial,
            )
            % {"n": display.digits(rollup.n_partial)}
        )
    if rollup.value is not None and rollup.expected is None:
        out.append(_("No target for this year"))
    return out


def attach(indicators: list[Any], *, quarter: int) -> None:
    """Give each indicator (carrying `rollup`) its `coverage` and `reasons` for templates."""
    today = timezone.localdate()
    for ind in indicators:
        ind.coverage = coverage_text(ind.rollup, ind)
        ind.reasons = rollup_reasons(ind.rollup, ind, quarter=quarter, today=today)
