"""Forms of the committee app: they validate and normalise; services save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from committee.models import (
    ActionItem,
    AgendaItem,
    Attendance,
    Committee,
    Meeting,
    Member,
    Minutes,
    Resolution,
)
from committee.services.committees import member_accounts
from osm.forms import BootstrapFormMixin, LockVersionFormMixin
from osm.lib import dates
from osm.models import Agency, Cluster, Province, RoleAssignment, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CommitteeForm(LockVersionFormMixin, BootstrapFormMixin, forms.ModelForm[Committee]):
    class Meta:
        model = Committee
        fields = ["name_th", "name_en", "short_name", "recording", "checker_block"]


class MemberForm(BootstrapFormMixin, forms.ModelForm[Member]):
    class Meta:
        model = Member
        fields = ["user", "name", "position_title", "role", "term_start", "term_end", "order"]
        widgets = {"term_start": DATE, "term_end": DATE}
        help_texts = {
            "user": _(
                "Members who sign in: people with the committee role of this cluster (or its "
                "OSM staff). Roles are given on the people pages. Leave empty for a member "
                "who does not use the system."
            ),
            "name": _("Filled in from the account when left empty."),
        }

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.fields["user"]
        assert isinstance(user, forms.ModelChoiceField)
        user.queryset = member_accounts(cluster.pk)
        self.fields["name"].required = False
        self.fields["order"].required = False


class MeetingForm(LockVersionFormMixin, BootstrapFormMixin, forms.ModelForm[Meeting]):
    online_link = forms.URLField(
        label=_("Online meeting link"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = ["number", "date", "start_time", "mode", "venue", "online_link"]
        widgets = {"date": DATE, "start_time": TIME}
        help_texts = {
            "number": _("Numbered per Buddhist-Era year; left empty, the next number is given."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False


class MeetingStatusForm(LockVersionFormMixin, forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Meeting.Status.HELD, Meeting.Status.HELD.label),
            (Meeting.Status.PLANNED, Meeting.Status.PLANNED.label),
        ]
    )


def _cluster_choices(form: forms.BaseForm, cluster_id: int) -> None:
    from projects.models import Project
    from scorecard.models import Indicator
    from strategy.models import Plan

    year = dates.current_fiscal_year()
    choices = {
        "plans": Plan.objects.filter(cluster_id=cluster_id).order_by("-start_year", "-version"),
        "indicators": Indicator.objects.current().filter(cluster_id=cluster_id).order_by("code"),
        "projects": Project.objects.filter(
            cluster_id=cluster_id, fiscal_year__gte=year - 1, fiscal_year__lte=year + 1
        ).order_by("-fiscal_year", "code"),
    }
    for name, queryset in choices.items():
        field = form.fields[name]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        initial = form.initial.get(name) or []
        chosen = [getattr(o, "pk", o) for o in initial]
        # What the item already links stays offered even when it left the usual range.
        field.queryset = queryset.model._default_manager.filter(
            Q(pk__in=queryset.values("pk")) | Q(pk__in=chosen)
        ).order_by(*queryset.query.order_by)


class AgendaItemForm(LockVersionFormMixin, BootstrapFormMixin, forms.ModelForm[AgendaItem]):
    class Meta:
        model = AgendaItem
        fields = [
            "section",
            "title",
            "topic",
            "presenter",
            "summary",
            "proposal",
            "plans",
            "indicators",
            "projects",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "proposal": forms.Textarea(attrs={"rows": 3}),
            "plans": forms.SelectMultiple(attrs={"size": 4}),
            "indicators": forms.SelectMultiple(attrs={"size": 6}),
            "projects": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, cluster_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _cluster_choices(self, cluster_id)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class PaperForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Paper"),
        help_text=_("PDF or office file (.docx, .xlsx, .pptx, .doc, .xls, .ppt), at most 20 MB."),
    )


class PullForm(forms.Form):
    matters_arising = forms.BooleanField(
        label=_("Open action items (matters arising)"), required=False, initial=True
    )
    off_track = forms.BooleanField(
        label=_("Indicators off track (for information)"), required=False, initial=True
    )
    behind = forms.BooleanField(
        label=_("Projects behind plan (for information)"), required=False, initial=True
    )


class ResolutionForm(LockVersionFormMixin, BootstrapFormMixin, forms.ModelForm[Resolution]):
    class Meta:
        model = Resolution
        fields = ["kind", "text", "approves_plan", "approves_action_plan"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "approves_plan": _(
                "When the meeting approves a plan or its yearly review, choose the draft: "
                "the approval is recorded with this resolution."
            ),
            "approves_action_plan": _(
                "When the meeting approves the annual action plan, choose it: proposals "
                "within the ceiling become approved projects."
            ),
        }

    def __init__(self, *args: Any, cluster_id: int, **kwargs: Any) -> None:
        from projects.models import ActionPlan
        from strategy.models import Plan

        super().__init__(*args, **kwargs)
        instance = self.instance
        plan = self.fields["approves_plan"]
        action_plan = self.fields["approves_action_plan"]
        assert isinstance(plan, forms.ModelChoiceField)
        assert isinstance(action_plan, forms.ModelChoiceField)
        plan.queryset = Plan.objects.filter(
            Q(cluster_id=cluster_id, status=Plan.Status.DRAFT)
            | Q(pk=getattr(instance, "approves_plan_id", None))
        ).order_by("-start_year", "-version")
        action_plan.queryset = ActionPlan.objects.filter(
            Q(cluster_id=cluster_id, status=ActionPlan.Status.DRAFT)
            | Q(pk=getattr(instance, "approves_action_plan_id", None))
        ).order_by("-fiscal_year")
        action_plan.label_from_instance = _action_plan_label  # type: ignore[method-assign,assignment]

    def clean(self) -> Any:
        cleaned = super().clean()
        if cleaned.get("approves_plan") and cleaned.get("approves_action_plan"):
            raise forms.ValidationError(_("A resolution approves one plan at most."))
        return cleaned


def _action_plan_label(plan: Any) -> str:
    return str(_("Annual action plan, fiscal year %(year)s") % {"year": plan.fiscal_year})


def _person_label(user: Any) -> str:
    return f"{user}, {user.position}" if user.position else str(user)


class ActionItemForm(LockVersionFormMixin, BootstrapFormMixin, forms.ModelForm[ActionItem]):
    class Meta:
        model = ActionItem
        fields = [
            "description",
            "owner_kind",
            "owner_agency",
            "owner_province",
            "owner_user",
            "due_date",
            "status",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_date": DATE}

    def __init__(self, *args: Any, cluster_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["owner_agency"]
        province = self.fields["owner_province"]
        person = self.fields["owner_user"]
        assert isinstance(agency, forms.ModelChoiceField)
        assert isinstance(province, forms.ModelChoiceField)
        assert isinstance(person, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(
            Q(cluster_id=cluster_id) | Q(province__cluster_id=cluster_id), is_active=True
        ).order_by("name_th")
        province.queryset = Province.objects.filter(cluster_id=cluster_id).order_by("name_th")
        person.queryset = (
            User.objects.filter(is_active=True)
            .filter(
                Q(roles__cluster_id=cluster_id)
                | Q(
                    roles__role=RoleAssignment.Role.PROVINCE_OFFICER,
                    roles__province__cluster_id=cluster_id,
                )
            )
            .distinct()
            .order_by("first_name", "last_name")
        )
        person.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
        for name in ("owner_agency", "owner_province", "owner_user"):
            self.fields[name].required = False
        if not self.instance.pk:
            self.fields["status"].initial = ActionItem.Status.OPEN


class FollowUpForm(BootstrapFormMixin, forms.Form):
    noted_on = forms.DateField(label=_("Date"), widget=DATE)
    text = forms.CharField(
        label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["noted_on"].initial = timezone.localdate()


class MinutesForm(LockVersionFormMixin, BootstrapFormMixin, forms.ModelForm[Minutes]):
    """The minutes' header, plus one set of fields per attendance row and one text per
    agenda item (so each error shows next to its own field)."""

    class Meta:
        model = Minutes
        fields = [
            "started_at",
            "ended_at",
            "opening",
            "other_attendees",
            "recorder_name",
            "recorder_position",
            "checker_name",
            "checker_position",
        ]
        widgets = {
            "started_at": TIME,
            "ended_at": TIME,
            "opening": forms.Textarea(attrs={"rows": 3}),
            "other_attendees": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, attendance: list[Attendance], items: list[AgendaItem], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.attendance_rows = []
        for row in attendance:
            prefix = f"att-{row.pk}"
            self.fields[f"{prefix}-status"] = forms.ChoiceField(
                label=_("Attendance of %(name)s") % {"name": row.name},
                choices=Attendance.Status.choices,
                initial=row.status,
            )
            self.fields[f"{prefix}-substitute"] = forms.CharField(
                label=_("Substitute for %(name)s") % {"name": row.name},
                required=False,
                max_length=300,
                initial=row.substitute,
            )
            self.fields[f"{prefix}-note"] = forms.CharField(
                label=_("Note on %(name)s") % {"name": row.name},
                required=False,
                max_length=300,
                initial=row.note,
            )
            self.attendance_rows.append((row, prefix))
        self.item_rows = []
        for item in items:
            name = f"item-{item.pk}-text"
            self.fields[name] = forms.CharField(
                label=_("Discussion of item %(number)s") % {"number": getattr(item, "number", "")},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=item.minutes_text,
            )
            self.item_rows.append((item, name))
        for name, field in self.fields.items():
            if name.startswith(("att-", "item-")):
                css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
                field.widget.attrs["class"] = css

    def clean(self) -> Any:
        cleaned = super().clean()
        for _row, prefix in self.attendance_rows:
            if (
                cleaned.get(f"{prefix}-status") == Attendance.Status.SUBSTITUTE
                and not (cleaned.get(f"{prefix}-substitute") or "").strip()
            ):
                self.add_error(f"{prefix}-substitute", _("Name the substitute."))
        return cleaned

    def attendance_table(self) -> list[tuple[Attendance, Any, Any, Any]]:
        """Each member's row with its three bound fields, for the template."""
        return [
            (row, self[f"{p}-status"], self[f"{p}-substitute"], self[f"{p}-note"])
            for row, p in self.attendance_rows
        ]

    def item_table(self) -> list[tuple[AgendaItem, Any]]:
        return [(item, self[name]) for item, name in self.item_rows]

    def attendance_data(self) -> list[dict[str, Any]]:
        return [
            {
                "id": row.pk,
                "status": self.cleaned_data[f"{prefix}-status"],
                "substitute": self.cleaned_data[f"{prefix}-substitute"],
                "note": self.cleaned_data[f"{prefix}-note"],
            }
            for row, prefix in self.attendance_rows
        ]

    def item_texts(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[name] for item, name in self.item_rows}

    def header(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    topic = forms.ChoiceField(label=_("Topic"), required=False)
    follow_up = forms.ChoiceField(
        label=_("Follow-up"),
        required=False,
        choices=[
            ("", _("Any")),
            ("none", _("No action items")),
            ("open", _("Action items open")),
            ("overdue", _("Action items overdue")),
            ("done", _("All action items closed")),
        ],
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = [("", _("Any")), *[(y, str(y)) for y in years]]
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ChoiceField)
        topic.choices = [("", _("Any")), *AgendaItem.Topic.choices]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css


class ActionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("open", _("Open")),
            ("overdue", _("Overdue")),
            *ActionItem.Status.choices,
            ("all", _("All")),
        ],
    )
