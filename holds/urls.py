from django.urls import path

from concordat import converters  # noqa: F401  (registers <id:>)
from holds import views

app_name = "holds"

urlpatterns = [
    path("", views.hold_list, name="list"),
    path("new/", views.new, name="new"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/<slug:action>/", views.HoldActionView.as_view(), name="action"),
]
