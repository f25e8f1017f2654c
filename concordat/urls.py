from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from accounts import delegation_views, token_views
from concordat import converters, views  # noqa: F401  (converters registers <id:>)
from protocols import api as protocols_api

# The admin has no sign-in of its own: it uses the service's (password and one-time code).
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "Concordat administration"

handler404 = "concordat.views.page_not_found"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/new/", token_views.new_token, name="token-new"),
    path("profile/tokens/<id:token_id>/revoke/", token_views.revoke_token, name="token-revoke"),
    path("delegates/", delegation_views.delegates, name="delegates"),
    path("delegates/<id:pk>/revoke/", delegation_views.revoke, name="delegate-revoke"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("protocols/", include("protocols.urls")),
    path("audit/", include("audit.urls")),
    path("calendar/", include("clock.urls")),
    path("", include("dataprotection.urls")),  # before sharing's requests/<reference>/<action>/
    path("", include("documents.urls")),  # before sharing's requests/<reference>/<action>/
    path("", include("sharing.urls")),
    path("", include("workflow.urls")),
    path("approvals/", include("approvals.urls")),
    path("arrangements/", include("arrangements.urls")),
    path("escalations/", include("escalations.urls")),
    path("holds/", include("holds.urls")),
    path("publications/", include("publications.urls")),
    path("retention/", include("retention.urls")),
    path("research/", include("research.urls")),
    path("contacts/", include("contacts.urls")),
    path("outputs/", include("releases.urls")),
    path("scrutiny/", include("scrutiny.urls")),
    path("api/", include(protocols_api.urls)),
    path("api/", include("sharing.api_urls")),
    path("api/", include("scrutiny.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Redoc styles itself with injected <style> elements and searches in a blob: worker: this page alone
    # allows them. It runs no inline script (templates/drf_spectacular/redoc.html).
    path("api/docs/", csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"]})(
        SpectacularRedocView.as_view(url_name="api-schema")), name="api-docs"),
]
