"""The cluster settings page (osm:cluster-settings): Thai digits in the cluster's documents,
set by the cluster's OSM staff, audited, linked from the cluster's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from osm import audit, services
from osm.models import Cluster


def _url(cluster: Cluster) -> str:
    return reverse("osm:cluster-settings", args=[cluster.pk])


def _thai_digits(cluster: Cluster) -> bool:
    cluster.refresh_from_db()
    return cluster.thai_digits


# --- The page --------------------------------------------------------------------------------


def test_staff_see_the_setting_with_its_label_and_help_in_thai_and_english(
    client: Any, osm_staff: Any, world: Any
) -> None:
    client.force_login(osm_staff)
    thai = client.get(_url(world.cluster), headers={"Accept-Language": "th"}).content.decode()
    assert "ใช้เลขไทยในเอกสาร" in thai
    assert "เลขหน้าเป็นเลขไทย (๐–๙)" in thai
    assert 'name="thai_digits"' in thai
    assert "csrfmiddlewaretoken" in thai
    client.cookies["django_language"] = "en"
    english = client.get(_url(world.cluster)).content.decode()
    assert "Thai digits in documents" in english
    assert "page numbers with Thai digits (๐–๙)" in english


def test_staff_turn_thai_digits_on_and_are_told_what_changed(
    client: Any, osm_staff: Any, world: Any
) -> None:
    assert not world.cluster.thai_digits
    client.force_login(osm_staff)
    client.cookies["django_language"] = "en"
    response = client.post(_url(world.cluster), {"thai_digits": "on"}, follow=True)
    assert response.redirect_chain == [(_url(world.cluster), 302)]
    assert _thai_digits(world.cluster)
    assert [str(m) for m in response.context["messages"]] == [
        "Saved: the documents of Upper Northern Provincial Cluster 1 now print Thai digits (๐–๙)."
    ]
    assert "checked" in response.content.decode().split('name="thai_digits"')[1].split(">")[0]


def test_staff_turn_thai_digits_off_with_a_message_in_thai(
    client: Any, osm_staff: Any, world: Any
) -> None:
    Cluster.objects.filter(pk=world.cluster.pk).update(thai_digits=True)
    client.force_login(osm_staff)
    response = client.post(_url(world.cluster), {}, follow=True, headers={"Accept-Language": "th"})
    assert not _thai_digits(world.cluster)
    message = [str(m) for m in response.context["messages"]][0]
    assert message == ("บันทึกแล้ว: เอกสารของกลุ่มจังหวัดภาคเหนือตอนบน 1 จะพิมพ์ตัวเลขเป็นเลขอารบิก (0–9)")


def test_saving_without_a_change_writes_nothing(client: Any, osm_staff: Any, world: Any) -> None:
    Event = audit.event_model_for(Cluster)
    before = Event.objects.filter(pgh_obj_id=world.cluster.pk).count()
    client.force_login(osm_staff)
    client.cookies["django_language"] = "en"
    response = client.post(_url(world.cluster), {}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Nothing changed."]
    assert Event.objects.filter(pgh_obj_id=world.cluster.pk).count() == before


def test_the_change_is_in_the_clusters_history_with_who_made_it(
    client: Any, osm_staff: Any, world: Any
) -> None:
    client.force_login(osm_staff)
    client.post(_url(world.cluster), {"thai_digits": "on"})
    with translation.override("en"):
        entry = audit.history_for(world.cluster)[0]
    assert entry.user == osm_staff
    assert entry.url == _url(world.cluster)
    assert {(c.field, c.old, c.new) for c in entry.changes} == {
        ("Thai digits in documents", "no", "yes")
    }
    client.cookies["django_language"] = "en"
    page = client.get(world.cluster.get_absolute_url()).content.decode()
    assert "Thai digits in documents" in page  # the history on the cluster's page


def test_a_superuser_may_change_any_cluster(client: Any, admin_user_: Any, world: Any) -> None:
    client.force_login(admin_user_)
    assert client.post(_url(world.other_cluster), {"thai_digits": "on"}).status_code == 302
    assert _thai_digits(world.other_cluster)


# --- Who may not -----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client: Any, world: Any) -> None:
    response = client.post(_url(world.cluster), {"thai_digits": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not _thai_digits(world.cluster)


@pytest.mark.parametrize("persona", ["central", "central_admin", "committee", "province_officer"])
def test_readers_of_the_cluster_who_do_not_edit_it_get_403(
    client: Any, persona: str, request: pytest.FixtureRequest, world: Any
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(world.cluster)).status_code == 403
    assert client.post(_url(world.cluster), {"thai_digits": "on"}).status_code == 403
    assert not _thai_digits(world.cluster)


@pytest.mark.parametrize("persona", ["other_staff", "no_role", "officer_b"])
def test_people_outside_the_cluster_get_404(
    client: Any, persona: str, request: pytest.FixtureRequest, world: Any
) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(world.cluster)).status_code == 404
    assert client.post(_url(world.cluster), {"thai_digits": "on"}).status_code == 404
    assert not _thai_digits(world.cluster)


def test_an_unknown_cluster_is_404(client: Any, osm_staff: Any) -> None:
    client.force_login(osm_staff)
    assert client.get(reverse("osm:cluster-settings", args=[99999])).status_code == 404


def test_other_methods_are_refused(client: Any, osm_staff: Any, world: Any) -> None:
    client.force_login(osm_staff)
    assert client.put(_url(world.cluster)).status_code == 405
    assert client.delete(_url(world.cluster)).status_code == 405


def test_a_post_without_the_csrf_token_is_refused(osm_staff: Any, world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(osm_staff)
    assert client.post(_url(world.cluster), {"thai_digits": "on"}).status_code == 403
    assert not _thai_digits(world.cluster)


def test_the_service_refuses_who_may_not_edit_the_cluster(committee: Any, world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.cluster_settings_set(cluster=world.cluster, by=committee, thai_digits=True)
    assert not _thai_digits(world.cluster)


# --- Links -----------------------------------------------------------------------------------


def test_the_cluster_page_links_to_its_settings_for_its_staff_only(
    client: Any, osm_staff: Any, committee: Any, other_staff: Any, world: Any
) -> None:
    link = f'href="{_url(world.cluster)}"'
    client.force_login(osm_staff)
    assert link in client.get(world.cluster.get_absolute_url()).content.decode()
    for person in (committee, other_staff):
        client.force_login(person)
        assert link not in client.get(world.cluster.get_absolute_url()).content.decode()


def test_the_early_warning_settings_and_cluster_settings_link_to_each_other(
    client: Any, osm_staff: Any, world: Any
) -> None:
    client.force_login(osm_staff)
    alerts_url = reverse("alerts:settings", args=[world.cluster.pk])
    assert f'href="{_url(world.cluster)}"' in client.get(alerts_url).content.decode()
    assert f'href="{alerts_url}"' in client.get(_url(world.cluster)).content.decode()


def test_the_page_asks_a_fixed_number_of_queries(
    client: Any, osm_staff: Any, world: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(osm_staff)
    # session, user, scope, cluster, unread count
    with django_assert_num_queries(5):
        client.get(_url(world.cluster))
