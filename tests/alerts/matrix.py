"""Every early-warning URL × every persona (gathered by tests/test_permission_matrix.py).

Subjects: `alert` is an open alert of the demo cluster about Chiang Mai; POSTs that close
or acknowledge one build a fresh alert per request. The cluster's OSM staff (and
administrators) act on its alerts and set its thresholds; its committee and central users
read them (403 on changes); its province officers are told through their inbox and may not
open the staff's list (403); another cluster's staff and people without a role do not find
it (404).
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from osm.alerts.rules import rules
from osm.models import Alert, Province
from tests.test_permission_matrix import Case, everyone, signed_in, u

READ = signed_in(200, province_officer=403, other_officer=403, other_staff=404, no_role=404)
EDIT = signed_in(403, other_staff=404, no_role=404)
INDEX = signed_in(200, province_officer=403, other_officer=403, no_role=403, dual=200)


def editor(ok: int) -> dict[str, int]:
    return {**EDIT, "osm_staff": ok, "admin": ok}


def wrong_method() -> dict[str, int]:
    return {**everyone(405), "anonymous": 302}


def _alert(s: SimpleNamespace) -> Alert:
    n = Alert.objects.count()
    return Alert.objects.create(
        rule="scorecard.round_late",
        content_type=ContentType.objects.get_for_model(Province),
        object_id=s.world.province.pk,
        cluster=s.world.cluster,
        province=s.world.province,
        fiscal_year=2570,
        quarter=1,
        period=f"m{n}",
        params={"n": 2, "deadline": {"date": "2027-01-20"}},
        url=reverse("osm:province-detail", args=[s.world.province.pk]),
        raised_at=timezone.now(),
    )


def build_subjects(ns: SimpleNamespace) -> None:
    ns.alert = _alert(ns)


def _preferences(s: SimpleNamespace) -> dict[str, Any]:
    data: dict[str, Any] = {r.code: "app" for r in rules()}
    return {**data, "digest.weekly": "email", "digest.national": "email", "language": "th"}


def _thresholds(s: SimpleNamespace) -> dict[str, Any]:
    return {f"{r.code}.{t.name}": t.default for r in rules() for t in r.thresholds}


def _fresh(name: str) -> Any:
    return lambda s: reverse(name, args=[_alert(s).pk])


CASES: dict[str, list[Case]] = {
    # Anonymous: an empty badge that stops polling (a session that ended), not a redirect.
    "osm:notification-count": [Case(u("osm:notification-count"), everyone(200))],
    "alerts:index": [Case(u("alerts:index"), INDEX)],
    "alerts:preferences": [
        Case(u("alerts:preferences"), signed_in(200)),
        Case(u("alerts:preferences"), signed_in(302), method="post", data=_preferences),
    ],
    "alerts:cluster": [
        Case(u("alerts:cluster", lambda s: s.world.cluster.pk), READ),
        Case(
            lambda s: (
                reverse("alerts:cluster", args=[s.world.cluster.pk])
                + "?kind=scorecard.round_late&age=week"
            ),
            READ,
        ),
    ],
    "alerts:settings": [
        Case(u("alerts:settings", lambda s: s.world.cluster.pk), editor(200)),
        Case(
            u("alerts:settings", lambda s: s.world.cluster.pk),
            editor(302),
            method="post",
            data=_thresholds,
        ),
    ],
    "alerts:acknowledge": [
        Case(u("alerts:acknowledge", lambda s: s.alert.pk), wrong_method()),
        Case(
            _fresh("alerts:acknowledge"),
            editor(302),
            method="post",
            data=lambda s: {"note": "ประสานจังหวัดแล้ว"},
        ),
    ],
    "alerts:close": [
        Case(u("alerts:close", lambda s: s.alert.pk), wrong_method()),
        Case(
            _fresh("alerts:close"),
            editor(302),
            method="post",
            data=lambda s: {"note": "จังหวัดส่งผลทางหนังสือแล้ว"},
        ),
    ],
    # The scorecard's corrective action per indicator and round (recorded by staff).
    "scorecard:corrective-action": [
        Case(u("scorecard:corrective-action", lambda s: s.sc_indicator.pk), editor(200)),
        Case(
            u("scorecard:corrective-action", lambda s: s.sc_indicator.pk),
            editor(302),
            method="post",
            data=lambda s: {"period": "2570-1", "text": "เร่งประสานหน่วยงานเจ้าของข้อมูล"},
        ),
    ],
}
