"""The import preview: what a file will add, change and delete is shown first; nothing is
written before the confirmation; deletions need their own confirmation; a preview gone stale
is shown again instead of being applied."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from osm.lib import spreadsheets as ss
from osm.models import Agency, Province
from tests.osm.test_spreadsheet_files import FILES, OutlineSheet
from tests.osm.test_spreadsheets import HEADER, AgencySheet
from tests.spreadsheet_files import upload

OWNER = "7:test.agencies"


@pytest.fixture
def context(db: Any, settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    return {"provinces": {p.code: p for p in Province.objects.filter(code__in=["TH-50", "TH-51"])}}


@pytest.fixture
def saved(context: Any) -> None:
    chiang_mai, lamphun = context["provinces"]["TH-50"], context["provinces"]["TH-51"]
    Agency.objects.create(name_th="เดิมไม่เปลี่ยน", province=chiang_mai, kind="line")
    Agency.objects.create(name_th="ย้ายจังหวัด", province=chiang_mai, kind="line")
    Agency.objects.create(name_th="จะถูกลบ", province=lamphun, kind="line")


def state() -> list[tuple[str, str, str]]:
    return sorted(Agency.objects.values_list("name_th", "province__code", "kind"))


FILE_ROWS = [
    HEADER,
    ["เดิมไม่เปลี่ยน", "TH-50", "line"],
    ["ย้ายจังหวัด", "TH-51", "line"],
    ["ใหม่", "TH-50", "สำนักงานจังหวัด"],
]


def test_preview_lists_adds_changes_deletes_and_writes_nothing(context: Any, saved: Any) -> None:
    before = state()
    preview = ss.preview_upload(AgencySheet(), upload(FILE_ROWS), context=context, owner=OWNER)
    assert preview.ok
    diff = preview.diff
    assert [(c.key, c.line) for c in diff.adds] == [("ใหม่", 4)]
    assert [(c.key, [(f.column, f.old, f.new) for f in c.fields]) for c in diff.updates] == [
        ("ย้ายจังหวัด", [("Province code", "TH-50", "TH-51")])
    ]
    assert [c.key for c in diff.deletes] == ["จะถูกลบ"]
    assert diff.unchanged == 1
    assert preview.token and preview.fingerprint
    assert state() == before


def test_confirm_applies_changes_but_deletes_only_when_confirmed(context: Any, saved: Any) -> None:
    preview = ss.preview_upload(AgencySheet(), upload(FILE_ROWS), context=context, owner=OWNER)
    result = ss.confirm_upload(
        AgencySheet(),
        token=preview.token,
        fingerprint=preview.fingerprint,
        context=context,
        owner=OWNER,
    )
    assert result.ok and not result.deleted
    names = [name for name, _p, _k in state()]
    assert "ใหม่" in names and "จะถูกลบ" in names  # kept: the deletion was not confirmed
    assert ("ย้ายจังหวัด", "TH-51", "line") in state()


def test_deletion_happens_with_the_explicit_confirmation(context: Any, saved: Any) -> None:
    preview = ss.preview_upload(AgencySheet(), upload(FILE_ROWS), context=context, owner=OWNER)
    result = ss.confirm_upload(
        AgencySheet(),
        token=preview.token,
        fingerprint=preview.fingerprint,
        context=context,
        owner=OWNER,
        delete=True,
    )
    assert result.ok and result.deleted
    assert "จะถูกลบ" not in [name for name, _p, _k in state()]


def test_stale_preview_is_shown_again_instead_of_applied(context: Any, saved: Any) -> None:
    preview = ss.preview_upload(AgencySheet(), upload(FILE_ROWS), context=context, owner=OWNER)
    # Someone changes a row that the preview showed as unchanged.
    Agency.objects.filter(name_th="เดิมไม่เปลี่ยน").update(kind="provincial")
    before = state()
    result = ss.confirm_upload(
        AgencySheet(),
        token=preview.token,
        fingerprint=preview.fingerprint,
        context=context,
        owner=OWNER,
    )
    assert not result.ok
    assert result.preview is not None and result.preview.stale
    assert result.preview.fingerprint != preview.fingerprint
    assert "เดิมไม่เปลี่ยน" in [c.key for c in result.preview.diff.updates]
    assert state() == before
    again = ss.confirm_upload(
        AgencySheet(),
        token=result.preview.token,
        fingerprint=result.preview.fingerprint,
        context=context,
        owner=OWNER,
    )
    assert again.ok


def test_a_token_works_only_for_its_owner(context: Any, saved: Any) -> None:
    preview = ss.preview_upload(AgencySheet(), upload(FILE_ROWS), context=context, owner=OWNER)
    result = ss.confirm_upload(
        AgencySheet(),
        token=preview.token,
        fingerprint=preview.fingerprint,
        context=context,
        owner="8:test.agencies",
    )
    assert not result.ok and result.file_error
    tampered = ss.confirm_upload(
        AgencySheet(),
        token=preview.token[:-2] + "xx",
        fingerprint=preview.fingerprint,
        context=context,
        owner=OWNER,
    )
    assert not tampered.ok and tampered.file_error


def test_the_kept_file_is_removed_after_confirmation_and_old_ones_are_cleaned(
    context: Any, saved: Any, tmp_path: Path
) -> None:
    folder = tmp_path / "imports"
    preview = ss.preview_upload(AgencySheet(), upload(FILE_ROWS), context=context, owner=OWNER)
    assert len(list(folder.iterdir())) == 1
    ss.confirm_upload(
        AgencySheet(),
        token=preview.token,
        fingerprint=preview.fingerprint,
        context=context,
        owner=OWNER,
    )
    assert list(folder.iterdir()) == []
    abandoned = ss.preview_upload(AgencySheet(), upload(FILE_ROWS), context=context, owner=OWNER)
    assert abandoned.token
    (path,) = folder.iterdir()
    old = time.time() - 7200
    os.utime(path, (old, old))
    assert ss.stash_clean() == 1


def test_a_missing_optional_column_leaves_the_data_as_it_is(context: Any, saved: Any) -> None:
    rows = [["Agency name", "Province code"], ["เดิมไม่เปลี่ยน", "TH-50"]]
    preview = ss.preview_upload(AgencySheet(), upload(rows), context=context, owner=OWNER)
    assert preview.diff.unchanged == 1 and not preview.diff.updates
    assert [c.key for c in preview.missing_columns] == ["kind", "staff", "budget"]
    ss.confirm_upload(
        AgencySheet(),
        token=preview.token,
        fingerprint=preview.fingerprint,
        context=context,
        owner=OWNER,
    )
    assert Agency.objects.get(name_th="เดิมไม่เปลี่ยน").kind == "line"  # not cleared


def test_an_unknown_column_is_reported_in_the_preview(context: Any) -> None:
    upload_ = SimpleUploadedFile("u.xlsx", (FILES / "unknown_column.xlsx").read_bytes())
    preview = ss.preview_upload(OutlineSheet(), upload_, context=None, owner=OWNER)
    assert preview.unknown_columns == ["ผู้รับผิดชอบ (ภายใน)"]
    assert len(preview.diff.adds) == 3


def test_a_file_with_errors_has_no_token_and_every_bad_row(context: Any) -> None:
    rows = [HEADER, ["ok", "TH-50"], [None, "TH-50"], ["x", "TH-99"]]
    preview = ss.preview_upload(AgencySheet(), upload(rows), context=context, owner=OWNER)
    assert not preview.ok and not preview.token
    assert preview.bad_lines == [3, 4]
    assert Agency.objects.count() == 0


def test_an_unchanged_file_has_nothing_to_confirm(context: Any, saved: Any) -> None:
    rows = [
        HEADER,
        ["เดิมไม่เปลี่ยน", "TH-50", "line"],
        ["ย้ายจังหวัด", "TH-50", "line"],
        ["จะถูกลบ", "TH-51", "line"],
    ]
    preview = ss.preview_upload(AgencySheet(), upload(rows), context=context, owner=OWNER)
    assert preview.diff.is_empty and preview.diff.unchanged == 3
    assert not preview.token
