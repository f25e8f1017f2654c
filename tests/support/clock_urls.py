"""The site's URLs with the calendar page under calendar/, as concordat/urls.py will include it."""

from django.urls import include, path

from concordat.urls import urlpatterns as site_urlpatterns

already_wired = any(getattr(pattern, "namespace", None) == "clock" for pattern in site_urlpatterns)
urlpatterns = site_urlpatterns if already_wired else [*site_urlpatterns, path("calendar/", include("clock.urls"))]
