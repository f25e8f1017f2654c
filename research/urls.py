from django.urls import path

from concordat import converters  # noqa: F401  (registers <id:>)
from research import views

app_name = "research"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.propose, name="propose"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/act/<str:action>/", views.act, name="act"),
    path("reviews/<id:pk>/", views.review, name="review"),
    path("<id:pk>/nda/", views.record_nda, name="nda"),
    path("<id:pk>/choices/", views.record_choice, name="choice"),
    path("<id:pk>/withdrawals/", views.record_withdrawal, name="withdrawal"),
    path("<id:pk>/deletions/", views.record_deletion, name="deletion"),
    path("<id:pk>/requests/", views.link_request, name="link_request"),
    path("<id:pk>/participants/", views.participants, name="participants"),
    path("ndas/<id:file_id>/", views.nda_download, name="nda_download"),
]
