"""The Django admin for closures and openings, routed through clock.services so that every change
is permitted, audited and announced like one made on the calendar page."""

from django import forms
from django.contrib import admin

from accounts.permissions import Action, user_can
from clock.models import CalendarAdjustment
from clock.services import add_adjustment, adjustment_problems, remove_adjustment


class CalendarAdjustmentForm(forms.ModelForm):
    class Meta:
        model = CalendarAdjustment
        fields = ["calendar", "day", "kind", "reason"]

    def clean(self):
        cleaned = super().clean()
        for problem in adjustment_problems(cleaned.get("calendar"), cleaned.get("day"), cleaned.get("kind"),
                                           (cleaned.get("reason") or "").strip()):
            if problem.field not in self.errors:
                self.add_error(problem.field if problem.field in self.fields else None, problem.message)
        return cleaned


@admin.register(CalendarAdjustment)
class CalendarAdjustmentAdmin(admin.ModelAdmin):
    form = CalendarAdjustmentForm
    list_display = ("day", "calendar", "kind", "reason", "created_by", "created_at")
    list_filter = ("calendar", "kind")
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return super().has_add_permission(request) and user_can(request.user, Action.MANAGE_CALENDAR)

    def has_change_permission(self, request, obj=None):
        return False  # adjustments are removed and added again, never edited

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and user_can(request.user, Action.MANAGE_CALENDAR)

    def save_model(self, request, obj, form, change):
        added = add_adjustment(obj.calendar, obj.day, obj.kind, obj.reason, by=request.user)
        obj.pk, obj.created_by, obj.created_at = added.pk, added.created_by, added.created_at

    def delete_model(self, request, obj):
        remove_adjustment(obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for adjustment in queryset:
            remove_adjustment(adjustment, by=request.user)
