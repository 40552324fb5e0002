"""Permission matrix of the core's pages: people, agencies, documents and the cluster's
settings (gathered by tests/test_permission_matrix.py).

Subjects: `person` is a province officer of the demo province, `agency` an agency of the demo
cluster, `cluster` the demo cluster. The demo cluster's OSM staff and administrators manage
them; central users read them (403 on changes); staff of another cluster get 404; people who
manage nobody are refused the lists (403) and see no person (404). Destructive POSTs build a
fresh object per request.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.urls import reverse
from django.utils import timezone

from osm.models import Agency, Invitation, RoleAssignment
from tests.factories import AgencyFactory, UserFactory, assign
from tests.test_permission_matrix import Case, everyone, signed_in

# Lists: managers (and central, read-only) in; the rest refused.
LIST = {
    **everyone(403),
    "anonymous": 302,
    "central": 200,
    "osm_staff": 200,
    "other_staff": 200,
    "admin": 200,
    "dual": 200,  # OSM staff of another cluster (and an officer here): manages people there
}
# A person's page: readers of people; another cluster's staff do not find them.
DETAIL = {**LIST, "other_staff": 404, "dual": 404}
# Forms for managers only; central reads but may not change.
CREATE = {**LIST, "central": 403}


def manage(status: int = 200) -> dict[str, int]:
    """Changing an object of the demo cluster: its staff and administrators."""
    return {
        **everyone(404),
        "anonymous": 302,
        "central": 403,
        "osm_staff": status,
        "admin": status,
    }


def wrong_method() -> dict[str, int]:
    return {**everyone(405), "anonymous": 302}


def build_subjects(ns: SimpleNamespace) -> None:
    world = ns.world
    ns.person = assign(UserFactory(), "province_officer", province=world.province)
    ns.role = ns.person.roles.get()
    ns.agency = AgencyFactory(cluster=world.cluster, province=world.province)
    ns.invitation = _invitation(ns)
    ns.document = _document(ns)
    ns.cluster = world.cluster


def _document(s: SimpleNamespace) -> Any:
    """A ready document of the test-only kind about the demo cluster (files in tmp_path)."""
    from osm import registry
    from osm.documents.services import document_render, document_request
    from tests.osm.document_kinds import SAMPLE, SAMPLE_KIND

    s.settings.PRIVATE_MEDIA_ROOT = s.tmp_path / "evidence"  # as the other matrices
    registry.document_kinds.setdefault(SAMPLE, SAMPLE_KIND)
    document = document_request(kind=SAMPLE, subject=s.world.cluster, by=None)
    document_render(document_id=document.pk)
    document.refresh_from_db()
    return document


def _officer(s: SimpleNamespace) -> Any:
    return assign(UserFactory(), "province_officer", province=s.world.province)


def _invitation(s: SimpleNamespace) -> Invitation:
    n = Invitation.objects.count()
    return Invitation.objects.create(
        email=f"invitee{n}@example.test",
        first_name="ผู้ได้รับเชิญ",
        role=RoleAssignment.Role.COMMITTEE,
        cluster=s.world.cluster,
        key=f"key-{n}-{timezone.now().timestamp()}",
        expires_at=timezone.now() + timedelta(days=7),
    )


def _fresh(name: str, make: Any) -> Any:
    return lambda s: reverse(name, args=[make(s).pk])


def _on(name: str, attr: str) -> Any:
    return lambda s: reverse(name, args=[getattr(s, attr).pk])


def _invite_data(s: SimpleNamespace) -> dict[str, Any]:
    n = Invitation.objects.count()
    return {
        "email": f"new{n}@example.test",
        "first_name": "ใหม่",
        "role": "committee",
        "cluster": s.world.cluster.pk,
        "language": "th",
    }


# The cluster's settings: its OSM staff (and administrators) change them; those who read the
# cluster otherwise (central, its committee, its officers) get 403; outsiders 404.
SETTINGS = signed_in(403, other_staff=404, no_role=404)


def settings_editor(status: int) -> dict[str, int]:
    return {**SETTINGS, "osm_staff": status, "admin": status}


CASES: dict[str, list[Case]] = {
    "osm:cluster-settings": [
        Case(_on("osm:cluster-settings", "cluster"), settings_editor(200)),
        Case(
            _on("osm:cluster-settings", "cluster"),
            settings_editor(302),
            method="post",
            data=lambda s: {"thai_digits": "on"},
        ),
    ],
    "osm:people-list": [
        Case(lambda s: reverse("osm:people-list"), LIST),
        Case(lambda s: reverse("osm:people-list"), LIST, headers={"HX-Request": "true"}),
    ],
    "osm:person-detail": [Case(_on("osm:person-detail", "person"), DETAIL)],
    "osm:person-edit": [
        Case(_on("osm:person-edit", "person"), manage(200)),
        Case(
            _on("osm:person-edit", "person"),
            manage(302),
            method="post",
            data=lambda s: {"first_name": "วิภา", "last_name": "ใจดี", "email": s.person.email},
        ),
    ],
    "osm:person-deactivate": [
        Case(_on("osm:person-deactivate", "person"), manage(200)),
        Case(_fresh("osm:person-deactivate", _officer), manage(302), method="post"),
    ],
    "osm:person-reactivate": [
        Case(_on("osm:person-reactivate", "person"), wrong_method()),
        Case(_fresh("osm:person-reactivate", _officer), manage(302), method="post"),
    ],
    "osm:role-add": [
        Case(_on("osm:role-add", "person"), manage(200)),
        Case(
            _fresh("osm:role-add", _officer),
            manage(302),
            method="post",
            data=lambda s: {"role": "committee", "cluster": s.world.cluster.pk},
        ),
    ],
    "osm:role-edit": [
        Case(_on("osm:role-edit", "role"), manage(200)),
        Case(
            lambda s: reverse("osm:role-edit", args=[_officer(s).roles.get().pk]),
            manage(302),
            method="post",
            data=lambda s: {"role": "province_officer", "province": s.world.sibling.pk},
        ),
    ],
    "osm:role-delete": [
        Case(_on("osm:role-delete", "role"), manage(200)),
        Case(
            lambda s: reverse("osm:role-delete", args=[_officer(s).roles.get().pk]),
            manage(302),
            method="post",
        ),
    ],
    "osm:invitation-create": [
        Case(lambda s: reverse("osm:invitation-create"), CREATE),
        # Another cluster's staff are not offered the demo cluster: the form comes back.
        Case(
            lambda s: reverse("osm:invitation-create"),
            CREATE | {"osm_staff": 302, "admin": 302},
            method="post",
            data=_invite_data,
        ),
    ],
    "osm:invitation-resend": [
        Case(_on("osm:invitation-resend", "invitation"), wrong_method()),
        Case(_fresh("osm:invitation-resend", _invitation), manage(302), method="post"),
    ],
    "osm:invitation-revoke": [
        Case(_on("osm:invitation-revoke", "invitation"), manage(200)),
        Case(_fresh("osm:invitation-revoke", _invitation), manage(302), method="post"),
    ],
    "osm:invitation-accept": [
        Case(lambda s: reverse("osm:invitation-accept", args=[s.invitation.key]), everyone(200)),
        Case(lambda s: reverse("osm:invitation-accept", args=["no-such-key"]), everyone(404)),
        # Accepting with an unknown key: nobody gets an account, nothing is written.
        Case(
            lambda s: reverse("osm:invitation-accept", args=["no-such-key"]),
            everyone(404),
            method="post",
        ),
    ],
    "osm:agency-list": [
        Case(lambda s: reverse("osm:agency-list"), LIST),
        Case(lambda s: reverse("osm:agency-list"), LIST, headers={"HX-Request": "true"}),
    ],
    "osm:agency-create": [
        Case(lambda s: reverse("osm:agency-create"), CREATE),
        Case(
            lambda s: reverse("osm:agency-create"),
            CREATE | {"osm_staff": 302, "admin": 302},
            method="post",
            data=lambda s: {
                "name_th": f"หน่วยงานใหม่ {Agency.objects.count()}",
                "kind": "line",
                "cluster": s.world.cluster.pk,
            },
        ),
    ],
    "osm:agency-edit": [
        Case(_on("osm:agency-edit", "agency"), manage(200)),
        Case(
            _on("osm:agency-edit", "agency"),
            manage(302),
            method="post",
            data=lambda s: {
                "name_th": s.agency.name_th,
                "kind": "line",
                "cluster": s.world.cluster.pk,
                "province": s.world.province.pk,
            },
        ),
    ],
    "osm:agency-deactivate": [
        Case(_on("osm:agency-deactivate", "agency"), manage(200)),
        Case(
            _fresh("osm:agency-deactivate", lambda s: AgencyFactory(cluster=s.world.cluster)),
            manage(302),
            method="post",
        ),
    ],
    "osm:agency-reactivate": [
        Case(_on("osm:agency-reactivate", "agency"), wrong_method()),
        Case(
            _fresh(
                "osm:agency-reactivate",
                lambda s: AgencyFactory(cluster=s.world.cluster, is_active=False),
            ),
            manage(302),
            method="post",
        ),
    ],
    "osm:agency-delete": [
        Case(_on("osm:agency-delete", "agency"), manage(200)),
        Case(
            _fresh("osm:agency-delete", lambda s: AgencyFactory(cluster=s.world.cluster)),
            manage(302),
            method="post",
        ),
    ],
    # Documents (test-only kind about the demo cluster): its staff (and administrators)
    # generate; its staff, committee and central users read and download; others get 404.
    "osm:document-generate": [
        Case(
            lambda s: reverse("osm:document-generate", args=["tests.sample", s.world.cluster.pk]),
            signed_in(404, osm_staff=302, admin=302, central=403, committee=403),
            method="post",
            data=lambda s: {"n": "0"},
        ),
        Case(
            lambda s: reverse("osm:document-generate", args=["tests.sample", s.world.cluster.pk]),
            {**everyone(405), "anonymous": 302},
        ),
    ],
    "osm:document-status": [
        Case(
            _on("osm:document-status", "document"),
            signed_in(404, osm_staff=200, admin=200, central=200, committee=200),
        )
    ],
    "osm:document-download": [
        Case(
            _on("osm:document-download", "document"),
            signed_in(404, osm_staff=200, admin=200, central=200, committee=200),
        )
    ],
}
