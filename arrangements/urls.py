from django.urls import path

from arrangements import views
from concordat import converters  # noqa: F401  (registers <id:>)

app_name = "arrangements"

urlpatterns = [
    path("", views.register, name="list"),
    path("new/", views.new, name="new"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/edit/", views.edit, name="edit"),
    path("<id:pk>/<slug:action>/", views.ArrangementActionView.as_view(), name="action"),
]
