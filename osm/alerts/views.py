"""The notification centre, the open-alerts pages, preferences and thresholds."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from osm import access
from osm.alerts import selectors, services
from osm.alerts.forms import (
    AlertFilterForm,
    NoteForm,
    NotificationFilterForm,
    PreferencesForm,
    ThresholdsForm,
)
from osm.alerts.models import Alert, AlertPreference, Audience, ClusterAlertSettings
from osm.alerts.rules import AlertRule, rules
from osm.alerts.rules import render as render_alert
from osm.http import AuthedRequest, apply_errors, render_page_or_partial, safe_next, wants_partial
from osm.models import Cluster, Province

CHANGED = "osm:notifications-changed"  # htmx event: the header's count reloads
PAGE_SIZE = 30
ALERTS_PAGE_SIZE = 50


# --- Lookups ---------------------------------------------------------------------------------


def _get_alert_for_user(user: Any, pk: int) -> Alert:
    """An open alert the person may act on: its cluster's OSM staff."""
    alert = Alert.objects.filter(pk=pk).first()
    if alert is None:
        raise Http404
    access.get_cluster_for_user(user, alert.cluster_id or 0, edit=True)
    return alert


def _reads_alerts(scope: access.Scope) -> bool:
    return scope.sees_all or bool(scope.read_clusters)


# --- Notification centre ---------------------------------------------------------------------


def _inbox(request: AuthedRequest, data: Any) -> dict[str, Any]:
    form = NotificationFilterForm(data)
    queryset = selectors.notifications_for(request.user, **form.filters())
    page = Paginator(queryset, PAGE_SIZE).get_page(data.get("page"))
    # An alert's notice reads in the page's language, with the alert's current details.
    by_code = {r.code: r for r in rules()}
    for notification in page.object_list:
        if notification.alert is not None:
            rule = by_code.get(notification.alert.rule)
            if rule is not None:
                notification.title, notification.body = render_alert(rule, notification.alert)
    query = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    return {"page": page, "filter_form": form, "query": query}


@login_required
@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    return render_page_or_partial(
        request, "osm/notification_list.html", "inbox", _inbox(request, request.GET)
    )


@login_required
@require_POST
def notification_read(request: AuthedRequest) -> HttpResponse:
    """Mark one notification (`id`) or all of them read; the inbox comes back as it was
    filtered, and the header's count reloads."""
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    services.notifications_mark_read(user=request.user, ids=ids)
    if wants_partial(request):
        response = render(
            request, "osm/notification_list.html#inbox", _inbox(request, request.POST)
        )
        return trigger_client_event(response, CHANGED)
    query = "&".join(
        f"{k}={request.POST[k]}"
        for k in ("kind", "state", "severity", "page")
        if request.POST.get(k)
    )
    return redirect(reverse("osm:notification-list") + (f"?{query}" if query else ""))


@require_GET
def notification_count(request: HttpRequest) -> HttpResponse:
    """The header's unread count alone (htmx polls it and reloads it after actions). Once
    the session has ended it answers an empty badge that polls no more — never the log-in
    page, which htmx would put into the header."""
    if not request.user.is_authenticated:
        return HttpResponse('<span id="unread-badge"></span>')
    return render(
        request,
        "osm/_unread_badge.html",
        {"unread_notifications": selectors.unread_count(request.user)},
    )


# --- Preferences -----------------------------------------------------------------------------


def _kinds_for(scope: access.Scope) -> list[AlertRule]:
    """The kinds of alert a person may receive, by their roles."""
    audiences = {Audience.OWNER} if (scope.roles or scope.is_superuser) else set()
    if scope.officer_provinces:
        audiences.add(Audience.OFFICERS)
    if scope.staff_clusters or scope.is_superuser:
        audiences.add(Audience.STAFF)
    return [r for r in rules() if audiences & set(r.audience)]


def _digests_for(scope: access.Scope) -> list[tuple[str, Any]]:
    found = []
    if scope.committee_clusters:
        found.append(("digest.weekly", _("Weekly committee digest")))
    if scope.central or scope.central_admin:
        found.append(("digest.national", _("National digest (weekly)")))
    return found


@login_required
@require_http_methods(["GET", "POST"])
def alert_preferences(request: AuthedRequest) -> HttpResponse:
    scope = access.scope_for(request.user)
    kinds, digests = _kinds_for(scope), _digests_for(scope)
    current = dict(AlertPreference.objects.filter(user=request.user).values_list("kind", "channel"))
    form = PreferencesForm(
        request.POST or None,
        kinds=kinds,
        digests=digests,
        current=current,
        initial={"language": request.user.language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.alert_preferences_set(user=request.user, choices=form.choices())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if form.cleaned_data["language"] != request.user.language:
                request.user.language = form.cleaned_data["language"]
                request.user.save(update_fields=["language"])
                changed.append("language")
            if changed:
                messages.success(request, _("Your choices were saved."))
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("alerts:preferences")
    return render(
        request,
        "osm/alert_preferences.html",
        {
            "form": form,
            "kinds": [form[r.code] for r in kinds],
            "digests": [form[k] for k, _l in digests],
        },
    )


# --- Open alerts -----------------------------------------------------------------------------


@login_required
@require_GET
def alert_index(request: AuthedRequest) -> HttpResponse:
    """Open alerts per cluster: every cluster for central users, one's own for staff and
    committee members."""
    scope = access.scope_for(request.user)
    if not _reads_alerts(scope):
        raise PermissionDenied
    clusters = Cluster.objects.all()
    if not scope.sees_all:
        clusters = clusters.filter(pk__in=scope.read_clusters)
    rows = selectors.counts_per_cluster(clusters)
    return render(
        request,
        "osm/alert_index.html",
        {"rows": rows, "national": scope.sees_all},
    )


@login_required
@require_GET
def cluster_alerts(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = access.get_cluster_for_user(request.user, pk)
    scope = access.scope_for(request.user)
    provinces = list(Province.objects.filter(cluster=cluster).order_by("name_th"))
    form = AlertFilterForm(request.GET or None, provinces=provinces)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.open_alerts(
        cluster,
        kind=filters.get("kind", ""),
        province=filters.get("province"),
        age=filters.get("age", ""),
    )
    page = Paginator(queryset, ALERTS_PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in filters.items() if v}
    context = {
        "cluster": cluster,
        "alerts": selectors.describe(page.object_list),
        "page": page,
        "query": query,
        "filter_form": form,
        "counts": selectors.counts_per_kind(cluster),
        "can_act": scope.can_edit_cluster(cluster.pk),
        "note_form": NoteForm(),
        "next": request.get_full_path(),
    }
    return render_page_or_partial(request, "osm/alert_list.html", "alerts", context)


def _act(request: AuthedRequest, pk: int, action: Any, done: str) -> HttpResponse:
    alert = _get_alert_for_user(request.user, pk)
    back = safe_next(request, reverse("alerts:cluster", args=[alert.cluster_id]))
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            action(alert=alert, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(back)
    errors = "; ".join(str(e) for errors in form.errors.values() for e in errors)
    messages.error(request, errors)
    return redirect(back)


@login_required
@require_POST
def alert_acknowledge(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.alert_acknowledge, _("The alert is acknowledged."))


@login_required
@require_POST
def alert_close(request: AuthedRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.alert_close, _("The alert is closed."))


# --- Thresholds ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def alert_settings(request: AuthedRequest, pk: int) -> HttpResponse:
    cluster = access.get_cluster_for_user(request.user, pk, edit=True)
    declared = [r for r in rules() if r.thresholds]
    stored = ClusterAlertSettings.objects.filter(cluster=cluster).first()
    form = ThresholdsForm(
        request.POST or None, rules=declared, current=dict(stored.values) if stored else {}
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.alert_settings_set(
                cluster=cluster, by=request.user, values=form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if changed:
                labels = ", ".join(str(form.fields[key].label) for key in changed)
                messages.success(request, _("Saved: %(what)s.") % {"what": labels})
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("alerts:settings", pk=cluster.pk)
    return render(
        request,
        "osm/alert_settings.html",
        {"cluster": cluster, "form": form, "stored": stored},
    )
