from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from osm import notifications, registry
from osm.models import Notification, OutboxEmail
from tests.factories import UserFactory


def test_notify_creates_once_per_key_and_emails_after_commit(
    osm_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    osm_staff.email = "staff@example.test"
    osm_staff.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = notifications.notify(
            user=osm_staff,
            key="round:1:due",
            title="ใกล้ถึงกำหนดส่ง",
            body="ส่งผลภายใน 30 ธ.ค. 2569",
            url="/scorecard/",
        )
        again = notifications.notify(user=osm_staff, key="round:1:due", title="ซ้ำ")
    assert first is not None
    assert again is None
    assert len(callbacks) == 1
    assert Notification.objects.filter(user=osm_staff).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[OSM] ใกล้ถึงกำหนดส่ง"
    assert "http://127.0.0.1:8000/scorecard/" in mail.outbox[0].body
    first.refresh_from_db()
    assert first.emailed_at is not None


def test_emailing_twice_queues_one_email(osm_staff: Any) -> None:
    osm_staff.email = "staff@example.test"
    osm_staff.save(update_fields=["email"])
    n = Notification.objects.create(user=osm_staff, key="k", title="t")
    assert notifications.email_notifications_send(ids=[n.pk]) == 1
    assert notifications.email_notifications_send(ids=[n.pk]) == 0
    email = OutboxEmail.objects.get()
    assert email.dedupe_key == f"notification:{n.pk}"
    assert email.recipients == ["staff@example.test"]


def test_a_notification_and_its_email_are_stored_together(
    osm_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The e-mail is written in the notification's transaction: if the notification is
    rolled back, so is its e-mail; if it is kept, its e-mail waits in the outbox."""
    osm_staff.email = "staff@example.test"
    osm_staff.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=False):
        try:
            with transaction.atomic():
                notifications.notify(user=osm_staff, key="a", title="ยกเลิก")
                raise RuntimeError
        except RuntimeError:
            pass
        notifications.notify(user=osm_staff, key="b", title="เก็บไว้")
    assert list(OutboxEmail.objects.values_list("subject", flat=True)) == ["[OSM] เก็บไว้"]
    assert mail.outbox == []


def test_people_without_an_address_get_no_email(osm_staff: Any) -> None:
    osm_staff.email = ""
    osm_staff.save(update_fields=["email"])
    notifications.notify(user=osm_staff, key="a", title="ไม่มีอีเมล")
    assert Notification.objects.filter(user=osm_staff).exists()
    assert not OutboxEmail.objects.exists()


def test_alert_rules_from_apps_are_run_and_deduplicated(
    osm_staff: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def late_results() -> list[notifications.Alert]:
        return [notifications.Alert(osm_staff.pk, "late:TH-50:2570Q1", "เชียงใหม่ส่งผลล่าช้า")]

    monkeypatch.setattr(registry, "alert_rules", [late_results])
    assert notifications.alert_rules_run() == 1
    assert notifications.alert_rules_run() == 0
    assert Notification.objects.get(user=osm_staff).level == Notification.Level.WARNING


def test_inbox_shows_only_your_own_notifications(
    client: Any, osm_staff: Any, committee: Any
) -> None:
    Notification.objects.create(user=osm_staff, key="a", title="ของเจ้าหน้าที่")
    Notification.objects.create(user=committee, key="b", title="ของกรรมการ")
    client.force_login(osm_staff)
    body = client.get(reverse("osm:notification-list")).content.decode()
    assert "ของเจ้าหน้าที่" in body
    assert "ของกรรมการ" not in body


def test_inbox_query_count_is_flat(
    client: Any, osm_staff: Any, django_assert_num_queries: Any
) -> None:
    for i in range(5):
        Notification.objects.create(user=osm_staff, key=f"k{i}", title=f"เรื่อง {i}")
    client.force_login(osm_staff)
    # session, user, scope, unread count, page count, page rows
    with django_assert_num_queries(6):
        client.get(reverse("osm:notification-list"))


def test_header_shows_the_unread_count(client: Any, osm_staff: Any) -> None:
    Notification.objects.create(user=osm_staff, key="a", title="x")
    client.force_login(osm_staff)
    body = client.get(reverse("home")).content.decode()
    assert 'badge rounded-pill text-bg-warning">1' in body


def test_mark_all_read(client: Any, osm_staff: Any) -> None:
    other = UserFactory()
    Notification.objects.create(user=osm_staff, key="a", title="x")
    Notification.objects.create(user=other, key="a", title="x")
    client.force_login(osm_staff)
    response = client.post(reverse("osm:notification-read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(user=osm_staff, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).exists()


def test_mark_read_htmx_returns_the_inbox_fragment(client: Any, osm_staff: Any) -> None:
    Notification.objects.create(user=osm_staff, key="a", title="เรื่องใหม่")
    client.force_login(osm_staff)
    response = client.post(reverse("osm:notification-read"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'id="inbox"' in body


def test_marking_read_needs_post_and_login(client: Any, osm_staff: Any) -> None:
    assert client.post(reverse("osm:notification-read")).status_code == 302  # to login
    client.force_login(osm_staff)
    assert client.get(reverse("osm:notification-read")).status_code == 405


def test_beat_runs_the_alert_rules_every_morning() -> None:
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["alert-rules"]
    assert entry["task"] == "osm.run_alert_rules"
    assert entry["schedule"].hour == {7}


# --- In each person's language ---------------------------------------------------------------


def _localised_title() -> str:
    from django.utils.translation import gettext as _

    return _("Returned for correction: %(code)s %(name)s") % {"code": "K1", "name": "x"}


def test_notify_builds_a_translated_title_in_the_recipients_language(
    osm_staff: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The e-mail, too, is in that language, whatever the language of the request."""
    from django.utils import translation

    osm_staff.language = "en"
    osm_staff.save(update_fields=["language"])
    with translation.override("th"), django_capture_on_commit_callbacks(execute=True):
        note = notifications.notify(
            user=osm_staff, key="r", title=_localised_title, body="ผิด", url="/x/"
        )
    assert note is not None
    note.refresh_from_db()
    assert note.title == "Returned for correction: K1 x"
    assert note.body == "ผิด"  # a reviewer's words are kept as written
    email = OutboxEmail.objects.get()
    assert email.language == "en"
    assert email.subject == "[OSM] Returned for correction: K1 x"
    assert "Open it in OSM: http://127.0.0.1:8000/x/" in email.text
    assert mail.outbox[0].subject == "[OSM] Returned for correction: K1 x"


def test_notify_many_builds_each_text_once_per_language(osm_staff: Any, committee: Any) -> None:
    from django.utils import translation

    readers = [UserFactory(language="en") for _ in range(3)] + [osm_staff, committee]
    calls: list[str] = []

    def title() -> str:
        calls.append(translation.get_language())
        return _localised_title()

    with translation.override("en"):
        created = notifications.notify_many(
            notifications.Alert(u.pk, "k", title, "", "/x/") for u in readers
        )
    assert len(created) == 5
    assert sorted(calls) == ["en", "th"]
    titles = dict(Notification.objects.values_list("user_id", "title"))
    assert titles[osm_staff.pk] == "ส่งคืนให้แก้ไข: K1 x"  # the personas read Thai
    assert titles[committee.pk] == "ส่งคืนให้แก้ไข: K1 x"
    assert {titles[u.pk] for u in readers[:3]} == {"Returned for correction: K1 x"}
    emails = {e.recipients[0]: e for e in OutboxEmail.objects.all()}
    assert emails[osm_staff.email].language == "th"
    assert emails[osm_staff.email].subject == "[OSM] ส่งคืนให้แก้ไข: K1 x"
    assert "เปิดดูในระบบ OSM:" in emails[osm_staff.email].text
    assert emails[readers[0].email].language == "en"
    assert "Open it in OSM:" in emails[readers[0].email].text


def test_notify_many_asks_the_same_number_of_queries_for_any_number_of_people(
    world: Any,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def send(n: int, key: str) -> int:
        people = [UserFactory(language=("en", "th")[i % 2]) for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            notifications.notify_many(
                notifications.Alert(p.pk, key, _localised_title, "", "/x/") for p in people
            )
        assert Notification.objects.filter(key=key).count() == n
        assert OutboxEmail.objects.filter(subject__contains="K1").count() >= n
        return len(queries)

    assert send(2, "few") == send(8, "many")


def test_an_existing_notification_is_not_built_or_sent_again(osm_staff: Any) -> None:
    calls: list[int] = []

    def title() -> str:
        calls.append(1)
        return "x"

    notifications.notify_many([notifications.Alert(osm_staff.pk, "k", title)])
    notifications.notify_many([notifications.Alert(osm_staff.pk, "k", title)])
    assert len(calls) == 1
    assert Notification.objects.filter(user=osm_staff, key="k").count() == 1
    assert OutboxEmail.objects.count() == 1
