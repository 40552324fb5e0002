"""Invitations: the form, the e-mail after commit, re-send, revoke, and the one-time link."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from osm.models import Invitation, RoleAssignment, User
from osm.people import invitations
from tests.factories import UserFactory

Role = RoleAssignment.Role


def invite_data(world: Any, **overrides: Any) -> dict[str, Any]:
    return {
        "email": "Wipa.New@Example.test",
        "first_name": "วิภา",
        "last_name": "ใหม่ใจ",
        "position": "นักวิเคราะห์นโยบายและแผน",
        "role": "province_officer",
        "province": world.province.pk,
        "language": "th",
        **overrides,
    }


def make_invitation(by: Any, world: Any, **overrides: Any) -> Invitation:
    values = {
        "by": by,
        "email": "invitee@example.test",
        "first_name": "สมหญิง",
        "role": "committee",
        "cluster": world.cluster,
        **overrides,
    }
    outcome = invitations.person_invite(**values)
    assert outcome.invitation is not None
    return outcome.invitation


# --- create ----------------------------------------------------------------------------------


def test_invite_sends_a_thai_email_after_commit_with_a_one_time_link(
    client: Any, osm_staff: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(osm_staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("osm:invitation-create"), invite_data(world), follow=True)
    assert len(callbacks) == 1
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.province, invitation.invited_by) == (
        Role.PROVINCE_OFFICER,
        world.province,
        osm_staff,
    )
    assert invitation.sent_at is not None
    [message] = mail.outbox
    assert message.to == ["Wipa.New@Example.test"]
    assert "เชิญ" in message.subject
    link = reverse("osm:invitation-accept", args=[invitation.key])
    assert link in message.body
    html = message.alternatives[0][0]
    assert link in html and "<html" in html
    assert "เจ้าหน้าที่จังหวัด" in message.body  # the role, in Thai
    assert "ส่งคำเชิญ" in [str(m) for m in response.context["messages"]][0]


def test_invitation_email_follows_the_chosen_language(
    osm_staff: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_invitation(osm_staff, world, language="en")
    assert "You are invited" in mail.outbox[0].subject
    assert "Committee member" in mail.outbox[0].body


def test_inviting_an_existing_address_gives_the_role_to_that_account(
    client: Any, osm_staff: Any, world: Any
) -> None:
    existing = UserFactory(email="wipa.new@example.test")
    client.force_login(osm_staff)
    response = client.post(reverse("osm:invitation-create"), invite_data(world))
    assert response.status_code == 302
    assert response.url == existing.get_absolute_url()
    assert not Invitation.objects.exists()
    assert existing.roles.filter(role=Role.PROVINCE_OFFICER, province=world.province).exists()


def test_invite_form_errors_are_shown_next_to_the_fields(
    client: Any, osm_staff: Any, world: Any
) -> None:
    client.force_login(osm_staff)
    response = client.post(
        reverse("osm:invitation-create"), invite_data(world, email="nope", province="")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_email-errors"' in body and 'id="id_province-errors"' in body
    assert not Invitation.objects.exists()


def test_invite_anonymous_readonly_and_wrong_method(
    client: Any, central: Any, committee: Any, world: Any
) -> None:
    url = reverse("osm:invitation-create")
    response = client.post(url, invite_data(world))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client.force_login(central)
    assert client.post(url, invite_data(world)).status_code == 403
    client.force_login(committee)
    assert client.post(url, invite_data(world)).status_code == 403
    assert not Invitation.objects.exists()


def test_staff_cannot_invite_into_another_cluster_or_to_central_roles(
    osm_staff: Any, world: Any
) -> None:
    with pytest.raises(PermissionDenied):
        make_invitation(osm_staff, world, role="osm_staff", cluster=world.other_cluster)
    with pytest.raises(PermissionDenied):
        make_invitation(osm_staff, world, role="central_admin", cluster=None)
    assert not Invitation.objects.exists()


def test_central_administrator_invites_the_staff_of_any_cluster(
    client: Any, central_admin: Any, world: Any
) -> None:
    client.force_login(central_admin)
    data = invite_data(world, role="osm_staff", cluster=world.other_cluster.pk, province="")
    assert client.post(reverse("osm:invitation-create"), data).status_code == 302
    assert Invitation.objects.get().cluster == world.other_cluster


def test_second_open_invitation_for_the_same_role_is_refused(osm_staff: Any, world: Any) -> None:
    make_invitation(osm_staff, world)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        make_invitation(osm_staff, world, email="INVITEE@example.test")


# --- re-send and revoke ---------------------------------------------------------------------


def test_resend_gives_a_new_link_and_the_old_one_stops_working(
    client: Any, osm_staff: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    invitation = make_invitation(osm_staff, world)
    old_key = invitation.key
    client.force_login(osm_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("osm:invitation-resend", args=[invitation.pk]))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.key != old_key
    assert reverse("osm:invitation-accept", args=[invitation.key]) in mail.outbox[-1].body
    assert client.get(reverse("osm:invitation-accept", args=[old_key])).status_code == 404


def test_resend_revives_an_expired_invitation(osm_staff: Any, world: Any) -> None:
    invitation = make_invitation(osm_staff, world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.EXPIRED
    invitations.invitation_resend(by=osm_staff, invitation=invitation)
    assert invitation.status == Invitation.Status.PENDING


def test_resend_outsider_404_readonly_403_wrong_method_405(
    client: Any, osm_staff: Any, other_staff: Any, central: Any, world: Any
) -> None:
    invitation = make_invitation(osm_staff, world)
    url = reverse("osm:invitation-resend", args=[invitation.pk])
    client.force_login(other_staff)
    assert client.post(url).status_code == 404
    client.force_login(central)
    assert client.post(url).status_code == 403
    client.force_login(osm_staff)
    assert client.get(url).status_code == 405


def test_revoke_asks_first_then_the_link_shows_a_thai_page(
    client: Any, osm_staff: Any, world: Any
) -> None:
    invitation = make_invitation(osm_staff, world)
    client.force_login(osm_staff)
    url = reverse("osm:invitation-revoke", args=[invitation.pk])
    assert 'id="confirm-form"' in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    client.logout()
    response = client.get(reverse("osm:invitation-accept", args=[invitation.key]))
    assert response.status_code == 410
    assert "ถูกยกเลิก" in response.content.decode()


def test_revoke_outsider_404_and_readonly_403(
    client: Any, osm_staff: Any, other_staff: Any, central: Any, world: Any
) -> None:
    invitation = make_invitation(osm_staff, world)
    url = reverse("osm:invitation-revoke", args=[invitation.pk])
    client.force_login(other_staff)
    assert client.post(url).status_code == 404
    client.force_login(central)
    assert client.post(url).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_open_invitations_are_listed_for_the_staff(
    client: Any, osm_staff: Any, other_staff: Any, world: Any
) -> None:
    invitation = make_invitation(osm_staff, world)
    client.force_login(osm_staff)
    assert invitation.email in client.get(reverse("osm:people-list")).content.decode()
    client.force_login(other_staff)
    assert invitation.email not in client.get(reverse("osm:people-list")).content.decode()


# --- accept ----------------------------------------------------------------------------------


def test_accept_creates_the_account_with_the_role_and_logs_in(
    client: Any, osm_staff: Any, world: Any
) -> None:
    invitation = make_invitation(osm_staff, world, email="Somying@Example.test")
    url = reverse("osm:invitation-accept", args=[invitation.key])
    page = client.get(url).content.decode()
    assert "somying@example.test" in page  # the username to come
    response = client.post(
        url, {"new_password1": "ยุทธศาสตร์-2570", "new_password2": "ยุทธศาสตร์-2570"}
    )
    assert response.status_code == 302 and response.url == reverse("home")
    user = User.objects.get(email="Somying@Example.test")
    assert user.username == "somying@example.test"
    assert user.check_password("ยุทธศาสตร์-2570")
    assert user.roles.filter(role=Role.COMMITTEE, cluster=world.cluster).exists()
    assert int(client.session["_auth_user_id"]) == user.pk
    invitation.refresh_from_db()
    assert invitation.accepted_user == user


def test_accept_link_works_once(client: Any, osm_staff: Any, world: Any) -> None:
    invitation = make_invitation(osm_staff, world)
    url = reverse("osm:invitation-accept", args=[invitation.key])
    data = {"new_password1": "ยุทธศาสตร์-2570", "new_password2": "ยุทธศาสตร์-2570"}
    assert client.post(url, data).status_code == 302
    client.logout()
    again = client.post(
        url, {"new_password1": "other-pass-2570", "new_password2": "other-pass-2570"}
    )
    assert again.status_code == 410
    assert "ถูกใช้ไปแล้ว" in again.content.decode()
    assert User.objects.get(email="invitee@example.test").check_password("ยุทธศาสตร์-2570")


def test_expired_link_shows_a_clear_thai_page(client: Any, osm_staff: Any, world: Any) -> None:
    invitation = make_invitation(osm_staff, world)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    url = reverse("osm:invitation-accept", args=[invitation.key])
    response = client.post(
        url, {"new_password1": "ยุทธศาสตร์-2570", "new_password2": "ยุทธศาสตร์-2570"}
    )
    assert response.status_code == 410
    body = response.content.decode()
    assert "หมดอายุ" in body
    assert osm_staff.email in body  # who to ask
    assert not User.objects.filter(email="invitee@example.test").exists()


def test_unknown_link_is_404_with_a_thai_page(client: Any, db: Any) -> None:
    response = client.get(reverse("osm:invitation-accept", args=["made-up"]))
    assert response.status_code == 404
    assert "ไม่รู้จักลิงก์นี้" in response.content.decode()


def test_weak_password_is_refused_next_to_the_field(
    client: Any, osm_staff: Any, world: Any
) -> None:
    invitation = make_invitation(osm_staff, world)
    url = reverse("osm:invitation-accept", args=[invitation.key])
    response = client.post(url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert 'id="id_new_password2-errors"' in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accept_wrong_method_is_405(client: Any, osm_staff: Any, world: Any) -> None:
    invitation = make_invitation(osm_staff, world)
    assert client.put(reverse("osm:invitation-accept", args=[invitation.key])).status_code == 405


def test_one_email_per_link_even_when_sent_twice(
    osm_staff: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from osm.models import OutboxEmail

    with django_capture_on_commit_callbacks(execute=True):
        invitation = make_invitation(osm_staff, world)
        invitations.invitation_send(invitation=invitation)
    assert OutboxEmail.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_queue_outage_keeps_the_invitation_and_its_email(
    client: Any,
    osm_staff: Any,
    world: Any,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from osm import tasks
    from osm.models import OutboxEmail

    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(tasks.send_outbox_email, "apply_async", broker_down)
    client.force_login(osm_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("osm:invitation-create"), invite_data(world))
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert mail.outbox == []
    # The e-mail waits in the outbox for the beat's drain task, with the link in it.
    email = OutboxEmail.objects.get()
    assert email.status == OutboxEmail.Status.PENDING
    assert reverse("osm:invitation-accept", args=[invitation.key]) in email.text


def test_accept_keeps_an_existing_username_apart(client: Any, osm_staff: Any, world: Any) -> None:
    UserFactory(username="invitee@example.test", email="someone-else@example.test")
    invitation = make_invitation(osm_staff, world)
    url = reverse("osm:invitation-accept", args=[invitation.key])
    client.post(url, {"new_password1": "ยุทธศาสตร์-2570", "new_password2": "ยุทธศาสตร์-2570"})
    user = User.objects.get(email="invitee@example.test")
    assert user.username == f"invitee@example.test-{invitation.pk}"
