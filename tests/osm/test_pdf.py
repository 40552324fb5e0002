"""PDF rendering: Sarabun embedded, Thai drawn, and an exact Thai text layer."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.template import engines

from osm.lib import pdf

# Common words of Thai planning documents, chosen for what breaks text layers: ำ (sara am),
# tone marks over lower and upper vowels, stacked marks, ฤ, ๆ.
WORDS = [
    "น้ำ",
    "ทำ",
    "จำนวน",
    "ผลสัมฤทธิ์",
    "ยุทธศาสตร์",
    "ประสิทธิภาพ",
    "ประสิทธิผล",
    "คุณภาพ",
    "การให้บริการ",
    "การพัฒนาองค์กร",
    "เป้าประสงค์",
    "ตัวชี้วัด",
    "ค่าเป้าหมาย",
    "งบประมาณ",
    "ไตรมาส",
    "ปีงบประมาณ",
    "กลุ่มจังหวัด",
    "เชียงใหม่",
    "ลำพูน",
    "ลำปาง",
    "แม่ฮ่องสอน",
    "ภาคเหนือตอนบน",
    "ผู้ว่าราชการจังหวัด",
    "คณะกรรมการ",
    "มติที่ประชุม",
    "ระเบียบวาระ",
    "เรื่องสืบเนื่อง",
    "ข้อสั่งการ",
    "ติดตาม",
    "เร่งรัด",
    "เบิกจ่าย",
    "ก่อหนี้ผูกพัน",
    "โอนเปลี่ยนแปลง",
    "ท่องเที่ยว",
    "เกษตรปลอดภัย",
    "สิ่งแวดล้อม",
    "ฝุ่นควัน",
    "ไฟป่า",
    "สุขภาพ",
    "ผู้สูงอายุ",
    "เศรษฐกิจ",
    "สร้างสรรค์",
    "นวัตกรรม",
    "ดิจิทัล",
    "โลจิสติกส์",
    "ชายแดน",
    "ความมั่นคง",
    "ความเหลื่อมล้ำ",
    "รายได้",
    "ครัวเรือน",
    "ผลิตภัณฑ์",
    "มูลค่าเพิ่ม",
    "ศักยภาพ",
    "บูรณาการ",
    "ขับเคลื่อน",
    "ทบทวน",
    "อนุมัติ",
    "ส่งคืนแก้ไข",
    "ล่าช้า",
    "เตือนภัย",
    "ฤดูกาล",
    "ฤๅษี",
    "ต่างๆ",
    "ๆ",
    "กิโลเมตร",
    "ร้อยละ",
    "ลูกบาศก์เมตร",
]


def _render(words: list[str]) -> bytes:
    template = engines["django"].from_string(
        '{% extends "osm/pdf/base.html" %}{% block content %}<h1>ทดสอบ</h1>'
        "{% for w in words %}<p>{{ w }}</p>{% endfor %}{% endblock %}"
    )
    html = template.render({"words": words})
    import weasyprint

    pdf._install_actualtext()
    return weasyprint.HTML(string=html, base_url=str(pdf.STATIC_ROOT_DIR) + "/").write_pdf()


@pytest.fixture(scope="module")
def words_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "words.pdf"
    path.write_bytes(_render(WORDS))
    return path


def test_sarabun_is_embedded(words_pdf: Path) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(words_pdf)], capture_output=True, text=True, check=True
    ).stdout
    sarabun = [line for line in fonts.splitlines() if "Sarabun" in line]
    assert sarabun, fonts
    assert all(" yes " in line for line in sarabun), fonts  # embedded


def test_every_thai_word_comes_back_exactly_from_the_text_layer(words_pdf: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-layout", str(words_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = {line.strip() for line in text.splitlines()}
    wrong = [w for w in WORDS if w not in lines]
    assert not wrong, f"{len(WORDS) - len(wrong)}/{len(WORDS)} exact; wrong: {wrong}"


def test_without_the_extension_the_text_layer_is_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the test above: it must be able to fail (WeasyPrint alone gets some wrong)."""
    from weasyprint.draw import text as draw_text_module

    pdf._install_actualtext()
    original = draw_text_module.draw_first_line.__wrapped__
    monkeypatch.setattr(draw_text_module, "draw_first_line", original)
    path = tmp_path / "plain.pdf"
    path.write_bytes(_render(WORDS))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = {line.strip() for line in text.splitlines()}
    assert any(w not in lines for w in WORDS)


def test_render_pdf_renders_a_template_in_the_requested_language(tmp_path: Path) -> None:
    content = pdf.render_pdf("osm/pdf/base.html", {"footer": "OSM"}, language="th")
    assert content.startswith(b"%PDF")


def test_a_page_renders_to_an_image(words_pdf: Path, tmp_path: Path) -> None:
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            str(words_pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    assert list(tmp_path.glob("page*.png"))
