"""Private file storage for evidence: outside MEDIA_ROOT, served only by scoped views."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


# Migrations name it by its old home, where it is still importable.
@deconstructible(path="scorecard.models.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Evidence lives in PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, with no URL: only the
    scoped download view serves it. The location is read from settings on each use, so
    tests can point it at a temporary directory."""

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
        raise ValueError("Evidence files have no public URL.")
