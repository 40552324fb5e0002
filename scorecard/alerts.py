"""Early warnings of the scorecard (the rule API: osm/alerts/rules.py), run every morning.

- Deadline near (officers): a province still has values to submit in an open round whose
  deadline is within the cluster's lead time (working days, 3 unless staff set another).
- Late (officers) and late provinces (staff): after the deadline of an open round.
- Missed deadlines in a row (officers and staff): a province that did not submit every value
  on time in each of its cluster's last rounds (2 unless staff set another).
- Off track (staff; the committee's weekly digest): a province's (or the cluster's own)
  latest approved value is off track against its target.
- Off track round after round (staff; the committee's digest): the cluster value of an
  indicator was off track in each of its last due rounds (2 unless staff set another) and
  staff recorded no corrective action for any of them (scorecard.CorrectiveAction).

Each evaluation reads in a fixed number of queries, however many provinces and indicators.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from osm.alerts.models import Audience, Channel, Severity
from osm.alerts.rules import (
    AlertRule,
    Condition,
    RuleContext,
    Threshold,
    day,
    names,
    number,
    phrase,
    quarter_phrase,
)
from osm.lib.dates import add_working_days
from osm.lib.workflow import ReviewStatus
from scorecard.models import ReportingRound, Result, Status, Target
from scorecard.selectors import COMPLETE, CURRENT
from scorecard.status import classify_for

PENDING = Q(status__in=[ReviewStatus.DRAFT, ReviewStatus.RETURNED])


def _pending(rounds: list[ReportingRound]) -> list[dict[str, object]]:
    """(round, province) with values still to submit, and the province's names: one query."""
    return list(
        Result.objects.filter(CURRENT, PENDING, round__in=rounds, province__isnull=False)
        .values("round_id", "province_id", "province__name_th", "province__name_en")
        .annotate(n=Count("id"))
        .order_by("round_id", "province__name_th")
    )


def _province_names(row: dict[str, object]) -> dict[str, object]:
    return {
        "th": row["province__name_th"],
        "en": row["province__name_en"] or row["province__name_th"],
    }


def round_due(ctx: RuleContext) -> Iterator[Condition]:
    default = ctx.rule.threshold("working_days").default
    lead = ctx.thresholds("working_days")
    horizons = {n: add_working_days(ctx.today, n) for n in {*lead.values(), default}}
    rounds = [
        r
        for r in ReportingRound.objects.filter(
            state=ReportingRound.State.OPEN,
            deadline__gte=ctx.today,
            deadline__lte=max(horizons.values()),
        )
        if r.deadline <= horizons[lead.get(r.cluster_id, default)]
    ]
    by_pk = {r.pk: r for r in rounds}
    for row in _pending(rounds) if rounds else []:
        reporting_round = by_pk[row["round_id"]]  # type: ignore[index]
        yield Condition(
            object_id=row["province_id"],  # type: ignore[arg-type]
            cluster_id=reporting_round.cluster_id,
            province_id=row["province_id"],  # type: ignore[arg-type]
            fiscal_year=reporting_round.fiscal_year,
            quarter=reporting_round.quarter,
            params={"n": row["n"], "deadline": day(reporting_round.deadline)},
            url=reporting_round.get_absolute_url(),
        )


def _late_rounds(ctx: RuleContext) -> list[ReportingRound]:
    return list(
        ReportingRound.objects.filter(state=ReportingRound.State.OPEN, deadline__lt=ctx.today)
    )


def round_late(ctx: RuleContext) -> Iterator[Condition]:
    rounds = _late_rounds(ctx)
    by_pk = {r.pk: r for r in rounds}
    for row in _pending(rounds) if rounds else []:
        reporting_round = by_pk[row["round_id"]]  # type: ignore[index]
        yield Condition(
            object_id=row["province_id"],  # type: ignore[arg-type]
            cluster_id=reporting_round.cluster_id,
            province_id=row["province_id"],  # type: ignore[arg-type]
            fiscal_year=reporting_round.fiscal_year,
            quarter=reporting_round.quarter,
            params={"n": row["n"], "deadline": day(reporting_round.deadline)},
            url=reporting_round.get_absolute_url(),
        )


def round_late_summary(ctx: RuleContext) -> Iterator[Condition]:
    rounds = _late_rounds(ctx)
    late: dict[int, list[dict[str, object]]] = defaultdict(list)
    for row in _pending(rounds) if rounds else []:
        late[row["round_id"]].append(_province_names(row))  # type: ignore[index]
    for reporting_round in rounds:
        provinces = late.get(reporting_round.pk)
        if provinces:
            yield Condition(
                object_id=reporting_round.pk,
                cluster_id=reporting_round.cluster_id,
                fiscal_year=reporting_round.fiscal_year,
                quarter=reporting_round.quarter,
                params={"n": len(provinces), "provinces": provinces},
                url=reporting_round.get_absolute_url(),
            )


def _passed_rounds(ctx: RuleContext) -> dict[int, list[ReportingRound]]:
    """Each cluster's rounds whose deadline has passed, latest first: one query."""
    found: dict[int, list[ReportingRound]] = defaultdict(list)
    for r in ReportingRound.objects.filter(deadline__lt=ctx.today).order_by(
        "cluster_id", "-fiscal_year", "-quarter"
    ):
        found[r.cluster_id].append(r)
    return found


def deadlines_missed(ctx: RuleContext) -> Iterator[Condition]:
    """A province missed a round's deadline when a value due in it was not submitted (or
    "not reported" with a reason) by the deadline."""
    needed = ctx.thresholds("rounds")
    latest = {
        cluster_id: rounds[: needed.get(cluster_id, 2)]
        for cluster_id, rounds in _passed_rounds(ctx).items()
        if len(rounds) >= needed.get(cluster_id, 2)
    }
    chosen = [r for rounds in latest.values() for r in rounds]
    if not chosen:
        return
    on_time = COMPLETE & Q(first_submitted_at__isnull=False, submitted_on__lte=F("round__deadline"))
    missed = {
        (row["round_id"], row["province_id"]): row
        for row in Result.objects.filter(CURRENT, round__in=chosen, province__isnull=False)
        .alias(submitted_on=TruncDate("first_submitted_at"))
        .values("round_id", "province_id", "province__name_th", "province__name_en")
        .annotate(missed=Count("id", filter=~on_time))
        .filter(missed__gt=0)
    }
    provinces: dict[int, set[int]] = defaultdict(set)
    for _round_id, province_id in missed:
        provinces[_round_id].add(province_id)
    for cluster_id, rounds in latest.items():
        every = set.intersection(*(provinces.get(r.pk, set()) for r in rounds))
        last = rounds[0]
        for province_id in sorted(every):
            yield Condition(
                object_id=province_id,
                cluster_id=cluster_id,
                province_id=province_id,
                fiscal_year=last.fiscal_year,
                quarter=last.quarter,
                params={
                    "n": len(rounds),
                    "province": _province_names(missed[(last.pk, province_id)]),
                    "rounds": [quarter_phrase(r.fiscal_year, r.quarter) for r in reversed(rounds)],
                },
                url=last.get_absolute_url(),
            )


def off_track(ctx: RuleContext) -> Iterator[Condition]:
    """The latest approved value of each indicator in each province (or the cluster's own
    value) that is off track against its target."""
    place = Coalesce("province_id", Value(0))
    newer = (
        Result.objects.filter(indicator_id=OuterRef("indicator_id"), status=ReviewStatus.APPROVED)
        .annotate(place=place)
        .filter(place=OuterRef("place"))
        .filter(
            Q(fiscal_year__gt=OuterRef("fiscal_year"))
            | Q(fiscal_year=OuterRef("fiscal_year"), quarter__gt=OuterRef("quarter"))
        )
    )
    latest = list(
        Result.objects.filter(
            CURRENT, status=ReviewStatus.APPROVED, reporting=Result.Reporting.REPORTED
        )
        .annotate(place=place)
        .filter(~Exists(newer))
        .select_related("indicator", "province", "province_target")
    )
    cluster_targets = {
        (indicator_id, year): value
        for indicator_id, year, value in Target.objects.filter(
            indicator_id__in={r.indicator_id for r in latest if r.province_id is None}
        ).values_list("indicator_id", "fiscal_year", "value")
    }
    for result in latest:
        if result.province_id is None:
            target = cluster_targets.get((result.indicator_id, result.fiscal_year))
        else:
            target = result.province_target.value if result.province_target else None
        indicator = result.indicator
        if classify_for(indicator, result.period_value, target, result.quarter) != Status.OFF_TRACK:
            continue
        yield Condition(
            object_id=result.pk,
            cluster_id=indicator.cluster_id,
            province_id=result.province_id,
            fiscal_year=result.fiscal_year,
            quarter=result.quarter,
            params={
                "code": indicator.code,
                "name": names(indicator),
                "where": names(result.province)
                if result.province
                else phrase(gettext_noop("the cluster")),
                "value": number(result.value, indicator.decimal_places),
                "unit": indicator.unit,
                "why": result.explanation or "—",
                "action": result.corrective_action or "—",
            },
            url=indicator.get_absolute_url(),
        )


ROUND_DUE = AlertRule(
    code="scorecard.round_due",
    label=_("Reporting deadline near"),
    model="osm.province",
    evaluate=round_due,
    title=_("Due by %(deadline)s: %(n)s indicators of %(period)s"),
    body=_("Enter the values, attach evidence and submit before the deadline."),
    severity=Severity.REMINDER,
    audience=(Audience.OFFICERS,),
    thresholds=(
        Threshold(
            "working_days",
            _("Remind province officers this many working days before a deadline"),
            3,
            minimum=1,
            maximum=20,
        ),
    ),
    order=10,
)
ROUND_LATE = AlertRule(
    code="scorecard.round_late",
    label=_("Results late"),
    model="osm.province",
    evaluate=round_late,
    title=_("Results are late: %(n)s indicators of %(period)s"),
    body=_("The deadline was %(deadline)s. Enter and submit them as soon as possible."),
    audience=(Audience.OFFICERS,),
    order=11,
)
ROUND_LATE_SUMMARY = AlertRule(
    code="scorecard.round_late_summary",
    label=_("Provinces late in a round"),
    model="scorecard.reportinground",
    evaluate=round_late_summary,
    title=_("%(n)s provinces are late for %(period)s"),
    body="%(provinces)s",
    audience=(Audience.STAFF,),
    order=12,
)
DEADLINES_MISSED = AlertRule(
    code="scorecard.deadlines_missed",
    label=_("Deadlines missed in a row"),
    model="osm.province",
    evaluate=deadlines_missed,
    title=_("%(province)s missed %(n)s reporting deadlines in a row"),
    body=_(
        "Rounds %(rounds)s: some values were not submitted by the deadline. Agree with the "
        "province how the next round will be on time."
    ),
    severity=Severity.CRITICAL,
    audience=(Audience.OFFICERS, Audience.STAFF),
    thresholds=(
        Threshold(
            "rounds",
            _("Warn when a province has missed this many deadlines in a row"),
            2,
            minimum=2,
            maximum=8,
        ),
    ),
    order=13,
)
OFF_TRACK = AlertRule(
    code="scorecard.off_track",
    label=_("Value off track"),
    model="scorecard.result",
    evaluate=off_track,
    title=_("Off track: %(code)s %(name)s in %(where)s"),
    body=_("%(period)s: %(value)s %(unit)s. Explanation: %(why)s Corrective action: %(action)s"),
    audience=(Audience.STAFF,),
    default_channel=Channel.DAILY,
    committee_digest=True,
    order=20,
)


def rules() -> list[AlertRule]:
    from scorecard.alerts_repeated import OFF_TRACK_REPEATED

    return [
        ROUND_DUE,
        ROUND_LATE,
        ROUND_LATE_SUMMARY,
        DEADLINES_MISSED,
        OFF_TRACK,
        OFF_TRACK_REPEATED,
    ]
