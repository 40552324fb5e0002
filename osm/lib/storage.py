"""Private file storage: outside MEDIA_ROOT, with no URL, served only by scoped views.

Evidence of results (scorecard, projects) and generated documents (osm.documents) live here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="osm.lib.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files in PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, with no URL: only a scoped download
    view serves them. The location is read from settings on each use, so tests can point it
    at a temporary directory."""

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self) -> Any:
        return None

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL.")


private_storage = PrivateStorage()
