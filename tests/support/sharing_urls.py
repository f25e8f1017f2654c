"""The project's URLs with the sharing API at api/, as the project includes it."""

from django.urls import include, path

from concordat.urls import handler404  # noqa: F401  (the root URLconf's, as the project's)
from concordat.urls import urlpatterns as project_urlpatterns

_included = any(getattr(pattern, "namespace", None) == "sharing-api" for pattern in project_urlpatterns)
urlpatterns = project_urlpatterns if _included else [path("api/", include("sharing.api_urls")),
                                                      *project_urlpatterns]
