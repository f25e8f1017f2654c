from django.urls import path

from concordat import converters  # noqa: F401  (registers <id:>)
from contacts import views

app_name = "contacts"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("new/", views.contact_new, name="contact_new"),
    path("<id:pk>/", views.contact_edit, name="contact_edit"),
    path("<id:pk>/check/", views.contact_check, name="contact_check"),
    path("units/new/", views.unit_new, name="unit_new"),
    path("units/<id:pk>/check/", views.unit_check, name="unit_check"),
]
