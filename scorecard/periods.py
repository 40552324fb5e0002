"""Which reporting period a page shows when the person has not chosen one (a selector:
reads only)."""

from __future__ import annotations

from django.utils import timezone

from osm.lib import dates
from osm.models import Cluster
from scorecard.models import ReportingRound


def default_period(cluster: Cluster | None) -> tuple[int, int]:
    """The latest period whose reporting deadline has passed (what the committee reads),
    else the latest round, else today's quarter. One small query on rounds."""
    rounds = ReportingRound.objects.order_by("-fiscal_year", "-quarter")
    if cluster is not None:
        rounds = rounds.filter(cluster=cluster)
    today = timezone.localdate()
    latest = list(rounds.values_list("fiscal_year", "quarter", "deadline")[:40])
    for year, quarter, deadline in latest:
        if deadline < today:
            return year, quarter
    if latest:
        return latest[0][0], latest[0][1]
    period = dates.fiscal_quarter_of(today)
    return period.year, period.quarter
