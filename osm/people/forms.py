"""Forms for people, roles, invitations and agencies; choices are scoped to the manager."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from osm.access import Scope
from osm.forms import BootstrapFormMixin
from osm.models import Agency, Cluster, Province, RoleAssignment, User
from osm.people.rules import CENTRAL_ROLES, CLUSTER_ROLES

Role = RoleAssignment.Role


def managed_clusters(scope: Scope) -> QuerySet[Cluster]:
    """The clusters whose people and agencies this person manages."""
    if scope.administers_all:
        return Cluster.objects.order_by("number")
    return Cluster.objects.filter(pk__in=scope.staff_clusters).order_by("number")


class RoleFields(BootstrapFormMixin, forms.Form):
    """A role and its scope: a cluster for staff and committee, a province for officers."""

    role = forms.ChoiceField(label=_("role"))
    cluster = forms.ModelChoiceField(
        label=_("cluster"),
        queryset=Cluster.objects.none(),
        required=False,
        help_text=_("For OSM staff and committee members."),
    )
    province = forms.ModelChoiceField(
        label=_("province"),
        queryset=Province.objects.none(),
        required=False,
        help_text=_("For province officers: a member province of the cluster."),
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clusters = managed_clusters(scope)
        self.fields["cluster"].queryset = clusters  # type: ignore[attr-defined]
        self.fields["province"].queryset = (  # type: ignore[attr-defined]
            Province.objects.filter(cluster__in=clusters)
            .select_related("cluster")
            .order_by("cluster__number", "name_th")
        )
        self.fields["province"].label_from_instance = lambda p: f"{p.name} ({p.cluster.name})"  # type: ignore[attr-defined]
        # The roles staff hand out most often come first.
        order = [
            Role.PROVINCE_OFFICER,
            Role.COMMITTEE,
            Role.OSM_STAFF,
            Role.CENTRAL,
            Role.CENTRAL_ADMIN,
        ]
        labels = dict(Role.choices)
        roles = [(value.value, labels[value]) for value in order]
        if not scope.administers_all:
            # Staff never hand out central roles: they are not even offered.
            roles = [(v, label) for v, label in roles if v not in CENTRAL_ROLES]
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
        if len(clusters) == 1 and not self.is_bound:
            self.fields["cluster"].initial = clusters[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role = data.get("role")
        if role in CLUSTER_ROLES:
            if not data.get("cluster"):
                self.add_error("cluster", _("Choose the cluster for this role."))
            data["province"] = None
        elif role == Role.PROVINCE_OFFICER:
            if not data.get("province"):
                self.add_error("province", _("Choose the province for this role."))
            data["cluster"] = None
        else:
            data["cluster"] = data["province"] = None
        return data


class RoleForm(RoleFields):
    pass


class InviteForm(RoleFields):
    email = forms.EmailField(label=_("e-mail"))
    first_name = forms.CharField(label=_("first name"), max_length=150)
    last_name = forms.CharField(label=_("last name"), max_length=150, required=False)
    position = forms.CharField(label=_("position"), max_length=200, required=False)
    language = forms.ChoiceField(
        label=_("language of the e-mail"), choices=settings.LANGUAGES, initial="th"
    )

    field_order = [
        "email",
        "first_name",
        "last_name",
        "position",
        "role",
        "cluster",
        "province",
        "language",
    ]


class PersonForm(BootstrapFormMixin, forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "position"]


class ConfirmLastForm(forms.Form):
    confirm_last = forms.BooleanField(
        label=_("I understand that nobody will be left to manage these people."),
        required=False,
    )


class AcceptForm(BootstrapFormMixin, SetPasswordForm):  # type: ignore[type-arg]
    """Choose a password for the new account (Django's password rules apply)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Django's own list of rules is not translated into Thai; say them in one line.
        self.fields["new_password1"].help_text = _(
            "At least 8 characters, not only digits, not a common password, and not like "
            "your name or e-mail address."
        )
        self.fields["new_password2"].help_text = _("Type the same password again.")


class AgencyForm(BootstrapFormMixin, forms.ModelForm[Agency]):
    class Meta:
        model = Agency
        fields = ["name_th", "name_en", "kind", "cluster", "province"]

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        clusters = managed_clusters(scope)
        cluster_field = self.fields["cluster"]
        cluster_field.queryset = clusters  # type: ignore[attr-defined]
        cluster_field.required = False  # taken from the province when one is chosen
        self.scope = scope
        self.fields["province"].queryset = Province.objects.filter(  # type: ignore[attr-defined]
            Q(cluster__in=clusters)
        ).order_by("name_th")
        if len(clusters) == 1 and not self.is_bound and not self.instance.pk:
            cluster_field.initial = clusters[0].pk

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        cluster, province = data.get("cluster"), data.get("province")
        if province is not None and cluster is not None and province.cluster_id != cluster.pk:
            self.add_error("province", _("This province is not a member of the chosen cluster."))
        if province is not None and cluster is None:
            data["cluster"] = province.cluster
        # Only central administrators keep national agencies that belong to no cluster.
        if data.get("cluster") is None and not self.scope.administers_all:
            self.add_error("cluster", _("Choose the cluster of this agency."))
        return data
