"""The people list, a person's page, editing, deactivating and reactivating an account."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from osm.models import User
from tests.factories import UserFactory, assign


def test_people_list_shows_the_clusters_people_with_their_roles(
    client: Any, osm_staff: Any, member: Any, world: Any
) -> None:
    client.force_login(osm_staff)
    body = client.get(reverse("osm:people-list")).content.decode()
    assert str(member) in body
    assert world.province.name_th in body
    assert "เจ้าหน้าที่จังหวัด" in body  # the role, in Thai


def test_staff_do_not_see_people_of_another_cluster(
    client: Any, osm_staff: Any, officer_b: Any
) -> None:
    client.force_login(osm_staff)
    body = client.get(reverse("osm:people-list")).content.decode()
    assert str(officer_b) not in body
    assert client.get(officer_b.get_absolute_url()).status_code == 404


def test_central_administrator_sees_every_cluster_and_filters_by_one(
    client: Any, central_admin: Any, member: Any, officer_b: Any, world: Any
) -> None:
    client.force_login(central_admin)
    body = client.get(reverse("osm:people-list")).content.decode()
    assert str(member) in body and str(officer_b) in body
    filtered = client.get(reverse("osm:people-list"), {"cluster": world.other_cluster.pk})
    assert str(officer_b) in filtered.content.decode()
    assert str(member) not in filtered.content.decode()


def test_people_list_filter_answers_htmx_with_the_results_fragment(
    client: Any, osm_staff: Any, member: Any
) -> None:
    client.force_login(osm_staff)
    response = client.get(
        reverse("osm:people-list"), {"q": member.last_name}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body
    assert 'id="people-results"' in body
    assert str(member) in body


def test_people_list_search_finds_by_name(client: Any, osm_staff: Any, member: Any) -> None:
    other = assign(
        UserFactory(first_name="มานี"), "committee", cluster=osm_staff.roles.get().cluster
    )
    client.force_login(osm_staff)
    body = client.get(reverse("osm:people-list"), {"q": "มานี"}).content.decode()
    assert str(other) in body
    assert str(member) not in body


def test_people_list_query_count_is_flat(
    client: Any, osm_staff: Any, world: Any, django_assert_num_queries: Any
) -> None:
    for _ in range(4):
        assign(UserFactory(), "province_officer", province=world.province)
        assign(UserFactory(), "committee", cluster=world.cluster)
    client.force_login(osm_staff)
    # session, user, scope, count, people, their roles, invitations, clusters, unread count
    with django_assert_num_queries(9):
        response = client.get(reverse("osm:people-list"))
    assert response.content.decode().count('id="person-') == 9


def test_committee_members_may_not_open_the_people_list(client: Any, committee: Any) -> None:
    client.force_login(committee)
    assert client.get(reverse("osm:people-list")).status_code == 403


def test_person_page_shows_roles_and_the_account_history(
    client: Any, osm_staff: Any, member: Any
) -> None:
    client.force_login(osm_staff)
    body = client.get(member.get_absolute_url()).content.decode()
    assert 'id="history"' in body
    assert reverse("osm:role-edit", args=[member.roles.get().pk]) in body
    assert reverse("osm:person-deactivate", args=[member.pk]) in body


def test_central_reads_a_person_without_controls(client: Any, central: Any, member: Any) -> None:
    client.force_login(central)
    body = client.get(member.get_absolute_url()).content.decode()
    assert str(member) in body
    assert reverse("osm:person-deactivate", args=[member.pk]) not in body
    assert reverse("osm:role-add", args=[member.pk]) not in body


# --- edit ----------------------------------------------------------------------------------


def test_edit_saves_and_says_what_changed(client: Any, osm_staff: Any, member: Any) -> None:
    client.force_login(osm_staff)
    url = reverse("osm:person-edit", args=[member.pk])
    data = {
        "first_name": member.first_name,
        "last_name": "ใหม่",
        "email": member.email,
        "position": "นักวิเคราะห์",
    }
    response = client.post(url, data, follow=True)
    member.refresh_from_db()
    assert (member.last_name, member.position) == ("ใหม่", "นักวิเคราะห์")
    assert response.redirect_chain[-1][0] == member.get_absolute_url()
    message = [str(m) for m in response.context["messages"]][0]
    assert "นามสกุล" in message and "ตำแหน่ง" in message and "อีเมล" not in message


def test_edit_refuses_an_email_another_account_uses(
    client: Any, osm_staff: Any, member: Any, officer_b: Any
) -> None:
    client.force_login(osm_staff)
    data = {"first_name": "ก", "last_name": "", "email": officer_b.email.upper(), "position": ""}
    response = client.post(reverse("osm:person-edit", args=[member.pk]), data)
    assert response.status_code == 200
    assert 'id="id_email-errors"' in response.content.decode()
    member.refresh_from_db()
    assert member.email != officer_b.email


def test_edit_invalid_form_rerenders_with_errors(client: Any, osm_staff: Any, member: Any) -> None:
    client.force_login(osm_staff)
    response = client.post(
        reverse("osm:person-edit", args=[member.pk]), {"email": "not-an-address"}
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_edit_wrong_method_is_405(client: Any, osm_staff: Any, member: Any) -> None:
    client.force_login(osm_staff)
    assert client.put(reverse("osm:person-edit", args=[member.pk])).status_code == 405


def test_edit_anonymous_goes_to_login(client: Any, member: Any) -> None:
    url = reverse("osm:person-edit", args=[member.pk])
    response = client.post(url, {})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login")) and "next=" in response.url


def test_edit_outsider_gets_404(client: Any, other_staff: Any, member: Any) -> None:
    client.force_login(other_staff)
    assert client.post(reverse("osm:person-edit", args=[member.pk]), {}).status_code == 404


def test_edit_read_only_central_gets_403(client: Any, central: Any, member: Any) -> None:
    client.force_login(central)
    assert client.post(reverse("osm:person-edit", args=[member.pk]), {}).status_code == 403


def test_staff_cannot_edit_someone_who_also_works_in_another_cluster(
    client: Any, osm_staff: Any, member: Any, world: Any
) -> None:
    assign(member, "committee", cluster=world.other_cluster)
    client.force_login(osm_staff)
    assert client.get(reverse("osm:person-edit", args=[member.pk])).status_code == 403
    assert client.post(reverse("osm:person-deactivate", args=[member.pk])).status_code == 403


# --- deactivate / reactivate ---------------------------------------------------------------


def test_deactivate_asks_first_on_a_page_of_its_own(
    client: Any, osm_staff: Any, member: Any
) -> None:
    client.force_login(osm_staff)
    response = client.get(reverse("osm:person-deactivate", args=[member.pk]))
    assert response.status_code == 200
    assert 'id="confirm-form"' in response.content.decode()
    member.refresh_from_db()
    assert member.is_active


def test_deactivate_switches_the_account_off_and_keeps_it(
    client: Any, osm_staff: Any, member: Any
) -> None:
    client.force_login(osm_staff)
    response = client.post(reverse("osm:person-deactivate", args=[member.pk]), follow=True)
    member.refresh_from_db()
    assert not member.is_active
    assert User.objects.filter(pk=member.pk).exists()
    assert "ไม่สามารถเข้าสู่ระบบ" in [str(m) for m in response.context["messages"]][0]


def test_a_deactivated_person_is_logged_out(client: Any, osm_staff: Any, member: Any) -> None:
    client.force_login(member)
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert client.get(reverse("osm:preferences")).status_code == 302


def test_nobody_deactivates_themselves(client: Any, osm_staff: Any) -> None:
    client.force_login(osm_staff)
    response = client.post(reverse("osm:person-deactivate", args=[osm_staff.pk]))
    assert response.status_code == 200
    assert 'data-testid="error"' in response.content.decode()
    osm_staff.refresh_from_db()
    assert osm_staff.is_active


def test_deactivate_outsider_404_and_central_403(
    client: Any, other_staff: Any, central: Any, member: Any
) -> None:
    url = reverse("osm:person-deactivate", args=[member.pk])
    client.force_login(other_staff)
    assert client.post(url).status_code == 404
    client.force_login(central)
    assert client.post(url).status_code == 403
    member.refresh_from_db()
    assert member.is_active


def test_deactivate_warns_about_the_last_staff_member(
    client: Any, central_admin: Any, osm_staff: Any
) -> None:
    client.force_login(central_admin)
    body = client.get(reverse("osm:person-deactivate", args=[osm_staff.pk])).content.decode()
    assert 'data-testid="warning"' in body


def test_reactivate_needs_post_and_turns_the_account_on(
    client: Any, osm_staff: Any, member: Any
) -> None:
    User.objects.filter(pk=member.pk).update(is_active=False)
    client.force_login(osm_staff)
    url = reverse("osm:person-reactivate", args=[member.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_active


# --- home for a person with no role ------------------------------------------------------


def test_no_role_home_names_the_central_administrators(
    client: Any, no_role: Any, central_admin: Any
) -> None:
    client.force_login(no_role)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="next-steps"' in body
    assert central_admin.email in body
    assert "ผู้ดูแลระบบส่วนกลาง" in body  # what a role gives


def test_no_role_home_names_the_clusters_staff_after_a_role_was_removed(
    client: Any, osm_staff: Any, central_admin: Any, member: Any, world: Any
) -> None:
    member.roles.all().delete()
    client.force_login(member)
    body = client.get(reverse("home")).content.decode()
    assert osm_staff.email in body
    assert world.cluster.name_th in body
    assert central_admin.email not in body


def test_managers_home_links_to_people_and_agencies(client: Any, osm_staff: Any) -> None:
    client.force_login(osm_staff)
    body = client.get(reverse("home")).content.decode()
    assert reverse("osm:people-list") in body
    assert reverse("osm:agency-list") in body
    assert reverse("osm:invitation-create") in body


def test_cluster_page_links_its_staff_to_people_and_agencies(
    client: Any, osm_staff: Any, committee: Any, world: Any
) -> None:
    client.force_login(osm_staff)
    body = client.get(world.cluster.get_absolute_url()).content.decode()
    assert f"{reverse('osm:people-list')}?cluster={world.cluster.pk}" in body
    client.force_login(committee)
    body = client.get(world.cluster.get_absolute_url()).content.decode()
    assert 'data-testid="people-links"' not in body


def test_person_page_query_count_is_flat(
    client: Any, central_admin: Any, world: Any, django_assert_num_queries: Any
) -> None:
    person = assign(UserFactory(), "province_officer", province=world.province)
    assign(person, "committee", cluster=world.cluster)
    assign(person, "osm_staff", cluster=world.other_cluster)
    client.force_login(central_admin)
    client.post(
        reverse("osm:person-edit", args=[person.pk]), {"first_name": "ก", "email": person.email}
    )
    # session, user, scope, person, roles; history: user events and who made them; role
    # events and the users, provinces and clusters they name; unread count
    with django_assert_num_queries(12):
        response = client.get(person.get_absolute_url())
    assert response.content.decode().count('id="role-') == 3
