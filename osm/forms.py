from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from osm.models import User


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes and mark invalid fields for assistive tech."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            if isinstance(widget, forms.RadioSelect):
                css = "form-check-input"  # templates/osm/_field.html lays out each choice
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        # Mark invalid fields once cleaning has run, not in __init__: reading `errors` there
        # would validate before a subclass has set its querysets (choices scoped to a user).
        super().full_clean()  # type: ignore[misc]
        for name in self._errors or {}:  # type: ignore[attr-defined]
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is None or isinstance(field.widget, forms.CheckboxInput):
                continue
            field.widget.attrs["class"] += " is-invalid"
            field.widget.attrs["aria-invalid"] = "true"
            field.widget.attrs["aria-describedby"] = f"id_{name}-errors"


class PreferencesForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["thai_digits"]


class ClusterSettingsForm(forms.Form):
    """What a cluster's OSM staff set for their cluster (saved by `cluster_settings_set`)."""

    thai_digits = forms.BooleanField(
        label=gettext_lazy("Thai digits in documents"),
        help_text=gettext_lazy(
            "The cluster's documents (plan book, meeting packs, minutes, reports) print "
            "numbers, years and page numbers with Thai digits (๐–๙). A document generated "
            "before the change keeps its digits until it is generated again."
        ),
        required=False,
    )


class LockVersionFormMixin:
    """A hidden `lock_version`: the version of the object the person read (osm/lib/locking).

    Services take it as `lock_version=` and refuse to save over a newer version. An edit
    form posted without it (a page from before the field existed, a hand-made request) is
    refused rather than saved unguarded."""

    data: Any
    _guarded: bool

    def __init__(self, *args: Any, lock_version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if lock_version is None and instance is not None and instance.pk:
            lock_version = instance.lock_version
        self._guarded = lock_version is not None
        if self._guarded:  # a form that creates an object has nothing to lock
            self.fields["lock_version"] = forms.IntegerField(  # type: ignore[attr-defined]
                widget=forms.HiddenInput, required=False, initial=lock_version, min_value=1
            )

    def clean(self) -> Any:
        cleaned = super().clean()  # type: ignore[misc]
        if self._guarded and self.cleaned_data.get("lock_version") is None:  # type: ignore[attr-defined]
            raise forms.ValidationError(
                _("This form is out of date. Reload the page and enter your changes again."),
                code="stale",
            )
        return cleaned

    def show_conflict(self, current: Any, field: str = "lock_version") -> None:
        """After a conflict: keep what the person typed, but at the newer version, so that
        saving again (having seen the other person's values) is a choice, not an accident."""
        data = self.data.copy()
        data[self.add_prefix("lock_version")] = getattr(current, field)  # type: ignore[attr-defined]
        self.data = data


class ReviewForm(BootstrapFormMixin, forms.Form):
    """OSM staff approve or return something submitted for review (osm/lib/workflow.py);
    `version` is the review version the reviewer read. Handled by osm/workflow_views.py."""

    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("Approve")), ("return", gettext_lazy("Return"))],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for returning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReopenForm(BootstrapFormMixin, forms.Form):
    """OSM staff reopen an approved item for correction, with a reason."""

    reason = forms.CharField(
        label=gettext_lazy("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def validate_spreadsheet(uploaded: Any) -> None:
    """A spreadsheet's type and size, checked on the upload before it is read."""
    from osm.lib.spreadsheets import ACCEPTED_EXTENSIONS, FileError
    from osm.lib.spreadsheets.formats import extension
    from osm.lib.spreadsheets.limits import check_size

    name = getattr(uploaded, "name", "") or ""
    if extension(name) not in ACCEPTED_EXTENSIONS:
        raise forms.ValidationError(
            _("“%(name)s” is not a spreadsheet. Upload an .xlsx, .xls, .ods or .csv file.")
            % {"name": name}
        )
    try:
        check_size(getattr(uploaded, "size", None), name)
    except FileError as exc:
        raise forms.ValidationError(str(exc)) from None


class ImportConfirmForm(forms.Form):
    """Confirms an import preview: the kept file's token, the fingerprint of what was shown,
    and, only when the preview lists deletions, a separate box that names how many."""

    token = forms.CharField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput)
    delete = forms.BooleanField(required=False)

    def __init__(self, *args: Any, preview: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        deletes = len(preview.diff.deletes) if preview is not None else 0
        if preview is not None and not self.is_bound:
            self.initial.update(token=preview.token, fingerprint=preview.fingerprint)
        if deletes:
            self.fields["delete"].label = ngettext(
                "Also delete the %(n)s item listed under “To delete”",
                "Also delete the %(n)s items listed under “To delete”",
                deletes,
            ) % {"n": deletes}
            self.fields["delete"].help_text = _(
                "Without this, the items are kept and everything else is imported."
            )
        elif preview is not None:
            del self.fields["delete"]


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the e-mail goes through the outbox (osm/outbox.py): the
    request never waits for the broker or the mail server, and nothing is lost."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from osm.outbox import email_enqueue

        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        text = render_to_string(email_template_name, context)
        html = (
            render_to_string(html_email_template_name, context) if html_email_template_name else ""
        )
        email_enqueue(
            recipients=[to_email],
            subject=subject,
            text=text,
            html=html,
            language=get_language() or "",
        )
