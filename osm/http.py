"""Typed request classes for views (STYLE.md §17, §21)."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from osm.models import User


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthedRequest(HtmxHttpRequest):
    """A request behind @login_required: `user` is a real User."""

    user: User
