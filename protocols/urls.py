from django.urls import path

from protocols import views

app_name = "protocols"
urlpatterns = [
    path("", views.protocol_list, name="list"),
    path("<slug:slug>/<str:version>/", views.protocol_detail, name="detail"),
]
