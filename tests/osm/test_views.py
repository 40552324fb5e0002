from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from osm import access
from osm.models import Cluster, Province


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("central", "ส่วนกลาง"),
        ("osm_staff", "เจ้าหน้าที่ สบก."),
        ("committee", "กรรมการ ก.บ.ก."),
        ("province_officer", "เจ้าหน้าที่จังหวัด"),
    ],
)
def test_home_shows_each_role_its_own_scope(
    client: Any, request: Any, persona: str, expected: str, world: Any
) -> None:
    client.force_login(request.getfixturevalue(persona))
    body = client.get(reverse("home")).content.decode()
    assert expected in body
    if persona == "province_officer":
        assert world.province.name_th in body
    if persona in ("osm_staff", "committee"):
        assert world.cluster.name_th in body


def test_anonymous_home_invites_to_log_in(client: Any, db: Any) -> None:
    body = client.get(reverse("home")).content.decode()
    assert reverse("login") in body


def test_cluster_list_query_count_is_flat(
    client: Any, osm_staff: Any, django_assert_num_queries: Any
) -> None:
    client.force_login(osm_staff)
    # session, user, roles (scope), unread notifications, clusters, provinces — whatever the
    # number of clusters
    with django_assert_num_queries(6):
        response = client.get(reverse("osm:cluster-list"))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == 19  # header + 18 clusters


def test_cluster_detail_lists_its_provinces(client: Any, world: Any) -> None:
    body = client.get(world.cluster.get_absolute_url()).content.decode()
    for province in world.cluster.provinces.all():
        assert province.name_th in body


def test_unknown_cluster_is_404(client: Any, db: Any) -> None:
    assert client.get(reverse("osm:cluster-detail", args=[999999])).status_code == 404


def test_preferences_turn_thai_digits_on(client: Any, osm_staff: Any, world: Any) -> None:
    client.force_login(osm_staff)
    response = client.post(reverse("osm:preferences"), {"thai_digits": "on"})
    assert response.status_code == 302
    osm_staff.refresh_from_db()
    assert osm_staff.thai_digits
    body = client.get(reverse("osm:cluster-list")).content.decode()
    assert "<td>๑</td>" in body


def test_preferences_wrong_method_is_405(client: Any, osm_staff: Any) -> None:
    client.force_login(osm_staff)
    assert client.put(reverse("osm:preferences")).status_code == 405


# --- the access module ----------------------------------------------------------------------


def test_scope_reads_roles_in_one_query(osm_staff: Any, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        scope = access.scope_for(osm_staff)
        access.scope_for(osm_staff)  # cached on the user
    assert scope.roles == {"osm_staff"}
    assert scope.staff_clusters


def test_officer_scope_includes_their_cluster_for_reading(
    province_officer: Any, world: Any
) -> None:
    scope = access.scope_for(province_officer)
    assert scope.officer_provinces == {world.province.pk}
    assert scope.officer_clusters == {world.cluster.pk}
    assert not scope.can_edit_cluster(world.cluster.pk)


def test_get_for_user_is_404_outside_scope_and_403_when_not_allowed(
    osm_staff: Any, admin_user_: Any, world: Any
) -> None:
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    # Reference data is visible to all but changed only by administrators.
    with pytest.raises(PermissionDenied):
        access.get_for_user(osm_staff, Province, action=access.Action.EDIT, pk=world.province.pk)
    assert access.get_for_user(admin_user_, Province, action="edit", pk=world.province.pk)
    with pytest.raises(Http404):
        access.get_for_user(osm_staff, Cluster, pk=0)


def test_unregistered_models_have_no_access() -> None:
    from osm.models import Notification

    with pytest.raises(LookupError):
        access.policy_for(Notification)
