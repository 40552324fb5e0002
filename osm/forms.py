from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from osm.models import User


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes and mark invalid fields for assistive tech."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
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
