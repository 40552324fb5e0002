"""The runner: every rule's conditions become alerts (osm/alerts/rules.py).

For each rule, in its own transaction and a fixed number of queries: read the rule's open
alerts, compare them with the conditions that hold now, insert the new ones in one
statement, refresh the details of those still holding, resolve the rest in one statement.
The partial unique constraint (one open alert per rule, object and period) makes a second
run, or two runs at once, raise nothing twice. An alert a person closed is not raised again
for the same object and period. A rule that fails is logged and skipped; the others run.
New alerts are then delivered (osm/alerts/delivery.py).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from osm.alerts.models import Alert, AlertDelivery, ClusterAlertSettings
from osm.alerts.rules import AlertRule, Condition, RuleContext, legacy_rules, rules

log = logging.getLogger(__name__)
REFRESHED = ["severity", "params", "url", "owner_id", "cluster_id", "province_id", "audience"]


@dataclass
class RuleRun:
    code: str
    raised: int = 0
    resolved: int = 0
    open: int = 0
    seconds: float = 0.0
    failed: bool = False


@dataclass
class RunReport:
    rules: list[RuleRun] = field(default_factory=list)
    raised_ids: list[int] = field(default_factory=list)
    legacy_notifications: int = 0
    deliveries: int = 0

    @property
    def raised(self) -> int:
        return len(self.raised_ids)

    @property
    def resolved(self) -> int:
        return sum(r.resolved for r in self.rules)


def _json(params: Any) -> Any:
    """The params as they come back from the JSON column (tuples → lists, Decimal → str)."""
    return json.loads(json.dumps(dict(params), cls=DjangoJSONEncoder))


def _content_type(rule: AlertRule) -> ContentType:
    return ContentType.objects.get_for_model(apps.get_model(rule.model))


def _settings() -> dict[int, dict[str, Any]]:
    return dict(ClusterAlertSettings.objects.values_list("cluster_id", "values"))


def rule_apply(
    rule: AlertRule, conditions: list[Condition], *, now: dt.datetime, run: RuleRun
) -> list[int]:
    """Upsert `conditions` as the rule's open alerts; resolve the others. Returns the ids of
    the alerts raised."""
    content_type = _content_type(rule)
    wanted: dict[tuple[int, str], Condition] = {}
    for condition in conditions:
        wanted[(condition.object_id, condition.period)] = condition
    open_alerts = {
        (a.object_id, a.period): a
        for a in Alert.objects.filter(
            rule=rule.code, content_type=content_type, resolved_at__isnull=True
        ).only("pk", "object_id", "period", "updated_at", *REFRESHED)
    }
    # Alerts of another model under this code (the rule changed what it is about): resolved.
    stale = Alert.objects.filter(rule=rule.code, resolved_at__isnull=True).exclude(
        content_type=content_type
    )
    gone = [a.pk for key, a in open_alerts.items() if key not in wanted]
    new = [c for key, c in wanted.items() if key not in open_alerts]
    if new:
        closed = set(
            Alert.objects.filter(
                rule=rule.code,
                content_type=content_type,
                resolution=Alert.Resolution.PERSON,
                object_id__in={c.object_id for c in new},
            ).values_list("object_id", "period")
        )
        new = [c for c in new if (c.object_id, c.period) not in closed]
    changed = []
    for key, alert in open_alerts.items():
        holding = wanted.get(key)
        if holding is None:
            continue
        fresh = _fields(rule, holding)
        if any(getattr(alert, name) != fresh[name] for name in REFRESHED):
            for name in REFRESHED:
                setattr(alert, name, fresh[name])
            alert.updated_at = now
            changed.append(alert)
    if changed:
        fields = [f.removesuffix("_id") for f in REFRESHED]
        Alert.objects.bulk_update(changed, [*fields, "updated_at"])
    raised: list[int] = []
    if new:
        Alert.objects.bulk_create(
            [
                Alert(
                    rule=rule.code,
                    content_type=content_type,
                    object_id=c.object_id,
                    fiscal_year=c.fiscal_year,
                    quarter=c.quarter,
                    period=c.period,
                    raised_at=now,
                    **_fields(rule, c),
                )
                for c in new
            ],
            ignore_conflicts=True,  # raised meanwhile by another run: that one stands
        )
        keys = {(c.object_id, c.period) for c in new}
        rows = Alert.objects.filter(
            rule=rule.code,
            content_type=content_type,
            resolved_at__isnull=True,
            raised_at=now,
            object_id__in={c.object_id for c in new},
        ).values_list("pk", "object_id", "period")
        raised = [pk for pk, object_id, period in rows if (object_id, period) in keys]
    if gone:
        Alert.objects.filter(pk__in=gone).update(resolved_at=now, resolution=Alert.Resolution.AUTO)
    stale.update(resolved_at=now, resolution=Alert.Resolution.AUTO)
    run.raised, run.resolved = len(raised), len(gone)
    run.open = len(open_alerts) - len(gone) + len(raised)
    return raised


def _fields(rule: AlertRule, condition: Condition) -> dict[str, Any]:
    return {
        "severity": condition.severity or rule.severity,
        "params": _json(condition.params),
        "url": condition.url[:500],
        "owner_id": condition.owner_id,
        "cluster_id": condition.cluster_id,
        "province_id": condition.province_id,
        "audience": list(rule.audience),
    }


def alerts_run(
    *,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    codes: set[str] | None = None,
    deliver: bool = True,
) -> RunReport:
    """Run every registered rule (or those named in `codes`) and deliver the new alerts."""
    from osm.models import Cluster

    now = now or timezone.now()
    today = today or timezone.localdate(now)
    report = RunReport()
    cluster_settings = _settings()
    cluster_ids = list(Cluster.objects.values_list("pk", flat=True))
    for rule in rules():
        if codes is not None and rule.code not in codes:
            continue
        run = RuleRun(rule.code)
        started = time.perf_counter()
        context = RuleContext(rule, today, now, cluster_settings, cluster_ids)
        try:
            with transaction.atomic():
                conditions = list(rule.evaluate(context))
                report.raised_ids += rule_apply(rule, conditions, now=now, run=run)
        except Exception:  # one broken rule must not silence the others
            log.exception("alert rule %s failed", rule.code)
            run.failed = True
        run.seconds = time.perf_counter() - started
        report.rules.append(run)
    if codes is None:
        report.legacy_notifications = _legacy_run()
    if deliver:
        report.deliveries = _deliver(report.raised_ids)
    return report


def _deliver(raised: list[int]) -> int:
    """Tell people of the alerts just raised, and of open ones nobody was told of yet (a
    run whose telling failed, an audience that had nobody in it)."""
    from osm.alerts.delivery import alerts_deliver

    untold = Alert.objects.filter(resolved_at__isnull=True).exclude(
        pk__in=AlertDelivery.objects.values("alert_id")
    )
    ids = set(raised) | set(untold.values_list("pk", flat=True))
    if not ids:
        return 0
    try:
        return alerts_deliver(alert_ids=ids)
    except Exception:  # the alerts stand; the next run tells them
        log.exception("telling people of %s alerts failed", len(ids))
        return 0


def _legacy_run() -> int:
    """Rules in the older form: notifications per person and key, as before."""
    from osm.notifications import notify_many

    total = 0
    for rule in legacy_rules():
        try:
            total += len(notify_many(rule()))
        except Exception:
            log.exception("alert rule %s failed", getattr(rule, "__name__", rule))
    return total
