"""Early warnings of the scorecard, run every morning by the core's alert rules (beat).

- Deadline near: province officers whose province still has results to submit in a round
  whose deadline is within ``REMIND_WORKING_DAYS`` working days.
- Late: after the deadline, the same officers, and the cluster's OSM staff with the list of
  provinces that are late.
- Off track: OSM staff and committee members of the cluster, for each result approved in the
  last days whose value is off track against the province's target.

Each alert has a key, so a person receives it once however often the rules run.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from osm.lib.dates import add_working_days, format_date
from osm.lib.workflow import ReviewStatus
from osm.models import Notification, Province, RoleAssignment
from osm.notifications import Alert
from scorecard.models import ReportingRound, Result, Status, Target
from scorecard.selectors import CURRENT
from scorecard.status import classify_for

REMIND_WORKING_DAYS = 3
OFF_TRACK_LOOKBACK = dt.timedelta(days=3)
PENDING = Q(status__in=[ReviewStatus.DRAFT, ReviewStatus.RETURNED])


def _officers_by_province(province_ids: Iterable[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    rows = RoleAssignment.objects.filter(
        role=RoleAssignment.Role.PROVINCE_OFFICER, province_id__in=set(province_ids)
    ).values_list("province_id", "user_id")
    for province_id, user_id in rows:
        found[province_id].append(user_id)
    return found


def _cluster_people(cluster_ids: Iterable[int], roles: Iterable[str]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    rows = RoleAssignment.objects.filter(role__in=list(roles), cluster_id__in=set(cluster_ids))
    for cluster_id, user_id in rows.values_list("cluster_id", "user_id"):
        found[cluster_id].append(user_id)
    return found


def _pending_by_round_and_province(rounds: list[ReportingRound]) -> dict[tuple[int, int], int]:
    """(round, province) → results still to submit: one grouped query."""
    rows = (
        Result.objects.filter(CURRENT, PENDING, round__in=rounds, province__isnull=False)
        .values("round_id", "province_id")
        .annotate(n=Count("id"))
    )
    return {(r["round_id"], r["province_id"]): r["n"] for r in rows}


def round_deadlines(today: dt.date | None = None) -> list[Alert]:
    """Reminders before the deadline and warnings after it."""
    today = today or timezone.localdate()
    horizon = add_working_days(today, REMIND_WORKING_DAYS)
    rounds = list(
        ReportingRound.objects.filter(state=ReportingRound.State.OPEN, deadline__lte=horizon)
    )
    if not rounds:
        return []
    pending = _pending_by_round_and_province(rounds)
    officers = _officers_by_province(province for _round, province in pending)
    staff = _cluster_people({r.cluster_id for r in rounds}, [RoleAssignment.Role.OSM_STAFF])
    provinces = dict(
        Province.objects.filter(pk__in={p for _r, p in pending}).values_list("pk", "name_th")
    )
    by_round = {r.pk: r for r in rounds}
    alerts: list[Alert] = []
    late_provinces: dict[int, list[str]] = defaultdict(list)
    with translation.override("th"):
        for (round_id, province_id), count in sorted(pending.items()):
            reporting_round = by_round[round_id]
            late = reporting_round.deadline < today
            deadline = format_date(reporting_round.deadline)
            period = reporting_round.period.label()
            url = reporting_round.get_absolute_url()
            if late:
                late_provinces[round_id].append(provinces.get(province_id, ""))
                title = _("Results are late: %(n)s indicators of %(period)s") % {
                    "n": count,
                    "period": period,
                }
                body = _(
                    "The deadline was %(deadline)s. Enter and submit them as soon as possible."
                ) % {"deadline": deadline}
                kind, level = "late", Notification.Level.WARNING
            else:
                title = _("Due by %(deadline)s: %(n)s indicators of %(period)s") % {
                    "deadline": deadline,
                    "n": count,
                    "period": period,
                }
                body = _("Enter the values, attach evidence and submit before the deadline.")
                kind, level = "due", Notification.Level.REMINDER
            for user_id in officers.get(province_id, []):
                alerts.append(
                    Alert(
                        user_id,
                        f"scorecard:round:{round_id}:{kind}:{province_id}",
                        title,
                        body,
                        url,
                        level,
                    )
                )
        for round_id, names in late_provinces.items():
            reporting_round = by_round[round_id]
            title = _("%(n)s provinces are late for %(period)s") % {
                "n": len(names),
                "period": reporting_round.period.label(),
            }
            body = ", ".join(sorted(names))
            for user_id in staff.get(reporting_round.cluster_id, []):
                alerts.append(
                    Alert(
                        user_id,
                        f"scorecard:round:{round_id}:late-summary",
                        title,
                        body,
                        reporting_round.get_absolute_url(),
                    )
                )
    return alerts


def off_track_results(now: dt.datetime | None = None) -> list[Alert]:
    """Approved values that are off track: the committee's early warning."""
    now = now or timezone.now()
    recent = list(
        Result.objects.filter(
            CURRENT,
            status=ReviewStatus.APPROVED,
            reporting=Result.Reporting.REPORTED,
            reviewed_at__gte=now - OFF_TRACK_LOOKBACK,
        ).select_related("indicator", "province", "province_target")
    )
    # The cluster's own values are judged on the cluster target: fetched in one query.
    cluster_targets = {
        (indicator_id, year): value
        for indicator_id, year, value in Target.objects.filter(
            indicator_id__in={r.indicator_id for r in recent if r.province_id is None}
        ).values_list("indicator_id", "fiscal_year", "value")
    }

    def target_of(result: Result) -> Decimal | None:
        if result.province_id is None:
            return cluster_targets.get((result.indicator_id, result.fiscal_year))
        return result.province_target.value if result.province_target else None

    # An approved value's period_value is the value to date it is judged on (the same the
    # dashboards use), so no query per row.
    flagged = [
        r
        for r in recent
        if classify_for(r.indicator, r.period_value, target_of(r), r.quarter) == Status.OFF_TRACK
    ]
    if not flagged:
        return []
    people = _cluster_people(
        {r.indicator.cluster_id for r in flagged},
        [RoleAssignment.Role.OSM_STAFF, RoleAssignment.Role.COMMITTEE],
    )
    alerts: list[Alert] = []
    with translation.override("th"):
        for result in flagged:
            where = result.province.name_th if result.province else _("the cluster")
            title = _("Off track: %(code)s %(name)s in %(where)s") % {
                "code": result.indicator.code,
                "name": result.indicator.name_th,
                "where": where,
            }
            body = _(
                "%(period)s: %(value)s %(unit)s. Explanation: %(why)s Corrective action: %(action)s"
            ) % {
                "period": result.period.label(),
                "value": result.value,
                "unit": result.indicator.unit,
                "why": result.explanation or "—",
                "action": result.corrective_action or "—",
            }
            for user_id in people.get(result.indicator.cluster_id, []):
                alerts.append(
                    Alert(
                        user_id,
                        f"scorecard:result:{result.pk}:off-track:{result.version}",
                        title,
                        body,
                        result.indicator.get_absolute_url(),
                    )
                )
    return alerts


def daily_rules() -> list[Any]:
    return [round_deadlines, off_track_results]
