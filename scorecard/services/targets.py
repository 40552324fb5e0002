"""Cluster targets per year and their cascade to provinces: check, split, save."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from osm import events
from osm.lib.locking import guarded_touch
from scorecard import rules, selectors
from scorecard.models import (
    Indicator,
    ProvinceTarget,
    Result,
    Target,
)

CENT = Decimal("0.01")


@transaction.atomic
def targets_set(*, indicator: Indicator, values: Mapping[int, Decimal | None]) -> list[Target]:
    """Set the cluster target per fiscal year; an empty value removes that year's target."""
    saved = []
    existing = {t.fiscal_year: t for t in indicator.targets.all()}
    for year, value in values.items():
        current = existing.get(year)
        if value is None:
            if current is not None:
                current.delete()
            continue
        if current is None:
            saved.append(Target.objects.create(indicator=indicator, fiscal_year=year, value=value))
        elif current.value != value:
            current.value = value
            current.save(update_fields=["value"])
            saved.append(current)
    events.publish(
        events.TARGETS_CHANGED, cluster_id=indicator.cluster_id, indicator_id=indicator.pk
    )
    return saved


@dataclass
class CascadeCheck:
    ok: bool
    combined: Decimal | None
    message: str
    checkable: bool = True


def combine(
    aggregation: str, values: list[Decimal], weights: list[Decimal | None] | None = None
) -> Decimal | None:
    """Province values combined as the indicator's rule says (the roll-up's rules)."""
    if not values:
        return None
    if aggregation == Indicator.Aggregation.WEIGHTED_MEAN and (
        weights is None or any(w is None for w in weights)
    ):
        return None
    return rules.combine(aggregation, values, weights or [None] * len(values))


def unit_of(indicator: Indicator) -> Decimal:
    """The smallest step of the indicator's values (0.01 for two decimal places)."""
    return Decimal(1).scaleb(-indicator.decimal_places)


def _fmt(value: Decimal, places: int) -> str:
    return f"{value:,.{places}f}"


def cascade_check(
    *,
    indicator: Indicator,
    cluster_target: Decimal | None,
    values: Mapping[int, Decimal | None],
    weights: Mapping[int, Decimal | None] | None = None,
) -> CascadeCheck:
    """Do the province targets agree with the cluster target under the combination rule?"""
    if indicator.aggregation == Indicator.Aggregation.NONE:
        return CascadeCheck(
            True,
            None,
            _(
                "This indicator is not combinable; province targets are not checked against the cluster target."
            ),
            checkable=False,
        )
    if cluster_target is None:
        return CascadeCheck(False, None, _("Set the cluster target for this year first."))
    missing = [pid for pid, v in values.items() if v is None]
    if missing:
        return CascadeCheck(False, None, _("Every province needs a target."))
    ids = list(values)
    weight_list = [(weights or {}).get(pid) for pid in ids]
    if indicator.aggregation == Indicator.Aggregation.WEIGHTED_MEAN and any(
        w is None for w in weight_list
    ):
        return CascadeCheck(False, None, _("A weighted mean needs a weight for every province."))
    # Every value is present (checked above), and so is every weight a weighted mean needs.
    combined = combine(
        indicator.aggregation,
        [v for pid in ids if (v := values[pid]) is not None],
        weight_list,
    )
    if combined is None:
        return CascadeCheck(False, None, _("The province targets cannot be combined."))
    unit, places = unit_of(indicator), indicator.decimal_places
    combined = combined.quantize(unit, ROUND_HALF_UP)
    names = {
        "rule": indicator.get_aggregation_display(),
        "combined": _fmt(combined, places),
        "target": _fmt(cluster_target, places),
    }
    if abs(combined - cluster_target) <= unit:
        return CascadeCheck(
            True, combined, _("The province targets agree with the cluster target.")
        )
    if indicator.cascade_rule == Indicator.CascadeRule.AT_LEAST:
        up = indicator.direction == Indicator.Direction.UP
        if (combined > cluster_target) if up else (combined < cluster_target):
            return CascadeCheck(
                True,
                combined,
                (
                    _(
                        "Combined (%(rule)s), the province commitments give %(combined)s, more than the cluster target %(target)s: allowed, as this indicator accepts commitments beyond the target."
                    )
                    if up
                    else _(
                        "Combined (%(rule)s), the province commitments give %(combined)s, below the cluster target %(target)s: allowed, as lower is better and this indicator accepts commitments beyond the target."
                    )
                )
                % names,
            )
        return CascadeCheck(
            False,
            combined,
            (
                _(
                    "Combined (%(rule)s), the province targets give %(combined)s, less than the cluster target %(target)s."
                )
                if up
                else _(
                    "Combined (%(rule)s), the province targets give %(combined)s, above the cluster target %(target)s (lower is better)."
                )
            )
            % names,
        )
    return CascadeCheck(
        False,
        combined,
        _(
            "Combined (%(rule)s), the province targets give %(combined)s, not the cluster target %(target)s."
        )
        % names,
    )


class SplitMethod:
    EQUAL = "equal"
    WEIGHTS = "weights"
    BASELINE = "baseline"


def cascade_split(
    *,
    indicator: Indicator,
    cluster_target: Decimal,
    province_ids: list[int],
    method: str,
    shares: Mapping[int, Decimal | None] | None = None,
) -> dict[int, Decimal]:
    """Proposed province targets that agree with `cluster_target`.

    `shares` are the weights (method "weights") or the province baselines ("baseline"). For
    a sum the target is split in those proportions; for a mean the provinces' targets are
    spread in those proportions around the cluster target so that their mean is the target;
    for a weighted mean, min or max every province gets the cluster target itself.
    """
    n = len(province_ids)
    if not n:
        return {}
    agg = Indicator.Aggregation
    if method == SplitMethod.EQUAL or indicator.aggregation not in (agg.SUM, agg.MEAN):
        if indicator.aggregation == agg.SUM:
            return _rounded_split(
                cluster_target, {pid: Decimal(1) for pid in province_ids}, unit_of(indicator)
            )
        return dict.fromkeys(province_ids, cluster_target)
    raw = {pid: (shares or {}).get(pid) or Decimal(0) for pid in province_ids}
    if not any(raw.values()):
        raise ValidationError(
            _(
                "No province has a weight yet: enter the weights (or copy them) before splitting by weight; nothing was split."
            )
            if method == SplitMethod.WEIGHTS
            else _("No province has a baseline value to split by.")
        )
    lacking = [pid for pid in province_ids if (shares or {}).get(pid) is None]
    if method == SplitMethod.WEIGHTS and lacking:
        raise ValidationError(
            _(
                "%(count)s provinces have no weight: enter a weight for every province (0 for none) before splitting by weight; nothing was split."
            )
            % {"count": len(lacking)}
        )
    unit = unit_of(indicator)
    if indicator.aggregation == agg.SUM:
        return _rounded_split(cluster_target, raw, unit)
    # Mean: scale the proportions so the plain mean equals the target.
    scaled = {pid: share * n for pid, share in raw.items()}
    return _rounded_split(cluster_target * n, scaled, unit)


def _rounded_split(
    total: Decimal, shares: Mapping[int, Decimal], unit: Decimal = CENT
) -> dict[int, Decimal]:
    """Split `total` by `shares`, rounded to the indicator's places, the remainder on the
    largest share so the parts add up exactly."""
    whole = sum(shares.values(), Decimal(0))
    parts = {pid: (total * s / whole).quantize(unit, ROUND_HALF_UP) for pid, s in shares.items()}
    remainder = total - sum(parts.values(), Decimal(0))
    if remainder:
        largest = max(shares, key=lambda pid: shares[pid])
        parts[largest] += remainder
    return parts


@transaction.atomic
def cascade_save(
    *,
    indicator: Indicator,
    fiscal_year: int,
    values: Mapping[int, Decimal | None],
    weights: Mapping[int, Decimal | None] | None = None,
) -> CascadeCheck:
    """Save the province targets of one year; refuse when they disagree with the cluster."""
    target = Target.objects.filter(indicator=indicator, fiscal_year=fiscal_year).first()
    check = cascade_check(
        indicator=indicator,
        cluster_target=target.value if target else None,
        values=values,
        weights=weights,
    )
    if not check.ok:
        raise ValidationError(check.message, code="cascade")
    existing = {
        pt.province_id: pt
        for pt in ProvinceTarget.objects.filter(indicator=indicator, fiscal_year=fiscal_year)
    }
    for province_id, value in values.items():
        assert value is not None  # cascade_check refuses a missing province target
        weight = (weights or {}).get(province_id)
        row = existing.get(province_id)
        if row is None:
            row = ProvinceTarget.objects.create(
                indicator=indicator,
                province_id=province_id,
                fiscal_year=fiscal_year,
                value=value,
                weight=weight,
            )
        elif row.value != value or row.weight != weight:
            row.value, row.weight = value, weight
            row.save(update_fields=["value", "weight"])
        Result.objects.filter(
            indicator=indicator, province_id=province_id, fiscal_year=fiscal_year
        ).exclude(province_target=row).update(province_target=row)
    events.publish(
        events.TARGETS_CHANGED, cluster_id=indicator.cluster_id, indicator_id=indicator.pk
    )
    return check


@transaction.atomic
def weights_save(
    *, indicator: Indicator, fiscal_years: list[int], weights: Mapping[int, Decimal | None]
) -> int:
    """Keep each province's weight for the years given, with or without targets (a row may
    hold only a weight). Returns how many rows changed."""
    existing = {
        (pt.province_id, pt.fiscal_year): pt
        for pt in ProvinceTarget.objects.filter(indicator=indicator, fiscal_year__in=fiscal_years)
    }
    changed = 0
    for year in fiscal_years:
        for province_id, weight in weights.items():
            row = existing.get((province_id, year))
            if row is None:
                if weight is None:
                    continue
                row = ProvinceTarget.objects.create(
                    indicator=indicator,
                    province_id=province_id,
                    fiscal_year=year,
                    value=None,
                    weight=weight,
                )
                Result.objects.filter(
                    indicator=indicator, province_id=province_id, fiscal_year=year
                ).update(province_target=row)
                changed += 1
            elif row.weight != weight:
                if weight is None and row.value is None:
                    row.delete()
                else:
                    row.weight = weight
                    row.save(update_fields=["weight"])
                changed += 1
    if changed:
        events.publish(
            events.TARGETS_CHANGED, cluster_id=indicator.cluster_id, indicator_id=indicator.pk
        )
    return changed


def cascade_checks(
    *,
    indicator: Indicator,
    cluster_targets: Mapping[int, Decimal | None],
    province_values: Mapping[int, Mapping[int, Decimal | None]],
    weights: Mapping[int, Decimal | None] | None = None,
) -> list[tuple[int, CascadeCheck | None]]:
    """The cascade check of each year, in order; None for a year with nothing entered."""
    out: list[tuple[int, CascadeCheck | None]] = []
    for year, values in province_values.items():
        cluster = cluster_targets.get(year)
        if cluster is None and not any(v is not None for v in values.values()):
            out.append((year, None))
            continue
        check = cascade_check(
            indicator=indicator, cluster_target=cluster, values=values, weights=weights
        )
        out.append((year, check))
    return out


def cascade_propose(
    *,
    indicator: Indicator,
    cluster_targets: Mapping[int, Decimal | None],
    province_ids: list[int],
    method: str,
    weights: Mapping[int, Decimal | None] | None = None,
) -> dict[int, dict[int, Decimal]]:
    """Proposed province targets for every year that has a cluster target (saves nothing):
    split equally, by `weights`, or by each province's baseline for that year."""
    proposal: dict[int, dict[int, Decimal]] = {}
    for year, cluster in cluster_targets.items():
        if cluster is None:
            continue
        shares: Mapping[int, Decimal | None] | None = (
            dict(selectors.province_baselines(indicator, year))
            if method == SplitMethod.BASELINE
            else weights
        )
        proposal[year] = cascade_split(
            indicator=indicator,
            cluster_target=cluster,
            province_ids=province_ids,
            method=method,
            shares=shares,
        )
    return proposal


@transaction.atomic
def targets_cascade_save(
    *,
    indicator: Indicator,
    cluster_targets: Mapping[int, Decimal | None],
    province_values: Mapping[int, Mapping[int, Decimal | None]],
    weights: Mapping[int, Decimal | None] | None = None,
    lock_version: int | None = None,
) -> None:
    """Save the cluster targets per year and the province targets of every year that has
    any: everything, or — when any year disagrees with its cluster target — nothing, with
    one error per year that disagrees. `lock_version` is the targets' version the person
    read (`Indicator.targets_lock_version`): a stale table raises StaleVersion."""
    indicator.targets_lock_version = guarded_touch(
        Indicator, indicator.pk, expected=lock_version, field="targets_lock_version"
    )
    targets_set(indicator=indicator, values=cluster_targets)
    if weights is not None:
        # Weights are kept even for years without targets yet.
        weights_save(indicator=indicator, fiscal_years=list(province_values), weights=weights)
    errors = []
    for year, values in province_values.items():
        if not any(v is not None for v in values.values()):
            continue
        try:
            cascade_save(indicator=indicator, fiscal_year=year, values=values, weights=weights)
        except ValidationError as err:
            errors.append(f"{year}: {' '.join(err.messages)}")
    if errors:
        raise ValidationError(errors)
