from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import DecimalValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from osm.forms import (
    BootstrapFormMixin,
    ImportConfirmForm,
    LockVersionFormMixin,
    validate_spreadsheet,
)
from osm.lib import dates
from osm.models import Agency
from scorecard.models import MAX_PLACES, RESULT_TEXT_MAX, Indicator, Result


class PeriodForm(forms.Form):
    """The fiscal year and quarter a dashboard shows; read from the URL (GET)."""

    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(q, str(q)) for q in (1, 2, 3, 4)]
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.ChoiceField)
        year_field.choices = [(y, str(y)) for y in years]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def period(self, default: tuple[int, int]) -> tuple[int, int]:
        if self.is_valid():
            return self.cleaned_data["year"], self.cleaned_data["quarter"]
        return default


class IndicatorForm(LockVersionFormMixin, BootstrapFormMixin, forms.ModelForm[Indicator]):
    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_th",
            "name_en",
            "unit",
            "direction",
            "decimal_places",
            "baseline",
            "baseline_year",
            "frequency",
            "accumulation",
            "entry",
            "aggregation",
            "cascade_rule",
            "on_track_at",
            "at_risk_at",
            "definition",
            "formula",
            "data_source",
            "owner_agency",
            "owner_person",
            "order",
        ]
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "formula": forms.Textarea(attrs={"rows": 2}),
            "entry": forms.RadioSelect,
            "cascade_rule": forms.RadioSelect,
        }

    def __init__(self, *args: Any, cluster_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A deactivated agency is offered only to the indicator that already names it.
        self.fields["owner_agency"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True) | Q(pk=self.instance.owner_agency_id), cluster_id=cluster_id
        )
        # Added later than the rest: a form that leaves them out keeps the defaults.
        for name in ("decimal_places", "entry", "cascade_rule"):
            self.fields[name].required = False
        places = self.fields["decimal_places"]
        assert isinstance(places, forms.IntegerField)
        places.widget.attrs.update(min=0, max=MAX_PLACES)
        places.min_value = 0
        baseline_year = self.fields["baseline_year"]
        baseline_year.widget.attrs.update(placeholder="2568")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("decimal_places", "entry", "cascade_rule"):
            if data.get(name) in (None, ""):
                data[name] = getattr(self.instance, name)
        on, risk = data.get("on_track_at"), data.get("at_risk_at")
        if on is not None and risk is not None and risk > on:
            self.add_error("at_risk_at", _("The at-risk threshold must not be above on track."))
        places, baseline = data.get("decimal_places"), data.get("baseline")
        if places is not None and baseline is not None and baseline != round(baseline, places):
            self.add_error(
                "baseline",
                _("The baseline has more decimal places than the indicator's %(places)s.")
                % {"places": places},
            )
        return data


def _decimal_field(label: str = "", required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=16,
        decimal_places=4,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "any"}),
    )


class CascadeForm(LockVersionFormMixin, forms.Form):
    """Cluster targets per year, and each province's target per year and weight."""

    def __init__(self, *args: Any, years: list[int], provinces: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years, self.provinces = years, provinces
        for year in years:
            self.fields[f"cluster-{year}"] = _decimal_field(str(year))
            for p in provinces:
                self.fields[f"p{p.pk}-{year}"] = _decimal_field(f"{p.name_th} {year}")
        for p in provinces:
            self.fields[f"w{p.pk}"] = _decimal_field(f"{p.name_th}")

    def cluster_targets(self) -> dict[int, Decimal | None]:
        return {y: self.cleaned_data.get(f"cluster-{y}") for y in self.years}

    def province_values(self, year: int) -> dict[int, Decimal | None]:
        return {p.pk: self.cleaned_data.get(f"p{p.pk}-{year}") for p in self.provinces}

    def weights(self) -> dict[int, Decimal | None]:
        return {p.pk: self.cleaned_data.get(f"w{p.pk}") for p in self.provinces}

    def grid(self) -> list[dict[str, Any]]:
        """Rows for the template: each province with its bound fields per year."""
        return [
            {
                "province": p,
                "weight": self[f"w{p.pk}"],
                "cells": [self[f"p{p.pk}-{y}"] for y in self.years],
            }
            for p in self.provinces
        ]

    def cluster_row(self) -> list[Any]:
        return [self[f"cluster-{y}"] for y in self.years]


class RoundForm(BootstrapFormMixin, forms.Form):
    fiscal_year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(q, str(q)) for q in (1, 2, 3, 4)]
    )
    deadline = forms.DateField(
        label=_("Deadline"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("A weekend or public holiday moves to the next working day."),
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    deadline = forms.DateField(
        label=_("New deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ResultForm(BootstrapFormMixin, forms.Form):
    reporting = forms.ChoiceField(
        label=_("Reporting"), choices=Result.Reporting.choices, widget=forms.RadioSelect
    )
    value = forms.DecimalField(label=_("Value"), required=False, max_digits=18, decimal_places=4)
    not_reported_reason = forms.CharField(
        label=_("Why is there no value?"),
        required=False,
        max_length=RESULT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Needed to submit “not reported”, for example: the source has not published the figure yet."
        ),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=RESULT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    explanation = forms.CharField(
        label=_("Why is the value at risk or off track?"),
        required=False,
        max_length=RESULT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    corrective_action = forms.CharField(
        label=_("Corrective action"),
        required=False,
        max_length=RESULT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    evidence = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, JPEG, PNG, Excel or Word, at most 10 MB."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, indicator: Indicator | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reporting"].widget.attrs["class"] = "form-check-input"
        if indicator is not None:
            value = self.fields["value"]
            assert isinstance(value, forms.DecimalField)
            value.decimal_places = indicator.decimal_places
            value.widget.attrs["step"] = str(Decimal(1).scaleb(-indicator.decimal_places))
            value.label = value_label(indicator)
            places = DecimalValidator(18, indicator.decimal_places)
            places.messages = {
                **places.messages,
                "max_decimal_places": str(
                    _("This indicator takes at most %(max)s decimal places.")
                ),
            }
            value.validators = [
                v for v in value.validators if not isinstance(v, DecimalValidator)
            ] + [places]

    def clean_value(self) -> Decimal | None:
        value = self.cleaned_data.get("value")
        if value is not None and abs(value) >= Decimal("1e13"):
            raise forms.ValidationError(_("This value is too large."))
        return value


def value_label(indicator: Indicator) -> str:
    """What the officer types, in words: it differs for cumulative indicators."""
    if indicator.enters_year_to_date:
        return str(_("Total from the start of the fiscal year to the end of this quarter"))
    if indicator.is_cumulative:
        return str(_("This quarter's own amount (not the total to date)"))
    return str(_("Value"))


class RoundCloseForm(LockVersionFormMixin, forms.Form):
    """Closing a round: only the version the person saw."""


class RoundReopenForm(LockVersionFormMixin, ReasonForm):
    """Reopening a round: a reason, maybe a new deadline, and the version the person saw."""


class UploadForm(BootstrapFormMixin, forms.Form):
    workbook = forms.FileField(
        label=_("Filled-in workbook"),
        help_text=_("The round's workbook as .xlsx, .xls, .ods or .csv."),
        validators=[validate_spreadsheet],
    )
    submit = forms.BooleanField(
        label=_("Also submit the rows saved (not only save them as drafts)"), required=False
    )


class UploadConfirmForm(ImportConfirmForm):
    # Chosen on the upload form; the preview already shows the rows as submitted.
    submit = forms.BooleanField(required=False, widget=forms.HiddenInput)


def fiscal_years_around(plan_years: range | None = None) -> list[int]:
    current = dates.current_fiscal_year()
    if plan_years:
        return sorted(set(plan_years) | {current})
    return list(range(current - 4, current + 2))


class ReviewFilterForm(BootstrapFormMixin, forms.Form):
    """The review queue's filters: one province (or the cluster's own values), one round."""

    CLUSTER_LEVEL = "cluster"

    province = forms.ChoiceField(label=_("Province"), required=False)
    round = forms.TypedChoiceField(
        label=_("Reporting round"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, cluster: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from osm.lib.display import digits

        provinces = [(str(p.pk), p.name) for p in cluster.provinces.order_by("name_th")]
        self.fields["province"].choices = [  # type: ignore[attr-defined]
            ("", _("All provinces")),
            *provinces,
            (self.CLUSTER_LEVEL, _("Cluster level")),
        ]
        rounds = cluster.reporting_rounds.order_by("-fiscal_year", "-quarter")
        self.fields["round"].choices = [("", _("All rounds"))] + [  # type: ignore[attr-defined]
            (r.pk, digits(dates.FiscalQuarter(r.fiscal_year, r.quarter).label())) for r in rounds
        ]

    def apply(self, queryset: Any) -> Any:
        province = self.cleaned_data.get("province")
        if province == self.CLUSTER_LEVEL:
            queryset = queryset.filter(province__isnull=True)
        elif province:
            queryset = queryset.filter(province_id=int(province))
        if self.cleaned_data.get("round"):
            queryset = queryset.filter(round_id=self.cleaned_data["round"])
        return queryset


class CorrectiveActionForm(BootstrapFormMixin, forms.Form):
    """Staff's corrective action for an indicator in one round of its cluster."""

    period = forms.ChoiceField(label=_("Round"))
    text = forms.CharField(
        label=_("Corrective action"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the cluster will do to bring the indicator back on track, and who."),
    )

    def __init__(self, *args: Any, rounds: list[tuple[int, int]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        period = self.fields["period"]
        assert isinstance(period, forms.ChoiceField)
        period.choices = [
            (f"{year}-{quarter}", dates.FiscalQuarter(year, quarter).short_label())
            for year, quarter in rounds
        ]

    def clean_period(self) -> tuple[int, int]:
        year, quarter = self.cleaned_data["period"].split("-")
        return int(year), int(quarter)
