"""Test-only document kinds (registered by fixtures, never by the app).

`tests.sample` is about a cluster and builds a one-page PDF at once; its params steer it:
``fail="always"`` raises an ordinary error (retried, then failed), ``fail="kind"`` raises a
DocumentError, ``sleep=<seconds>`` makes the render slow (the fault test kills the worker
then), ``log=<path>`` appends "pk:generation" to a file for each render that finishes. The bytes depend only on the params, so the checksum of a document is stable.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from osm import registry
from osm.documents.services import DocumentError

SAMPLE = "tests.sample"
calls: list[int] = []


def sample_pdf(text: str = "") -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text or "sample"})
    # pypdf writes a random file identifier; fix it so the same text gives the same bytes.
    writer._ID = ArrayObject([ByteStringObject(b"osm-test"), ByteStringObject(b"osm-test")])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def build_sample(document: Any) -> bytes:
    calls.append(document.pk)
    params = document.params
    if params.get("sleep"):
        time.sleep(float(params["sleep"]))
    if params.get("fail") == "always":
        raise RuntimeError("boom: a maintainer's detail that must never reach a page")
    if params.get("fail") == "kind":
        raise DocumentError("ยังไม่มีแผนที่อนุมัติ")
    if params.get("log"):  # the fault test counts the renders that ran to the end
        with open(params["log"], "a", encoding="utf-8") as log:
            log.write(f"{document.pk}:{document.generation}\n")
    return sample_pdf(f"sample {params.get('n', '')}")


SAMPLE_KIND = registry.DocumentKind(
    code=SAMPLE,
    label="เอกสารทดสอบ",
    subject_model="osm.cluster",
    build=build_sample,
    filename=lambda document: f"เอกสาร/ทดสอบ {document.params.get('n', '')}",
    clean_params=lambda data, subject: {"n": int(data.get("n", 0))},
    max_attempts=3,
    listed=False,  # never offered on a cluster's page
)


@contextmanager
def sample_kind(**overrides: Any) -> Iterator[registry.DocumentKind]:
    from dataclasses import replace

    kind = replace(SAMPLE_KIND, **overrides)
    registry.document_kinds[SAMPLE] = kind
    calls.clear()
    try:
        yield kind
    finally:
        registry.document_kinds.pop(SAMPLE, None)
