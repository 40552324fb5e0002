"""Every projects URL × every persona (see tests/test_permission_matrix.py)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import Project
from projects.services import progress
from projects.services.money import disbursement_plan_set
from projects.services.projects import project_create
from strategy.models import Plan
from tests.factories import ObjectiveFactory, PlanFactory
from tests.test_permission_matrix import Case, signed_in, u

YEAR = 2570


def reader(**overrides: int) -> dict[str, int]:
    """The cluster's people and central read; other clusters' staff and people without a
    role get 404."""
    return signed_in(200, other_staff=404, no_role=404, **overrides)


def editor(ok: int = 200) -> dict[str, int]:
    """OSM staff of the cluster (and administrators); other readers get 403."""
    return signed_in(403, osm_staff=ok, admin=ok, other_staff=404, no_role=404)


def reporter(ok: int = 200) -> dict[str, int]:
    """Staff and Chiang Mai's officer report for the Chiang Mai project; the sibling
    province's officer reads it but may not report (403)."""
    return signed_in(403, osm_staff=ok, admin=ok, province_officer=ok, other_staff=404, no_role=404)


def _version(s: SimpleNamespace, attr: str) -> int:
    return type(getattr(s, attr)).objects.get(pk=getattr(s, attr).pk).version


def build_subjects(ns: SimpleNamespace) -> None:
    world = ns.world
    plan = Plan.objects.filter(
        cluster=world.cluster, start_year=2566, end_year=2570, status=Plan.Status.APPROVED
    ).first() or PlanFactory(cluster=world.cluster)
    objective = ObjectiveFactory(issue__plan=plan)
    ns.pj_project = project_create(
        cluster=world.cluster,
        fiscal_year=YEAR,
        code="PJ1",
        name_th="โครงการทดสอบสิทธิ์",
        objective=objective,
        provinces=[world.province],
        requested=Decimal(1000),
        allocated=Decimal(1000),
        status=Project.Status.APPROVED,
    )
    disbursement_plan_set(project=ns.pj_project, amounts={1: Decimal(500)})
    ns.pj_report = progress.report_save(
        project=ns.pj_project,
        quarter=1,
        by=ns.people["province_officer"],
        expected_version=None,
        physical_pct=Decimal(10),
        disbursed_to_date=Decimal(100),
        submit=True,
    )
    # One private folder per test, shared with the scorecard's subjects (restored afterwards).
    ns.settings.PRIVATE_MEDIA_ROOT = ns.tmp_path / "evidence"
    # Evidence is added while the report is still a draft (submitted reports are locked).
    draft = progress.report_save(
        project=ns.pj_project,
        quarter=2,
        by=ns.people["province_officer"],
        expected_version=None,
        physical_pct=Decimal(20),
        disbursed_to_date=Decimal(200),
    )
    ns.pj_evidence = progress.evidence_add(
        report=draft,
        by=ns.people["province_officer"],
        upload=SimpleUploadedFile("หลักฐาน.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )


C = lambda s: s.world.cluster.pk  # noqa: E731
P = lambda s: s.pj_project.pk  # noqa: E731
R = lambda s: s.pj_report.pk  # noqa: E731

CASES: dict[str, list[Case]] = {
    "projects:index": [
        Case(
            u("projects:index"),
            signed_in(
                200,
                osm_staff=302,
                committee=302,
                province_officer=302,
                other_staff=302,
                other_officer=302,
                # Staff of one cluster and officer in another: two clusters, so the list.
                dual=200,
            ),
        )
    ],
    "projects:targets": [
        Case(u("projects:targets"), signed_in(200)),
        Case(
            u("projects:targets"),
            signed_in(403, central=302, admin=302),
            method="post",
            data=lambda s: {
                "year": 2570,
                "category": "overall",
                "q1": "20",
                "q2": "45",
                "q3": "70",
                "q4": "90",
            },
        ),
    ],
    "projects:list": [
        Case(u("projects:list", C), reader()),
        Case(u("projects:list", C), reader(), headers={"HX-Request": "true"}),
    ],
    "projects:export": [Case(u("projects:export", C), reader())],
    "projects:create": [
        Case(u("projects:create", C), editor()),
        Case(
            u("projects:create", C),
            # Staff create NEW first; the administrator's identical request then meets
            # the code uniqueness check (400, with the message in the form).
            {**editor(302), "admin": 400},
            method="post",
            data=lambda s: {
                "fiscal_year": 2570,
                "code": "NEW",
                "name_th": "โครงการใหม่",
                "objective": s.pj_project.objective_id,
                "source": "cluster",
                "frame": "within",
                "priority": 2,
                "requested": "10",
                "allocated": "0",
                "committed": "0",
            },
        ),
    ],
    "projects:action-plan": [Case(u("projects:action-plan", C), reader())],
    "projects:action-plan-ceiling": [
        Case(u("projects:action-plan-ceiling", C), signed_in(405)),
        Case(
            lambda s: f"/projects/clusters/{C(s)}/action-plan/ceiling/?year=2570",
            editor(302),
            method="post",
            data=lambda s: {"ceiling": "5000", "version": 1},
        ),
    ],
    "projects:action-plan-approve": [
        Case(u("projects:action-plan-approve", C), signed_in(405)),
        Case(
            lambda s: f"/projects/clusters/{C(s)}/action-plan/approve/?year=2570",
            editor(400),
            method="post",
            data=lambda s: {"approved_on": "", "version": 1},
        ),
    ],
    "projects:import": [
        Case(u("projects:import", C), editor()),
        # No file: the upload form again, with its error.
        Case(u("projects:import", C), editor(200), method="post", data=lambda s: {}),
    ],
    "projects:import-template": [Case(u("projects:import-template", C), editor())],
    "projects:budget": [
        Case(u("projects:budget", C), reader()),
        Case(u("projects:budget", C), reader(), headers={"HX-Request": "true"}),
    ],
    "projects:disbursement": [
        Case(u("projects:disbursement", C), reader()),
        Case(u("projects:disbursement", C), reader(), headers={"HX-Request": "true"}),
    ],
    "projects:gaps": [Case(u("projects:gaps", C), reader())],
    "projects:people": [Case(u("projects:people", C), reader())],
    "projects:review": [Case(u("projects:review", C), editor())],
    "projects:settings": [
        Case(u("projects:settings", C), editor()),
        Case(
            u("projects:settings", C),
            editor(302),
            method="post",
            data=lambda s: {"disbursement_lag_pct": "15", "progress_lag_pct": "10"},
        ),
    ],
    "projects:detail": [Case(u("projects:detail", P), reader())],
    "projects:edit": [
        Case(u("projects:edit", P), editor()),
        Case(
            u("projects:edit", P),
            editor(302),
            method="post",
            data=lambda s: {
                "code": "PJ1",
                "name_th": "โครงการทดสอบสิทธิ์",
                "objective": s.pj_project.objective_id,
                "source": "cluster",
                "frame": "within",
                "priority": 2,
                "requested": "1000",
                "allocated": "1000",
                "committed": "0",
                "provinces": [s.world.province.pk],
                "version": _version(s, "pj_project"),
            },
        ),
    ],
    "projects:move": [
        Case(u("projects:move", P), signed_in(405)),
        Case(
            u("projects:move", P), editor(302), method="post", data=lambda s: {"direction": "down"}
        ),
    ],
    "projects:disbursement-plan": [
        Case(u("projects:disbursement-plan", P), editor()),
        Case(
            u("projects:disbursement-plan", P),
            editor(302),
            method="post",
            data=lambda s: {"q1": "400", "q2": "100"},
        ),
    ],
    "projects:milestones": [
        Case(u("projects:milestones", P), editor()),
        Case(
            u("projects:milestones", P),
            editor(302),
            method="post",
            data=lambda s: {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "0",
                "form-0-name": "ลงนามสัญญา",
                "form-0-kind": "contract_signed",
                "form-0-weight": "20",
                "form-0-planned_date": "2027-03-31",
            },
        ),
    ],
    "projects:fate": [
        Case(u("projects:fate", P), signed_in(405)),
        Case(
            u("projects:fate", P), editor(302), method="post", data=lambda s: {"action": "retire"}
        ),
    ],
    "projects:report": [
        # The submitted report is not the sibling province's to see.
        Case(lambda s: f"/projects/{P(s)}/reports/1/", reader(other_officer=404)),
        Case(
            lambda s: f"/projects/{P(s)}/reports/3/",
            # Staff's POST creates the quarter's draft; the officer and the administrator
            # then post a stale form ("no report yet") and get the conflict page.
            {**reporter(302), "province_officer": 409, "admin": 409, "other_officer": 404},
            method="post",
            data=lambda s: {"physical_pct": "30", "disbursed_to_date": "300", "version": "0"},
        ),
    ],
    "projects:report-review": [
        Case(u("projects:report-review", R), signed_in(405)),
        Case(
            u("projects:report-review", R),
            {**editor(302), "other_officer": 404},
            method="post",
            data=lambda s: {
                "decision": "return",
                "reason": "ตรวจสอบตัวเลข",
                "version": _version(s, "pj_report"),
            },
        ),
    ],
    "projects:report-reopen": [
        Case(u("projects:report-reopen", R), signed_in(405)),
        Case(
            u("projects:report-reopen", R),
            {**editor(302), "other_officer": 404},
            method="post",
            data=lambda s: {"reason": "แก้ไข", "version": _version(s, "pj_report")},
        ),
    ],
    "projects:evidence-download": [
        Case(
            lambda s: f"/projects/evidence/{s.pj_evidence.pk}/",
            signed_in(200, other_staff=404, other_officer=404, no_role=404),
        ),
    ],
}
