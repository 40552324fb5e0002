"""The strategy map on paper: box text never prints below 8 pt, at 10, 20 and 40 objectives.

Chromium prints each map page to PDF (A4 landscape, the page's print stylesheet). The box text
size is measured in the print layout itself (the drawn size of each printed SVG against its
viewBox), and the PDF is read back: a map that prints whole is one page; a 40-objective map
prints one page per development issue with its links to other pages on the same page.
"""

from __future__ import annotations

import random
import subprocess
from typing import Any

import pytest

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAMES = (
    "เพิ่มมูลค่าการท่องเที่ยวเชิงสร้างสรรค์และวัฒนธรรมล้านนาอย่างยั่งยืนตลอดทั้งปี",
    "เกษตรกรใช้เทคโนโลยีและนวัตกรรมลดต้นทุนการผลิต",
    "ชุมชนมีส่วนร่วมเฝ้าระวังและป้องกันไฟป่า",
    "ข้อมูลสิ่งแวดล้อมและระบบเตือนภัยเชื่อมโยงกันทั้งกลุ่มจังหวัด",
)
# The size of the printed box text, in pt: each printed map's drawn scale × its 12-unit text
# (CSS px → pt is × 0.75). Maps hidden in print (display: none) have no box and are skipped.
MEASURE = """() => [...document.querySelectorAll('svg.strategy-map')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  if (!box.width) return [];
  const [, , w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
  return [Math.min(box.width / w, box.height / h) * 12 * 0.75];
})"""


def _plan(cluster: Any, start_year: int, count: int) -> Any:
    """The plan of bench/strategy_map.py: `count` objectives over four issues and four
    perspectives, 1.5 links per objective from a lower perspective to a higher one."""
    from strategy import services

    plan = services.plan_create(
        cluster=cluster,
        title_th=f"แผน {count} เป้าประสงค์",
        start_year=start_year,
        end_year=start_year + 4,
    )
    perspectives = services.perspectives_ensure(cluster=cluster)
    issues = [
        services.issue_create(plan=plan, code=str(i), name_th=f"ประเด็นการพัฒนาที่ {i}")
        for i in range(1, 5)
    ]
    objectives = [
        services.objective_create(
            issue=issues[n % 4],
            perspective=perspectives[n % 4],
            code=f"{n % 4 + 1}.{n // 4 + 1}",
            name_th=NAMES[n % 4],
        )
        for n in range(count)
    ]
    rnd, made = random.Random(2570), set()
    while len(made) < count * 3 // 2:
        a, b = rnd.sample(objectives, 2)
        if a.perspective.order > b.perspective.order and (a.pk, b.pk) not in made:
            services.link_create(cause=a, effect=b)
            made.add((a.pk, b.pk))
    return plan


def _pdf_pages(path: Any) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_map_box_text_prints_at_8_pt_or_more(
    browser: Any, live_server: Any, artifacts: Any, world: Any
) -> None:
    from tests.factories import UserFactory, assign

    assign(UserFactory(username="map.staff"), "osm_staff", cluster=world.cluster)
    plans = {n: _plan(world.cluster, 2600 + 5 * i, n) for i, n in enumerate((10, 20, 40))}
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "map.staff")
    page.fill("#id_password", "pw-for-tests-1")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()

    measured: dict[int, list[float]] = {}
    for count, plan in plans.items():
        page.goto(f"{live_server.url}/strategy/plans/{plan.pk}/map/")
        page.wait_for_selector("#strategy-map svg")
        page.emulate_media(media="print")
        sizes = page.evaluate(MEASURE)
        measured[count] = sizes
        path = artifacts / f"strategy_map_print_{count}.pdf"
        page.pdf(path=str(path), landscape=True, format="A4", print_background=True)
        page.emulate_media(media="screen")
        pages = _pdf_pages(path)
        assert sizes and min(sizes) >= 8.0, (count, sizes)
        if count < 40:
            assert len(sizes) == 1 and len(pages) == 1, (count, sizes, len(pages))
        else:
            # One page per issue, each with its links to the other pages on the same page.
            assert len(sizes) == 4 and len(pages) == 4, (sizes, len(pages))
            for n, text in enumerate(pages, start=1):
                assert f"ประเด็นการพัฒนาที่ {n}" in text
                assert "เป้าประสงค์ในหน้าอื่น" in text
                assert "ส่งผลต่อ" in text or "ได้รับผลจาก" in text
    print({n: [round(s, 1) for s in v] for n, v in measured.items()})  # noqa: T201
    assert min(measured[10]) == pytest.approx(12.0, abs=0.05)  # fits at its natural size
    context.close()
