"""The sharing API. The project includes it with: path("api/", include("sharing.api_urls"))."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from approvals.api import ApprovalViewSet
from sharing.api_views import FileDownloadView, RequestViewSet
from workflow.api import NotificationViewSet

app_name = "sharing-api"

router = SimpleRouter()
router.register("requests", RequestViewSet, basename="request")
router.register("approvals", ApprovalViewSet, basename="approval")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("", include(router.urls)),
    path("files/<int:pk>/download/", FileDownloadView.as_view(), name="file-download"),
]
