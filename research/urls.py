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
    path("<id:pk>/nda/", views.RecordNda.as_view(), name="nda"),
    path("<id:pk>/choices/", views.RecordChoice.as_view(), name="choice"),
    path("<id:pk>/withdrawals/", views.RecordWithdrawal.as_view(), name="withdrawal"),
    path("<id:pk>/deletions/", views.record_deletion, name="deletion"),
    path("<id:pk>/requests/", views.LinkRequest.as_view(), name="link_request"),
    path("<id:pk>/participants/", views.participants, name="participants"),
    path("ndas/<id:file_id>/", views.nda_download, name="nda_download"),
]
