from django.urls import path

from dataprotection import views

app_name = "dataprotection"

# Included before sharing's pages: its requests/<reference>/<action>/ would otherwise take "personal-data".
urlpatterns = [
    path("requests/<str:reference>/personal-data/", views.record, name="record"),
    path("requests/<str:reference>/personal-data/confirm/", views.confirm, name="confirm"),
]
