"""The notification centre, the open-alerts pages, preferences and thresholds."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from osm.alerts.engine import alerts_run
from osm.models import Alert, AlertPreference, ClusterAlertSettings, Notification

from .conftest import condition


def _raise(toy: Any, *provinces: Any) -> None:
    toy.holding = [condition(p) for p in provinces]
    alerts_run()


# --- Notification centre ---------------------------------------------------------------------


def test_the_inbox_filters_by_kind_read_state_and_severity(
    client: Any, toy: Any, world: Any, osm_staff: Any
) -> None:
    _raise(toy, world.province, world.sibling)
    Notification.objects.create(user=osm_staff, key="x", title="ค่าถูกส่งกลับ", level="returned")
    first = Notification.objects.filter(user=osm_staff, kind="test.toy").first()
    first.read_at = first.created_at
    first.save(update_fields=["read_at"])
    client.force_login(osm_staff)
    url = reverse("osm:notification-list")
    body = client.get(url, {"kind": "test.toy"}).content.decode()
    assert body.count('id="notification-') == 2
    body = client.get(url, {"kind": "test.toy", "state": "unread"}).content.decode()
    assert body.count('id="notification-') == 1
    body = client.get(url, {"kind": "other"}).content.decode()
    assert "ค่าถูกส่งกลับ" in body and body.count('id="notification-') == 1
    body = client.get(url, {"severity": "returned"}).content.decode()
    assert body.count('id="notification-') == 1
    body = client.get(url, {"severity": "critical"}).content.decode()
    assert 'id="notification-' not in body
    assert "No notifications match these choices." in body or "ไม่มีการแจ้งเตือน" in body


def test_each_notification_links_to_its_object(
    client: Any, toy: Any, world: Any, osm_staff: Any
) -> None:
    _raise(toy, world.province)
    client.force_login(osm_staff)
    body = client.get(reverse("osm:notification-list")).content.decode()
    assert f'href="{world.province.get_absolute_url()}"' in body


def test_marking_one_read_leaves_the_others_and_reloads_the_count(
    client: Any, toy: Any, world: Any, osm_staff: Any
) -> None:
    _raise(toy, world.province, world.sibling)
    one, other = Notification.objects.filter(user=osm_staff)
    client.force_login(osm_staff)
    response = client.post(
        reverse("osm:notification-read"),
        {"id": one.pk, "kind": "test.toy"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "osm:notifications-changed" in response["HX-Trigger"]
    one.refresh_from_db()
    other.refresh_from_db()
    assert one.read_at is not None and other.read_at is None


def test_marking_read_without_htmx_goes_back_to_the_filtered_inbox(
    client: Any, toy: Any, world: Any, osm_staff: Any
) -> None:
    _raise(toy, world.province)
    client.force_login(osm_staff)
    response = client.post(
        reverse("osm:notification-read"), {"kind": "test.toy", "state": "unread"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("osm:notification-list") + "?kind=test.toy&state=unread"
    assert not Notification.objects.filter(user=osm_staff, read_at__isnull=True).exists()


def test_nobody_marks_someone_elses_notification(
    client: Any, toy: Any, world: Any, osm_staff: Any, province_officer: Any
) -> None:
    _raise(toy, world.province)
    theirs = Notification.objects.get(user=province_officer)
    client.force_login(osm_staff)
    client.post(reverse("osm:notification-read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_header_count_polls_and_answers_alone(
    client: Any, toy: Any, world: Any, osm_staff: Any
) -> None:
    _raise(toy, world.province, world.sibling)
    client.force_login(osm_staff)
    page = client.get(reverse("home")).content.decode()
    assert 'hx-get="/notifications/count/"' in page
    assert 'hx-trigger="every 60s, osm:notifications-changed from:body"' in page
    badge = client.get(reverse("osm:notification-count"), headers={"HX-Request": "true"})
    html = badge.content.decode()
    assert 'id="unread-badge"' in html and 'text-bg-warning">2' in html
    assert "<html" not in html
    client.logout()
    ended = client.get(reverse("osm:notification-count"), headers={"HX-Request": "true"})
    assert ended.status_code == 200
    assert ended.content.decode() == '<span id="unread-badge"></span>'


def test_the_inbox_query_count_is_flat(
    client: Any, toy: Any, world: Any, osm_staff: Any, django_assert_num_queries: Any
) -> None:
    _raise(toy, *world.cluster.provinces.all())
    client.force_login(osm_staff)
    # session, user, scope, unread count (header), page count, page rows with their alert
    with django_assert_num_queries(6):
        client.get(reverse("osm:notification-list"), {"kind": "test.toy"})


# --- Open alerts -----------------------------------------------------------------------------


def test_staff_see_their_clusters_open_alerts_by_kind_province_and_age(
    client: Any, toy: Any, world: Any, osm_staff: Any
) -> None:
    _raise(toy, world.province, world.sibling)
    client.force_login(osm_staff)
    url = reverse("alerts:cluster", args=[world.cluster.pk])
    body = client.get(url).content.decode()
    assert body.count('id="alert-') >= 2
    assert world.province.name_th in body and world.sibling.name_th in body
    body = client.get(url, {"province": world.sibling.pk}).content.decode()
    assert body.count('<tr id="alert-') == 1
    assert client.get(url, {"age": "older"}).content.decode().count('<tr id="alert-') == 0
    assert client.get(url, {"age": "week"}).content.decode().count('<tr id="alert-') == 2
    assert 'action="/alerts/' in body  # acknowledge forms


def test_the_open_alerts_query_count_is_flat_and_the_list_is_paged(
    client: Any, toy: Any, world: Any, osm_staff: Any, django_assert_num_queries: Any
) -> None:
    provinces = list(world.cluster.provinces.all())
    toy.holding = [
        condition(p, year=year, quarter=q)
        for p in provinces
        for year in (2566, 2567, 2568, 2569, 2570)
        for q in (1, 2, 3, 4)
    ]
    alerts_run(deliver=False)
    Alert.objects.update(acknowledged_by=osm_staff, acknowledgement_note="กำลังประสาน")
    total = len(toy.holding)
    client.force_login(osm_staff)
    url = reverse("alerts:cluster", args=[world.cluster.pk])
    # session, user, scope, unread count, cluster, provinces (filter), count for the pages,
    # the page's alerts with province and who acknowledged, counts per kind
    with django_assert_num_queries(9):
        first = client.get(url)
    assert first.content.decode().count('<tr id="alert-') == 50
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count('<tr id="alert-') == total - 50


def test_the_committee_reads_the_same_list_without_forms(
    client: Any, toy: Any, world: Any, committee: Any
) -> None:
    _raise(toy, world.province)
    client.force_login(committee)
    body = client.get(reverse("alerts:cluster", args=[world.cluster.pk])).content.decode()
    assert '<tr id="alert-' in body
    assert "<textarea" not in body


def test_central_users_see_counts_per_cluster(
    client: Any, toy: Any, world: Any, central: Any
) -> None:
    _raise(toy, world.province, world.sibling, world.other_province)
    Alert.objects.filter(province=world.province).update(severity="critical")
    client.force_login(central)
    body = client.get(reverse("alerts:index")).content.decode()
    assert world.cluster.name_th in body and world.other_cluster.name_th in body
    assert f'href="/alerts/clusters/{world.other_cluster.pk}/"' in body


def test_acknowledging_records_who_when_and_the_note(
    client: Any, toy: Any, world: Any, osm_staff: Any
) -> None:
    _raise(toy, world.province)
    alert = Alert.objects.get()
    client.force_login(osm_staff)
    back = reverse("alerts:cluster", args=[world.cluster.pk]) + "?age=week"
    response = client.post(
        reverse("alerts:acknowledge", args=[alert.pk]), {"note": "โทรประสานจังหวัดแล้ว", "next": back}
    )
    assert response.status_code == 302 and response["Location"] == back
    alert.refresh_from_db()
    assert (alert.acknowledged_by, alert.acknowledgement_note) == (osm_staff, "โทรประสานจังหวัดแล้ว")
    assert alert.resolved_at is None
    body = client.get(back).content.decode()
    assert "โทรประสานจังหวัดแล้ว" in body and 'data-testid="acknowledged"' in body


def test_closing_needs_a_reason(client: Any, toy: Any, world: Any, osm_staff: Any) -> None:
    _raise(toy, world.province)
    alert = Alert.objects.get()
    client.force_login(osm_staff)
    response = client.post(reverse("alerts:close", args=[alert.pk]), {"note": "  "}, follow=True)
    alert.refresh_from_db()
    assert alert.resolved_at is None
    assert "alert-danger" in response.content.decode() or "error" in response.content.decode()
    client.post(reverse("alerts:close", args=[alert.pk]), {"note": "ข้อมูลซ้ำ"})
    alert.refresh_from_db()
    assert (alert.resolution, alert.resolved_by) == ("person", osm_staff)


def test_another_clusters_staff_cannot_touch_the_alert(
    client: Any, toy: Any, world: Any, other_staff: Any
) -> None:
    _raise(toy, world.province)
    alert = Alert.objects.get()
    client.force_login(other_staff)
    assert (
        client.post(reverse("alerts:acknowledge", args=[alert.pk]), {"note": "x"}).status_code
        == 404
    )
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


# --- Preferences and thresholds --------------------------------------------------------------


def test_a_person_chooses_a_channel_per_kind_and_the_language_of_emails(
    client: Any, toy: Any, province_officer: Any
) -> None:
    client.force_login(province_officer)
    page = client.get(reverse("alerts:preferences")).content.decode()
    assert "Toy warnings" in page
    response = client.post(reverse("alerts:preferences"), {"test.toy": "daily", "language": "en"})
    assert response.status_code == 302
    assert AlertPreference.objects.get(user=province_officer).channel == "daily"
    province_officer.refresh_from_db()
    assert province_officer.language == "en"


def test_an_unknown_channel_is_refused_next_to_the_kind(
    client: Any, toy: Any, province_officer: Any
) -> None:
    client.force_login(province_officer)
    response = client.post(reverse("alerts:preferences"), {"test.toy": "pigeon", "language": "th"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not AlertPreference.objects.exists()


def test_staff_set_their_clusters_thresholds(
    client: Any, toy: Any, world: Any, osm_staff: Any
) -> None:
    client.force_login(osm_staff)
    url = reverse("alerts:settings", args=[world.cluster.pk])
    assert "Days" in client.get(url).content.decode()
    response = client.post(url, {"test.toy.days": "5"})
    assert response.status_code == 302
    assert ClusterAlertSettings.objects.get(cluster=world.cluster).values == {"test.toy.days": 5}
    response = client.post(url, {"test.toy.days": "50"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert ClusterAlertSettings.objects.get(cluster=world.cluster).values == {"test.toy.days": 5}
