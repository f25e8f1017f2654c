from django.urls import path

from concordat import converters  # noqa: F401  (registers <id:>)
from retention import views

app_name = "retention"

urlpatterns = [
    path("", views.index, name="index"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/certificate/", views.certificate, name="certificate"),
]
