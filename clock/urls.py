from django.urls import path

from clock import views

app_name = "clock"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("adjustments/<int:pk>/remove/", views.remove, name="remove_adjustment"),
]
