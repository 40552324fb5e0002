"""Shared steps of the optimistic-locking tests: two people open the same form; one saves,
then the other saves the form they read before. The second gets the conflict page (409, the
first person's values shown), and the first person's values stay."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.forms import BaseForm
from django.test import Client


def form_data(form: BaseForm) -> dict[str, Any]:
    """What a browser posts for an unchanged form (its initial values)."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if value is None or value is False:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, Decimal | dt.date):
            value = str(value)
        data[name] = value
    return data


def client_for(user: Any) -> Client:
    """A signed-in browser that reads the pages in English (assertions use the source text)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def two_people_save(
    url: str, read: dict[str, Any], first: Any, second: Any, *, field: str, theirs: str, mine: str
) -> Any:
    """`first` saves `theirs` into `field`; then `second` posts the form as read, with `mine`.
    Returns the second answer (the conflict page)."""
    saved = client_for(first).post(url, {**read, field: theirs})
    assert saved.status_code == 302, f"the first save did not go through: {saved.content[:800]!r}"
    return client_for(second).post(url, {**read, field: mine})
