"""The project includes it with: path("api/", include("scrutiny.api_urls"))."""

from django.urls import path

from scrutiny.api import DashboardView, StatisticsView

app_name = "scrutiny-api"

urlpatterns = [
    path("statistics/", StatisticsView.as_view(), name="statistics"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
]
