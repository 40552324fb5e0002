"""Reporting rounds: open (with a draft result per indicator due and province), close,
reopen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osm import events
from osm.lib import dates
from osm.lib.locking import guarded_update
from osm.models import Cluster, Province
from scorecard.models import (
    Indicator,
    ProvinceTarget,
    ReportingRound,
    Result,
    due_quarters_q,
)
from scorecard.notices import round_opened_notify


def default_deadline(fiscal_year: int, quarter: int) -> dt.date:
    """Fifteen working days after the quarter ends."""
    return dates.add_working_days(dates.FiscalQuarter(fiscal_year, quarter).end, 15)


@transaction.atomic
def round_open(
    *,
    cluster: Cluster,
    fiscal_year: int,
    quarter: int,
    deadline: dt.date,
    by: Any,
    opens_on: dt.date | None = None,
) -> ReportingRound:
    """Open a reporting round and create a draft result for every indicator due in it,
    for every province of the cluster. A deadline on a weekend or holiday moves to the next
    working day."""
    if ReportingRound.objects.filter(
        cluster=cluster, fiscal_year=fiscal_year, quarter=quarter
    ).exists():
        raise ValidationError({"quarter": _("A round for this period already exists.")})
    opens_on = opens_on or timezone.localdate()
    deadline = dates.next_working_day(deadline)
    if deadline < opens_on:
        raise ValidationError({"deadline": _("The deadline cannot be before the round opens.")})
    reporting_round = ReportingRound.objects.create(
        cluster=cluster,
        fiscal_year=fiscal_year,
        quarter=quarter,
        opens_on=opens_on,
        deadline=deadline,
        created_by=by,
    )
    create_round_results(reporting_round)
    round_opened_notify(reporting_round)
    events.publish(events.ROUND_CHANGED, cluster_id=cluster.pk, round_id=reporting_round.pk)
    return reporting_round


def create_round_results(reporting_round: ReportingRound) -> int:
    """Draft results for every indicator due × province, and a cluster-level draft for
    indicators that cannot be combined (OSM staff report the cluster's own value); existing
    rows are adopted."""
    due = list(
        Indicator.objects.current()
        .filter(cluster_id=reporting_round.cluster_id)
        .filter(due_quarters_q(reporting_round.quarter))
        .values_list("pk", "aggregation")
    )
    indicators = [pk for pk, _aggregation in due]
    not_combinable = [pk for pk, agg in due if agg == Indicator.Aggregation.NONE]
    provinces = list(
        Province.objects.filter(cluster_id=reporting_round.cluster_id).values_list("pk", flat=True)
    )
    targets = {
        (pt.indicator_id, pt.province_id): pt.pk
        for pt in ProvinceTarget.objects.filter(
            indicator_id__in=indicators, fiscal_year=reporting_round.fiscal_year
        )
    }
    rows = [
        Result(
            indicator_id=ind,
            province_id=prov,
            round=reporting_round,
            fiscal_year=reporting_round.fiscal_year,
            quarter=reporting_round.quarter,
            province_target_id=targets.get((ind, prov)),
        )
        for ind in indicators
        for prov in provinces
    ]
    rows += [
        Result(
            indicator_id=ind,
            province_id=None,
            round=reporting_round,
            fiscal_year=reporting_round.fiscal_year,
            quarter=reporting_round.quarter,
        )
        for ind in not_combinable
    ]
    Result.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return Result.objects.filter(
        indicator_id__in=indicators,
        fiscal_year=reporting_round.fiscal_year,
        quarter=reporting_round.quarter,
        round__isnull=True,
    ).update(round=reporting_round)


def round_close(
    *, reporting_round: ReportingRound, lock_version: int | None = None
) -> ReportingRound:
    """Close the round; `lock_version` is the version the person saw (a stale page is
    refused with StaleVersion, never applied to a round somebody changed since)."""
    if lock_version is None and not reporting_round.is_open:
        raise ValidationError(_("This round is already closed."))
    guarded_update(
        reporting_round, expected=lock_version, fields={"state": ReportingRound.State.CLOSED}
    )
    events.publish(
        events.ROUND_CHANGED, cluster_id=reporting_round.cluster_id, round_id=reporting_round.pk
    )
    return reporting_round


def round_reopen(
    *,
    reporting_round: ReportingRound,
    reason: str,
    deadline: dt.date | None = None,
    lock_version: int | None = None,
) -> ReportingRound:
    if lock_version is None and reporting_round.is_open:
        raise ValidationError(_("This round is already open."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    fields: dict[str, Any] = {"state": ReportingRound.State.OPEN, "reopen_reason": reason.strip()}
    if deadline is not None:
        fields["deadline"] = dates.next_working_day(deadline)
    guarded_update(reporting_round, expected=lock_version, fields=fields)
    events.publish(
        events.ROUND_CHANGED, cluster_id=reporting_round.cluster_id, round_id=reporting_round.pk
    )
    return reporting_round
