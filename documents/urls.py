"""Generated documents' pages. The project includes them with path("", include("documents.urls")).

One pattern per kind of document (the kind is part of the path, not a parameter): a path names only documents
that exist, and the security matrix has a row for each."""

from django.urls import path

from concordat import converters  # noqa: F401  (registers <id:>)
from documents import views
from documents.kinds import Kind

app_name = "documents"

urlpatterns = [
    *[path(f"requests/<str:reference>/documents/{kind.value}/", views.request_document, {"kind": kind.value},
           name=kind.value) for kind in Kind],
    path("deliveries/<id:pk>/bundle/", views.delivery_bundle, name="bundle"),
]
