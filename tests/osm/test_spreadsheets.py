from __future__ import annotations

import io
import tracemalloc
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from osm.lib import spreadsheets as ss
from osm.models import Agency, Province
from tests.spreadsheet_files import upload


class AgencySheet(ss.SheetSpec):
    """A small real spec: agencies with their province, as an app would declare it."""

    title = "Agencies"
    columns = [
        ss.Column.for_field(Agency, "name_th", key="name", label="Agency name", required=True),
        ss.Column("province", "Province code", required=True),
        ss.Column(
            "kind",
            "Kind",
            kind=ss.Kind.CHOICE,
            choices={"provincial": "provincial", "สำนักงานจังหวัด": "provincial", "line": "line"},
        ),
        ss.Column("staff", "Staff", kind=ss.Kind.INTEGER, min_value=0, max_value=10_000),
        ss.Column("budget", "Budget", kind=ss.Kind.DECIMAL, min_value=0, compare=False),
    ]
    key_columns = ("name",)
    deletes_missing = True

    def existing(self, context: Any) -> dict[tuple[Any, ...], dict[str, Any]]:
        agencies = Agency.objects.filter(province__in=context["provinces"].values())
        return {
            (a.name_th,): {"province": a.province.code, "kind": a.kind}
            for a in agencies.select_related("province")
        }

    def check_row(self, row: ss.Row, context: Any) -> list[str]:
        if row["province"] not in context["provinces"]:
            return [f"unknown province {row['province']}"]
        return []

    def check_all(self, rows: list[ss.Row], context: Any) -> list[ss.RowError]:
        seen: dict[str, int] = {}
        errors = []
        for row in rows:
            if row["name"] in seen:
                errors.append(
                    ss.RowError(row.line, "Agency name", f"duplicate of row {seen[row['name']]}")
                )
            seen.setdefault(row["name"], row.line)
        return errors

    def save(
        self, rows: list[ss.Row], context: Any, *, diff: ss.Diff, delete: bool
    ) -> list[Agency]:
        saved = []
        for row in rows:
            if row["name"] == "explode":
                raise ValidationError("the database refused it")
            fields = {"province": context["provinces"][row["province"]]}
            if row.has("kind"):  # a column the file lacks is left as it is
                fields["kind"] = row["kind"] or Agency.Kind.PROVINCIAL_OFFICE
            agency, _created = Agency.objects.update_or_create(name_th=row["name"], defaults=fields)
            saved.append(agency)
        if delete:
            names = [c.key for c in diff.deletes]
            Agency.objects.filter(name_th__in=names).delete()
        return saved


HEADER = ["Agency name", "Province code", "Kind", "Staff", "Budget"]


@pytest.fixture
def context(db: Any) -> dict[str, Any]:
    return {"provinces": {p.code: p for p in Province.objects.all()}}


@pytest.mark.parametrize("extension", [".xlsx", ".xls", ".ods", ".csv"])
def test_good_file_imports_exactly_in_every_format(extension: str, context: Any) -> None:
    rows = [
        HEADER,
        ["สำนักงานจังหวัดเชียงใหม่", "TH-50", "สำนักงานจังหวัด", 120, 1500000.5],
        ["แขวงทางหลวงลำพูน", "TH-51", "line", None, None],
    ]
    result = ss.import_file(AgencySheet(), upload(rows, extension), context=context)
    assert result.ok, result.errors
    assert result.rows_read == 2
    assert sorted(Agency.objects.values_list("name_th", "province__code", "kind")) == [
        ("สำนักงานจังหวัดเชียงใหม่", "TH-50", "provincial"),
        ("แขวงทางหลวงลำพูน", "TH-51", "line"),
    ]


def test_every_bad_row_is_reported_and_nothing_is_saved(context: Any) -> None:
    rows = [
        HEADER,
        ["ok one", "TH-50", "line", 1, 1],
        [None, "TH-50", None, None, None],  # 3: missing name
        ["bad number", "TH-50", None, "many", None],  # 4: wrong type
        ["bad kind", "TH-50", "ministry", None, None],  # 5: unknown choice
        ["bad province", "TH-99", None, None, None],  # 6: row rule
        ["ok one", "TH-51", None, None, None],  # 7: duplicate
        ["negative", "TH-50", None, -3, None],  # 8: out of range
        ["fraction", "TH-50", None, 1.5, None],  # 9: not whole
    ]
    result = ss.import_file(AgencySheet(), upload(rows), context=context)
    assert not result.ok
    assert result.bad_lines == [3, 4, 5, 6, 8, 9]  # duplicates are checked once rows are clean
    assert Agency.objects.count() == 0


def test_duplicates_are_reported_when_rows_are_otherwise_clean(context: Any) -> None:
    rows = [HEADER, ["same", "TH-50"], ["other", "TH-50"], ["same", "TH-51"]]
    result = ss.import_file(AgencySheet(), upload(rows), context=context)
    assert not result.ok
    assert [(e.line, e.message) for e in result.errors] == [(4, "duplicate of row 2")]
    assert Agency.objects.count() == 0


def test_error_while_saving_rolls_back_every_row(context: Any) -> None:
    rows = [HEADER, ["first", "TH-50"], ["explode", "TH-50"]]
    result = ss.import_file(AgencySheet(), upload(rows), context=context)
    assert not result.ok
    assert "the database refused it" in result.file_error
    assert Agency.objects.count() == 0


def test_thai_digits_and_thousands_separators_are_understood(context: Any) -> None:
    rows = [HEADER, ["a", "TH-50", None, "๑,๒๐๐", "๑,๒๓๔,๕๖๗.๕๐"]]
    sheet = AgencySheet()
    parsed, errors = ss.read_rows(sheet, upload(rows, ".csv").open("rb"), "x.csv")
    assert not errors
    assert parsed[0]["staff"] == 1200
    assert parsed[0]["budget"] == Decimal("1234567.50")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234.50", "1234.50"),
        ("(1,000)", "-1000"),
        ("12%", "12"),
        (0.1, "0.1"),
        (7, "7"),
        ("1.5e3", "1.5E+3"),
        (" ๓๓ ", "33"),
    ],
)
def test_parse_decimal_accepts_what_people_type(raw: Any, expected: str) -> None:
    assert ss.parse_decimal(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["", "abc", "1..2", "nan", "inf", True])
def test_parse_decimal_refuses_non_numbers(raw: Any) -> None:
    with pytest.raises(ValueError):
        ss.parse_decimal(raw)


def test_dates_in_buddhist_era_are_read() -> None:
    column = ss.Column("d", "Date", kind=ss.Kind.DATE)
    assert str(ss.parse_cell(column, "25/11/2569")) == "2026-11-25"
    assert str(ss.parse_cell(column, "๒๕/๑๑/๒๕๖๙")) == "2026-11-25"
    assert str(ss.parse_cell(column, "2026-11-25")) == "2026-11-25"


def test_missing_header_column_rejects_the_file(context: Any) -> None:
    result = ss.import_file(AgencySheet(), upload([["Agency name"], ["x"]]), context=context)
    assert not result.ok
    assert "Province code" in result.file_error
    assert not result.errors  # about the file, never a "row 0"


def test_a_file_that_is_not_a_spreadsheet_is_refused(context: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = ss.import_file(
        AgencySheet(), SimpleUploadedFile("notes.pdf", b"%PDF-1.4"), context=context
    )
    assert not result.ok
    damaged = ss.import_file(
        AgencySheet(), SimpleUploadedFile("x.xlsx", b"not a zip"), context=context
    )
    assert not damaged.ok


def test_headers_are_matched_in_either_language(context: Any) -> None:
    class Translated(AgencySheet):
        columns = [
            ss.Column("name", translation.gettext_lazy("Thai name"), required=True),
            ss.Column("province", "Province code", required=True),
        ]

    rows = [["ชื่อภาษาไทย", "Province code"], ["x", "TH-50"]]
    with translation.override("en"):
        parsed, errors = ss.read_rows(Translated(), upload(rows, ".csv").open("rb"), "a.csv")
    assert not errors
    assert parsed[0]["name"] == "x"


def test_template_round_trips_through_the_importer(context: Any) -> None:
    data = [
        {
            "name": "สำนักงานจังหวัดลำปาง",
            "province": "TH-52",
            "kind": "line",
            "staff": 3,
            "budget": Decimal("10.25"),
        }
    ]
    content = ss.export_workbook(AgencySheet(), data)
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = ss.import_file(AgencySheet(), SimpleUploadedFile("t.xlsx", content), context=context)
    assert result.ok, result.errors
    assert Agency.objects.get().province.code == "TH-52"


def test_reading_thousands_of_rows_streams_in_little_memory(context: Any) -> None:
    rows = [HEADER] + [[f"agency {i}", "TH-50", "line", i % 100, i * 1.5] for i in range(4_000)]
    file = upload(rows)
    tracemalloc.start()
    count = sum(1 for _ in ss.iter_lines(file.open("rb"), "big.xlsx"))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 4_001
    # Rows are handed over one at a time: Python never holds the whole sheet.
    assert peak < 10 * 1024 * 1024, peak


def test_text_limit_comes_from_the_model_field_for_import_and_export(context: Any) -> None:
    limit = Agency._meta.get_field("name_th").max_length
    assert AgencySheet.columns[0].max_length == limit == 200
    too_long = ["ก" * (limit + 1), "TH-50"]
    result = ss.import_file(AgencySheet(), upload([HEADER, too_long]), context=context)
    assert [(e.line, e.column) for e in result.errors] == [(2, "Agency name")]
    assert "200" in result.errors[0].message
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(ss.export_workbook(AgencySheet())))
    rules = {(v.type, v.formula1) for v in book.active.data_validations.dataValidation}
    assert ("textLength", "200") in rules


FORMULA_LIKE = ['=HYPERLINK("http://x")', "+66 53 111 222", "-5 %", "@SUM(A1)", "\tx", "=1+1"]


def test_export_writes_formula_like_text_as_text_and_reads_it_back(context: Any) -> None:
    class Notes(ss.SheetSpec):
        columns = [ss.Column("code", "Code", code=True), ss.Column("note", "Note")]

    content = ss.export_workbook(
        Notes(), [{"code": f"3.1{i}", "note": text} for i, text in enumerate(FORMULA_LIKE)]
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    cells = [row[1] for row in sheet.iter_rows(min_row=2)]
    assert [c.data_type for c in cells] == ["s"] * len(FORMULA_LIKE)  # never "f"
    assert all(c.quotePrefix for c in cells if c.value[0] in "=+-@\t")
    assert sheet["A2"].number_format == "@"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    rows, errors = ss.read_rows(Notes(), io.BytesIO(content), "notes.xlsx")
    assert not errors
    assert [r["note"] for r in rows] == [t.strip() for t in FORMULA_LIKE]
    assert [r["code"] for r in rows] == [f"3.1{i}" for i in range(len(FORMULA_LIKE))]
