"""The two steps of every spreadsheet import page, for views: upload → preview, then
confirm → save. Rendered with ``templates/osm/_import_preview.html``.

    step = import_step(request, sheet, context=plan, owner=f"{user.pk}:strategy.plan:{plan.pk}",
                       upload_form_class=forms.ImportForm)
    if step.saved:
        return redirect(plan)
    return render(request, template, {..., "step": step}, status=step.status)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms

from osm.forms import ImportConfirmForm
from osm.http import AuthedRequest
from osm.lib.spreadsheets import (
    ImportPreview,
    ImportResult,
    SheetSpec,
    confirm_upload,
    preview_upload,
)


@dataclass
class ImportStep:
    upload_form: forms.Form
    preview: ImportPreview | None = None
    confirm_form: ImportConfirmForm | None = None
    result: ImportResult | None = None

    @property
    def saved(self) -> bool:
        return self.result is not None and self.result.ok

    @property
    def status(self) -> int:
        return 400 if self.preview is not None and not self.preview.ok else 200


def import_step(
    request: AuthedRequest,
    sheet: SheetSpec,
    *,
    context: Any,
    owner: str,
    upload_form_class: type[forms.Form],
    confirm_form_class: type[ImportConfirmForm] = ImportConfirmForm,
    configure: Callable[[dict[str, Any]], None] | None = None,
) -> ImportStep:
    """A GET shows the upload form; a POSTed file is previewed (and kept); a POSTed
    confirmation (its token) is saved, or previewed again when the data changed meanwhile.
    `configure` receives the options either form carries (other than the file) before the
    rows are checked. `owner` binds the kept file to this person and this import target."""
    step = ImportStep(upload_form=upload_form_class())
    if request.method != "POST":
        return step
    options: dict[str, Any] = {}
    if "token" in request.POST:
        confirm = confirm_form_class(request.POST)
        if not confirm.is_valid():
            return step
        options = {k: v for k, v in confirm.cleaned_data.items() if k not in ("token", "delete")}
        if configure is not None:
            configure(options)
        step.result = confirm_upload(
            sheet,
            token=confirm.cleaned_data["token"],
            fingerprint=confirm.cleaned_data["fingerprint"],
            context=context,
            owner=owner,
            delete=bool(confirm.cleaned_data.get("delete")),
        )
        step.preview = step.result.preview or ImportPreview(file_error=step.result.file_error)
        if step.result.ok:
            return step
    else:
        step.upload_form = upload_form_class(request.POST, request.FILES)
        if not step.upload_form.is_valid():
            return step
        uploaded = next(v for v in step.upload_form.cleaned_data.values() if hasattr(v, "read"))
        options = {k: v for k, v in step.upload_form.cleaned_data.items() if v is not uploaded}
        if configure is not None:
            configure(options)
        step.preview = preview_upload(sheet, uploaded, context=context, owner=owner)
    if step.preview is not None and step.preview.token:
        step.confirm_form = confirm_form_class(preview=step.preview, initial=options)
    return step
