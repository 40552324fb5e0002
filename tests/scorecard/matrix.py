"""Every scorecard URL × every persona (see tests/test_permission_matrix.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from osm.lib.workflow import ReviewStatus
from scorecard import services
from scorecard.models import Result
from strategy.models import Plan
from tests.factories import IndicatorFactory, ObjectiveFactory, PlanFactory, targets_for
from tests.test_permission_matrix import Case, signed_in, u


def cluster_reader(**overrides: int) -> dict[str, int]:
    """Read access for the demo cluster's people and central users; 404 outside."""
    return signed_in(200, other_staff=404, no_role=404, **overrides)


def cluster_editor(ok: int = 200) -> dict[str, int]:
    """Only OSM staff of the cluster (and administrators) may; readers get 403."""
    return signed_in(403, osm_staff=ok, admin=ok, other_staff=404, no_role=404)


def result_reader() -> dict[str, int]:
    """Chiang Mai's unapproved result: the sibling province's officer cannot see it."""
    return signed_in(200, other_staff=404, other_officer=404, no_role=404)


def _version(s: SimpleNamespace, attr: str) -> int:
    return Result.objects.get(pk=getattr(s, attr).pk).version


def build_subjects(ns: SimpleNamespace) -> None:
    world = ns.world
    staff = ns.people["osm_staff"]
    # Other apps' matrices add their own objects to `ns`; ours are prefixed with sc_.
    plan = Plan.objects.filter(
        cluster=world.cluster, start_year=2566, end_year=2570, status=Plan.Status.APPROVED
    ).first() or PlanFactory(cluster=world.cluster)
    ns.sc_objective = ObjectiveFactory(issue__plan=plan)
    ns.sc_indicator = IndicatorFactory(objective=ns.sc_objective)
    provinces = list(world.cluster.provinces.all())
    targets_for(ns.sc_indicator, 2570, Decimal(len(provinces)), {p: Decimal(1) for p in provinces})
    ns.sc_round = services.round_open(
        cluster=world.cluster,
        fiscal_year=2570,
        quarter=1,
        opens_on=dt.date(2026, 11, 1),
        deadline=dt.date(2027, 1, 20),
        by=staff,
    )
    ns.sc_result = Result.objects.select_related("indicator", "round", "province_target").get(
        round=ns.sc_round, province=world.province
    )
    ns.sc_submitted = Result.objects.select_related("indicator", "round", "province_target").get(
        round=ns.sc_round, province=world.sibling
    )
    services.result_save(
        result=ns.sc_submitted,
        by=ns.people["other_officer"],
        expected_version=1,
        reporting="reported",
        value=Decimal(1),
        submit=True,
    )
    assert ns.sc_submitted.status == ReviewStatus.SUBMITTED
    ns.settings.PRIVATE_MEDIA_ROOT = ns.tmp_path / "evidence"
    ns.sc_evidence = services.evidence_add(
        result=ns.sc_result,
        by=ns.people["province_officer"],
        upload=SimpleUploadedFile("หลักฐาน.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    ns.sc_evidence_unowned = services.evidence_add(
        result=ns.sc_result,
        by=None,
        upload=SimpleUploadedFile("ภาพ.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )


CASES: dict[str, list[Case]] = {
    "scorecard:indicator-fate": [
        # Undo a (not yet made) choice: harmless to repeat for every persona.
        Case(
            u("scorecard:indicator-fate", lambda s: s.sc_indicator.pk),
            cluster_editor(302),
            method="post",
            data=lambda s: {"action": "clear"},
        ),
        Case(u("scorecard:indicator-fate", lambda s: s.sc_indicator.pk), signed_in(405)),
    ],
    "scorecard:index": [Case(u("scorecard:index"), signed_in(302, no_role=403))],
    "scorecard:national": [Case(u("scorecard:national"), signed_in(403, central=200, admin=200))],
    "scorecard:cluster": [
        Case(u("scorecard:cluster", lambda s: s.world.cluster.pk), cluster_reader()),
        Case(
            u("scorecard:cluster", lambda s: s.world.cluster.pk),
            cluster_reader(),
            headers={"HX-Request": "true"},
        ),
    ],
    "scorecard:comparison": [
        Case(u("scorecard:comparison", lambda s: s.world.cluster.pk), cluster_reader())
    ],
    "scorecard:timeliness": [
        Case(
            u("scorecard:timeliness", lambda s: s.world.cluster.pk),
            cluster_reader(province_officer=403, other_officer=403),
        )
    ],
    "scorecard:round-list": [
        Case(u("scorecard:round-list", lambda s: s.world.cluster.pk), cluster_reader()),
        # An empty form: editors see it again with errors; nothing is created.
        Case(
            u("scorecard:round-list", lambda s: s.world.cluster.pk),
            cluster_editor(200),
            method="post",
        ),
    ],
    "scorecard:review": [
        Case(u("scorecard:review", lambda s: s.world.cluster.pk), cluster_editor(200))
    ],
    "scorecard:indicator-create": [
        Case(u("scorecard:indicator-create", lambda s: s.sc_objective.pk), cluster_editor(200)),
        Case(
            u("scorecard:indicator-create", lambda s: s.sc_objective.pk),
            cluster_editor(200),
            method="post",
        ),
    ],
    "scorecard:indicator-detail": [
        Case(u("scorecard:indicator-detail", lambda s: s.sc_indicator.pk), cluster_reader())
    ],
    "scorecard:indicator-edit": [
        Case(u("scorecard:indicator-edit", lambda s: s.sc_indicator.pk), cluster_editor(200)),
        Case(
            u("scorecard:indicator-edit", lambda s: s.sc_indicator.pk),
            cluster_editor(200),
            method="post",
            data=lambda s: {"code": ""},
        ),
    ],
    "scorecard:targets": [
        Case(u("scorecard:targets", lambda s: s.sc_indicator.pk), cluster_reader()),
        Case(
            u("scorecard:targets", lambda s: s.sc_indicator.pk),
            cluster_editor(200),
            method="post",
            data=lambda s: {"cluster-2570": "not a number"},
        ),
    ],
    "scorecard:cascade-check": [
        Case(
            u("scorecard:cascade-check", lambda s: s.sc_indicator.pk),
            signed_in(405),
        ),
        Case(
            u("scorecard:cascade-check", lambda s: s.sc_indicator.pk),
            cluster_editor(200),
            method="post",
            headers={"HX-Request": "true"},
        ),
    ],
    "scorecard:round-detail": [
        Case(u("scorecard:round-detail", lambda s: s.sc_round.pk), cluster_reader())
    ],
    "scorecard:round-workbook": [
        Case(u("scorecard:round-workbook", lambda s: s.sc_round.pk), cluster_reader())
    ],
    # No file: the provinces' officers see the form again (400); nobody else may upload.
    "scorecard:round-upload": [
        Case(u("scorecard:round-upload", lambda s: s.sc_round.pk), signed_in(405)),
        Case(
            u("scorecard:round-upload", lambda s: s.sc_round.pk),
            signed_in(
                403,
                province_officer=400,
                other_officer=400,
                admin=400,
                other_staff=404,
                no_role=404,
            ),
            method="post",
        ),
    ],
    "scorecard:round-close": [
        Case(u("scorecard:round-close", lambda s: s.sc_round.pk), signed_in(405)),
        Case(
            u("scorecard:round-close", lambda s: s.sc_round.pk), cluster_editor(302), method="post"
        ),
    ],
    "scorecard:round-reopen": [
        Case(
            u("scorecard:round-reopen", lambda s: s.sc_round.pk),
            cluster_editor(302),
            method="post",
            data=lambda s: {"reason": "ขยายเวลา"},
        ),
    ],
    "scorecard:result-edit": [
        Case(u("scorecard:result-edit", lambda s: s.sc_result.pk), result_reader()),
        # Only Chiang Mai's officer (and administrators) may enter Chiang Mai's result.
        Case(
            u("scorecard:result-edit", lambda s: s.sc_result.pk),
            signed_in(
                403,
                province_officer=302,
                admin=302,
                other_staff=404,
                other_officer=404,
                no_role=404,
            ),
            method="post",
            data=lambda s: {
                "reporting": "reported",
                "value": "1",
                "action": "draft",
                "version": _version(s, "sc_result"),
            },
        ),
    ],
    "scorecard:result-review": [
        Case(
            u("scorecard:result-review", lambda s: s.sc_submitted.pk),
            signed_in(
                403, osm_staff=302, admin=302, province_officer=404, other_staff=404, no_role=404
            ),
            method="post",
            # Returning without a reason is refused (a message), so every persona sees the
            # same submitted result.
            data=lambda s: {"decision": "return", "version": _version(s, "sc_submitted")},
        ),
    ],
    "scorecard:result-reopen": [
        Case(
            u("scorecard:result-reopen", lambda s: s.sc_submitted.pk),
            signed_in(
                403, osm_staff=302, admin=302, province_officer=404, other_staff=404, no_role=404
            ),
            method="post",
            data=lambda s: {"reason": "แก้ไข", "version": _version(s, "sc_submitted")},
        ),
    ],
    "scorecard:evidence-download": [
        Case(u("scorecard:evidence-download", lambda s: s.sc_evidence.pk), result_reader())
    ],
    "scorecard:evidence-delete": [
        # Asking first: only the province's officers may remove its evidence; readers 403.
        Case(
            u("scorecard:evidence-delete", lambda s: s.sc_evidence.pk),
            signed_in(
                403,
                province_officer=200,
                admin=200,
                other_staff=404,
                other_officer=404,
                no_role=404,
            ),
        ),
        # A file nobody here uploaded: those allowed there are told why not (a message);
        # the uploader's own removal is tested in tests/scorecard/test_frictions.py.
        Case(
            u("scorecard:evidence-delete", lambda s: s.sc_evidence_unowned.pk),
            signed_in(
                403,
                province_officer=302,
                admin=302,
                other_staff=404,
                other_officer=404,
                no_role=404,
            ),
            method="post",
        ),
    ],
    "scorecard:review-approve": [
        Case(u("scorecard:review-approve", lambda s: s.world.cluster.pk), signed_in(405)),
        # Ticked values: the confirmation page (nothing approved before it is confirmed).
        Case(
            u("scorecard:review-approve", lambda s: s.world.cluster.pk),
            cluster_editor(200),
            method="post",
            data=lambda s: {"result": f"{s.sc_submitted.pk}.{_version(s, 'sc_submitted')}"},
        ),
    ],
}
