"""The runner: conditions become alerts once, alerts resolve when their condition clears,
a person's closing sticks, a broken rule does not stop the others, the older rule form
still runs, and the work is set-based."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from osm import registry
from osm.alerts import services
from osm.alerts.engine import alerts_run
from osm.alerts.rules import AlertRule
from osm.models import Alert, Notification
from osm.notifications import Alert as LegacyAlert
from osm.notifications import alert_rules_run

from .conftest import condition


def test_a_condition_raises_one_alert_however_often_the_rules_run(toy: Any, world: Any) -> None:
    toy.holding = [condition(world.province)]
    first = alerts_run()
    second = alerts_run()
    assert (first.raised, second.raised) == (1, 0)
    alert = Alert.objects.get()
    assert (alert.rule, alert.object_id, alert.period) == ("test.toy", world.province.pk, "2570Q1")
    assert alert.content_type.model == "province"
    assert alert.subject == world.province
    assert (alert.cluster_id, alert.province_id) == (world.cluster.pk, world.province.pk)
    assert alert.audience == ["officers", "staff"]


def test_an_alert_resolves_itself_when_its_condition_clears(toy: Any, world: Any) -> None:
    toy.holding = [condition(world.province), condition(world.sibling)]
    alerts_run()
    toy.holding = [condition(world.sibling)]
    report = alerts_run()
    assert report.resolved == 1
    gone = Alert.objects.get(province=world.province)
    assert gone.resolution == Alert.Resolution.AUTO
    assert gone.resolved_at is not None
    assert Alert.objects.get(province=world.sibling).resolved_at is None


def test_a_condition_that_returns_later_is_a_new_alert(toy: Any, world: Any) -> None:
    toy.holding = [condition(world.province)]
    alerts_run()
    toy.holding = []
    alerts_run()
    toy.holding = [condition(world.province)]
    assert alerts_run().raised == 1
    assert Alert.objects.count() == 2
    assert Alert.objects.filter(resolved_at__isnull=True).count() == 1


def test_each_period_is_its_own_alert(toy: Any, world: Any) -> None:
    toy.holding = [condition(world.province, quarter=1)]
    alerts_run()
    toy.holding = [condition(world.province, quarter=2)]
    report = alerts_run()
    assert (report.raised, report.resolved) == (1, 1)
    assert Alert.objects.get(resolved_at__isnull=True).period == "2570Q2"


def test_details_are_refreshed_without_raising_again(toy: Any, world: Any) -> None:
    toy.holding = [condition(world.province, detail="3 ค่า")]
    alerts_run()
    toy.holding = [condition(world.province, detail="1 ค่า")]
    assert alerts_run().raised == 0
    assert Alert.objects.get().params["detail"] == "1 ค่า"
    assert Notification.objects.filter(alert__isnull=False).count() == Notification.objects.count()


def test_an_alert_a_person_closed_is_not_raised_again_for_that_period(
    toy: Any, world: Any, osm_staff: Any
) -> None:
    toy.holding = [condition(world.province)]
    alerts_run()
    alert = Alert.objects.get()
    services.alert_close(alert=alert, by=osm_staff, note="ตรวจแล้ว ข้อมูลจังหวัดถูกต้อง")
    assert alerts_run().raised == 0
    assert Alert.objects.filter(resolved_at__isnull=True).count() == 0
    # The next period is a new matter.
    toy.holding = [condition(world.province, quarter=2)]
    assert alerts_run().raised == 1


def test_the_database_allows_one_open_alert_per_rule_object_and_period(
    toy: Any, world: Any
) -> None:
    toy.holding = [condition(world.province)]
    alerts_run()
    alert = Alert.objects.get()
    twin = Alert(
        rule=alert.rule,
        content_type=alert.content_type,
        object_id=alert.object_id,
        period=alert.period,
        raised_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    Alert.objects.filter(pk=alert.pk).update(resolved_at=timezone.now(), resolution="auto")
    twin.save()  # a resolved one does not count


def test_a_broken_rule_is_logged_and_the_others_run(
    toy: Any, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(ctx: Any) -> Any:
        raise RuntimeError("bug in a rule")

    bad = AlertRule(code="test.broken", label="x", model="osm.province", evaluate=broken, title="x")
    monkeypatch.setattr(registry, "alert_rules", [bad, toy.rule])
    toy.holding = [condition(world.province)]
    report = alerts_run()
    assert [r.failed for r in report.rules] == [True, False]
    assert report.raised == 1


def test_thresholds_are_read_per_cluster_with_defaults(toy: Any, world: Any) -> None:
    from osm.alerts.rules import RuleContext

    context = RuleContext(
        toy.rule,
        timezone.localdate(),
        timezone.now(),
        {world.cluster.pk: {"test.toy.days": 7}},
        [world.cluster.pk, world.other_cluster.pk],
    )
    assert context.thresholds("days") == {world.cluster.pk: 7, world.other_cluster.pk: 3}
    assert context.threshold(None, "days") == 3


def test_rules_of_the_older_form_still_notify_once(
    osm_staff: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def late_results() -> list[LegacyAlert]:
        return [LegacyAlert(osm_staff.pk, "late:TH-50:2570Q1", "เชียงใหม่ส่งผลล่าช้า")]

    monkeypatch.setattr(registry, "alert_rules", [late_results])
    assert alert_rules_run() == 1
    assert alert_rules_run() == 0
    assert Notification.objects.get(user=osm_staff).level == Notification.Level.WARNING
    assert not Alert.objects.exists()


def test_a_run_reads_and_writes_in_a_fixed_number_of_queries(
    toy: Any, world: Any, osm_staff: Any, province_officer: Any, django_assert_num_queries: Any
) -> None:
    """Raising (and telling) 2 alerts or 6 costs the same number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    provinces = list(world.cluster.provinces.all())
    alerts_run()  # warm the content-type cache
    counts = []
    for held, new in ((provinces[:2], 2), (provinces, len(provinces) - 2)):
        toy.holding = [condition(p) for p in held]
        with CaptureQueriesContext(connection) as queries:
            report = alerts_run()
        assert report.raised == new
        counts.append(len(queries))
    assert counts[0] == counts[1]
