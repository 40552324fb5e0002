from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from osm import access, registry


def osm(request: HttpRequest) -> dict[str, Any]:
    scope = access.scope_for(getattr(request, "user", None))
    return {
        "site_name": settings.OSM_SITE_NAME,
        "scope": scope,
        "nav_items": registry.nav_for(scope),
    }
