"""django.contrib.admin with AuditedAdminSite as `admin.site` (concordat.admin_site, ADR 18). A module of its
own: an app's configuration is imported before any model can be."""

from django.contrib.admin.apps import AdminConfig


class ConcordatAdminConfig(AdminConfig):
    default_site = "concordat.admin_site.AuditedAdminSite"
