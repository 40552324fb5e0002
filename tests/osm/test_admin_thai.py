"""Where the Django admin is still used (maintainers), it speaks Thai in the app's font."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_admin_pages_load_the_thai_font_stylesheet(client: Any, admin_user_: Any) -> None:
    client.force_login(admin_user_)
    body = client.get(reverse("admin:osm_user_changelist")).content.decode()
    assert "css/admin.css" in body
    assert "ผู้ใช้" in body  # Thai by default


def test_admin_stylesheet_uses_the_vendored_sarabun() -> None:
    path = finders.find("css/admin.css")
    assert path is not None
    css = Path(path).read_text(encoding="utf-8")
    assert "sarabun-thai-400-normal.woff2" in css
    assert '--font-family-primary: "Sarabun"' in css
    assert finders.find("vendor/sarabun/sarabun-thai-400-normal.woff2") is not None


def test_the_invitation_link_key_is_not_shown_in_the_admin(client: Any, admin_user_: Any) -> None:
    client.force_login(admin_user_)
    body = client.get(reverse("admin:osm_invitation_add")).content.decode()
    assert 'name="key"' not in body
