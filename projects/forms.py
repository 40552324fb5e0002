from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from osm.forms import BootstrapFormMixin
from osm.lib import dates
from osm.lib.approvals import ApprovalForm
from osm.models import Agency, Cluster, Province, User
from projects.models import GovernmentDisbursementTarget, Milestone, Project
from scorecard.models import Indicator

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal(0)}


def fiscal_years() -> list[int]:
    current = dates.current_fiscal_year()
    return list(range(current - 3, current + 3))


class ProjectFilterForm(forms.Form):
    """The list's filters, read from the URL so a filtered list can be bookmarked."""

    year = forms.TypedChoiceField(label=_("Fiscal year"), coerce=int, required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    issue = forms.TypedChoiceField(label=_("Strategic issue"), coerce=int, required=False)
    objective = forms.TypedChoiceField(label=_("Objective"), coerce=int, required=False)
    province = forms.TypedChoiceField(label=_("Province"), coerce=int, required=False)
    source = forms.ChoiceField(label=_("Budget source"), required=False)
    indicator = forms.TypedChoiceField(label=_("Indicator"), coerce=int, required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args: Any, cluster: Cluster, objectives: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every: list[tuple[Any, Any]] = [("", _("All"))]
        issues = {o.issue_id: o.issue for o in objectives}
        indicators = Indicator.objects.filter(cluster=cluster)
        options: dict[str, list[tuple[Any, Any]]] = {
            "year": [(y, str(y)) for y in fiscal_years()],
            "status": list(Project.Status.choices),
            "source": list(Project.Source.choices),
            "issue": [(i.pk, str(i)) for i in issues.values()],
            "objective": [(o.pk, str(o)) for o in objectives],
            "indicator": [(i.pk, f"{i.code} {i.name_th}"[:80]) for i in indicators],
            "province": [(p.pk, p.name) for p in cluster.provinces.order_by("name_th")],
        }
        for name, choices in options.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = every + choices
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class ProjectForm(BootstrapFormMixin, forms.ModelForm[Project]):
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinces where it runs"),
        queryset=Province.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators it is expected to move"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [
            "code",
            "name_th",
            "name_en",
            "rationale",
            "objective",
            "agency",
            "responsible_person",
            "owner",
            "source",
            "frame",
            "priority",
            "requested",
            "allocated",
            "after_transfers",
            "committed",
            "start_date",
            "end_date",
            "emenscr_id",
        ]
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "start_date": DATE,
            "end_date": DATE,
        }

    def __init__(self, *args: Any, cluster: Cluster, objectives: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives  # type: ignore[attr-defined]
        self.fields["provinces"].queryset = cluster.provinces.order_by("name_th")  # type: ignore[attr-defined]
        self.fields["indicators"].queryset = Indicator.objects.filter(cluster=cluster)  # type: ignore[attr-defined]
        self.fields["agency"].queryset = Agency.objects.filter(cluster=cluster)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            Q(roles__province__cluster=cluster) | Q(roles__cluster=cluster)
        ).distinct()
        self.fields["provinces"].widget.attrs["class"] = ""

    def validate_unique(self) -> None:
        """Uniqueness of the code is checked by the service, with a message in Thai."""


class DisbursementPlanForm(BootstrapFormMixin, forms.Form):
    q1 = forms.DecimalField(label=_("Quarter 1"), required=False, **MONEY)  # type: ignore[arg-type]
    q2 = forms.DecimalField(label=_("Quarter 2"), required=False, **MONEY)  # type: ignore[arg-type]
    q3 = forms.DecimalField(label=_("Quarter 3"), required=False, **MONEY)  # type: ignore[arg-type]
    q4 = forms.DecimalField(label=_("Quarter 4"), required=False, **MONEY)  # type: ignore[arg-type]

    def amounts(self) -> dict[int, Decimal | None]:
        return {q: self.cleaned_data.get(f"q{q}") for q in (1, 2, 3, 4)}


class MilestoneForm(BootstrapFormMixin, forms.ModelForm[Milestone]):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    DELETE = forms.BooleanField(label=_("Remove"), required=False)

    class Meta:
        model = Milestone
        fields = ["name", "kind", "weight", "planned_date", "actual_date"]
        widgets = {"planned_date": DATE, "actual_date": DATE}


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=2)


class ProgressReportForm(BootstrapFormMixin, forms.Form):
    physical_pct = forms.DecimalField(
        label=_("Physical progress to date (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )
    disbursed_to_date = forms.DecimalField(
        label=_("Amount disbursed to date (baht)"),
        **MONEY,  # type: ignore[arg-type]
    )
    obstacles = forms.CharField(
        label=_("Obstacles"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    help_needed = forms.CharField(
        label=_("Help needed"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.FileField(label=_("Evidence file"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CeilingForm(BootstrapFormMixin, forms.Form):
    ceiling = forms.DecimalField(label=_("Budget ceiling (baht)"), required=False, **MONEY)  # type: ignore[arg-type]
    version = forms.IntegerField(widget=forms.HiddenInput)


class ActionPlanApprovalForm(BootstrapFormMixin, ApprovalForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class GovernmentTargetForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Fiscal year"), min_value=2500, max_value=2700)
    category = forms.ChoiceField(
        label=_("Category"), choices=GovernmentDisbursementTarget.Category.choices
    )
    q1 = forms.DecimalField(
        label=_("By the end of quarter 1 (%)"), required=False, max_digits=5, decimal_places=2
    )
    q2 = forms.DecimalField(
        label=_("By the end of quarter 2 (%)"), required=False, max_digits=5, decimal_places=2
    )
    q3 = forms.DecimalField(
        label=_("By the end of quarter 3 (%)"), required=False, max_digits=5, decimal_places=2
    )
    q4 = forms.DecimalField(
        label=_("By the end of quarter 4 (%)"), required=False, max_digits=5, decimal_places=2
    )
    source = forms.CharField(
        label=_("Source (cabinet resolution or circular)"), required=False, max_length=300
    )
    approved_on = forms.DateField(label=_("Set on"), required=False, widget=DATE)


class SettingsForm(BootstrapFormMixin, forms.Form):
    disbursement_lag_pct = forms.DecimalField(
        label=_("Warn when disbursement is behind plan by more than (percentage points)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
    )
    progress_lag_pct = forms.DecimalField(
        label=_("Warn when physical progress is behind plan by more than (percentage points)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=5,
        decimal_places=2,
    )


class ImportForm(BootstrapFormMixin, forms.Form):
    workbook = forms.FileField(label=_("Project list (.xlsx, .xls, .ods or .csv)"))
