"""The site's URLs with the protocols API included under api/, as concordat/urls.py will include it."""

from django.urls import include, path

from concordat.urls import urlpatterns as site_urlpatterns
from protocols import api as protocols_api

urlpatterns = [*site_urlpatterns, path("api/", include(protocols_api.urls))]
