"""Who is told and how: the audience in its scope, once per person and channel, on the
channel each person chose, in their language."""

from __future__ import annotations

from typing import Any

from django.core import mail

from osm.alerts.engine import alerts_run
from osm.models import AlertDelivery, AlertPreference, Notification, OutboxEmail
from tests.factories import UserFactory, assign

from .conftest import condition


def _told(channel: str = "app") -> set[int]:
    return set(AlertDelivery.objects.filter(channel=channel).values_list("user_id", flat=True))


def test_officers_hear_about_their_province_and_staff_about_their_cluster(
    toy: Any,
    world: Any,
    province_officer: Any,
    other_officer: Any,
    osm_staff: Any,
    other_staff: Any,
    committee: Any,
    central: Any,
) -> None:
    toy.holding = [condition(world.province)]
    alerts_run()
    # Chiang Mai's officer and the cluster's staff; not the sibling province's officer,
    # another cluster's staff, the committee (weekly digest) or central (national digest).
    assert _told() == {province_officer.pk, osm_staff.pk}


def test_the_person_responsible_is_told_when_the_rule_says_so(
    toy: Any, world: Any, monkeypatch: Any, other_staff: Any
) -> None:
    from dataclasses import replace

    from osm import registry

    rule = replace(toy.rule, audience=("owner",))
    monkeypatch.setattr(registry, "alert_rules", [rule])
    toy.holding = [replace(condition(world.province), owner_id=other_staff.pk)]
    alerts_run()
    assert _told() == {other_staff.pk}


def test_inactive_accounts_are_not_told(toy: Any, world: Any, province_officer: Any) -> None:
    province_officer.is_active = False
    province_officer.save(update_fields=["is_active"])
    toy.holding = [condition(world.province)]
    alerts_run()
    assert province_officer.pk not in _told()


def test_email_at_once_is_sent_in_the_persons_language_html_and_text(
    toy: Any,
    world: Any,
    province_officer: Any,
    osm_staff: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    osm_staff.language = "en"
    osm_staff.save(update_fields=["language"])
    toy.holding = [condition(world.province, detail="ค่าขาด 2 ตัว")]
    with django_capture_on_commit_callbacks(execute=True):
        alerts_run()
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {province_officer.email, osm_staff.email}
    thai, english = by_address[province_officer.email], by_address[osm_staff.email]
    assert "ไตรมาส 1/2570" in thai.subject
    assert "Q1/2570" in english.subject
    assert "เปิดดูในระบบ OSM" in thai.body
    assert "Open it in OSM" in english.body
    for message in (thai, english):
        html, kind = message.alternatives[0]
        assert kind == "text/html"
        assert "ค่าขาด 2 ตัว" in html and "ค่าขาด 2 ตัว" in message.body
        assert world.province.get_absolute_url() in html
    assert _told("email") == {province_officer.pk, osm_staff.pk}
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_in_the_app_only_sends_no_email(toy: Any, world: Any, province_officer: Any) -> None:
    AlertPreference.objects.create(user=province_officer, kind="test.toy", channel="app")
    toy.holding = [condition(world.province)]
    alerts_run()
    assert Notification.objects.filter(user=province_officer).count() == 1
    assert not OutboxEmail.objects.exists()
    assert _told("email") == set()


def test_the_daily_digest_waits_for_the_morning(
    toy: Any, world: Any, province_officer: Any
) -> None:
    AlertPreference.objects.create(user=province_officer, kind="test.toy", channel="daily")
    toy.holding = [condition(world.province)]
    alerts_run()
    assert Notification.objects.filter(user=province_officer).count() == 1
    assert not OutboxEmail.objects.exists()
    pending = AlertDelivery.objects.get(user=province_officer, channel="daily")
    assert pending.state == AlertDelivery.State.PENDING


def test_people_without_an_address_are_told_in_the_app(
    toy: Any, world: Any, province_officer: Any
) -> None:
    province_officer.email = ""
    province_officer.save(update_fields=["email"])
    toy.holding = [condition(world.province)]
    alerts_run()
    assert Notification.objects.filter(user=province_officer).exists()
    assert province_officer.pk not in _told("email")


def test_delivering_again_tells_nobody_twice(toy: Any, world: Any, province_officer: Any) -> None:
    from osm.alerts.delivery import alerts_deliver
    from osm.models import Alert

    toy.holding = [condition(world.province)]
    alerts_run()
    assert alerts_deliver(alert_ids=list(Alert.objects.values_list("pk", flat=True))) == 0
    assert Notification.objects.filter(user=province_officer).count() == 1
    assert OutboxEmail.objects.filter(recipients=[province_officer.email]).count() == 1


def test_two_officers_of_a_province_are_both_told(
    toy: Any, world: Any, province_officer: Any
) -> None:
    second = assign(UserFactory(), "province_officer", province=world.province)
    toy.holding = [condition(world.province)]
    alerts_run()
    assert {province_officer.pk, second.pk} <= _told()


def test_alerts_whose_telling_failed_are_told_at_the_next_run(
    toy: Any, world: Any, province_officer: Any, monkeypatch: Any
) -> None:
    from osm.alerts import delivery

    def broken(**kwargs: Any) -> int:
        raise RuntimeError("mail templates missing")

    toy.holding = [condition(world.province)]
    with monkeypatch.context() as patch:
        patch.setattr(delivery, "alerts_deliver", broken)
        report = alerts_run()
    assert report.raised == 1 and report.deliveries == 0
    assert not Notification.objects.exists()
    again = alerts_run()
    assert again.raised == 0 and again.deliveries > 0
    assert Notification.objects.filter(user=province_officer).count() == 1


def test_someone_who_joins_an_empty_audience_hears_of_its_open_alerts(toy: Any, world: Any) -> None:
    toy.holding = [condition(world.province)]
    alerts_run()
    assert not AlertDelivery.objects.exists()  # nobody in Chiang Mai or its cluster yet
    officer = assign(UserFactory(), "province_officer", province=world.province)
    alerts_run()
    assert _told() == {officer.pk}
