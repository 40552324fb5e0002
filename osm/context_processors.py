from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from osm import access, registry
from osm.alerts.selectors import unread_count


def osm(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    scope = access.scope_for(user)
    return {
        # A lazy count: only pages that show the header pay for the query.
        "unread_notifications": SimpleLazyObject(
            lambda: unread_count(user) if user is not None else 0
        ),
        "site_name": settings.OSM_SITE_NAME,
        "scope": scope,
        "nav_items": registry.nav_for(scope),
    }
