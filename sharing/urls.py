from django.urls import path

from concordat import converters  # noqa: F401  (registers <id:>)
from sharing import views

app_name = "sharing"

urlpatterns = [
    path("requests/", views.request_list, name="request_list"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/new/<str:direction>/", views.request_new_direction, name="request_new_direction"),
    path("requests/<str:reference>/", views.request_detail, name="request_detail"),
    path("requests/<str:reference>/edit/", views.request_edit, name="request_edit"),
    path("requests/<str:reference>/<str:action>/", views.RequestActionView.as_view(), name="request_action"),
    path("files/<id:file_id>/", views.download, name="download"),
]
