"""A Celery worker that also knows the test-only document kinds (tests/osm/document_kinds.py).

    python tests/osm/document_worker.py worker -Q celery,pdf --pool=solo …

Used by the integration and fault tests of documents; the app itself never registers them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osm.settings")

import django  # noqa: E402

django.setup()

from osm import registry  # noqa: E402
from osm.celery import app  # noqa: E402
from tests.osm.document_kinds import SAMPLE_KIND  # noqa: E402

registry.document_kinds[SAMPLE_KIND.code] = SAMPLE_KIND

if __name__ == "__main__":
    app.worker_main(sys.argv[1:])
