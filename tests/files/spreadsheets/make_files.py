"""Writes the spreadsheet files that tests/osm/test_spreadsheet_files.py reads, as officers'
programs save them. The files are committed; run this only to change or add one:

    .venv/bin/python tests/files/spreadsheets/make_files.py

Most files hold a small outline: a group (written on its first row only, or merged), a code,
a name, an amount and a note, with headers in Thai:
    กลุ่ม | รหัส | ชื่อ | งบประมาณ (บาท) | หมายเหตุ
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
HEADER = ["กลุ่ม", "รหัส", "ชื่อ", "งบประมาณ (บาท)", "หมายเหตุ"]
ROWS: list[list[Any]] = [
    ["เศรษฐกิจ", "1.1", "ส่งเสริมการท่องเที่ยวเชิงวัฒนธรรม", 1500000, ""],
    ["เศรษฐกิจ", "1.2", "พัฒนาสินค้าเกษตรปลอดภัย", 250000.5, "ระยะที่ ๒"],
    ["สังคม", "2.1", "ยกระดับคุณภาพการศึกษา", 90000, ""],
]


def csv_text(rows: list[list[Any]], delimiter: str = ",") -> str:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def write_csvs() -> None:
    table = [HEADER, *ROWS]
    # What Thai Excel writes for "CSV (Comma delimited)": Windows-874.
    (HERE / "thai_cp874.csv").write_bytes(csv_text(table).encode("cp874"))
    # "Unicode Text": UTF-16 little-endian with its mark, tab-separated.
    (HERE / "utf16_tabs.csv").write_bytes(csv_text(table, "\t").encode("utf-16"))
    # "CSV UTF-8": with a byte-order mark; here with semicolons (European list separator).
    (HERE / "utf8_bom_semicolon.csv").write_bytes(
        b"\xef\xbb\xbf" + csv_text(table, ";").encode("utf-8")
    )
    # Group named on its first row only (as people type an outline).
    outline = [HEADER, ROWS[0], ["", *ROWS[1][1:]], ROWS[2]]
    (HERE / "group_first_row.csv").write_bytes(csv_text(outline).encode("utf-8"))
    # A NUL byte and other control characters pasted from another system.
    dirty = [HEADER, ["เศรษ\x00ฐกิจ", "1.1", "ส่งเสริม\x07การท่องเที่ยว\x1b", 10, "บรรทัด\x0bเดียว"]]
    (HERE / "control_characters.csv").write_bytes(csv_text(dirty).encode("utf-8"))
    # Header variants: case, non-breaking and doubled spaces, asterisks, footnote marks,
    # English names, brackets with units.
    variants = [
        [" GROUP ", "Code*", "ชื่อ\u00a0\u00a0(ภาษาไทย)", "Budget (THB)¹", "หมายเหตุ :"],
        ROWS[0],
    ]
    (HERE / "header_variants.csv").write_bytes(csv_text(variants).encode("utf-8"))
    # Bytes that are neither UTF-8 nor Windows Thai.
    (HERE / "unreadable_encoding.csv").write_bytes(b"\xdb\xfc\xfd\xfe,\xff\xde\r\n\xfc,1\r\n")
    # No row with the column names.
    (HERE / "no_header.csv").write_bytes(csv_text([["a", "b"], ["1", "2"]]).encode())
    # Larger than the limit the test sets (the test lowers SPREADSHEET_MAX_BYTES to 32 KB).
    big = [HEADER] + [["ก", f"9.{i}", "ชื่อ" * 20, i, ""] for i in range(300)]
    (HERE / "oversized.csv").write_bytes(csv_text(big).encode("utf-8"))


def _xlsx(sheet: Any) -> bytes:
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    return buffer.getvalue()


def write_xlsx() -> None:
    from openpyxl import Workbook

    # Title rows above the header, as printed reports have.
    book = Workbook()
    sheet = book.active
    sheet.append(["แผนพัฒนากลุ่มจังหวัดภาคตะวันออกเฉียงเหนือตอนบน 1 พ.ศ. 2566-2570"])
    sheet.append(["ข้อมูล ณ วันที่ 1 ตุลาคม 2569"])
    sheet.append([])
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    sheet.merge_cells("A1:E1")
    (HERE / "title_rows.xlsx").write_bytes(_xlsx(sheet))

    # The group merged down over its rows.
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    sheet["A3"] = None
    sheet.merge_cells("A2:A3")
    (HERE / "merged_groups.xlsx").write_bytes(_xlsx(sheet))

    # Codes: typed as numbers and shown with two decimals, typed as text, and 1.1.10.
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["เศรษฐกิจ", 3.1, "รหัสตัวเลขแสดงทศนิยมสองตำแหน่ง", 1, ""])
    sheet["B2"].number_format = "0.00"
    sheet.append(["เศรษฐกิจ", "3.10", "รหัสเป็นข้อความ", 2, ""])
    sheet.append(["เศรษฐกิจ", "1.1.10", "รหัสสามระดับ", 3, ""])
    sheet.append(["เศรษฐกิจ", 12, "รหัสจำนวนเต็ม", 4, ""])
    (HERE / "codes_as_text.xlsx").write_bytes(_xlsx(sheet))

    # Text that a spreadsheet would take for a formula, stored as text.
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for index, text in enumerate(["=1+1", "+66 53 123 456", "-ลดลง", "@osm"], start=1):
        sheet.append(["ทดสอบ", f"9.{index}", text, None, text])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    (HERE / "formula_text.xlsx").write_bytes(_xlsx(sheet))

    # An unknown column, and a file without the optional note column.
    book = Workbook()
    sheet = book.active
    sheet.append([*HEADER, "ผู้รับผิดชอบ (ภายใน)"])
    for row in ROWS:
        sheet.append([*row, "นายสมชาย"])
    (HERE / "unknown_column.xlsx").write_bytes(_xlsx(sheet))
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER[:4])
    for row in ROWS:
        sheet.append(row[:4])
    (HERE / "missing_optional_column.xlsx").write_bytes(_xlsx(sheet))

    # A few kilobytes whose used range reaches the last row, or the last column, of Excel.
    for name, cell in (("sparse_million_rows.xlsx", "A1048576"), ("sparse_xfd.xlsx", "XFD1")):
        book = Workbook()
        sheet = book.active
        sheet.append(HEADER)
        sheet.append(ROWS[0])
        sheet[cell] = "."
        (HERE / name).write_bytes(_xlsx(sheet))

    # An empty workbook.
    (HERE / "empty.xlsx").write_bytes(_xlsx(Workbook().active))


def write_zip_bomb() -> None:
    """A valid workbook whose sheet unpacks to 80 MB (whitespace): about 80 KB on disk."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(HEADER)
    source = zipfile.ZipFile(io.BytesIO(_xlsx(book.active)))
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _sep, tail = data.partition(b"<sheetData>")
                with archive.open(info.filename, "w", force_zip64=True) as member:
                    member.write(head + b"<sheetData>")
                    for _block in range(80):
                        member.write(b" " * (1024 * 1024))
                    member.write(tail)
            else:
                archive.writestr(info, data)
    (HERE / "zip_bomb.xlsx").write_bytes(target.getvalue())


def write_not_spreadsheets() -> None:
    # A PDF renamed .xlsx, and a Word document (also a zip) renamed .xlsx.
    (HERE / "report_pdf_renamed.xlsx").write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    (HERE / "word_renamed.xlsx").write_bytes(buffer.getvalue())


def write_ods() -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    def cell(value: Any, **attributes: Any) -> Any:
        if isinstance(value, int | float):
            element = TableCell(valuetype="float", value=value, **attributes)
        else:
            element = TableCell(valuetype="string", **attributes)
        element.addElement(P(text=str(value)))
        return element

    # The group merged down over its rows; a code shown as 3.10; LibreOffice's trailing
    # million empty rows and empty columns to the sheet's edge.
    document = OpenDocumentSpreadsheet()
    table = Table(name="แผน")
    row = TableRow()
    for text in HEADER:
        row.addElement(cell(text))
    table.addElement(row)
    for index, data in enumerate(ROWS):
        row = TableRow()
        if index == 0:
            row.addElement(cell(data[0], numberrowsspanned=2))
        elif index == 1:
            row.addElement(CoveredTableCell())
        else:
            row.addElement(cell(data[0]))
        for value in data[1:4]:
            row.addElement(cell(value))
        row.addElement(TableCell(numbercolumnsrepeated=16379))
        table.addElement(row)
    row = TableRow()
    row.addElement(cell("สังคม"))
    code = TableCell(valuetype="float", value=3.1)
    code.addElement(P(text="3.10"))
    row.addElement(code)
    row.addElement(cell("รหัสแสดงทศนิยมสองตำแหน่ง"))
    table.addElement(row)
    empty = TableRow(numberrowsrepeated=1048570)
    empty.addElement(TableCell(numbercolumnsrepeated=16384))
    table.addElement(empty)
    document.spreadsheet.addElement(table)
    document.save(str(HERE / "merged_groups.ods"))

    # A row with content repeated a million times: refused before it is expanded.
    document = OpenDocumentSpreadsheet()
    table = Table(name="Sheet1")
    row = TableRow()
    for text in HEADER:
        row.addElement(cell(text))
    table.addElement(row)
    row = TableRow(numberrowsrepeated=1000000)
    row.addElement(cell("เศรษฐกิจ"))
    table.addElement(row)
    document.spreadsheet.addElement(table)
    document.save(str(HERE / "repeated_million_rows.ods"))


def write_xls() -> None:
    import xlwt

    # Merged group and a code shown with two decimals, as Excel 97-2003 saves them.
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    for c, text in enumerate(HEADER):
        sheet.write(0, c, text)
    sheet.write_merge(1, 2, 0, 0, ROWS[0][0])
    for r, data in enumerate(ROWS, start=1):
        if r == 3:
            sheet.write(r, 0, data[0])
        sheet.write(r, 1, data[1])
        sheet.write(r, 2, data[2])
        sheet.write(r, 3, data[3])
    sheet.write(4, 0, "สังคม")
    sheet.write(4, 1, 3.1, xlwt.easyxf(num_format_str="0.00"))
    sheet.write(4, 2, "รหัสแสดงทศนิยมสองตำแหน่ง")
    book.save(str(HERE / "merged_groups.xls"))

    # A cell in the last row and column an .xls can have.
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    for c, text in enumerate(HEADER):
        sheet.write(0, c, text)
    sheet.write(65535, 255, ".")
    book.save(str(HERE / "sparse_last_cell.xls"))


if __name__ == "__main__":
    write_csvs()
    write_xlsx()
    write_zip_bomb()
    write_not_spreadsheets()
    write_ods()
    write_xls()
    for path in sorted(HERE.iterdir()):
        print(f"{path.stat().st_size:>9,}  {path.name}")
