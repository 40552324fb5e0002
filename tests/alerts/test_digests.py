"""The digests: daily (chosen per kind), weekly for the committee, national for central
users — each alert in each person's digest once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.utils import timezone

from osm.alerts import digests
from osm.alerts.engine import alerts_run
from osm.models import Alert, AlertDelivery, AlertPreference, Notification

from .conftest import condition


def _send(django_capture_on_commit_callbacks: Any, task: Any, **kwargs: Any) -> int:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        return int(task(**kwargs))


def test_the_daily_digest_gathers_a_persons_alerts_in_one_email_once(
    toy: Any, world: Any, province_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    AlertPreference.objects.create(user=province_officer, kind="test.toy", channel="daily")
    toy.holding = [condition(world.province, quarter=1), condition(world.province, quarter=2)]
    alerts_run()
    assert _send(django_capture_on_commit_callbacks, digests.daily_digests_send) == 1
    [message] = [m for m in mail.outbox if m.to == [province_officer.email]]
    assert "ไตรมาส 1/2570" in message.body and "ไตรมาส 2/2570" in message.body
    assert message.alternatives
    states = set(AlertDelivery.objects.filter(channel="daily").values_list("state", flat=True))
    assert states == {AlertDelivery.State.SENT}
    assert _send(django_capture_on_commit_callbacks, digests.daily_digests_send) == 0
    assert mail.outbox == []


def test_alerts_resolved_before_the_digest_are_left_out(
    toy: Any, world: Any, province_officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    AlertPreference.objects.create(user=province_officer, kind="test.toy", channel="daily")
    toy.holding = [condition(world.province)]
    alerts_run()
    toy.holding = []
    alerts_run()
    assert _send(django_capture_on_commit_callbacks, digests.daily_digests_send) == 0
    assert AlertDelivery.objects.get(channel="daily").state == AlertDelivery.State.SKIPPED


def test_committee_members_get_what_is_new_in_their_cluster_weekly(
    toy: Any,
    world: Any,
    committee: Any,
    other_staff: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tests.factories import UserFactory, assign

    elsewhere = assign(UserFactory(), "committee", cluster=world.other_cluster)
    toy.holding = [condition(world.province), condition(world.sibling)]
    alerts_run()
    assert _send(django_capture_on_commit_callbacks, digests.weekly_digests_send) == 1
    [message] = mail.outbox
    assert message.to == [committee.email]
    assert world.province.name_th in message.body and world.sibling.name_th in message.body
    assert elsewhere.pk not in set(AlertDelivery.objects.values_list("user_id", flat=True))
    # A week later, one more: only the new one is listed, the two earlier are counted.
    toy.holding = [*toy.holding, condition(world.province, quarter=2)]
    alerts_run()
    later = timezone.now() + dt.timedelta(days=7)
    assert _send(django_capture_on_commit_callbacks, digests.weekly_digests_send, now=later) == 1
    [message] = mail.outbox
    assert "ไตรมาส 2/2570" in message.body
    assert "ไตรมาส 1/2570" not in message.body
    assert "2" in message.body
    # Nothing new: no digest.
    assert _send(django_capture_on_commit_callbacks, digests.weekly_digests_send, now=later) == 0


def test_a_committee_member_may_take_the_digest_in_the_app_only(
    toy: Any, world: Any, committee: Any, django_capture_on_commit_callbacks: Any
) -> None:
    AlertPreference.objects.create(user=committee, kind="digest.weekly", channel="app")
    toy.holding = [condition(world.province)]
    alerts_run()
    assert _send(django_capture_on_commit_callbacks, digests.weekly_digests_send) == 1
    assert mail.outbox == []
    note = Notification.objects.get(user=committee)
    assert note.kind == "digest.weekly"
    assert note.url.endswith(f"/alerts/clusters/{world.cluster.pk}/")


def test_central_users_get_the_national_picture(
    toy: Any, world: Any, central: Any, django_capture_on_commit_callbacks: Any
) -> None:
    central.language = "en"
    central.save(update_fields=["language"])
    toy.holding = [condition(world.province), condition(world.other_province)]
    alerts_run()
    Alert.objects.filter(province=world.province).update(severity="critical")
    assert _send(django_capture_on_commit_callbacks, digests.national_digests_send) == 1
    [message] = mail.outbox
    assert message.to == [central.email]
    assert world.cluster.name_en in message.body and world.other_cluster.name_en in message.body
    assert "1 open, 1 need action now, 1 new" in message.body
    assert _send(django_capture_on_commit_callbacks, digests.national_digests_send) == 0
