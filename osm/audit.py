"""Audit history for every app, in one place.

On PostgreSQL (production and CI) django-pghistory installs database triggers, so every write
is recorded — ``save()``, ``QuerySet.update()``, ``bulk_create``, raw SQL, the admin, shell
sessions and Celery tasks alike — with the user and URL of the request that made it
(``AuditContextMiddleware``). The embedded SQLite demo gets the same from SQLite triggers that
this module creates on each connection (``TEMP`` triggers, writing the same event rows), with
the request's context kept in a per-connection temporary table. So the history people see is
the same on both engines.

Apps mark a model with ``@audit.track`` and show ``history_for(obj)`` on its page.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

import pghistory
from django.apps import apps
from django.db import connection, models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from pghistory.middleware import HistoryMiddleware

from osm.lib.dates import format_date, format_datetime

M = TypeVar("M", bound=type[models.Model])

EVENTS_RELATED_NAME = "audit_events"
LABELS = {
    "create": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
    "password_changed": _("password changed"),
}

_tracked: list[type[models.Model]] = []
# Per model: (column, label) of changes recorded as events without their values.
_flagged: dict[type[models.Model], list[tuple[str, str]]] = {}
SQLITE_CONTEXT_TABLE = "osm_audit_context"


def track(
    model: M | None = None,
    *,
    exclude: Iterable[str] = (),
    flag_changes: dict[str, str] | None = None,
) -> Any:
    """Record every insert, update and delete of `model` with who, when and the old values.

    Use bare (``@audit.track``) or with options: `exclude` keeps fields out of the history
    (secrets, noise); `flag_changes` maps such a field to a label recorded as an event of
    its own when the field changes — "the password changed", never the hash.
    """

    def decorate(model: M) -> M:
        flags = dict(flag_changes or {})
        events: list[Any] = [
            pghistory.InsertEvent("create"),
            pghistory.UpdateEvent("update"),
            pghistory.DeleteEvent("delete"),
        ]
        events += [
            pghistory.UpdateEvent(label, condition=pghistory.AnyChange(name))
            for name, label in flags.items()
        ]
        options: dict[str, Any] = {
            "obj_field": pghistory.ObjForeignKey(related_name=EVENTS_RELATED_NAME)
        }
        if exclude:
            options["exclude"] = list(exclude)
        tracked = pghistory.track(*events, **options)(model)
        _tracked.append(tracked)
        _flagged[tracked] = [(tracked._meta.get_field(n).column, lbl) for n, lbl in flags.items()]
        return tracked

    return decorate(model) if model is not None else decorate


# Optimistic-lock counters move on every save; as "changes" they are noise.
BOOKKEEPING_FIELDS = frozenset({"lock_version", "targets_lock_version"})


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
            return super().__call__(request)  # type: ignore[no-untyped-call]
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return self.get_response(request)
        with sqlite_context(**self.get_context(request)):
            return self.get_response(request)

    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        return {"user": user_id, "url": request.path}


# --- SQLite: the same events from SQLite's own triggers -----------------------------------


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_trigger_statements(existing_tables: set[str]) -> list[str]:
    """TEMP triggers that write pghistory's event rows for every tracked model."""
    statements = [f"CREATE TEMP TABLE IF NOT EXISTS {SQLITE_CONTEXT_TABLE} (id TEXT)"]
    now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    context = f"(SELECT id FROM {SQLITE_CONTEXT_TABLE} LIMIT 1)"
    for model in _tracked:
        event_model = event_model_for(model)
        table, event_table = model._meta.db_table, event_model._meta.db_table
        if table not in existing_tables or event_table not in existing_tables:
            continue  # not migrated yet
        event_columns = {f.column for f in event_model._meta.concrete_fields}
        columns = [
            f.column for f in model._meta.concrete_fields if f.column and f.column in event_columns
        ]
        pk = (model._meta.pk.column if model._meta.pk else None) or "id"
        names = ", ".join(_q(c) for c in columns)
        for label, event, row in (
            ("create", "INSERT", "NEW"),
            ("update", "UPDATE", "NEW"),
            ("delete", "DELETE", "OLD"),
        ):
            when = ""
            if event == "UPDATE":
                when = "WHEN " + " OR ".join(f"OLD.{_q(c)} IS NOT NEW.{_q(c)}" for c in columns)
            values = ", ".join(f"{row}.{_q(c)}" for c in columns)
            statements.append(
                f"CREATE TEMP TRIGGER IF NOT EXISTS {_q(f'osm_audit_{table}_{label}')} "
                f"AFTER {event} ON main.{_q(table)} FOR EACH ROW {when} BEGIN "
                f"INSERT INTO {_q(event_table)} (pgh_created_at, pgh_label, pgh_obj_id, "
                f"pgh_context_id, {names}) VALUES ({now}, '{label}', {row}.{_q(pk)}, "
                f"{context}, {values}); END"
            )
        for column, label in _flagged.get(model, []):
            values = ", ".join(f"NEW.{_q(c)}" for c in columns)
            statements.append(
                f"CREATE TEMP TRIGGER IF NOT EXISTS {_q(f'osm_audit_{table}_{label}')} "
                f"AFTER UPDATE OF {_q(column)} ON main.{_q(table)} FOR EACH ROW "
                f"WHEN OLD.{_q(column)} IS NOT NEW.{_q(column)} BEGIN "
                f"INSERT INTO {_q(event_table)} (pgh_created_at, pgh_label, pgh_obj_id, "
                f"pgh_context_id, {names}) VALUES ({now}, '{label}', NEW.{_q(pk)}, "
                f"{context}, {values}); END"
            )
    return statements


def install_sqlite_triggers(connection: Any) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = {row[0] for row in cursor.fetchall()}
        for statement in sqlite_trigger_statements(tables):
            cursor.execute(statement)


class sqlite_context:  # noqa: N801 - used like pghistory.context
    """Group the writes inside it under one pghistory Context (user, url) on SQLite."""

    def __init__(self, **metadata: Any) -> None:
        self.metadata = metadata

    def __enter__(self) -> None:
        from pghistory.models import Context

        install_sqlite_triggers(connection)
        context = Context.objects.create(id=uuid.uuid4(), metadata=self.metadata)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SQLITE_CONTEXT_TABLE}")
            cursor.execute(f"INSERT INTO {SQLITE_CONTEXT_TABLE} (id) VALUES (%s)", [context.pk.hex])

    def __exit__(self, *exc: Any) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {SQLITE_CONTEXT_TABLE}")


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    install_sqlite_triggers(connection)


def _on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    install_sqlite_triggers(connections[using])


def connect_sqlite_triggers() -> None:
    """Called from OsmConfig.ready(); does nothing on PostgreSQL."""
    from django.db.backends.signals import connection_created
    from django.db.models.signals import post_migrate

    connection_created.connect(_on_connection_created, dispatch_uid="osm_audit_sqlite")
    post_migrate.connect(_on_post_migrate, dispatch_uid="osm_audit_sqlite_migrate")


def _has_field(model: type[models.Model], attname: str) -> bool:
    return any(f.attname == attname for f in model._meta.concrete_fields)


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
    subject: str = ""  # what the entry is about, when a history gathers several kinds


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
        related: Any = fks[attname].related_model
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
        if isinstance(value, datetime):
            return format_datetime(value)
        if isinstance(value, date):
            return format_date(value)
        return str(value)

    return fmt


def history_for(obj: models.Model, *, limit: int = 200) -> list[HistoryEntry]:
    """The object's change history, newest first, with old → new per changed field.

    Three queries whatever the length: the events with their contexts, the users named in
    them, and one per foreign key shown by name.
    """
    model = type(obj)
    events = event_model_for(model)._default_manager.filter(pgh_obj_id=obj.pk)
    return _history(model, events, limit=limit)


def history_of_rows(
    model: type[models.Model], *, subject: str = "", limit: int = 200, **snapshot: Any
) -> list[HistoryEntry]:
    """The history of every row of `model` whose recorded values match `snapshot` — also rows
    deleted since (a person's roles: ``history_of_rows(RoleAssignment, user_id=pk)``).
    Deletes list the values the row had, so a removed row still says what it was."""
    events = event_model_for(model)._default_manager.filter(**snapshot)
    return _history(model, events, limit=limit, subject=subject, describe_deletes=True)


def merge_histories(*histories: list[HistoryEntry]) -> list[HistoryEntry]:
    """Several histories as one, newest first."""
    merged = [entry for history in histories for entry in history]
    return sorted(merged, key=lambda e: e.when, reverse=True)


def _history(
    model: type[models.Model],
    queryset: models.QuerySet[Any],
    *,
    limit: int,
    subject: str = "",
    describe_deletes: bool = False,
) -> list[HistoryEntry]:
    event_model = queryset.model
    # The newest `limit` events, plus one older as the baseline for the oldest diff.
    events: list[Any] = list(
        queryset.select_related("pgh_context").order_by("-pgh_created_at", "-pgh_id")[: limit + 1]
    )
    events.reverse()
    has_baseline = len(events) > limit
    # Timestamps that change on every save (auto_now) are noise in a list of changes.
    tracked_fields = [
        f
        for f in model._meta.concrete_fields
        if _has_field(event_model, f.attname)
        and not getattr(f, "auto_now", False)
        and f.name not in BOOKKEEPING_FIELDS
    ]
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
    # The last snapshot seen of each row: several rows' events can be interleaved.
    previous: dict[Any, dict[str, Any]] = {}
    for index, (event, snap) in enumerate(zip(events, snapshots, strict=True)):
        before = previous.get(event.pgh_obj_id)
        previous[event.pgh_obj_id] = snap
        if index == 0 and has_baseline:
            continue
        changes = []
        if event.pgh_label == "update":
            if before is None:
                # No baseline: the row was created before tracking began (e.g. by a migration on SQLite).
                continue
            changes = [
                Change(str(f.verbose_name), fmt(f.attname, before[f.attname]), fmt(f.attname, v))
                for f in tracked_fields
                if before[f.attname] != (v := snap[f.attname])
            ]
            if not changes:
                continue
        elif event.pgh_label == "create" or (event.pgh_label == "delete" and describe_deletes):
            created = event.pgh_label == "create"
            changes = [
                Change(
                    str(f.verbose_name),
                    "—" if created else fmt(f.attname, snap[f.attname]),
                    fmt(f.attname, snap[f.attname]) if created else "—",
                )
                for f in tracked_fields
                if f.name != "id" and snap[f.attname] not in (None, "")
            ]
        metadata = event.pgh_context.metadata if event.pgh_context is not None else {}
        entries.append(
            HistoryEntry(
                when=event.pgh_created_at,
                action=event.pgh_label,
                label=str(LABELS.get(event.pgh_label, event.pgh_label)),
                user=users.get(metadata.get("user") or 0),
                url=metadata.get("url", ""),
                changes=changes,
                subject=subject,
            )
        )
    entries.reverse()
    return entries


def history_for_user(
    user: Any, obj: models.Model, *, limit: int = 200
) -> list[HistoryEntry] | None:
    """The object's history if `user` may see it (`Action.HISTORY`), else None: the page then
    leaves the history section out. Seeing who changed what is an access action of its own,
    so a public object (an approved plan) does not show its history to anonymous visitors
    or to other clusters."""
    from osm import access

    if not access.can(user, access.Action.HISTORY, obj):
        return None
    return history_for(obj, limit=limit)
