from django.urls import path

from concordat import converters  # noqa: F401  (registers <id:>)
from escalations import views

app_name = "escalations"

urlpatterns = [
    path("new/<str:reference>/", views.new, name="new"),
    path("<id:pk>/", views.detail, name="detail"),
]
