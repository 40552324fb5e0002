"""Audit history for every app, in one place.

On PostgreSQL (production and CI) django-pghistory installs database triggers, so every write
is recorded — ``save()``, ``QuerySet.update()``, ``bulk_create``, raw SQL, the admin, shell
sessions and Celery tasks alike — with the user and URL of the request that made it
(``AuditContextMiddleware``). The embedded SQLite demo has no such triggers; there a signal
mirror writes the same event rows for saves and deletes made through the ORM, so the history
people see in the demo looks the same. Bulk writes are only caught on PostgreSQL.

Apps mark a model with ``@audit.track`` and show ``history_for(obj)`` on its page.
"""

from __future__ import annotations

import contextvars
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import pghistory
from django.apps import apps
from django.db import connection, models
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from pghistory.middleware import HistoryMiddleware

M = TypeVar("M", bound=type[models.Model])

EVENTS_RELATED_NAME = "audit_events"
LABELS = {"create": _("created"), "update": _("changed"), "delete": _("deleted")}

_tracked: list[type[models.Model]] = []
# Context for the SQLite mirror: (context id, metadata) of the current request.
_fallback_context: contextvars.ContextVar[tuple[uuid.UUID, dict[str, Any]] | None] = (
    contextvars.ContextVar("osm_audit_context", default=None)
)


def track(model: M) -> M:
    """Record every insert, update and delete of `model` with who, when and the old values."""
    tracked = pghistory.track(
        pghistory.InsertEvent("create"),
        pghistory.UpdateEvent("update"),
        pghistory.DeleteEvent("delete"),
        obj_field=pghistory.ObjForeignKey(related_name=EVENTS_RELATED_NAME),
    )(model)
    _tracked.append(tracked)
    return tracked


def tracked_models() -> list[type[models.Model]]:
    return list(_tracked)


def event_model_for(model: type[models.Model]) -> type[models.Model]:
    return model._meta.get_field(EVENTS_RELATED_NAME).related_model  # type: ignore[return-value]


def uses_triggers() -> bool:
    return connection.vendor == "postgresql"


# --- Request context -----------------------------------------------------------------------


class AuditContextMiddleware(HistoryMiddleware):
    """Attach the user and URL of each writing request to the events it causes."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if uses_triggers():
            return super().__call__(request)
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return self.get_response(request)
        token = _fallback_context.set((uuid.uuid4(), self.get_context(request)))
        try:
            return self.get_response(request)
        finally:
            _fallback_context.reset(token)

    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        # The user is resolved lazily by auth middleware; read it only when present.
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        return {"user": user_id, "url": request.path}


def _mirror_event(sender: type[models.Model], instance: models.Model, label: str) -> None:
    from pghistory.models import Context

    event_model = event_model_for(sender)
    values = {
        f.attname: getattr(instance, f.attname)
        for f in sender._meta.concrete_fields
        if hasattr(event_model, f.attname) or _has_field(event_model, f.attname)
    }
    context = None
    current = _fallback_context.get()
    if current is not None:
        context, _created = Context.objects.get_or_create(
            id=current[0], defaults={"metadata": current[1]}
        )
    event_model.objects.create(
        pgh_obj_id=instance.pk, pgh_label=label, pgh_context=context, **values
    )


def _has_field(model: type[models.Model], attname: str) -> bool:
    return any(f.attname == attname for f in model._meta.concrete_fields)


def _on_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool, **kwargs: Any
) -> None:
    if raw or uses_triggers() or sender not in _tracked:
        return
    _mirror_event(sender, instance, "create" if created else "update")


def _on_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if uses_triggers() or sender not in _tracked:
        return
    _mirror_event(sender, instance, "delete")


def connect_sqlite_mirror() -> None:
    """Called from OsmConfig.ready(); the handlers do nothing on PostgreSQL."""
    post_save.connect(_on_save, dispatch_uid="osm_audit_mirror_save")
    post_delete.connect(_on_delete, dispatch_uid="osm_audit_mirror_delete")


# --- Reading the history --------------------------------------------------------------------


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    action: str
    label: str
    user: Any
    url: str
    changes: list[Change] = field(default_factory=list)


def _display_values(
    model: type[models.Model], snapshots: Iterable[dict[str, Any]]
) -> Callable[[str, Any], str]:
    """A formatter for snapshot values that shows choices by label and foreign keys by name,
    fetching each related model's rows once (no query per value)."""
    fks = {f.attname: f for f in model._meta.concrete_fields if isinstance(f, models.ForeignKey)}
    wanted: dict[str, set[Any]] = defaultdict(set)
    for snap in snapshots:
        for attname in fks:
            if snap.get(attname) is not None:
                wanted[attname].add(snap[attname])
    names: dict[str, dict[Any, str]] = {}
    for attname, ids in wanted.items():
        related = fks[attname].related_model
        names[attname] = {obj.pk: str(obj) for obj in related._default_manager.filter(pk__in=ids)}
    fields = {f.attname: f for f in model._meta.concrete_fields}

    def fmt(attname: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if attname in names:
            return names[attname].get(value, f"#{value}")
        f = fields[attname]
        if f.choices:
            return str(dict(f.flatchoices).get(value, value))
        if isinstance(value, bool):
            return str(_("yes") if value else _("no"))
        return str(value)

    return fmt


def history_for(obj: models.Model, *, limit: int = 200) -> list[HistoryEntry]:
    """The object's change history, newest first, with old → new per changed field.

    Three queries whatever the length: the events with their contexts, the users named in
    them, and one per foreign key shown by name.
    """
    model = type(obj)
    event_model = event_model_for(model)
    # The newest `limit` events, plus one older as the baseline for the oldest diff.
    events = list(
        event_model.objects.filter(pgh_obj_id=obj.pk)
        .select_related("pgh_context")
        .order_by("-pgh_created_at", "-pgh_id")[: limit + 1]
    )
    events.reverse()
    has_baseline = len(events) > limit
    tracked_fields = [f for f in model._meta.concrete_fields if _has_field(event_model, f.attname)]
    snapshots = [{f.attname: getattr(e, f.attname) for f in tracked_fields} for e in events]
    fmt = _display_values(model, snapshots)

    user_ids = {
        e.pgh_context.metadata.get("user")
        for e in events
        if e.pgh_context is not None and e.pgh_context.metadata.get("user")
    }
    User = apps.get_model("osm", "User")
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}

    entries: list[HistoryEntry] = []
    previous: dict[str, Any] | None = None
    for index, (event, snap) in enumerate(zip(events, snapshots, strict=True)):
        if index == 0 and has_baseline:
            previous = snap
            continue
        changes = []
        if event.pgh_label == "update":
            if previous is None:
                # The SQLite mirror missed the row's creation (made by a migration).
                previous = snap
                continue
            for f in tracked_fields:
                if previous[f.attname] != snap[f.attname]:
                    changes.append(
                        Change(
                            str(f.verbose_name),
                            fmt(f.attname, previous[f.attname]),
                            fmt(f.attname, snap[f.attname]),
                        )
                    )
            if not changes:
                previous = snap
                continue
        elif event.pgh_label == "create":
            changes = [
                Change(str(f.verbose_name), "—", fmt(f.attname, snap[f.attname]))
                for f in tracked_fields
                if f.name != "id" and snap[f.attname] not in (None, "")
            ]
        metadata = event.pgh_context.metadata if event.pgh_context is not None else {}
        entries.append(
            HistoryEntry(
                when=event.pgh_created_at,
                action=event.pgh_label,
                label=str(LABELS.get(event.pgh_label, event.pgh_label)),
                user=users.get(metadata.get("user")),
                url=metadata.get("url", ""),
                changes=changes,
            )
        )
        previous = snap
    entries.reverse()
    return entries
