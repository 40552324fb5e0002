"""Reads for the notification centre and the open-alerts pages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from osm.alerts.models import Alert, Severity
from osm.alerts.rules import render, rules
from osm.models import Cluster, Notification

OTHER = "other"  # notifications that are not alerts (a returned value, a round opened)
AGES = {
    "week": (_("Raised in the last 7 days"), 0, 7),
    "month": (_("Raised 7 to 30 days ago"), 7, 30),
    "older": (_("Raised more than 30 days ago"), 30, None),
}


def kind_choices() -> list[tuple[str, Any]]:
    return [(r.code, r.label) for r in rules()]


def notifications_for(
    user: Any, *, kind: str = "", unread: bool | None = None, severity: str = ""
) -> QuerySet[Notification]:
    """The person's notifications, newest first, filtered; with the alert's state (one
    join, no query per row)."""
    queryset = Notification.objects.filter(user=user)
    if kind == OTHER:
        queryset = queryset.filter(alert__isnull=True)
    elif kind:
        queryset = queryset.filter(kind=kind)
    if unread is True:
        queryset = queryset.filter(read_at__isnull=True)
    elif unread is False:
        queryset = queryset.filter(read_at__isnull=False)
    if severity:
        queryset = queryset.filter(level=severity)
    return queryset.select_related("alert").order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def _age_filter(age: str, now: dt.datetime) -> Q:
    if age not in AGES:
        return Q()
    _label, newest, oldest = AGES[age]
    q = Q(raised_at__lte=now - dt.timedelta(days=newest))
    if oldest is not None:
        q &= Q(raised_at__gt=now - dt.timedelta(days=oldest))
    return q


SEVERITY_ORDER = Case(
    When(severity=Severity.CRITICAL, then=Value(0)),
    When(severity=Severity.WARNING, then=Value(1)),
    When(severity=Severity.REMINDER, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def open_alerts(
    cluster: Cluster, *, kind: str = "", province: int | None = None, age: str = ""
) -> QuerySet[Alert]:
    """The cluster's open alerts, most severe and oldest first, with their province and who
    acknowledged them (two joins). Give the page's rows to `describe`."""
    queryset = (
        Alert.objects.filter(cluster=cluster, resolved_at__isnull=True)
        .filter(_age_filter(age, timezone.now()))
        .select_related("province", "acknowledged_by")
        .order_by(SEVERITY_ORDER, "raised_at", "id")
    )
    if kind:
        queryset = queryset.filter(rule=kind)
    if province:
        queryset = queryset.filter(province_id=province)
    return queryset


def describe(alerts: Iterable[Alert]) -> list[Alert]:
    """Each alert with `title`, `body`, `kind_label` and `age_days` in the active language
    (no query)."""
    now = timezone.now()
    by_code = {r.code: r for r in rules()}
    found = list(alerts)
    for alert in found:
        rule = by_code.get(alert.rule)
        alert.title, alert.body = render(rule, alert)  # type: ignore[attr-defined]
        alert.kind_label = rule.label if rule else alert.rule  # type: ignore[attr-defined]
        alert.age_days = (now - alert.raised_at).days  # type: ignore[attr-defined]
    return found


@dataclass
class ClusterCounts:
    cluster: Cluster
    by_severity: dict[str, int] = field(default_factory=dict)
    acknowledged: int = 0
    total: int = 0

    @property
    def critical(self) -> int:
        return self.by_severity.get(Severity.CRITICAL, 0)

    @property
    def warning(self) -> int:
        return self.by_severity.get(Severity.WARNING, 0)

    @property
    def reminder(self) -> int:
        return self.by_severity.get(Severity.REMINDER, 0) + self.by_severity.get(Severity.INFO, 0)


def counts_per_cluster(clusters: QuerySet[Cluster]) -> list[ClusterCounts]:
    """Open alerts of each cluster by severity, and how many are acknowledged: two queries."""
    rows = {c.pk: ClusterCounts(c) for c in clusters.order_by("number")}
    grouped = (
        Alert.objects.filter(resolved_at__isnull=True, cluster_id__in=list(rows))
        .values("cluster_id", "severity")
        .annotate(n=Count("id"), acknowledged=Count("id", filter=Q(acknowledged_at__isnull=False)))
    )
    for row in grouped:
        counts = rows[row["cluster_id"]]
        counts.by_severity[row["severity"]] = row["n"]
        counts.acknowledged += row["acknowledged"]
        counts.total += row["n"]
    return list(rows.values())


def counts_per_kind(cluster: Cluster) -> list[tuple[str, Any, int]]:
    """(kind, label, open alerts) of the cluster: one query."""
    counts: dict[str, int] = defaultdict(int)
    for rule_code, n in (
        Alert.objects.filter(cluster=cluster, resolved_at__isnull=True)
        .values_list("rule")
        .annotate(n=Count("id"))
    ):
        counts[rule_code] += n
    return [(r.code, r.label, counts[r.code]) for r in rules() if counts.get(r.code)]
