from django.urls import path

from concordat import converters  # noqa: F401  (registers <id:>)
from releases import views

app_name = "releases"

urlpatterns = [
    path("datasets/", views.dataset_list, name="datasets"),
    path("datasets/new/", views.dataset_upload, name="dataset_upload"),
    path("datasets/<id:pk>/", views.dataset_detail, name="dataset"),
    path("releases/", views.release_list, name="list"),
    path("releases/new/<str:reference>/", views.release_new, name="new"),
    path("releases/<id:pk>/", views.release_detail, name="detail"),
    path("releases/<id:pk>/revise/", views.release_revise, name="revise"),
    path("releases/<id:pk>/submit/", views.release_submit, name="submit"),
    path("releases/<id:pk>/check/", views.release_check, name="check"),
    path("releases/<id:pk>/consolidate/", views.release_consolidate, name="consolidate"),
    path("releases/<id:pk>/deliver/", views.release_deliver, name="deliver"),
    path("releases/<id:pk>/withdraw/", views.release_withdraw, name="withdraw"),
]
