"""The admin for organisations and people (ADR 18).

People are changed only through accounts.services: the forms ask the services' rules first, so a refusal is a
message beside the field, and saving calls the services (permission, one transaction, an audit event each).
Every change is also audited by the site (concordat.admin_site). No secret is shown: the password field says only
whether one is set, and authenticators are listed without their keys; resetting a person's second factor is an
action on the person. Authority comes from roles (RoleGrant), so Django's groups and per-model permissions are not
offered.
"""

from __future__ import annotations

from contextvars import ContextVar

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UsernameField
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.models import Organisation, RoleGrant, User
from concordat.errors import NotAllowed

STATUS_FIELDS = ("is_staff", "is_superuser")
_acting = ContextVar("acting_administrator", default=None)  # who submits the admin's password form


def _admin_actor_has(request) -> bool:
    return request.user.is_staff and services.may_administer_people(request.user)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Organisations are the bodies of the protocol: changed by a superuser only, audited by the site."""

    list_display = ("name", "short_name", "kind", "parent")
    list_filter = ("kind",)

    def has_module_permission(self, request):
        return _admin_actor_has(request)

    def has_view_permission(self, request, obj=None):
        return _admin_actor_has(request)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class RoleGrantForm(forms.ModelForm):
    class Meta:
        model = RoleGrant
        fields = ["role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # a granted role is revoked, never turned into another
            self.fields["role"].disabled = True


class RoleGrantFormSet(forms.BaseInlineFormSet):
    actor = None

    def clean(self):
        super().clean()
        if not any(form.has_changed() or self._should_delete_form(form) for form in self.forms):
            return
        person = User.objects.get(pk=self.instance.pk) if self.instance.pk else self.instance
        problem = services.refusal(self.actor, person, "roles")
        if problem:
            raise forms.ValidationError(problem)


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    form = RoleGrantForm
    formset = RoleGrantFormSet
    fields = ["role", "granted_at"]
    readonly_fields = ["granted_at"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"actor": request.user})

    def has_view_permission(self, request, obj=None):
        return _admin_actor_has(request)

    def has_add_permission(self, request, obj=None):
        return _admin_actor_has(request)

    def has_change_permission(self, request, obj=None):
        return _admin_actor_has(request)

    def has_delete_permission(self, request, obj=None):
        return _admin_actor_has(request)


class PersonChangeForm(forms.ModelForm):
    """The person's details and status; each change is checked against the services' rules in clean()."""

    actor = None

    class Meta:
        model = User
        fields = ["username", "full_name", "first_name", "last_name", "email", "job_title", "organisation",
                  "is_active", *STATUS_FIELDS]
        field_classes = {"username": UsernameField}

    def clean(self):
        cleaned = super().clean()
        stored = self.instance
        checks = {
            "organisation": lambda: services.refusal(self.actor, stored, "organisation")
            or services.organisation_refusal(self.actor, cleaned.get("organisation")),
            "is_active": lambda: services.refusal(self.actor, stored, "account status"),
            "is_staff": lambda: services.superuser_refusal(self.actor, stored, "staff status"),
            "is_superuser": lambda: services.superuser_refusal(self.actor, stored, "superuser status"),
        }
        for field, check in checks.items():
            problem = field in self.changed_data and check()
            if problem:
                self.add_error(field, problem)
        return cleaned


class PersonCreationForm(AdminUserCreationForm):
    actor = None

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "organisation"]

    def clean_organisation(self):
        organisation = self.cleaned_data.get("organisation")
        problem = services.organisation_refusal(self.actor, organisation)
        if problem:
            raise forms.ValidationError(problem)
        return organisation


class PersonPasswordForm(AdminPasswordChangeForm):
    def save(self, commit=True):
        usable = self.cleaned_data["set_usable_password"]
        return services.set_password(self.user, self.cleaned_data["password1"] if usable else None,
                                     by=_acting.get())


@admin.register(User)
class ConcordatUserAdmin(UserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    change_password_form = PersonPasswordForm
    list_display = ("username", "full_name", "organisation", "is_active", "is_staff", "is_superuser")
    list_filter = ("organisation", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password_status", "second_factor")}),
        ("Person", {"fields": ("full_name", "first_name", "last_name", "email", "job_title")}),
        ("Organisation", {"fields": ("organisation",)}),
        ("Status", {"fields": ("is_active", *STATUS_FIELDS)}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",),
                             "fields": ("username", "organisation", "usable_password", "password1", "password2")}),)
    readonly_fields = ("password_status", "second_factor", "last_login", "date_joined")
    inlines = [RoleGrantInline]
    actions = ["reset_second_factor"]

    @admin.display(description="Password")
    def password_status(self, person):
        return "Set (change it with the password form)" if person.has_usable_password() else "None"

    @admin.display(description="Second factor")
    def second_factor(self, person):
        enrolled = TOTPDevice.objects.filter(user=person, confirmed=True).exists()
        return "Enrolled" if enrolled else "Not enrolled: asked to enrol at the next sign-in"

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if request.user.is_superuser else (*fields, *STATUS_FIELDS)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_queryset(self, request):
        people = super().get_queryset(request).select_related("organisation")
        if request.user.is_superuser:
            return people
        if request.user.organisation is None:
            return people.none()
        department = request.user.organisation.department
        return people.filter(Q(organisation=department) | Q(organisation__parent=department))

    def has_module_permission(self, request):
        return _admin_actor_has(request)

    def has_view_permission(self, request, obj=None):
        return _admin_actor_has(request)

    def has_add_permission(self, request):
        return _admin_actor_has(request)

    def has_change_permission(self, request, obj=None):
        if not _admin_actor_has(request):
            return False
        return obj is None or request.user.is_superuser or not obj.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # people are disabled, never deleted: the record names them

    def save_model(self, request, obj, form, change):
        if not change:
            services.add_person(obj, by=request.user)
            return
        details = {name: form.cleaned_data[name] for name in form.changed_data if name in services.DETAIL_FIELDS}
        if details:
            services.change_details(obj, details, by=request.user)
        changes = {
            "organisation": lambda: services.move_to_organisation(obj, obj.organisation, by=request.user),
            "is_active": lambda: services.set_active(obj, obj.is_active, by=request.user),
            "is_staff": lambda: services.set_staff(obj, obj.is_staff, by=request.user),
            "is_superuser": lambda: services.set_superuser(obj, obj.is_superuser, by=request.user),
        }
        for field, apply in changes.items():
            if field in form.changed_data:
                apply()

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleGrant:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # lists what was added and deleted; saves nothing
        for grant in formset.deleted_objects:
            services.revoke_role(grant, by=request.user)
        for grant in formset.new_objects:
            services.grant_role(form.instance, grant.role, by=request.user)

    def user_change_password(self, request, id, form_url=""):
        token = _acting.set(request.user)
        try:
            with transaction.atomic():
                return super().user_change_password(request, id, form_url)
        except NotAllowed as refused:
            messages.error(request, str(refused))
            return self.response_post_save_change(request, None)
        finally:
            _acting.reset(token)

    @admin.action(description="Reset second factor (the person enrols again at their next sign-in)")
    def reset_second_factor(self, request, queryset):
        for person in queryset:
            try:
                removed = services.reset_second_factor(person, by=request.user)
            except NotAllowed as refused:
                self.message_user(request, f"{person}: {refused}", messages.ERROR)
            else:
                self.message_user(request, f"{person}: {removed} authenticator(s) removed; sessions ended.")


class ReadOnlyDeviceAdmin(admin.ModelAdmin):
    """Authenticators, listed without their keys or codes; removed only by resetting the person's second factor."""

    list_display = ("user", "name", "confirmed")
    fields = ("user", "name", "confirmed")
    readonly_fields = fields
    list_filter = ("confirmed",)
    search_fields = ("user__username", "user__full_name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)
    admin.site.register(device_model, ReadOnlyDeviceAdmin)

if admin.site.is_registered(Group):
    admin.site.unregister(Group)
