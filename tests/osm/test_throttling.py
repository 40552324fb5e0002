"""Log-in throttling per user, per address and per both; password reset limits."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from osm.models import OutboxEmail
from tests.factories import UserFactory

LOCKED = "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป"


@pytest.fixture(autouse=True)
def _limits(settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = 3  # per username and address
    settings.AXES_USER_FAILURE_LIMIT = 5  # per username, any address
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8  # per address, any username


def _login(client: Any, username: str, password: str, address: str = "192.0.2.10", **extra: Any):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def test_one_account_tried_from_many_addresses_is_locked(client: Any, db: Any) -> None:
    UserFactory(username="target", password="correct-horse-1")
    answers = [_login(client, "target", f"guess-{i}", f"198.51.100.{i}") for i in range(5)]
    # The failure that reaches the limit already answers with the lock-out.
    assert [r.status_code for r in answers] == [200, 200, 200, 200, 429]
    response = _login(client, "target", "correct-horse-1", "203.0.113.50")
    assert response.status_code == 429
    assert LOCKED in response.content.decode()


def test_fewer_failures_from_many_addresses_do_not_lock(client: Any, db: Any) -> None:
    UserFactory(username="target", password="correct-horse-1")
    for i in range(4):
        _login(client, "target", f"guess-{i}", f"198.51.100.{i}")
    assert _login(client, "target", "correct-horse-1", "203.0.113.50").status_code == 302


def test_one_password_sprayed_across_accounts_locks_the_address(client: Any, db: Any) -> None:
    for i in range(7):
        UserFactory(username=f"person{i}", password="correct-horse-1")
        assert _login(client, f"person{i}", "Password123!").status_code == 200
    UserFactory(username="person7", password="correct-horse-1")
    assert _login(client, "person7", "Password123!").status_code == 429  # the 8th
    victim = UserFactory(username="victim", password="correct-horse-1")
    response = _login(client, victim.username, "correct-horse-1")
    assert response.status_code == 429
    # The same person from their own office's address is not affected.
    assert _login(client, victim.username, "correct-horse-1", "203.0.113.77").status_code == 302


def test_one_account_and_address_is_locked_after_its_own_limit(client: Any, db: Any) -> None:
    UserFactory(username="target", password="correct-horse-1")
    for _ in range(3):
        _login(client, "target", "guess")
    assert _login(client, "target", "correct-horse-1").status_code == 429
    assert _login(client, "target", "correct-horse-1", "203.0.113.50").status_code == 302


def test_logging_in_to_ones_own_account_does_not_clear_the_address_count(
    client: Any, db: Any
) -> None:
    UserFactory(username="attacker", password="attacker-pass-1")
    for i in range(7):
        UserFactory(username=f"person{i}", password="correct-horse-1")
        _login(client, f"person{i}", "Password123!")
    assert _login(client, "attacker", "attacker-pass-1").status_code == 302
    client.logout()
    UserFactory(username="person7", password="correct-horse-1")
    _login(client, "person7", "Password123!")
    assert _login(client, "person7", "correct-horse-1").status_code == 429


def test_a_lockout_ends_after_the_cool_off_time(client: Any, db: Any, settings: Any) -> None:
    UserFactory(username="target", password="correct-horse-1")
    for i in range(5):
        _login(client, "target", "guess", f"198.51.100.{i}")
    assert _login(client, "target", "correct-horse-1").status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    assert _login(client, "target", "correct-horse-1").status_code == 302


def test_a_successful_password_reset_unlocks_the_account(
    client: Any, db: Any, django_capture_on_commit_callbacks: Any
) -> None:
    UserFactory(username="target", email="target@example.test", password="correct-horse-1")
    for i in range(5):
        _login(client, "target", "guess", f"198.51.100.{i}")
    assert _login(client, "target", "correct-horse-1").status_code == 429

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "target@example.test"})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "brand-new-2569", "new_password2": "brand-new-2569"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="target").exists()
    assert _login(client, "target", "brand-new-2569").status_code == 302


@pytest.mark.parametrize(
    ("proxy_count", "forwarded", "counted_as"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy configured: the header is not believed
        (1, "203.0.113.9", "203.0.113.9"),  # one proxy appended the client's address
        (1, "6.6.6.6, 203.0.113.9", "10.0.0.2"),  # a forged entry: not the client's word
    ],
)
def test_behind_the_proxy_the_client_address_comes_from_its_header(
    client: Any, db: Any, settings: Any, proxy_count: int, forwarded: str, counted_as: str
) -> None:
    settings.AXES_IPWARE_PROXY_COUNT = max(0, proxy_count - 1)
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = (
        ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if proxy_count else ("REMOTE_ADDR",)
    )
    _login(client, "someone", "guess", "10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [counted_as]


def test_the_lockout_page_is_thai_and_says_what_to_do(client: Any, db: Any, settings: Any) -> None:
    settings.AXES_COOLOFF_TIME = timedelta(minutes=20)
    UserFactory(username="target", password="correct-horse-1")
    for _ in range(3):
        _login(client, "target", "guess")
    body = _login(client, "target", "correct-horse-1").content.decode()
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in body
    assert "โปรดลองใหม่ในอีก 20 นาที" in body
    assert "ตั้งรหัสผ่านใหม่" in body


# --- password reset ------------------------------------------------------------------------


def _reset(client: Any, email: str, address: str = "192.0.2.10") -> Any:
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_password_reset_is_limited_per_address(client: Any, db: Any, settings: Any) -> None:
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 3
    for i in range(3):
        assert _reset(client, f"nobody{i}@example.test").status_code == 302
    response = _reset(client, "nobody9@example.test")
    assert response.status_code == 429
    assert "ขอตั้งรหัสผ่านใหม่บ่อยเกินไป" in response.content.decode()
    assert _reset(client, "nobody9@example.test", "203.0.113.5").status_code == 302


def test_password_reset_is_limited_per_email_without_telling(
    client: Any, db: Any, settings: Any
) -> None:
    settings.PASSWORD_RESET_LIMIT_PER_EMAIL = 2
    UserFactory(email="officer@example.test")
    answers = [
        _reset(client, "Officer@Example.test ", f"198.51.100.{i}").status_code for i in range(4)
    ]
    assert answers == [302, 302, 302, 302]  # the same answer every time
    assert OutboxEmail.objects.count() == 2  # but only two e-mails


def test_password_reset_stays_limited_when_the_cache_is_away(
    client: Any, db: Any, settings: Any
) -> None:
    from osm.lib import cache as resilient
    from tests.redis_server import free_port

    resilient.reset_breakers()
    settings.CACHES = {
        "default": {
            "BACKEND": "osm.lib.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 2
    try:
        assert _reset(client, "a@example.test", "192.0.2.99").status_code == 302
        assert _reset(client, "b@example.test", "192.0.2.99").status_code == 302
        assert _reset(client, "c@example.test", "192.0.2.99").status_code == 429
    finally:
        resilient.reset_breakers()


def test_the_reset_email_goes_through_the_outbox(client: Any, db: Any) -> None:
    UserFactory(email="officer@example.test")
    _reset(client, "officer@example.test")
    email = OutboxEmail.objects.get()
    assert email.recipients == ["officer@example.test"]
    assert email.subject == "ตั้งรหัสผ่าน OSM ใหม่"
    assert "/accounts/reset/" in email.text
    assert mail.outbox == []  # sent after commit, by the worker
