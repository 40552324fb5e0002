"""People pages: the list, a person's page, their account and their roles.

Lookups go through `get_person_for_user` / `get_role_for_user` (404 outside the manager's
reach, 403 for read-only central users). Removing and deactivating ask first, on a page of
their own (works without JavaScript); every save says what it changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from osm import access
from osm.access import Action, Scope
from osm.http import AuthedRequest
from osm.models import Cluster, RoleAssignment, User
from osm.people import selectors, services
from osm.people.forms import ConfirmLastForm, PersonForm, RoleForm, managed_clusters
from osm.people.rules import assignment_cluster_id, can_grant

PAGE_SIZE = 50


def reads_people(scope: Scope) -> bool:
    return scope.manages_people or scope.sees_all


def get_person_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> User:
    return access.get_for_user(user, selectors.person_for_page(), action=action, pk=pk)


def get_role_for_user(user: Any, pk: int, *, action: Action = Action.VIEW) -> RoleAssignment:
    queryset = RoleAssignment.objects.select_related("user", "cluster", "province__cluster")
    return access.get_for_user(user, queryset, action=action, pk=pk)


def posted(request: HttpRequest) -> Any:
    """The POST data to bind a form to, or None on GET."""
    return request.POST if request.method == "POST" else None


def apply_errors(form: BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError back on the form, next to the field it names."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def cluster_filter(request: HttpRequest, clusters: QuerySet[Cluster]) -> Cluster | None:
    value = request.GET.get("cluster", "")
    return clusters.filter(pk=int(value)).first() if value.isdigit() else None


# --- The list ------------------------------------------------------------------------------


@login_required
@access.role_required(reads_people)
@require_GET
def people_list(request: AuthedRequest) -> HttpResponse:
    scope = access.scope_for(request.user)
    clusters = Cluster.objects.order_by("number") if scope.sees_all else managed_clusters(scope)
    cluster = cluster_filter(request, clusters)
    query = request.GET.get("q", "").strip()[:100]
    people = selectors.people_for(request.user, cluster=cluster, query=query)
    context = {
        "page": Paginator(people, PAGE_SIZE).get_page(request.GET.get("page")),
        "invitations": list(selectors.open_invitations_for(request.user, cluster=cluster)),
        "clusters": list(clusters),
        "cluster": cluster,
        "query": query,
        "can_invite": scope.manages_people,
    }
    template = "osm/people_list.html"
    if request.htmx:
        template += "#people-results"
    return render(request, template, context)


# --- A person --------------------------------------------------------------------------------


@login_required
@access.role_required(reads_people)
@require_GET
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    scope = access.scope_for(request.user)
    roles = [
        {
            "assignment": a,
            "can_manage": can_grant(scope, a.role, assignment_cluster_id(a))
            and a.user_id != request.user.pk,
            "can_remove": can_grant(scope, a.role, assignment_cluster_id(a)),
        }
        for a in person.roles.all()
    ]
    context = {
        "person": person,
        "roles": roles,
        "can_edit": access.can(request.user, Action.EDIT, person),
        "can_add_role": scope.manages_people and person.pk != request.user.pk,
        "is_self": person.pk == request.user.pk,
        "history": selectors.person_history(person),
    }
    return render(request, "osm/person_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, action=Action.EDIT)
    form = PersonForm(posted(request), instance=User.objects.get(pk=person.pk))
    if form.is_valid():
        try:
            changed = services.person_update(by=request.user, person=person, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if changed:
                labels = ", ".join(str(form.fields[name].label) for name in changed)
                messages.success(
                    request,
                    _("%(person)s: saved %(fields)s.") % {"person": person, "fields": labels},
                )
            else:
                messages.info(request, _("Nothing was changed."))
            return redirect(person)
    return render(request, "osm/person_form.html", {"person": person, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def person_deactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, action=Action.EDIT)
    error = ""
    if request.method == "POST":
        try:
            services.person_deactivate(by=request.user, person=person)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(
                request,
                _(
                    "%(person)s's account was deactivated: they can no longer log in. Their records and history stay."
                )
                % {"person": person},
            )
            return redirect(person)
    last = [a for a in person.roles.all() if services.is_last_manager(a)]
    context = {
        "title": _("Deactivate %(person)s?") % {"person": person},
        "question": _(
            "%(person)s will no longer be able to log in. Nothing they entered is deleted, and the account can be reactivated later."
        )
        % {"person": person},
        "warning": _("This is the last active manager of: %(scopes)s.")
        % {"scopes": ", ".join(services.role_label(a) for a in last)}
        if last
        else "",
        "error": error,
        "action": reverse("osm:person-deactivate", args=[person.pk]),
        "button": _("Deactivate the account"),
        "cancel": person.get_absolute_url(),
    }
    return render(request, "osm/confirm.html", context, status=200)


@login_required
@require_POST
def person_reactivate(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, action=Action.EDIT)
    services.person_reactivate(by=request.user, person=person)
    messages.success(request, _("%(person)s's account is active again.") % {"person": person})
    return redirect(person)


# --- Roles --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def role_add(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    scope = access.scope_for(request.user)
    if not scope.manages_people:
        raise PermissionDenied
    form = RoleForm(posted(request), scope=scope)
    if form.is_valid():
        data = form.cleaned_data
        try:
            assignment = services.role_grant(
                by=request.user,
                user=person,
                role=data["role"],
                cluster=data["cluster"],
                province=data["province"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s was given the role %(role)s.")
                % {"person": person, "role": services.role_label(assignment)},
            )
            return redirect(person)
    context = {"person": person, "form": form, "title": _("Give a role")}
    return render(request, "osm/role_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def role_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = get_role_for_user(request.user, pk, action=Action.EDIT)
    person, before = assignment.user, services.role_label(assignment)
    initial = {
        "role": assignment.role,
        "cluster": assignment.cluster,
        "province": assignment.province,
    }
    form = RoleForm(posted(request), scope=access.scope_for(request.user), initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.role_change(
                by=request.user,
                assignment=assignment,
                role=data["role"],
                cluster=data["cluster"],
                province=data["province"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(person)s's role changed from %(old)s to %(new)s.")
                % {"person": person, "old": before, "new": services.role_label(assignment)},
            )
            return redirect(person)
    context = {
        "person": person,
        "form": form,
        "title": _("Change a role"),
        "assignment": assignment,
    }
    return render(request, "osm/role_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def role_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = get_role_for_user(request.user, pk, action=Action.EDIT)
    person, label = assignment.user, services.role_label(assignment)
    form = ConfirmLastForm(posted(request))
    error = ""
    if form.is_valid():
        try:
            services.role_remove(
                by=request.user,
                assignment=assignment,
                confirm_last=form.cleaned_data["confirm_last"],
            )
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(
                request,
                _("The role %(role)s was removed from %(person)s.")
                % {"role": label, "person": person},
            )
            still_visible = access.visible(request.user, User.objects.filter(pk=person.pk)).exists()
            return redirect(person if still_visible else reverse("osm:people-list"))
    is_self = person.pk == request.user.pk
    context = {
        "title": _("Remove the role %(role)s from %(person)s?") % {"role": label, "person": person},
        "question": _("You are removing your own role: you will lose what it lets you do.")
        if is_self
        else _("%(person)s will lose what this role lets them do. Their account stays.")
        % {"person": person},
        "warning": _("This is the last active %(role)s of %(scope)s.")
        % {
            "role": assignment.get_role_display(),
            "scope": services.role_scope_label(assignment) or _("the country"),
        }
        if services.is_last_manager(assignment)
        else "",
        "confirm_form": form if services.is_last_manager(assignment) else None,
        "error": error,
        "action": reverse("osm:role-delete", args=[assignment.pk]),
        "button": _("Remove the role"),
        "cancel": person.get_absolute_url(),
    }
    return render(request, "osm/confirm.html", context, status=200)
