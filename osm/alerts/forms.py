"""Forms of the early-warning pages: filters, acknowledgement, preferences, thresholds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from osm.alerts.models import PERSONAL_CHANNELS, Channel, Severity
from osm.alerts.rules import AlertRule
from osm.alerts.selectors import AGES, OTHER, kind_choices
from osm.alerts.services import NOTE_MAX
from osm.forms import BootstrapFormMixin

ANY = [("", _("All"))]


class NotificationFilterForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(
        label=_("Read or not"),
        required=False,
        choices=[*ANY, ("unread", _("Unread")), ("read", _("Read"))],
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        required=False,
        choices=[*ANY, *Severity.choices, ("returned", _("Returned for correction"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [*ANY, *kind_choices(), (OTHER, _("Other notices"))]  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        unread = {"unread": True, "read": False}.get(data["state"])
        return {"kind": data["kind"], "unread": unread, "severity": data["severity"]}


class AlertFilterForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    province = forms.TypedChoiceField(
        label=_("Province"), required=False, coerce=int, empty_value=None
    )
    age = forms.ChoiceField(
        label=_("Age"),
        required=False,
        choices=[*ANY, *((key, label) for key, (label, _n, _o) in AGES.items())],
    )

    def __init__(self, *args: Any, provinces: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [*ANY, *kind_choices()]  # type: ignore[attr-defined]
        self.fields["province"].choices = [*ANY, *((p.pk, p.name) for p in provinces)]  # type: ignore[attr-defined]


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What is being done, by whom (optional for an acknowledgement)."),
    )


class PreferencesForm(BootstrapFormMixin, forms.Form):
    """A channel per kind of alert the person may receive, and the language of e-mails."""

    language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)

    def __init__(
        self,
        *args: Any,
        kinds: list[AlertRule],
        digests: list[tuple[str, Any]],
        current: dict[str, str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].widget.attrs["class"] += " w-auto"
        for rule in kinds:
            self.fields[rule.code] = forms.ChoiceField(
                label=rule.label,
                choices=[(c.value, c.label) for c in PERSONAL_CHANNELS],
                initial=current.get(rule.code, rule.default_channel),
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
        for kind, label in digests:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=[
                    (Channel.EMAIL.value, _("In the app and by e-mail")),
                    (Channel.APP.value, _("In the app only")),
                ],
                initial=current.get(kind, Channel.EMAIL),
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def choices(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k != "language"}


class ThresholdsForm(BootstrapFormMixin, forms.Form):
    """The thresholds the rules declare, for one cluster."""

    def __init__(
        self, *args: Any, rules: list[AlertRule], current: dict[str, Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[AlertRule, list[str]]] = []
        for rule in rules:
            names = []
            for threshold in rule.thresholds:
                key = f"{rule.code}.{threshold.name}"
                self.fields[key] = forms.IntegerField(
                    label=threshold.label,
                    min_value=threshold.minimum,
                    max_value=threshold.maximum,
                    initial=current.get(key, threshold.default),
                    widget=forms.NumberInput(attrs={"class": "form-control w-auto"}),
                    help_text=_("From %(min)s to %(max)s; %(default)s unless you change it.")
                    % {
                        "min": threshold.minimum,
                        "max": threshold.maximum,
                        "default": threshold.default,
                    },
                )
                names.append(key)
            if names:
                self.groups.append((rule, names))

    def grouped(self) -> list[tuple[AlertRule, list[forms.BoundField]]]:
        return [(rule, [self[name] for name in names]) for rule, names in self.groups]
