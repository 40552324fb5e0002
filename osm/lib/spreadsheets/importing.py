"""Importing a file: check every row, show a preview of what will change, and write it only
when the person confirms.

    preview = preview_upload(spec, request.FILES["file"], context=ctx, owner=owner)
    # render templates/osm/_import_preview.html with `preview`; its form posts back
    # preview.token and preview.fingerprint, and "delete" when deletions are confirmed
    result = confirm_upload(spec, token=..., fingerprint=..., context=ctx, owner=owner,
                            delete=...)

Between preview and confirmation the file waits in PRIVATE_MEDIA_ROOT/imports/ under a random
name; the token naming it is signed, bound to its owner (the person and the thing imported
into) and expires. On confirmation the file is read again and compared again: when the
comparison differs from the one previewed (the data changed meanwhile), nothing is written and
the new preview is shown. All or nothing: `spec.save` runs in one transaction, only when no row
has an error; a `ValidationError` it raises rolls everything back and is reported.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from osm.lib.spreadsheets.cells import Column
from osm.lib.spreadsheets.limits import FileError, check_size, max_bytes, not_a_spreadsheet
from osm.lib.spreadsheets.reading import Row, RowError, read_sheet
from osm.lib.spreadsheets.spec import Diff, RowsRefused, SheetSpec

_SALT = "osm.spreadsheets.import"
logger = logging.getLogger(__name__)


@dataclass
class ImportPreview:
    filename: str = ""
    file_error: str = ""
    errors: list[RowError] = field(default_factory=list)
    diff: Diff = field(default_factory=Diff)
    rows_read: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    missing_columns: list[Column] = field(default_factory=list)
    token: str = ""
    fingerprint: str = ""
    # The data changed between the preview and the confirmation: this is the new preview.
    stale: bool = False
    # Why some of the deletions listed would be refused (they block only a confirmed delete).
    delete_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.errors

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})


@dataclass
class ImportResult:
    ok: bool
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0
    saved: Any = None
    file_error: str = ""
    preview: ImportPreview | None = None
    deleted: bool = False

    @property
    def bad_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})


def _as_errors(found: Iterable[RowError | str], line: int) -> list[RowError]:
    return [e if isinstance(e, RowError) else RowError(line, None, str(e)) for e in found]


def _validation_messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{k}: {m}" if k != "__all__" else m
            for k, msgs in exc.message_dict.items()
            for m in msgs
        ]
    return list(exc.messages)


def check_file(spec: SheetSpec, uploaded: Any, *, context: Any) -> tuple[ImportPreview, list[Row]]:
    """Read and check every row of `uploaded` and compare it with the saved data; writes
    nothing. `uploaded` is a Django UploadedFile (or any binary file with `.name`)."""
    filename = getattr(uploaded, "name", "") or ""
    filename = Path(filename).name
    preview = ImportPreview(filename=filename)
    try:
        check_size(getattr(uploaded, "size", None), filename)
        handle = uploaded.open("rb") if hasattr(uploaded, "open") else uploaded
        sheet = read_sheet(spec, handle, filename)
    except FileError as exc:
        preview.file_error = str(exc)
        return preview, []
    except Exception:  # a reader's own error on a file nobody foresaw: still about the file
        logger.exception("Spreadsheet %r could not be read", filename)
        preview.file_error = not_a_spreadsheet(filename)
        return preview, []
    preview.rows_read = len(sheet.rows)
    preview.unknown_columns = sheet.unknown_columns
    preview.missing_columns = sheet.missing_columns
    errors = sheet.errors
    bad_lines = {e.line for e in errors}
    for row in sheet.rows:
        if row.line not in bad_lines:  # app rules need well-typed values
            errors.extend(_as_errors(spec.check_row(row, context), row.line))
    if not errors:
        errors.extend(spec.check_all(sheet.rows, context))
    if not sheet.rows and not errors:
        preview.file_error = _("“%(name)s” has a header row but no data rows.") % {"name": filename}
    errors.sort(key=lambda e: (e.line, e.column or ""))
    preview.errors = errors
    if preview.ok:
        preview.diff = spec.diff(sheet.rows, context)
        preview.fingerprint = preview.diff.fingerprint()
        if spec.check_by_saving and not preview.diff.is_empty:
            _dry_run(spec, sheet.rows, context, preview)
    return preview, sheet.rows


def _refused(preview: ImportPreview, errors: list[RowError]) -> None:
    """Refusals on a line of the file go with their row; others are about the file."""
    preview.errors = sorted(
        (e for e in errors if e.line > 0), key=lambda e: (e.line, e.column or "")
    )
    preview.file_error = " ".join(e.message for e in errors if e.line <= 0)


def _dry_run(spec: SheetSpec, rows: list[Row], context: Any, preview: ImportPreview) -> None:
    """Save everything the file asks, deletions included, then roll back: what the app's
    services would refuse, without writing. Refusals of rows block the import; refusals of
    deletions are shown beside them (the person may keep those items instead)."""
    try:
        with transaction.atomic():
            spec.save(rows, context, diff=preview.diff, delete=bool(preview.diff.deletes))
            transaction.set_rollback(True)
    except RowsRefused as exc:
        preview.errors = sorted(
            (e for e in exc.errors if e.line > 0), key=lambda e: (e.line, e.column or "")
        )
        preview.delete_problems = [e.message for e in exc.errors if e.line <= 0]
    except ValidationError as exc:
        preview.file_error = " ".join(_validation_messages(exc))


def _save(
    spec: SheetSpec, rows: list[Row], context: Any, preview: ImportPreview, *, delete: bool
) -> ImportResult:
    delete = delete and bool(preview.diff.deletes)
    try:
        with transaction.atomic():
            saved = spec.save(rows, context, diff=preview.diff, delete=delete)
    except RowsRefused as exc:
        _refused(preview, exc.errors)
        return ImportResult(
            ok=False,
            errors=preview.errors,
            file_error=preview.file_error,
            rows_read=len(rows),
            preview=preview,
        )
    except ValidationError as exc:
        # A rule only the database could check: reported like a row's error, about the file.
        return ImportResult(
            ok=False,
            file_error=" ".join(_validation_messages(exc)),
            rows_read=len(rows),
            preview=preview,
        )
    return ImportResult(ok=True, rows_read=len(rows), saved=saved, preview=preview, deleted=delete)


def import_file(
    spec: SheetSpec, uploaded: Any, *, context: Any = None, delete: bool = False
) -> ImportResult:
    """Check every row of `uploaded` and save all of them, or none, without a preview (for
    code and tests; people import through `preview_upload` and `confirm_upload`)."""
    preview, rows = check_file(spec, uploaded, context=context)
    if not preview.ok:
        return ImportResult(
            ok=False,
            errors=preview.errors,
            rows_read=preview.rows_read,
            file_error=preview.file_error,
            preview=preview,
        )
    return _save(spec, rows, context, preview, delete=delete)


# --- Keeping the file between the preview and the confirmation --------------------------------


def _stash_dir() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "imports"


def _ttl() -> int:
    return int(getattr(settings, "SPREADSHEET_PREVIEW_TTL", 3600))


def stash_clean(*, older_than: int | None = None) -> int:
    """Remove previewed files never confirmed; returns how many."""
    limit = time.time() - (_ttl() if older_than is None else older_than)
    removed = 0
    folder = _stash_dir()
    if not folder.is_dir():
        return 0
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # removed by another worker meanwhile
            continue
    return removed


def stash_put(uploaded: Any, *, owner: str) -> str:
    """Keep the uploaded file for its confirmation; returns the signed token naming it."""
    stash_clean()
    folder = _stash_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex
    handle = uploaded.open("rb") if hasattr(uploaded, "open") else uploaded
    handle.seek(0)
    (folder / name).write_bytes(handle.read(max_bytes() + 1))
    filename = Path(getattr(uploaded, "name", "") or "upload").name
    return signing.dumps({"file": name, "name": filename, "owner": owner}, salt=_SALT)


def stash_get(token: str, *, owner: str) -> tuple[Path, str]:
    """The kept file of a token signed for `owner`, or FileError when expired or not theirs."""
    expired = FileError(_("The preview has expired. Upload the file again."))
    try:
        data = signing.loads(token, salt=_SALT, max_age=_ttl())
    except signing.BadSignature:
        raise expired from None
    if not isinstance(data, dict) or data.get("owner") != owner:
        raise expired
    path = _stash_dir() / str(data.get("file", ""))
    if not str(data.get("file", "")).isalnum() or not path.is_file():
        raise expired
    return path, str(data.get("name", "upload"))


def stash_drop(token: str, *, owner: str) -> None:
    try:
        path, _name = stash_get(token, owner=owner)
    except FileError:
        return
    path.unlink(missing_ok=True)


# --- Preview and confirmation ------------------------------------------------------------------


def preview_upload(spec: SheetSpec, uploaded: Any, *, context: Any, owner: str) -> ImportPreview:
    """Check the file and compare it with the saved data; keep it for the confirmation when
    it can be imported. `owner` binds the confirmation to one person and one import target,
    e.g. ``f"{user.pk}:strategy.plan:{plan.pk}"``."""
    preview, _rows = check_file(spec, uploaded, context=context)
    if preview.ok and not preview.diff.is_empty:
        preview.token = stash_put(uploaded, owner=owner)
    return preview


def confirm_upload(
    spec: SheetSpec,
    *,
    token: str,
    fingerprint: str,
    context: Any,
    owner: str,
    delete: bool = False,
) -> ImportResult:
    """Read the kept file again and write it, if it still compares as previewed."""
    try:
        path, filename = stash_get(token, owner=owner)
    except FileError as exc:
        return ImportResult(ok=False, file_error=str(exc))
    uploaded = SimpleUploadedFile(filename, path.read_bytes())
    preview, rows = check_file(spec, uploaded, context=context)
    if not preview.ok:
        stash_drop(token, owner=owner)
        return ImportResult(
            ok=False,
            errors=preview.errors,
            file_error=preview.file_error,
            rows_read=preview.rows_read,
            preview=preview,
        )
    if preview.fingerprint != fingerprint:
        preview.stale = True
        preview.token = token if not preview.diff.is_empty else ""
        return ImportResult(ok=False, rows_read=preview.rows_read, preview=preview)
    result = _save(spec, rows, context, preview, delete=delete)
    if result.ok:
        stash_drop(token, owner=owner)
    return result
