from django.urls import path

from approvals import views
from concordat import converters  # noqa: F401  (registers <id:>)

app_name = "approvals"

urlpatterns = [
    path("<id:pk>/", views.detail, name="detail"),
]
