"""Giving, changing and removing roles: scoping, no self-escalation, the last staff member."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from osm import access
from osm.models import RoleAssignment, User
from osm.people import services
from tests.factories import UserFactory, assign

Role = RoleAssignment.Role


def roles_of(user: Any) -> set[tuple[str, int | None, int | None]]:
    return set(user.roles.values_list("role", "cluster_id", "province_id"))


# --- role-add view ---------------------------------------------------------------------------


def test_staff_give_a_committee_role_in_their_cluster(
    client: Any, osm_staff: Any, member: Any, world: Any
) -> None:
    client.force_login(osm_staff)
    url = reverse("osm:role-add", args=[member.pk])
    response = client.post(url, {"role": "committee", "cluster": world.cluster.pk}, follow=True)
    assert response.redirect_chain[-1][0] == member.get_absolute_url()
    assert (Role.COMMITTEE, world.cluster.pk, None) in roles_of(member)
    assert "กรรมการ" in [str(m) for m in response.context["messages"]][0]


def test_role_form_needs_the_scope_of_the_role(client: Any, osm_staff: Any, member: Any) -> None:
    client.force_login(osm_staff)
    response = client.post(reverse("osm:role-add", args=[member.pk]), {"role": "province_officer"})
    assert response.status_code == 200
    assert 'id="id_province-errors"' in response.content.decode()


def test_role_add_wrong_method_anonymous_outsider_readonly(
    client: Any, member: Any, other_staff: Any, central: Any
) -> None:
    url = reverse("osm:role-add", args=[member.pk])
    assert client.post(url, {}).status_code == 302
    client.force_login(other_staff)
    assert client.post(url, {}).status_code == 404
    client.force_login(central)
    assert client.post(url, {}).status_code == 403
    assert client.delete(url).status_code == 405


def test_staff_are_not_offered_central_roles_nor_other_clusters(
    client: Any, osm_staff: Any, member: Any, world: Any
) -> None:
    client.force_login(osm_staff)
    body = client.get(reverse("osm:role-add", args=[member.pk])).content.decode()
    assert 'value="central_admin"' not in body
    assert 'value="central"' not in body
    assert world.other_cluster.name_th not in body
    response = client.post(reverse("osm:role-add", args=[member.pk]), {"role": "central_admin"})
    assert response.status_code == 200  # not a valid choice
    response = client.post(
        reverse("osm:role-add", args=[member.pk]),
        {"role": "province_officer", "province": world.other_province.pk},
    )
    assert response.status_code == 200
    assert roles_of(member) == {(Role.PROVINCE_OFFICER, None, world.province.pk)}


def test_services_refuse_staff_a_role_outside_their_cluster(
    osm_staff: Any, member: Any, world: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.role_grant(
            by=osm_staff, user=member, role="osm_staff", cluster=world.other_cluster
        )
    with pytest.raises(PermissionDenied):
        services.role_grant(by=osm_staff, user=member, role="central")
    with pytest.raises(PermissionDenied):
        services.role_grant(
            by=osm_staff, user=member, role="province_officer", province=world.other_province
        )


def test_nobody_gives_themselves_a_role(osm_staff: Any, central_admin: Any, world: Any) -> None:
    with pytest.raises(ValidationError):
        services.role_grant(by=osm_staff, user=osm_staff, role="committee", cluster=world.cluster)
    with pytest.raises(ValidationError):
        services.role_grant(by=central_admin, user=central_admin, role="central")
    assert roles_of(osm_staff) == {(Role.OSM_STAFF, world.cluster.pk, None)}


def test_staff_cannot_change_their_own_role(client: Any, osm_staff: Any, world: Any) -> None:
    client.force_login(osm_staff)
    own = osm_staff.roles.get()
    response = client.post(
        reverse("osm:role-edit", args=[own.pk]), {"role": "osm_staff", "cluster": world.cluster.pk}
    )
    assert response.status_code == 200
    assert "ตัวเอง" in response.content.decode()


def test_central_administrator_manages_staff_of_any_cluster_and_central_roles(
    client: Any, central_admin: Any, other_staff: Any, world: Any
) -> None:
    client.force_login(central_admin)
    person = UserFactory()
    url = reverse("osm:role-add", args=[other_staff.pk])
    assert client.post(url, {"role": "central_admin"}).status_code == 302
    assert (Role.CENTRAL_ADMIN, None, None) in roles_of(other_staff)
    assert services.role_grant(
        by=central_admin, user=person, role="osm_staff", cluster=world.other_cluster
    )
    assert access.scope_for(User.objects.get(pk=other_staff.pk)).administers_all


def test_duplicate_role_is_refused_with_a_thai_message(
    client: Any, osm_staff: Any, member: Any, world: Any
) -> None:
    client.force_login(osm_staff)
    response = client.post(
        reverse("osm:role-add", args=[member.pk]),
        {"role": "province_officer", "province": world.province.pk},
    )
    assert response.status_code == 200
    assert "มีบทบาทนี้อยู่แล้ว" in response.content.decode()


# --- role-edit ------------------------------------------------------------------------------


def test_change_moves_an_officer_to_another_member_province(
    client: Any, osm_staff: Any, member: Any, world: Any
) -> None:
    client.force_login(osm_staff)
    role = member.roles.get()
    response = client.post(
        reverse("osm:role-edit", args=[role.pk]),
        {"role": "province_officer", "province": world.sibling.pk},
        follow=True,
    )
    role.refresh_from_db()
    assert role.province == world.sibling
    message = [str(m) for m in response.context["messages"]][0]
    assert world.province.name_th in message and world.sibling.name_th in message


def test_change_outsider_404_readonly_403(
    client: Any, member: Any, other_staff: Any, central: Any
) -> None:
    url = reverse("osm:role-edit", args=[member.roles.get().pk])
    client.force_login(other_staff)
    assert client.post(url, {}).status_code == 404
    client.force_login(central)
    assert client.post(url, {}).status_code == 403


# --- role-delete -----------------------------------------------------------------------------


def test_remove_asks_first_then_removes(client: Any, osm_staff: Any, member: Any) -> None:
    client.force_login(osm_staff)
    url = reverse("osm:role-delete", args=[member.roles.get().pk])
    assert 'id="confirm-form"' in client.get(url).content.decode()
    assert member.roles.exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not member.roles.exists()
    # Without a role in the cluster, the person left the staff's view: back to the list.
    assert response.url == reverse("osm:people-list")


def test_remove_wrong_method_anonymous_outsider_readonly(
    client: Any, member: Any, other_staff: Any, central: Any
) -> None:
    url = reverse("osm:role-delete", args=[member.roles.get().pk])
    assert client.post(url).status_code == 302 and member.roles.exists()
    client.force_login(other_staff)
    assert client.post(url).status_code == 404
    client.force_login(central)
    assert client.post(url).status_code == 403
    assert client.put(url).status_code == 405
    assert member.roles.exists()


def test_last_staff_member_cannot_remove_their_own_role_without_confirming(
    client: Any, osm_staff: Any
) -> None:
    client.force_login(osm_staff)
    own = osm_staff.roles.get()
    url = reverse("osm:role-delete", args=[own.pk])
    page = client.get(url).content.decode()
    assert 'name="confirm_last"' in page
    response = client.post(url)
    assert response.status_code == 200
    assert 'data-testid="error"' in response.content.decode()
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    assert client.post(url, {"confirm_last": "on"}).status_code == 302
    assert not RoleAssignment.objects.filter(pk=own.pk).exists()


def test_staff_member_with_a_colleague_removes_their_own_role_directly(
    client: Any, osm_staff: Any, world: Any
) -> None:
    assign(UserFactory(), "osm_staff", cluster=world.cluster)
    client.force_login(osm_staff)
    own = osm_staff.roles.get()
    assert client.post(reverse("osm:role-delete", args=[own.pk])).status_code == 302
    assert not osm_staff.roles.exists()


def test_a_deactivated_colleague_does_not_count_as_staff(osm_staff: Any, world: Any) -> None:
    colleague = assign(UserFactory(is_active=False), "osm_staff", cluster=world.cluster)
    assert colleague.roles.exists()
    assert services.is_last_manager(osm_staff.roles.get())


def test_the_person_given_a_role_is_told_in_their_language(
    client: Any, osm_staff: Any, member: Any, world: Any
) -> None:
    """Staff work in Thai; the new committee member reads English."""
    from osm.models import Notification

    member.language = "en"
    member.save(update_fields=["language"])
    client.force_login(osm_staff)
    client.post(
        reverse("osm:role-add", args=[member.pk]),
        {"role": "committee", "cluster": world.cluster.pk},
        headers={"Accept-Language": "th"},
    )
    note = Notification.objects.get(user=member, key__startswith="role-granted-")
    assert (
        note.title
        == "You were given a role: Committee member — Upper Northern Provincial Cluster 1"
    )
