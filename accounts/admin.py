from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import Organisation, RoleGrant, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "parent")
    list_filter = ("kind",)


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(User)
class ConcordatUserAdmin(UserAdmin):
    list_display = ("username", "full_name", "organisation", "is_active")
    list_filter = ("organisation", "is_active")
    fieldsets = UserAdmin.fieldsets + (("Organisation", {"fields": ("organisation", "full_name", "job_title")}),)
    inlines = [RoleGrantInline]
