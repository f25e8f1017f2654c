from django.urls import path

from workflow import views

app_name = "workflow"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("notifications/", views.notifications, name="notifications"),
]
