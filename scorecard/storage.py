"""Private file storage for evidence: outside MEDIA_ROOT, served only by scoped views.

The storage itself lives in the core (osm.lib.storage), shared with generated documents.
This subclass only keeps the name the existing migrations use for evidence fields.
"""

from __future__ import annotations

from django.utils.deconstruct import deconstructible

from osm.lib.storage import PrivateStorage as CorePrivateStorage


# Migrations name it by its old home, where it is still importable.
@deconstructible(path="scorecard.models.PrivateStorage")
class PrivateStorage(CorePrivateStorage):
    """Evidence storage (see osm.lib.storage.PrivateStorage)."""
