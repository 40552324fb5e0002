"""The committee journey in real Chromium, with a real Celery worker on Redis rendering the
pack: staff schedule a meeting whose agenda pulls in the open action items (and the
off-track indicators and projects behind plan), reorder it, generate the meeting pack, watch
its progress and download it; a committee member downloads it too; Chiang Mai's province
officer can reach neither the meeting nor the pack, only their province's action items."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pdf_worker(tmp_path: Path, settings: Any) -> Iterator[None]:
    """A real worker on the pdf queue, reading the test database and the test's files."""
    from osm.celery import app as celery_app

    assert settings.REDIS_URL, "this test needs REDIS_URL (make test sets it)"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    from tests.conftest import database_url_for_subprocesses

    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocesses(),
        "REDIS_URL": settings.REDIS_URL,
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    process = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "osm", "worker", "-Q", "pdf",
            "--concurrency=1", "--pool=solo", "--without-mingle", "--without-gossip",
            "--loglevel=WARNING",
            "-n", f"committee-{os.getpid()}@%h", "--logfile", str(tmp_path / "worker.log"),
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = True
        process.terminate()
        process.wait(timeout=30)


def login_as(browser: Any, live_server: Any, username: str) -> Any:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="th-TH", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo1234")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    return page


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_staff_build_the_agenda_generate_the_pack_and_the_committee_downloads_it(
    demo: Any, pdf_worker: None, browser: Any, live_server: Any, artifacts: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    from committee.models import ActionItem, AgendaItem, Meeting

    day = timezone.localdate() + dt.timedelta(days=30)
    open_items = ActionItem.objects.filter(
        cluster=demo.cluster, status__in=ActionItem.OPEN_STATUSES
    ).select_related("resolution__item")
    followed = {a.resolution.item.title for a in open_items}
    assert followed

    # Staff schedule a meeting from the committee page: its agenda pulls in the open action items.
    staff = login_as(browser, live_server, "osm_staff")
    staff.locator("nav.osm-nav").get_by_role("link", name="คณะกรรมการ", exact=True).click()
    staff.get_by_test_id("new-meeting").click()
    staff.fill("#id_date", day.isoformat())
    staff.fill("#id_start_time", "09:30")
    staff.fill("#id_venue", "ห้องประชุมศาลากลางจังหวัดเชียงใหม่")
    staff.locator("main form button[type=submit]").click()
    staff.wait_for_load_state()
    meeting = Meeting.objects.get(committee__cluster=demo.cluster, date=day)
    section3 = staff.locator("#agenda-section-3")
    for title in followed:
        assert title in section3.inner_text()

    # One action pulls in the off-track indicators and the projects behind plan.
    staff.get_by_test_id("pull").click()
    staff.wait_for_load_state()
    assert meeting.items.filter(section=AgendaItem.Section.FOR_INFORMATION).exists()
    section4 = staff.locator("#agenda-section-4").inner_text()
    assert "ตัวชี้วัดที่ไม่บรรลุเป้าหมาย" in section4 or "โครงการที่เบิกจ่ายต่ำกว่าแผน" in section4

    # Reorder matters arising with htmx: the second item moves up without a page load.
    items = list(meeting.items.filter(section=3).order_by("order"))
    if len(items) > 1:
        second = staff.locator(f"#item-{items[1].pk}")
        second.get_by_test_id("move-up").click()
        expect(staff.locator("#agenda-section-3 article").first).to_have_id(f"item-{items[1].pk}")

    # Generate the pack: the panel shows its progress (htmx polling) until it is ready.
    panel = staff.locator('[data-kind="committee.meeting_pack"]')
    assert panel.get_attribute("data-status") == "none"
    panel.get_by_test_id("document-generate").click()
    staff.wait_for_selector(
        '[data-kind="committee.meeting_pack"][data-status="queued"], '
        '[data-kind="committee.meeting_pack"][data-status="rendering"], '
        '[data-kind="committee.meeting_pack"][data-status="ready"]'
    )
    seen = staff.locator('[data-kind="committee.meeting_pack"]').get_attribute("data-status")
    staff.wait_for_selector(
        '[data-kind="committee.meeting_pack"][data-status="ready"]', timeout=180_000
    )
    staff.screenshot(path=str(artifacts / "committee-pack-ready.png"), full_page=True)
    with staff.expect_download() as download:
        staff.locator('[data-kind="committee.meeting_pack"]').get_by_test_id(
            "document-download"
        ).click()
    path = tmp_path / "pack.pdf"
    download.value.save_as(path)
    text = _pdf_text(path)
    for item in meeting.items.all():
        assert item.title.split()[0] in text
    assert seen in ("queued", "rendering", "ready")

    # A committee member downloads the same pack.
    member = login_as(browser, live_server, "committee")
    member.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    with member.expect_download() as download:
        member.locator('[data-kind="committee.meeting_pack"]').get_by_test_id(
            "document-download"
        ).click()
    member_path = tmp_path / "member.pdf"
    download.value.save_as(member_path)
    assert member_path.read_bytes() == path.read_bytes()
    assert (
        member.locator('[data-kind="committee.meeting_pack"]')
        .get_by_test_id("document-generate")
        .count()
        == 0
    )

    # The province officer reaches neither the meeting nor the pack; their action items, yes.
    from osm.models import Document

    document = Document.objects.get(kind="committee.meeting_pack", object_id=meeting.pk)
    officer = login_as(browser, live_server, "province_officer")
    response = officer.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    assert response.status == 404
    response = officer.goto(f"{live_server.url}/documents/{document.pk}/download/")
    assert response.status == 404
    officer.goto(f"{live_server.url}/")
    mine = officer.get_by_test_id("my-action-item")
    assert mine.count() >= 1
    mine.first.click()
    officer.wait_for_load_state()
    assert officer.get_by_test_id("notes").is_visible()
