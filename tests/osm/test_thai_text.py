from __future__ import annotations

import unicodedata

from osm.lib import thai_text


def test_lines_break_between_thai_words() -> None:
    text = "รายได้จากการท่องเที่ยวของกลุ่มจังหวัดเพิ่มขึ้นอย่างยั่งยืน"
    lines = thai_text.wrap(text, 24)
    assert "".join(lines) == text
    assert lines == ["รายได้จากการท่องเที่ยวของกลุ่ม", "จังหวัดเพิ่มขึ้นอย่างยั่งยืน"]
    assert all(thai_text.width(line) <= 24 for line in lines)


def test_breaks_fall_on_words_spaces_and_never_inside_a_cluster() -> None:
    text = "ผู้ประกอบการและบุคลากรด้านการท่องเที่ยว มีทักษะ"
    breaks = thai_text.word_breaks(text)
    assert text.index("และ") in breaks
    assert text.index("มี") in breaks
    for i in breaks:
        assert unicodedata.category(text[i]) != "Mn"
        assert text[i - 1] not in "เแโใไ"


def test_a_word_longer_than_the_line_is_split_between_graphemes() -> None:
    lines = thai_text.wrap("ประสิทธิภาพ" * 3, 8, max_lines=10)
    assert "".join(lines) == "ประสิทธิภาพ" * 3
    assert all(unicodedata.category(line[0]) != "Mn" for line in lines)


def test_text_that_does_not_fit_ends_with_an_ellipsis() -> None:
    lines = thai_text.wrap("การพัฒนา " * 40, 10, max_lines=2)
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert thai_text.width(lines[-1]) <= 10
