"""What an app declares for a sheet (`SheetSpec`), and the comparison of a file with the saved
data that the import preview shows (`Diff`): rows to add, to change (field, old → new) and to
delete, and how many are unchanged."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy

from osm.lib.spreadsheets.cells import Column
from osm.lib.spreadsheets.reading import Row, RowError


class Action(StrEnum):
    ADD = "add"
    CHANGE = "change"
    DELETE = "delete"


@dataclass
class FieldChange:
    column: str
    old: str
    new: str


@dataclass
class RowChange:
    action: Action
    key: str  # the row's key as people read it (a code)
    name: str = ""  # what the row is (a name), beside its key
    line: int | None = None  # the file's line (none for a row to delete)
    fields: list[FieldChange] = field(default_factory=list)
    group: str = ""  # what kind of row, when a sheet changes several kinds (issues, links)
    note: str = ""


@dataclass
class Diff:
    changes: list[RowChange] = field(default_factory=list)
    unchanged: int = 0

    def of(self, action: Action) -> list[RowChange]:
        return [c for c in self.changes if c.action == action]

    @property
    def adds(self) -> list[RowChange]:
        return self.of(Action.ADD)

    @property
    def updates(self) -> list[RowChange]:
        return self.of(Action.CHANGE)

    @property
    def deletes(self) -> list[RowChange]:
        return self.of(Action.DELETE)

    @property
    def is_empty(self) -> bool:
        return not self.changes

    def fingerprint(self) -> str:
        """A digest of everything compared: confirming a preview whose comparison no longer
        gives the same result (someone changed the data meanwhile) is refused."""
        state = [
            [c.action, c.group, c.key, c.name, [[f.column, f.old, f.new] for f in c.fields]]
            for c in self.changes
        ]
        payload = json.dumps([state, self.unchanged], ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:32]


def same(old: Any, new: Any) -> bool:
    """Equal as people mean it: blank and empty alike, 1.50 and 1.5 alike, spaces trimmed."""
    if old in (None, "") and new in (None, ""):
        return True
    if isinstance(old, Decimal | int | float) and isinstance(new, Decimal | int | float):
        return Decimal(str(old)) == Decimal(str(new))
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new.strip()
    return bool(old == new)


class RowsRefused(Exception):  # noqa: N818 (a refusal, not a programming error)
    """Raised by `SheetSpec.save` with the rows the app's services refused (each with its
    line and column): nothing is saved, and they are reported like the other row errors."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(errors)
        self.errors = errors


class SheetSpec:
    """Subclass per kind of sheet. Declare the columns; override `check_row`, `check_all` and
    `save`; for the import preview, name the `key_columns` and give the saved rows
    (`existing`), or override `diff` when one file changes several kinds of rows."""

    title: Any = gettext_lazy("Data")
    columns: Sequence[Column] = ()
    instructions: Sequence[Any] = ()
    key_columns: Sequence[str] = ()
    # Saved rows that the file does not list are deleted (after an explicit confirmation).
    deletes_missing: bool = False
    # The app's rules live in its services, which only `save` runs: the preview then runs
    # `save` in a transaction that is rolled back, to show what they would refuse.
    check_by_saving: bool = False

    def check_row(self, row: Row, context: Any) -> Iterable[RowError | str]:
        return []

    def check_all(self, rows: list[Row], context: Any) -> Iterable[RowError]:
        return []

    def existing(self, context: Any) -> Mapping[tuple[Any, ...], Mapping[str, Any]]:
        """The saved rows by key, as column values (what the file is compared with)."""
        return {}

    def describe(self, key: tuple[Any, ...], values: Mapping[str, Any]) -> str:
        """A row's name beside its key in the preview."""
        return ""

    def diff(self, rows: list[Row], context: Any) -> Diff:
        """Compare the file with `existing`, column by column, for the columns the file has:
        a column the file lacks is left as it is, never cleared."""
        existing = self.existing(context)
        provided = rows[0].provided if rows else frozenset()
        compared = [
            c
            for c in self.columns
            if c.compare and c.key in provided and c.key not in self.key_columns
        ]
        result = Diff()
        seen: set[tuple[Any, ...]] = set()
        for row in rows:
            key = tuple(row[k] for k in self.key_columns)
            seen.add(key)
            old = existing.get(key)
            label = " · ".join(str(k) for k in key)
            if old is None:
                fields = [
                    FieldChange(str(c.label), "", c.display(row[c.key]))
                    for c in compared
                    if row[c.key] not in (None, "")
                ]
                name = self.describe(key, row.values)
                result.changes.append(RowChange(Action.ADD, label, name, row.line, fields))
                continue
            fields = [
                FieldChange(str(c.label), c.display(old.get(c.key)), c.display(row[c.key]))
                for c in compared
                if not same(old.get(c.key), row[c.key])
            ]
            if fields:
                name = self.describe(key, old)
                result.changes.append(RowChange(Action.CHANGE, label, name, row.line, fields))
            else:
                result.unchanged += 1
        if self.deletes_missing:
            for key, old in existing.items():
                if key not in seen:
                    label = " · ".join(str(k) for k in key)
                    result.changes.append(RowChange(Action.DELETE, label, self.describe(key, old)))
        return result

    def save(self, rows: list[Row], context: Any, *, diff: Diff, delete: bool) -> Any:
        """Write what the preview showed. `delete` is true only when the person confirmed the
        deletions listed in `diff`."""
        raise NotImplementedError("A SheetSpec that imports must define save()")
