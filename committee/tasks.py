"""Committee tasks. Tasks take primitive arguments and call one service (STYLE.md §29)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings


@shared_task(
    name="committee.convert_paper",  # routed to the `pdf` queue (CELERY_TASK_ROUTES)
    ignore_result=True,
    acks_late=True,
    # LibreOffice stops itself after OFFICE_CONVERT_SECONDS; these limits are the backstop.
    soft_time_limit=settings.OFFICE_CONVERT_SECONDS + 30,
    time_limit=settings.OFFICE_CONVERT_SECONDS + 60,
)  # type: ignore[untyped-decorator]
def convert_paper(paper_id: int) -> str:
    """Convert an uploaded office paper to PDF. Idempotent: a converted paper is left alone."""
    from committee.services.papers import paper_convert

    paper = paper_convert(paper_id=paper_id)
    return paper.conversion if paper is not None else "gone"
