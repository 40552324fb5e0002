"""The committee's generated documents (osm.documents): the meeting pack and the minutes.

The pack's page numbers ("หน้า n / N") and its table of contents cover the appended papers
too. WeasyPrint renders, for each page of each paper's PDF, a placeholder page that carries
the paper's label and the page furniture; the paper's page is then drawn onto its
placeholder with pypdf, scaled to fit inside the margins. So `counter(pages)` and
`target-counter()` count every page in one pass, in the pack's own font and digits, and the
paper keeps its own text layer.

Office papers are appended through their PDF copy, made once by the upload's task; those
still without one are converted here first (this runs in the worker). A paper that cannot
be converted is listed with the reason instead, never left out.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.models import Meeting, Minutes
from committee.pack import PaperSlot, meeting_pack_data
from osm import registry
from osm.lib.pdf import render_pdf_pages

PACK = "committee.meeting_pack"
MINUTES = "committee.minutes"
MM = 72 / 25.4
# The box a paper's page is drawn in on its placeholder page (osm pdf template: page
# "paper"): margins, and the label line at the top.
PAPER_MARGIN_SIDE = 10 * MM
PAPER_MARGIN_TOP = 12 * MM + 9 * MM
PAPER_MARGIN_BOTTOM = 16 * MM


def _cluster_of(meeting: Meeting) -> int:
    return meeting.committee.cluster_id


def furniture(meeting: Meeting) -> dict[str, str]:
    """Page furniture of the committee's PDFs (committee/pdf/_furniture.html): the page
    numbers in the cluster's digits and the meeting in the footer."""
    from osm.lib import display

    footer = f"{meeting.committee.short_name} {meeting.label}".replace('"', "").replace("\\", "")
    return {
        "counter_style": "thai" if display.thai_digits_enabled.get() else "decimal",
        "page_word": _("Page"),
        "footer_text": display.digits(footer),
    }


def _draw_papers(content: bytes, papers: list[PaperSlot]) -> bytes:
    """Draw each paper's pages onto their placeholders, the last pages of the pack."""
    from pypdf import PdfReader, PdfWriter, Transformation

    total = sum(len(slot.landscape) for slot in papers)
    if not total:
        return content
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    index = len(writer.pages) - total
    for slot in papers:
        with slot.source.open("rb") as handle:
            # A writer's pages can be changed: a rotated page is turned in its content.
            paper = PdfWriter(clone_from=PdfReader(io.BytesIO(handle.read())))
        for source in paper.pages:
            target = writer.pages[index]
            index += 1
            if source.rotation % 360:
                source.transfer_rotation_to_content()
            box = source.cropbox
            width, height = float(box.width), float(box.height)
            page_w, page_h = float(target.mediabox.width), float(target.mediabox.height)
            room_w = page_w - 2 * PAPER_MARGIN_SIDE
            room_h = page_h - PAPER_MARGIN_TOP - PAPER_MARGIN_BOTTOM
            scale = min(room_w / width, room_h / height, 1.0)
            x = PAPER_MARGIN_SIDE + (room_w - width * scale) / 2
            y = PAPER_MARGIN_BOTTOM + room_h - height * scale
            placement = (
                Transformation()
                .translate(-float(box.left), -float(box.bottom))
                .scale(scale, scale)
                .translate(x, y)
            )
            target.merge_transformed_page(source, placement)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build_meeting_pack(document: Any) -> registry.DocumentBuild:
    from committee.services.papers import meeting_papers_convert

    meeting = Meeting.objects.select_related("committee__cluster").get(pk=document.object_id)
    meeting_papers_convert(meeting=meeting)  # office papers whose task has not run yet
    data = meeting_pack_data(meeting) | furniture(meeting)
    rendered = render_pdf_pages("committee/pdf/meeting_pack.html", data)
    content = _draw_papers(rendered.content, data["papers"])
    return registry.DocumentBuild(content=content, pages=rendered.pages, data_as_of=data["as_of"])


def build_minutes(document: Any) -> registry.DocumentBuild:
    from django.utils import timezone

    from committee import selectors
    from committee.models import Attendance
    from osm.documents.services import DocumentError

    meeting = Meeting.objects.select_related("committee__cluster").get(pk=document.object_id)
    record = Minutes.objects.filter(meeting=meeting).select_related("approved_at_meeting").first()
    if record is None:
        raise DocumentError(_("The minutes are drafted when the meeting is marked as held."))
    rows = list(record.attendance.select_related("member"))
    context = {
        "meeting": meeting,
        "committee": meeting.committee,
        "cluster": meeting.committee.cluster,
        "minutes": record,
        "sections": selectors.agenda(meeting),
        "present": [r for r in rows if r.status != Attendance.Status.ABSENT],
        "absent": [r for r in rows if r.status == Attendance.Status.ABSENT],
        "others": [line.strip() for line in record.other_attendees.splitlines() if line.strip()],
        **furniture(meeting),
    }
    as_of = timezone.now()
    rendered = render_pdf_pages("committee/pdf/minutes.html", context)
    return registry.DocumentBuild(content=rendered.content, pages=rendered.pages, data_as_of=as_of)


def _filename(prefix: str) -> Any:
    def name(document: Any) -> str:
        meeting = document.subject
        return f"{prefix} {meeting.committee.short_name} {meeting.number}-{meeting.year}"

    return name


def _minutes_readable(scope: Any, meeting: Meeting) -> bool:
    return bool(scope.can_read_cluster(meeting.committee.cluster_id))


def _minutes_requestable(scope: Any, meeting: Meeting) -> bool:
    return meeting.status != Meeting.Status.PLANNED and scope.can_edit_cluster(
        meeting.committee.cluster_id
    )


def register() -> None:
    registry.add_document_kind(
        registry.DocumentKind(
            code=PACK,
            label=gettext_lazy("Meeting pack"),
            subject_model="committee.meeting",
            build=build_meeting_pack,
            cluster_of=_cluster_of,
            filename=_filename("ระเบียบวาระการประชุม"),
        )
    )
    registry.add_document_kind(
        registry.DocumentKind(
            code=MINUTES,
            label=gettext_lazy("Minutes (PDF)"),
            subject_model="committee.meeting",
            build=build_minutes,
            cluster_of=_cluster_of,
            can_read=_minutes_readable,
            can_request=_minutes_requestable,
            filename=_filename("รายงานการประชุม"),
        )
    )
