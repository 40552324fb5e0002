from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from osm.models import (
    Agency,
    Alert,
    Cluster,
    Document,
    Invitation,
    Notification,
    OutboxEmail,
    Province,
    RoleAssignment,
    User,
)

admin.site.site_header = _("OSM administration")
admin.site.site_title = _("OSM administration")


class ProvinceInline(admin.TabularInline[Province, Cluster]):
    model = Province
    fields = ["code", "name_th", "name_en"]
    extra = 0
    show_change_link = True


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin[Cluster]):
    list_display = ["number", "name_th", "name_en", "region_th", "lead_province", "thai_digits"]
    search_fields = ["name_th", "name_en"]
    list_select_related = ["lead_province"]
    autocomplete_fields = ["lead_province"]
    inlines = [ProvinceInline]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin[Province]):
    list_display = ["code", "name_th", "name_en", "cluster"]
    list_filter = ["cluster"]
    search_fields = ["code", "name_th", "name_en"]
    list_select_related = ["cluster"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name_th", "kind", "cluster", "province", "is_active"]
    list_filter = ["kind", "is_active", "cluster"]
    search_fields = ["name_th", "name_en"]
    list_select_related = ["cluster", "province"]
    autocomplete_fields = ["province", "cluster"]


class RoleAssignmentInline(admin.TabularInline[RoleAssignment, User]):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["cluster", "province"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("OSM"), {"fields": ("position", "thai_digits", "language")}),
    )
    inlines = [RoleAssignmentInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["title", "user", "level", "created_at", "read_at", "emailed_at"]
    list_filter = ["level"]
    search_fields = ["title", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["created_at", "emailed_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = [
        "email",
        "role",
        "cluster",
        "province",
        "created_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["cluster", "province"]
    # The link key is a secret of the invitee's; never shown.
    exclude = ["key"]
    readonly_fields = ["invited_by", "created_at", "sent_at", "accepted_at", "accepted_user"]


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin[OutboxEmail]):
    """The e-mail outbox: what waits, what failed and why; failed e-mails can be retried."""

    list_display = ["subject", "status", "attempts", "created_at", "sent_at", "next_attempt_at"]
    list_filter = ["status", "language"]
    search_fields = ["subject", "dedupe_key"]
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send the selected failed e-mails again"))
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxEmail]) -> None:
        from osm.outbox import outbox_retry

        count = outbox_retry(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail will be sent again.",
                "%(count)d e-mails will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin[Document]):
    """Generated documents and how their rendering went (read only: staff regenerate them
    from the app's pages)."""

    list_display = ["kind", "cluster", "object_id", "status", "generation", "attempts", "pages"]
    list_display += ["requested_at", "finished_at", "error_code"]
    list_filter = ["status", "kind", "cluster"]
    list_select_related = ["cluster"]
    readonly_fields = [f.name for f in Document._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin[Alert]):
    """For maintainers: the early warnings as records (people act on them in the app)."""

    list_display = ["rule", "period", "severity", "cluster", "province", "raised_at", "resolved_at"]
    list_filter = ["rule", "severity", "resolution"]
    list_select_related = ["cluster", "province"]
    date_hierarchy = "raised_at"
    readonly_fields = [f.name for f in Alert._meta.fields]
