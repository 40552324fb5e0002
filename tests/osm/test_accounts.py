from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory


def test_login_with_the_right_password_goes_home(client: Any, db: Any) -> None:
    UserFactory(username="somchai", password="correct-horse-1")
    response = client.post(reverse("login"), {"username": "somchai", "password": "correct-horse-1"})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_wrong_password_shows_a_thai_error_next_to_the_form(client: Any, db: Any) -> None:
    UserFactory(username="somchai", password="correct-horse-1")
    response = client.post(reverse("login"), {"username": "somchai", "password": "nope"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_login_is_locked_after_five_failures_with_a_clear_message(client: Any, db: Any) -> None:
    UserFactory(username="target", password="correct-horse-1")
    for _ in range(5):
        client.post(reverse("login"), {"username": "target", "password": "guess"})
    response = client.post(reverse("login"), {"username": "target", "password": "correct-horse-1"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป" in body
    assert "15" in body  # how long to wait


def test_logout_needs_post(client: Any, osm_staff: Any) -> None:
    client.force_login(osm_staff)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_change(client: Any, db: Any) -> None:
    user = UserFactory(password="old-password-1")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "old-password-1",
            "new_password1": "ใหม่-password-2569",
            "new_password2": "ใหม่-password-2569",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("ใหม่-password-2569")


def test_password_change_errors_are_shown_next_to_the_field(client: Any, db: Any) -> None:
    user = UserFactory(password="old-password-1")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "a", "new_password2": "b"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_old_password-errors"' in body
    assert 'aria-invalid="true"' in body


def test_password_reset_by_email(
    client: Any, db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory(email="officer@example.test", password="old-password-1")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "officer@example.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "ตั้งรหัสผ่าน OSM ใหม่"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "brand-new-2569", "new_password2": "brand-new-2569"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-2569")


def test_password_reset_does_not_reveal_unknown_addresses(
    client: Any, db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@example.test"})
    assert response.status_code == 302
    assert mail.outbox == []
