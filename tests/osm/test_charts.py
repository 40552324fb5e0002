from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from osm.lib import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_line_chart_is_valid_svg_with_title_description_and_gaps() -> None:
    svg = charts.line_chart(
        ["ไตรมาส 1/2569", "ไตรมาส 2/2569", "ไตรมาส 3/2569"],
        [
            charts.Series("ผลระดับกลุ่มจังหวัด", [Decimal(10), None, Decimal("30.5")]),
            charts.Series("ค่าเป้าหมาย", [40, 40, 40]),
        ],
        title="แนวโน้ม <ตัวชี้วัด>",
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "แนวโน้ม <ตัวชี้วัด>"  # escaped, then parsed back
    desc = root.find(f"{SVG}desc").text
    assert "30.5" in desc
    assert "—" in desc  # the gap is described, not drawn as zero
    # The series with a gap draws two separate points, no line through the gap.
    assert len(root.findall(f"{SVG}polyline")) == 1
    assert len(root.findall(f"{SVG}circle")) == 5


def test_bar_chart_labels_every_bar_and_marks_missing_values() -> None:
    svg = charts.bar_chart(
        ["กลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนบน 1", "เชียงใหม่"],
        [Decimal("75.5"), None],
        title="ร้อยละ",
        max_value=100,
        suffix="%",
    )
    root = parse(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "75.5%" in texts
    assert "—" in texts
    assert len(root.findall(f"{SVG}rect")) == 1
    # The long Thai label gets room: the bars start right of it.
    assert float(root.find(f"{SVG}rect").get("x")) > 250


def test_charts_escape_labels() -> None:
    svg = charts.bar_chart(["<script>alert(1)</script>"], [1], title="t")
    assert "<script>" not in svg
