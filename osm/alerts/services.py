"""Writes on alerts by people: acknowledge, close, choose channels, set thresholds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from osm.alerts.models import (
    PERSONAL_CHANNELS,
    Alert,
    AlertPreference,
    Channel,
    ClusterAlertSettings,
)
from osm.alerts.rules import rules
from osm.models import Cluster, Notification, User

NOTE_MAX = 1000


def alert_acknowledge(*, alert: Alert, by: User, note: str) -> Alert:
    """Someone has seen it and is acting: who, when, and what they do (a short note)."""
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("Keep the note under %(n)s characters.") % {"n": NOTE_MAX}}
        )
    if alert.resolved_at is not None:
        raise ValidationError(_("This alert is resolved already."))
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = by
    alert.acknowledgement_note = note
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
    return alert


@transaction.atomic
def alert_close(*, alert: Alert, by: User, note: str) -> Alert:
    """A person closes an alert that needs nothing more (the rule will not raise it again
    for this object and period). The note says why; it is required."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say why the alert needs nothing more.")})
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("Keep the note under %(n)s characters.") % {"n": NOTE_MAX}}
        )
    if alert.resolved_at is not None:
        raise ValidationError(_("This alert is resolved already."))
    now = timezone.now()
    alert.resolved_at = now
    alert.resolution = Alert.Resolution.PERSON
    alert.resolved_by = by
    if not alert.acknowledged_at:
        alert.acknowledged_at, alert.acknowledged_by = now, by
    alert.acknowledgement_note = note
    alert.save(
        update_fields=[
            "resolved_at",
            "resolution",
            "resolved_by",
            "acknowledged_at",
            "acknowledged_by",
            "acknowledgement_note",
        ]
    )
    return alert


@transaction.atomic
def alert_preferences_set(*, user: User, choices: Mapping[str, str]) -> list[str]:
    """Save the person's channel per kind; returns the kinds whose choice changed."""
    known = {r.code for r in rules()} | {"digest.weekly", "digest.national"}
    current = dict(AlertPreference.objects.filter(user=user).values_list("kind", "channel"))
    changed = []
    for kind, channel in choices.items():
        if kind not in known or channel not in Channel.values:
            raise ValidationError(_("Choose one of the options offered."))
        if kind.startswith("digest.") and channel not in (Channel.APP, Channel.EMAIL):
            raise ValidationError(_("Choose one of the options offered."))
        if not kind.startswith("digest.") and channel not in PERSONAL_CHANNELS:
            raise ValidationError(_("Choose one of the options offered."))
        if current.get(kind) == channel:
            continue
        AlertPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"channel": channel}
        )
        changed.append(kind)
    return changed


def alert_settings_set(*, cluster: Cluster, by: User, values: Mapping[str, int]) -> list[str]:
    """Save the cluster's thresholds ({"<rule>.<name>": value}); returns the keys changed."""
    declared = {f"{r.code}.{t.name}": t for r in rules() for t in r.thresholds}
    errors = {}
    for key, value in values.items():
        threshold = declared.get(key)
        if threshold is None:
            errors[key] = _("Unknown setting.")
        elif not threshold.minimum <= value <= threshold.maximum:
            errors[key] = _("Enter a number from %(min)s to %(max)s.") % {
                "min": threshold.minimum,
                "max": threshold.maximum,
            }
    if errors:
        raise ValidationError(errors)
    row = ClusterAlertSettings.objects.filter(cluster=cluster).first() or ClusterAlertSettings(
        cluster=cluster
    )
    stored: dict[str, Any] = dict(row.values)
    changed = [
        key for key, value in values.items() if stored.get(key, declared[key].default) != value
    ]
    if changed:
        stored.update({key: values[key] for key in changed})
        row.values = stored
        row.updated_by = by
        row.save()
    return changed


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark the person's notifications read (all of them when `ids` is None)."""
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())
