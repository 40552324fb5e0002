"""Early warning: an indicator's cluster value off track round after round, and nobody has
recorded what the cluster will do about it (scorecard.CorrectiveAction).

For each current indicator, its cluster's last N rounds in which it is due and whose
deadline has passed (N: 2 unless staff set another); the roll-up of each of those periods
(one SQL statement per distinct period — a handful, however many provinces and indicators);
off track in all of them with no corrective action recorded for any of them raises it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from osm.alerts.models import Audience, Severity
from osm.alerts.rules import AlertRule, Condition, RuleContext, Threshold, names, quarter_phrase
from scorecard.alerts import _passed_rounds
from scorecard.models import CorrectiveAction, Indicator, ReportingRound, Status
from scorecard.rollup import rollups


def off_track_repeated(ctx: RuleContext) -> Iterator[Condition]:
    default = ctx.rule.threshold("rounds").default
    needed = ctx.thresholds("rounds")
    passed = _passed_rounds(ctx)
    probes = {f: Indicator(frequency=f) for f in Indicator.Frequency.values}
    plan: dict[int, list[ReportingRound]] = {}
    indicators = {}
    periods: dict[tuple[int, int], set[int]] = defaultdict(set)
    for ind in Indicator.objects.current().only(
        "pk", "cluster_id", "frequency", "code", "name_th", "name_en"
    ):
        n = needed.get(ind.cluster_id, default)
        probe = probes[ind.frequency]
        due = [r for r in passed.get(ind.cluster_id, []) if probe.is_due(r.quarter)][:n]
        if len(due) < n:
            continue
        plan[ind.pk] = due
        indicators[ind.pk] = ind
        for r in due:
            periods[(r.fiscal_year, r.quarter)].add(ind.cluster_id)
    status: dict[tuple[int, int, int], str] = {}
    for (year, quarter), cluster_ids in sorted(periods.items()):
        for pk, rollup in rollups(
            fiscal_year=year, quarter=quarter, cluster_ids=sorted(cluster_ids)
        ).items():
            status[(pk, year, quarter)] = rollup.status
    flagged = [
        pk
        for pk, due in plan.items()
        if all(status.get((pk, r.fiscal_year, r.quarter)) == Status.OFF_TRACK for r in due)
    ]
    if not flagged:
        return
    acted = set(
        CorrectiveAction.objects.filter(indicator_id__in=flagged).values_list(
            "indicator_id", "fiscal_year", "quarter"
        )
    )
    for pk in flagged:
        due = plan[pk]
        if any((pk, r.fiscal_year, r.quarter) in acted for r in due):
            continue
        ind, last = indicators[pk], due[0]
        yield Condition(
            object_id=pk,
            cluster_id=ind.cluster_id,
            fiscal_year=last.fiscal_year,
            quarter=last.quarter,
            params={
                "code": ind.code,
                "name": names(ind),
                "n": len(due),
                "rounds": [quarter_phrase(r.fiscal_year, r.quarter) for r in reversed(due)],
            },
            url=ind.get_absolute_url() + "#corrective",
        )


OFF_TRACK_REPEATED = AlertRule(
    code="scorecard.off_track_repeated",
    label=_("Off track round after round, no corrective action"),
    model="scorecard.indicator",
    evaluate=off_track_repeated,
    title=_("%(code)s %(name)s: off track %(n)s rounds in a row, no corrective action recorded"),
    body=_(
        "Rounds %(rounds)s. Record what the cluster will do about it on the indicator's page; "
        "the warning then closes by itself."
    ),
    severity=Severity.CRITICAL,
    audience=(Audience.STAFF,),
    committee_digest=True,
    thresholds=(
        Threshold(
            "rounds",
            _("Warn when an indicator has been off track this many rounds in a row"),
            2,
            minimum=2,
            maximum=8,
        ),
    ),
    order=21,
)
