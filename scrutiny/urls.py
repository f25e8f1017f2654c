from django.urls import path

from scrutiny import views

app_name = "scrutiny"

urlpatterns = [
    path("dashboard/", views.my_dashboard, name="dashboard"),
    path("dashboard/export/", views.dashboard_export, name="dashboard_export"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/recompute/", views.statistics_recompute, name="statistics_recompute"),
    path("statistics/export/", views.statistics_export, name="statistics_export"),
    path("statistics/annual-report/", views.annual_report, name="annual_report"),
    path("transparency/", views.transparency, name="transparency"),
]
