"""A toy rule for the core's tests: it finds what the test puts in `holding`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from osm import registry
from osm.alerts.models import Audience, Channel
from osm.alerts.rules import AlertRule, Condition, RuleContext, Threshold, names


class Toy:
    def __init__(self) -> None:
        self.holding: list[Condition] = []
        self.calls = 0

    def evaluate(self, ctx: RuleContext) -> Iterator[Condition]:
        self.calls += 1
        yield from self.holding


@pytest.fixture
def toy(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Replaces the registered rules with one toy rule about provinces (officers and
    staff told, e-mail at once by default, in the committee's digest)."""
    state = Toy()
    rule = AlertRule(
        code="test.toy",
        label="Toy warnings",
        model="osm.province",
        evaluate=state.evaluate,
        title="%(name)s needs a look (%(period)s)",
        body="Details: %(detail)s",
        audience=(Audience.OFFICERS, Audience.STAFF),
        default_channel=Channel.EMAIL,
        committee_digest=True,
        thresholds=(Threshold("days", "Days", 3, minimum=1, maximum=9),),
    )
    monkeypatch.setattr(registry, "alert_rules", [rule])
    state.rule = rule  # type: ignore[attr-defined]
    yield state


def condition(
    province: Any, *, year: int | None = 2570, quarter: int | None = 1, **params: Any
) -> Condition:
    return Condition(
        object_id=province.pk,
        cluster_id=province.cluster_id,
        province_id=province.pk,
        fiscal_year=year,
        quarter=quarter,
        params={"name": names(province), "detail": "—", **params},
        url=province.get_absolute_url(),
    )
