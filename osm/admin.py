from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from osm.models import Agency, Cluster, Notification, Province, RoleAssignment, User

admin.site.site_header = _("OSM administration")
admin.site.site_title = _("OSM administration")


class ProvinceInline(admin.TabularInline[Province, Cluster]):
    model = Province
    fields = ["code", "name_th", "name_en"]
    extra = 0
    show_change_link = True


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin[Cluster]):
    list_display = ["number", "name_th", "name_en", "region_th", "lead_province"]
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
    list_display = ["name_th", "kind", "cluster", "province"]
    list_filter = ["kind", "cluster"]
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
        (_("OSM"), {"fields": ("position", "thai_digits")}),
    )
    inlines = [RoleAssignmentInline]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["title", "user", "level", "created_at", "read_at", "emailed_at"]
    list_filter = ["level"]
    search_fields = ["title", "user__username"]
    list_select_related = ["user"]
    readonly_fields = ["created_at", "emailed_at"]
