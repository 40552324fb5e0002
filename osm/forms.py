from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string
from django.utils.translation import get_language

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
