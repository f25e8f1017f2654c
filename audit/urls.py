from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_log, name="log"),
    path("export/", views.export_log, name="export"),
    path("verify/", views.verify, name="verify"),
    path("checkpoints/sign/", views.sign, name="sign_checkpoint"),
]
