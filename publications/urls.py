from django.urls import path

from concordat import converters  # noqa: F401  (registers <id:>)
from publications import views

app_name = "publications"

urlpatterns = [
    path("new/<str:reference>/", views.propose, name="propose"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("files/<id:file_id>/", views.download, name="download"),
]
