"""Alignment tags and the national planning layers they point at."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from strategy.models import (
    AlignmentLink,
    AlignmentTarget,
)

NATIONAL_PLANS_CSV = Path(__file__).resolve().parent.parent / "data" / "national_plans.csv"


@transaction.atomic
def alignment_set(
    *, element: models.Model, targets: Iterable[AlignmentTarget]
) -> list[AlignmentTarget]:
    """Make `element`'s tags exactly `targets` (adds and removes only the difference, so the
    audit history shows what changed)."""
    content_type = ContentType.objects.get_for_model(element)
    wanted = {t.pk for t in targets}
    current = AlignmentLink.objects.filter(content_type=content_type, object_id=element.pk)
    have = set(current.values_list("target_id", flat=True))
    for link in current.filter(target_id__in=have - wanted):
        link.delete()
    for target_id in sorted(wanted - have):
        AlignmentLink.objects.create(
            target_id=target_id, content_type=content_type, object_id=element.pk
        )
    return list(AlignmentTarget.objects.filter(pk__in=wanted))


@dataclass
class TargetLoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def alignment_targets_load(
    *, path: Path = NATIONAL_PLANS_CSV, target_model: Any = AlignmentTarget, overwrite: bool = False
) -> TargetLoadReport:
    """Load the national planning layers from the shipped CSV. Idempotent: rows are matched by
    code; names an administrator corrected in the app are kept unless `overwrite`. A regional
    target's region is filled in where it is still blank."""
    report = TargetLoadReport()
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    # Migrations pass a historical model, which may predate the region.
    has_region = any(f.name == "region_th" for f in target_model._meta.get_fields())
    by_code = {t.code: t for t in target_model.objects.all()}
    for order, row in enumerate(rows, start=1):
        fields = {
            "layer": row["layer"],
            "name_th": row["name_th"],
            "name_en": row["name_en"],
            "source": row.get("source", ""),
        }
        region = row.get("region_th", "") if has_region else ""
        target = by_code.get(row["code"])
        if target is None:
            extra = {"region_th": region} if has_region else {}
            target = target_model.objects.create(code=row["code"], order=order, **fields, **extra)
            by_code[target.code] = target
            report.created += 1
        elif overwrite and any(getattr(target, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(target, k, v)
            target.save()
            report.updated += 1
        else:
            report.unchanged += 1
        if region and not target.region_th:
            target.region_th = region
            target.save(update_fields=["region_th"])
    for row in rows:
        target = by_code[row["code"]]
        parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        if target.parent_id is None and parent is not None:
            target.parent = parent
            target.save(update_fields=["parent"])
    return report
