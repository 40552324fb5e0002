"""Writes for the organisation backbone."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from osm import access
from osm.models import Cluster, User

REFERENCE_CSV = Path(__file__).resolve().parent / "data" / "clusters_provinces.csv"


@dataclass
class LoadReport:
    clusters_created: int = 0
    clusters_updated: int = 0
    provinces_created: int = 0
    provinces_updated: int = 0


def read_reference_rows(path: Path = REFERENCE_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def reference_load(
    *,
    cluster_model: Any = None,
    province_model: Any = None,
    path: Path = REFERENCE_CSV,
    reset_membership: bool = False,
) -> LoadReport:
    """Create or update the 18 clusters and 76 provinces from the shipped CSV.

    Idempotent. Names and codes follow the file; a province's cluster and a cluster's lead
    province are set when missing, and kept as an administrator corrected them unless
    `reset_membership` is given. Bangkok (a special administration, in no cluster) is not a
    province and is skipped. Takes model classes so the data migration can pass its
    historical models.
    """
    if cluster_model is None or province_model is None:
        from osm.models import Cluster, Province

        cluster_model, province_model = Cluster, Province
    rows = read_reference_rows(path)
    report = LoadReport()
    clusters: dict[str, Any] = {}
    for row in rows:
        if row["row_type"] != "cluster":
            continue
        values = {
            "name_th": row["cluster_th"],
            "name_en": row["cluster_en_unofficial"],
            "region_th": row["region_th_2017"],
        }
        cluster = cluster_model.objects.filter(number=int(row["cluster_no"])).first()
        if cluster is None:
            cluster = cluster_model.objects.create(number=int(row["cluster_no"]), **values)
            report.clusters_created += 1
        else:
            changed = [k for k, v in values.items() if getattr(cluster, k) != v]
            for key in changed:
                setattr(cluster, key, values[key])
            if changed:
                cluster.save(update_fields=changed)
            report.clusters_updated += bool(changed)
        clusters[row["cluster_no"]] = cluster
    provinces_by_name: dict[str, Any] = {}
    for row in rows:
        if row["row_type"] != "province":
            continue
        cluster = clusters[row["cluster_no"]]
        province = province_model.objects.filter(code=row["iso_3166_2"]).first()
        if province is None:
            province = province_model.objects.create(
                code=row["iso_3166_2"],
                name_th=row["province_th"],
                name_en=row["province_en"],
                cluster=cluster,
            )
            report.provinces_created += 1
        else:
            changed = []
            for attr, value in (("name_th", row["province_th"]), ("name_en", row["province_en"])):
                if getattr(province, attr) != value:
                    setattr(province, attr, value)
                    changed.append(attr)
            if province.cluster_id is None or (
                reset_membership and province.cluster_id != cluster.pk
            ):
                province.cluster = cluster
                changed.append("cluster")
            if changed:
                province.save(update_fields=changed)
                report.provinces_updated += 1
        provinces_by_name[row["province_th"]] = province
    for row in rows:
        if row["row_type"] != "cluster" or not row["cluster_lead_province_th"]:
            continue
        cluster = clusters[row["cluster_no"]]
        lead = provinces_by_name.get(row["cluster_lead_province_th"])
        if (
            lead is not None
            and lead.pk != cluster.lead_province_id
            and (cluster.lead_province_id is None or reset_membership)
        ):
            cluster.lead_province = lead
            cluster.save(update_fields=["lead_province"])
    return report


def cluster_settings_set(*, cluster: Cluster, by: User, thai_digits: bool) -> list[str]:
    """Change the settings a cluster's OSM staff keep; returns the names of the fields that
    changed. The audit history records who changed what (Cluster is tracked); when nothing
    changed nothing is written, not even an audit event."""
    if not access.scope_for(by).can_edit_cluster(cluster.pk):
        raise PermissionDenied
    values = {"thai_digits": thai_digits}
    changed = [name for name, value in values.items() if getattr(cluster, name) != value]
    for name in changed:
        setattr(cluster, name, values[name])
    if changed:
        cluster.save(update_fields=changed)
    return changed
