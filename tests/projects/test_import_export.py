"""Importing a project list: every kind of bad row reported on its line, nothing saved on
error; a good file saves every row. Exporting a filtered list with the alignment chain."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from projects.models import Project

pytestmark = pytest.mark.django_db
HEADER = ["ปีงบประมาณ (พ.ศ.)", "รหัสโครงการ", "ชื่อโครงการ", "รหัสเป้าประสงค์", "รหัสตัวชี้วัด",
          "จังหวัด", "งบประมาณที่เสนอขอ (บาท)"]  # fmt: skip
HEADER_EN = ["Fiscal year (BE)", "Project code", "Project name", "Objective code",
             "Indicator codes", "Provinces", "Requested budget (baht)"]  # fmt: skip


def _xlsx(rows: list[list[Any]], header: list[str] = HEADER_EN) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("projects.xlsx", buffer.getvalue())


@pytest.fixture
def staff_client(client: Any, osm_staff: Any) -> Any:
    client.force_login(osm_staff)
    return client


def _upload(client: Any, world: Any, upload: SimpleUploadedFile) -> Any:
    """Upload, and confirm the preview when it offers to (the two steps of every import)."""
    import re

    url = reverse("projects:import", args=[world.cluster.pk])
    response = client.post(url, {"workbook": upload})
    text = response.content.decode()
    token = re.search(r'name="token" value="([^"]+)"', text)
    if response.status_code != 200 or token is None:
        return response
    assert 'id="import-adds"' in text and not Project.objects.exists()  # nothing saved yet
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', text)
    assert fingerprint is not None
    return client.post(url, {"token": token.group(1), "fingerprint": fingerprint.group(1)})


def test_a_good_file_saves_every_row(
    staff_client: Any, world: Any, objectives: list[Any], indicator: Any
) -> None:
    upload = _xlsx(
        [
            [2570, "A1", "โครงการยกระดับการท่องเที่ยว", "1.1", "K1", "TH-50, ลำพูน", "1,250,000.50"],
            [2570, "A2", "โครงการเกษตรปลอดภัย", "2.1", "", "เชียงใหม่", 800000],
        ]
    )
    response = _upload(staff_client, world, upload)
    assert response.status_code == 302
    a1 = Project.objects.get(code="A1")
    assert a1.requested == Decimal("1250000.50")
    assert {p.code for p in a1.provinces.all()} == {"TH-50", "TH-51"}
    assert list(a1.indicators.values_list("code", flat=True)) == ["K1"]
    assert Project.objects.get(code="A2").rank == 2


def test_thai_headers_are_read(staff_client: Any, world: Any, objectives: list[Any]) -> None:
    response = _upload(
        staff_client, world, _xlsx([[2570, "T1", "โครงการ", "1.1", "", "", 10]], HEADER)
    )
    assert response.status_code == 302
    assert Project.objects.filter(code="T1").exists()


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ([2570, "B1", "x", "9.9", "", "", 10], "Objective code", "unknown objective code 9.9"),
        (
            [2570, "B1", "x", "1.1", "K404", "", 10],
            "Indicator codes",
            "unknown indicator code K404",
        ),
        (
            [2570, "B1", "x", "1.1", "", "กรุงเทพมหานคร", 10],
            "Provinces",
            "is not a province of the cluster",
        ),
        ([2570, "B1", "x", "1.1", "", "", -5], "Requested budget (baht)", "must be at least 0"),
        ([2570, "B1", "x", "1.1", "", "", "หนึ่งล้าน"], "Requested budget (baht)", "is not a number"),
        (
            [2570, "B1", "x", "1.1", "", "", "10.005"],
            "Requested budget (baht)",
            "two decimal places",
        ),
        ([2026, "B1", "x", "1.1", "", "", 10], "Fiscal year (BE)", "Buddhist Era"),
        (["สองห้าเจ็ด", "B1", "x", "1.1", "", "", 10], "Fiscal year (BE)", "is not a number"),
        ([2570, "", "x", "1.1", "", "", 10], "Project code", "is required"),
    ],
)
def test_each_kind_of_bad_row_is_reported_and_nothing_is_saved(
    staff_client: Any,
    world: Any,
    objectives: list[Any],
    indicator: Any,
    row: list[Any],
    column: str,
    message: str,
) -> None:
    good = [2570, "G1", "โครงการที่ถูกต้อง", "1.1", "", "TH-50", 100]
    response = _upload(staff_client, world, _xlsx([good, row]))
    assert response.status_code == 400
    text = response.content.decode()
    assert '<th scope="row">3</th>' in text and column in text and message in text
    assert not Project.objects.exists()


def test_duplicate_codes_in_the_file_and_in_the_year_are_reported(
    staff_client: Any, world: Any, objectives: list[Any], make_project: Any
) -> None:
    make_project(code="OLD")
    rows = [
        [2570, "D1", "x", "1.1", "", "", 1],
        [2570, "D1", "y", "1.1", "", "", 1],
        [2570, "OLD", "z", "1.1", "", "", 1],
    ]
    response = _upload(staff_client, world, _xlsx(rows))
    text = response.content.decode()
    assert response.status_code == 400
    assert "already exists in 2570" in text
    assert Project.objects.count() == 1


def test_the_export_carries_the_filtered_list_with_its_chain(
    client: Any, committee: Any, world: Any, make_project: Any, objectives: list[Any]
) -> None:
    make_project(
        code="E1", objective=objectives[0], emenscr_id="CM-6701-001", requested=Decimal("1234.56")
    )
    make_project(code="E2", objective=objectives[2], source=Project.Source.OTHER)
    client.force_login(committee)
    response = client.get(reverse("projects:export", args=[world.cluster.pk]) + "?source=cluster")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h).removesuffix(" *") for h in rows[0]]
    data = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    assert [d["Project code"] for d in data] == ["E1"]
    assert data[0]["eMENSCR project ID"] == "CM-6701-001"
    assert data[0]["Objective code"] == "1.1" and data[0]["Issue code"] == "1"
    assert data[0]["Requested budget (baht)"] == 1234.56
