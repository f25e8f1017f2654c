"""The sharing API. The project includes it with: path("api/", include("sharing.api_urls"))."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from approvals.api import ApprovalViewSet
from concordat import converters  # noqa: F401  (registers <id:>)
from contacts.api import ContactViewSet, UnitViewSet
from publications.api import PublicationFileDownloadView, PublicationProposalViewSet
from sharing.api_views import FileDownloadView, RequestViewSet
from workflow.api import NotificationViewSet

app_name = "sharing-api"

router = SimpleRouter()
router.register("requests", RequestViewSet, basename="request")
router.register("approvals", ApprovalViewSet, basename="approval")
router.register("publications", PublicationProposalViewSet, basename="publication")
router.register("contacts", ContactViewSet, basename="contact")
router.register("contact-units", UnitViewSet, basename="contact-unit")
router.register("notifications", NotificationViewSet, basename="notification")

urlpatterns = [
    path("", include(router.urls)),
    path("files/<id:pk>/download/", FileDownloadView.as_view(), name="file-download"),
    path("publication-files/<id:pk>/download/", PublicationFileDownloadView.as_view(),
         name="publication-file-download"),
]
