from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from osm.forms import BootstrapFormMixin, LockVersionFormMixin, validate_spreadsheet
from osm.lib.approvals import ApprovalForm
from osm.lib.dates import arabic_digits
from osm.models import Cluster
from strategy.models import AlignmentTarget, Objective, Perspective, Plan, StrategicIssue


class BEYearField(forms.IntegerField):
    """A Buddhist-Era year; Thai digits are accepted."""

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = arabic_digits(value.strip())
        return super().to_python(value)


class PlanForm(LockVersionFormMixin, BootstrapFormMixin, forms.ModelForm[Plan]):
    start_year = BEYearField(label=_("first year (BE)"), min_value=2500, max_value=2700)
    end_year = BEYearField(label=_("last year (BE)"), min_value=2500, max_value=2700)

    class Meta:
        model = Plan
        fields = ["title_th", "title_en", "start_year", "end_year", "vision_th", "vision_en"]
        widgets = {
            "vision_th": forms.Textarea(attrs={"rows": 3}),
            "vision_en": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The last year must not come before the first."))
        return data


class PlanCreateForm(PlanForm):
    cluster = forms.ModelChoiceField(label=_("cluster"), queryset=Cluster.objects.none())

    class Meta(PlanForm.Meta):
        fields = ["cluster", *PlanForm.Meta.fields]

    def __init__(self, *args: Any, clusters: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]
        if len(clusters) == 1:  # one query; the choices reuse the cached rows
            self.fields["cluster"].initial = clusters[0]


class IssueForm(LockVersionFormMixin, BootstrapFormMixin, forms.ModelForm[StrategicIssue]):
    class Meta:
        model = StrategicIssue
        fields = ["code", "name_th", "name_en", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ObjectiveForm(LockVersionFormMixin, BootstrapFormMixin, forms.ModelForm[Objective]):
    class Meta:
        model = Objective
        fields = ["code", "name_th", "name_en", "issue", "perspective", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        issue, perspective = self.fields["issue"], self.fields["perspective"]
        assert isinstance(issue, forms.ModelChoiceField)
        assert isinstance(perspective, forms.ModelChoiceField)
        issue.queryset = plan.issues.order_by("order", "code")
        perspective.queryset = Perspective.objects.filter(cluster_id=plan.cluster_id).order_by(
            "order"
        )
        issue.empty_label = None
        perspective.empty_label = None


class LinkForm(BootstrapFormMixin, forms.Form):
    cause = forms.ModelChoiceField(label=_("cause"), queryset=Objective.objects.none())
    effect = forms.ModelChoiceField(label=_("effect"), queryset=Objective.objects.none())
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        objectives = plan.objectives.order_by("code")
        self.fields["cause"].queryset = objectives  # type: ignore[attr-defined]
        self.fields["effect"].queryset = objectives  # type: ignore[attr-defined]
        self.fields["cause"].help_text = _("The objective that drives the other.")
        self.fields["effect"].help_text = _("The objective it helps to reach.")


class AlignmentForm(forms.Form):
    targets = forms.ModelMultipleChoiceField(
        label=_("national targets"),
        queryset=AlignmentTarget.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, region_th: str, **kwargs: Any) -> None:
        """Offers every active target but other regions' development goals: a cluster is
        aligned with its own region's."""
        super().__init__(*args, **kwargs)
        other_regions = Q(layer=AlignmentTarget.Layer.REGIONAL_TARGET) & ~Q(region_th=region_th)
        field = self.fields["targets"]
        field.queryset = AlignmentTarget.objects.filter(active=True).exclude(other_regions)  # type: ignore[attr-defined]


class MatrixFilterForm(forms.Form):
    """The alignment matrix's filters, read from the query string."""

    layer = forms.ChoiceField(
        label=_("layer"),
        choices=[("", _("All layers")), *AlignmentTarget.Layer.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("served"),
        choices=[
            ("", _("Served and not served")),
            ("served", _("Served")),
            ("gap", _("Not served")),
        ],
        required=False,
    )

    def values(self) -> dict[str, str]:
        """The valid filters (an unknown value counts as no filter)."""
        if not self.is_valid():
            return {"layer": "", "status": ""}
        return {"layer": self.cleaned_data["layer"], "status": self.cleaned_data["status"]}


class ReviewForm(BootstrapFormMixin, forms.Form):
    fiscal_year = BEYearField(label=_("fiscal year (BE)"), min_value=2500, max_value=2700)
    reason = forms.CharField(
        label=_("reason for the review"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ApproveForm(BootstrapFormMixin, forms.Form):
    decision_note = forms.CharField(
        label=_("decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example the committee's resolution that adopted this version."),
    )


class PlanApprovalForm(BootstrapFormMixin, ApprovalForm):
    """The committee's approval of a version: when, by which resolution at which meeting,
    and (for a review) the decision as it is to be recorded on the review."""

    decision_note = forms.CharField(
        label=_("note on the review's decision"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, review: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A date input reads ISO dates only; the locale's display format would leave it empty.
        self.fields["approved_on"].widget.format = "%Y-%m-%d"
        if not review:
            del self.fields["decision_note"]


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class ImportForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("workbook"),
        help_text=_("An .xlsx, .xls, .ods or .csv file made from the plan-structure template."),
        validators=[validate_spreadsheet],
    )


class PerspectiveForm(BootstrapFormMixin, forms.ModelForm[Perspective]):
    class Meta:
        model = Perspective
        fields = ["name_th", "name_en"]
