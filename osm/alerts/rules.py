"""The rule API: how an app declares an early warning.

A rule is an `AlertRule`, registered in the app's ``AppConfig.ready()`` with
``registry.add_alert_rule(rule)``. Its ``evaluate(ctx)`` returns the `Condition`s that hold
*now* — set-based, a fixed number of queries however many provinces or indicators there
are — and the core does the rest (osm/alerts/engine.py): a new condition raises an alert, a
condition already open is left alone (its details refreshed), an open alert whose condition
is no longer returned is resolved by itself. One alert per rule, object and period is open
at a time. The core then tells the rule's audience, each person on the channel they chose
(osm/alerts/delivery.py).

    def _overdue(ctx: RuleContext) -> Iterable[Condition]:
        lead = ctx.thresholds("days")            # {cluster_id: value}, one query per run
        for item in ActionItem.objects.filter(...).values(...):
            yield Condition(
                object_id=item["pk"],
                cluster_id=item["cluster_id"],
                fiscal_year=item["year"],         # optional period (with quarter)
                params={"title": item["title"], "due": day(item["due_on"])},
                url=reverse(...),
                owner_id=item["owner_id"],       # with Audience.OWNER
            )

    OVERDUE = AlertRule(
        code="committee.action_overdue",          # unique, "<app>.<what>"
        label=_("Action items overdue"),         # the kind, in filters and preferences
        model="committee.actionitem",             # what object_id points at
        evaluate=_overdue,
        title=_("Overdue: %(title)s (due %(due)s)"),  # %(…)s from params (+ period,
        body=_("…"),                              #   cluster, province)
        severity=Severity.WARNING,
        audience=(Audience.OWNER, Audience.STAFF),
        committee_digest=True,                    # in the committee's weekly digest
        thresholds=(Threshold("days", _("Warn … days before the due date"), 3),),
    )

Texts are rendered in each reader's language when delivered, so `params` hold no language:
codes and numbers as text, names as ``names(obj)`` ({"th", "en"}), dates as ``day(date)``,
translatable fragments as ``phrase(gettext_noop("…%(x)s"), x=…)``.

The old form — a callable returning `osm.notifications.Alert` rows (one notification per
person and key) — is still accepted by ``registry.add_alert_rule`` and run as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext

from osm.alerts.models import Audience, Channel, Severity
from osm.lib import dates


@dataclass(frozen=True)
class Threshold:
    """A number a cluster's OSM staff may change for one rule (a lead time, a limit)."""

    name: str
    label: Any  # lazy translation
    default: int
    minimum: int = 0
    maximum: int = 365
    help_text: Any = ""


@dataclass(frozen=True)
class Condition:
    """One thing that holds now: about object `object_id` of the rule's model."""

    object_id: int
    cluster_id: int | None
    province_id: int | None = None
    fiscal_year: int | None = None
    quarter: int | None = None
    severity: str = ""  # "" = the rule's
    params: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)
    url: str = ""
    owner_id: int | None = None

    @property
    def period(self) -> str:
        return period_key(self.fiscal_year, self.quarter)


@dataclass
class RuleContext:
    """What a rule's `evaluate` receives: the day it runs for and its thresholds."""

    rule: AlertRule
    today: dt.date
    now: dt.datetime
    settings: Mapping[int, Mapping[str, Any]]  # cluster id → {"<rule>.<name>": value}
    cluster_ids: Iterable[int] = ()

    def threshold(self, cluster_id: int | None, name: str) -> int:
        default = self.rule.threshold(name).default
        if cluster_id is None:
            return default
        value = self.settings.get(cluster_id, {}).get(f"{self.rule.code}.{name}")
        return int(value) if isinstance(value, int | str) and str(value).isdigit() else default

    def thresholds(self, name: str) -> dict[int, int]:
        """{cluster id: value} for every cluster (the default where none was set)."""
        return {cluster_id: self.threshold(cluster_id, name) for cluster_id in self.cluster_ids}


Evaluate = Callable[[RuleContext], Iterable[Condition]]


@dataclass(frozen=True)
class AlertRule:
    code: str
    label: Any
    model: str  # "app_label.modelname" of the objects the conditions are about
    evaluate: Evaluate
    title: Any  # a lazy translation with %(…)s placeholders
    body: Any = ""
    severity: str = Severity.WARNING
    audience: tuple[str, ...] = (Audience.STAFF,)
    default_channel: str = Channel.EMAIL
    committee_digest: bool = False
    thresholds: tuple[Threshold, ...] = ()
    order: int = 100

    def threshold(self, name: str) -> Threshold:
        for threshold in self.thresholds:
            if threshold.name == name:
                return threshold
        raise KeyError(f"{self.code} declares no threshold {name!r}")


def rules() -> list[AlertRule]:
    """The registered rules (new form), in display order."""
    from osm import registry

    found = [r for r in registry.alert_rules if isinstance(r, AlertRule)]
    return sorted(found, key=lambda r: (r.order, r.code))


def legacy_rules() -> list[Callable[[], Iterable[Any]]]:
    from osm import registry

    return [r for r in registry.alert_rules if not isinstance(r, AlertRule)]


def rule_for(code: str) -> AlertRule | None:
    return next((r for r in rules() if r.code == code), None)


# --- Periods and language-free parameters ---------------------------------------------------


def period_key(fiscal_year: int | None, quarter: int | None) -> str:
    if fiscal_year is None:
        return ""
    return f"{fiscal_year}Q{quarter}" if quarter else str(fiscal_year)


def names(obj: Any) -> dict[str, str]:
    """An object's Thai and English names (name_th/name_en), for the text of an alert."""
    thai = getattr(obj, "name_th", "") or str(obj)
    return {"th": thai, "en": getattr(obj, "name_en", "") or thai}


def day(value: dt.date | None) -> dict[str, str] | str:
    return {"date": value.isoformat()} if value else ""


def number(value: Decimal | float | int | None, places: int = 1) -> str:
    return "" if value is None else f"{Decimal(value):,.{places}f}"


def phrase(msgid: str, **args: Any) -> dict[str, Any]:
    """A translatable fragment (mark `msgid` with gettext_noop) with its own arguments."""
    return {"msgid": msgid, "args": args}


def quarter_phrase(fiscal_year: int, quarter: int) -> dict[str, Any]:
    """A quarter's short label ("Q1/2570"), translated when shown."""
    return phrase("Q%(q)s/%(year)s", q=quarter, year=fiscal_year)


def localize(value: Any) -> Any:
    """A parameter in the active language."""
    if isinstance(value, list):
        return ", ".join(str(localize(v)) for v in value)
    if not isinstance(value, dict):
        return value
    if "date" in value:
        return dates.format_date(dt.date.fromisoformat(value["date"]))
    if "msgid" in value:
        args = {k: localize(v) for k, v in value.get("args", {}).items()}
        return _format(gettext(value["msgid"]), args)
    language = (translation.get_language() or "th")[:2]
    return value.get(language) or value.get("th") or ""


def _format(text: str, params: Mapping[str, Any]) -> str:
    try:
        return text % params
    except (KeyError, TypeError, ValueError):
        return text


def _text(message: Any) -> str:
    if isinstance(message, Promise):
        return str(message)
    return gettext(message) if message else ""


def period_label(fiscal_year: int | None, quarter: int | None) -> str:
    if fiscal_year is None:
        return ""
    if quarter:
        return dates.FiscalQuarter(fiscal_year, quarter).short_label()
    return dates.fiscal_year_label(fiscal_year)


def render(rule: AlertRule | None, alert: Any) -> tuple[str, str]:
    """(title, body) of an alert in the active language."""
    if rule is None:
        return alert.rule, ""
    params = {k: localize(v) for k, v in (alert.params or {}).items()}
    params.setdefault("period", period_label(alert.fiscal_year, alert.quarter))
    return _format(_text(rule.title), params)[:300], _format(_text(rule.body), params)


def rule_evaluate(
    rule: AlertRule, *, today: dt.date, now: dt.datetime | None = None
) -> list[Condition]:
    """What `rule` finds on `today`, with the clusters' stored thresholds (nothing is
    written): for tests and for trying a rule out."""
    from django.utils import timezone

    from osm.models import Cluster, ClusterAlertSettings

    settings = dict(ClusterAlertSettings.objects.values_list("cluster_id", "values"))
    cluster_ids = list(Cluster.objects.values_list("pk", flat=True))
    context = RuleContext(rule, today, now or timezone.now(), settings, cluster_ids)
    return list(rule.evaluate(context))
