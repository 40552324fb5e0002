from __future__ import annotations

from typing import Any

from django import forms

from osm.models import User


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes and mark invalid fields for assistive tech."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if self.is_bound and name in self.errors:  # type: ignore[attr-defined]
                widget.attrs["class"] += " is-invalid"
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"id_{name}-errors"


class PreferencesForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["thai_digits"]
