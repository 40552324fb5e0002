"""Files as officers' programs save them (tests/files/spreadsheets/, written by make_files.py):
each case is read into the same outline, or refused with a message about the file."""

from __future__ import annotations

import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from osm.lib import spreadsheets as ss

FILES = Path(__file__).resolve().parents[1] / "files" / "spreadsheets"


class OutlineSheet(ss.SheetSpec):
    """Groups of coded items, the shape of a plan: the group is written on its first row only
    or merged over its rows."""

    title = "Outline"
    columns = [
        ss.Column("group", "กลุ่ม", fill_down=True, aliases=("group",)),
        ss.Column("code", "รหัส", required=True, code=True, aliases=("code",)),
        ss.Column("name", "ชื่อ", required=True, max_length=200, aliases=("name",)),
        ss.Column("amount", "งบประมาณ", kind=ss.Kind.DECIMAL, aliases=("budget",)),
        ss.Column("note", "หมายเหตุ", aliases=("note",)),
    ]
    key_columns = ("code",)


OUTLINE = [
    ("เศรษฐกิจ", "1.1", "ส่งเสริมการท่องเที่ยวเชิงวัฒนธรรม", Decimal("1500000")),
    ("เศรษฐกิจ", "1.2", "พัฒนาสินค้าเกษตรปลอดภัย", Decimal("250000.5")),
    ("สังคม", "2.1", "ยกระดับคุณภาพการศึกษา", Decimal("90000")),
]


def read(name: str) -> ss.Sheet:
    with (FILES / name).open("rb") as handle:
        return ss.read_sheet(OutlineSheet(), handle, name)


def outline(sheet: ss.Sheet) -> list[tuple[Any, ...]]:
    assert not sheet.errors, sheet.errors
    return [(r["group"], r["code"], r["name"], r["amount"]) for r in sheet.rows]


def refused(name: str, **settings_: Any) -> str:
    upload = SimpleUploadedFile(name, (FILES / name).read_bytes())
    with translation.override("th"):
        preview, _rows = ss.check_file(OutlineSheet(), upload, context=None)
    assert preview.file_error, preview
    assert not preview.errors  # a problem of the file, never "row 0"
    return preview.file_error


def test_windows_thai_csv_from_excel_is_read() -> None:
    assert outline(read("thai_cp874.csv")) == OUTLINE


def test_utf16_tab_separated_csv_is_read() -> None:
    assert outline(read("utf16_tabs.csv")) == OUTLINE


def test_utf8_csv_with_byte_order_mark_and_semicolons_is_read() -> None:
    sheet = read("utf8_bom_semicolon.csv")
    assert outline(sheet) == OUTLINE
    assert sheet.unknown_columns == []  # the BOM is not part of the first header


def test_title_rows_above_the_header_are_skipped() -> None:
    sheet = read("title_rows.xlsx")
    assert sheet.header_line == 4
    assert outline(sheet) == OUTLINE
    assert [r.line for r in sheet.rows] == [5, 6, 7]


def test_merged_group_cells_in_xlsx_fill_their_rows() -> None:
    assert outline(read("merged_groups.xlsx")) == OUTLINE


def test_merged_group_cells_in_ods_fill_their_rows() -> None:
    sheet = read("merged_groups.ods")
    assert outline(sheet)[:3] == OUTLINE
    assert sheet.rows[3]["code"] == "3.10"  # the text the cell shows


def test_merged_group_cells_in_xls_fill_their_rows() -> None:
    sheet = read("merged_groups.xls")
    assert outline(sheet)[:3] == OUTLINE
    assert sheet.rows[3]["code"] == "3.10"


def test_group_written_on_its_first_row_only_fills_down() -> None:
    assert outline(read("group_first_row.csv")) == OUTLINE


def test_codes_keep_their_text() -> None:
    codes = [r["code"] for r in read("codes_as_text.xlsx").rows]
    assert codes == ["3.10", "3.10", "1.1.10", "12"]


def test_nul_and_control_characters_are_removed() -> None:
    sheet = read("control_characters.csv")
    row = sheet.rows[0]
    assert (row["group"], row["name"], row["note"]) == (
        "เศรษฐกิจ",
        "ส่งเสริมการท่องเที่ยว",
        "บรรทัดเดียว",
    )


def test_text_that_looks_like_a_formula_is_read_as_text() -> None:
    names = [r["name"] for r in read("formula_text.xlsx").rows]
    assert names == ["=1+1", "+66 53 123 456", "-ลดลง", "@osm"]


def test_header_variants_are_recognised() -> None:
    sheet = read("header_variants.csv")
    assert sheet.provided == {"group", "code", "name", "amount", "note"}
    assert sheet.unknown_columns == []
    assert outline(sheet) == OUTLINE[:1]


def test_an_unknown_column_is_reported() -> None:
    sheet = read("unknown_column.xlsx")
    assert sheet.unknown_columns == ["ผู้รับผิดชอบ (ภายใน)"]
    assert outline(sheet) == OUTLINE


def test_a_missing_optional_column_is_known_as_missing() -> None:
    sheet = read("missing_optional_column.xlsx")
    assert [c.key for c in sheet.missing_columns] == ["note"]
    assert not sheet.rows[0].has("note") and sheet.rows[0].has("name")


@pytest.mark.parametrize("name", ["sparse_million_rows.xlsx", "sparse_xfd.xlsx"])
def test_sparse_workbook_claiming_a_huge_sheet_is_refused_fast_in_little_memory(
    name: str,
) -> None:
    assert (FILES / name).stat().st_size < 6_000
    started = time.perf_counter()
    tracemalloc.start()
    try:
        message = refused(name)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert "50,000" in message and "256" in message
    assert elapsed < 1.0, elapsed
    assert peak < 50 * 1024 * 1024, peak


def test_ods_row_repeated_a_million_times_is_refused_before_expanding() -> None:
    started = time.perf_counter()
    message = refused("repeated_million_rows.ods")
    assert "1,000,001" in message
    assert time.perf_counter() - started < 1.0


def test_xls_reaching_the_last_row_is_refused() -> None:
    assert "65,536" in refused("sparse_last_cell.xls")


def test_zip_bomb_is_refused_from_its_declared_sizes() -> None:
    started = time.perf_counter()
    message = refused("zip_bomb.xlsx")
    assert "80.0" in message or "80,0" in message
    assert time.perf_counter() - started < 1.0


def test_oversized_file_is_refused_before_reading(settings: Any) -> None:
    settings.SPREADSHEET_MAX_BYTES = 32 * 1024
    message = refused("oversized.csv")
    assert "32.0" in message


def test_size_is_checked_on_the_upload_before_reading() -> None:
    class Unreadable(SimpleUploadedFile):
        def open(self, mode: str | None = None) -> Any:
            raise AssertionError("an oversized file must not be read")

    upload = Unreadable("big.xlsx", b"x")
    upload.size = 6 * 1024 * 1024  # the default limit is 5 MB
    preview, _rows = ss.check_file(OutlineSheet(), upload, context=None)
    assert "5.0" in preview.file_error


@pytest.mark.parametrize("name", ["report_pdf_renamed.xlsx", "word_renamed.xlsx"])
def test_a_non_spreadsheet_renamed_xlsx_gets_a_message_about_the_file(name: str) -> None:
    message = refused(name)
    assert name in message
    assert "Error" not in message and "Traceback" not in message and "BadZip" not in message


def test_unreadable_encoding_is_refused_with_advice() -> None:
    assert "CSV UTF-8" in refused("unreadable_encoding.csv")


def test_no_header_row_is_reported_about_the_file() -> None:
    assert "20" in refused("no_header.csv")


def test_empty_workbook_is_reported_as_empty() -> None:
    assert "empty.xlsx" in refused("empty.xlsx")


def test_file_messages_are_in_thai() -> None:
    message = refused("sparse_million_rows.xlsx")
    assert "แถว" in message, message
