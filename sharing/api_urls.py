"""The sharing API. The project includes it with: path("api/", include("sharing.api_urls"))."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from approvals.api import ApprovalViewSet
from arrangements.api import ArrangementViewSet
from concordat import converters  # noqa: F401  (registers <id:>)
from contacts.api import ContactViewSet, UnitViewSet
from dataprotection.api import PersonalDataConfirmView, PersonalDataView
from documents.api import api_urlpatterns as document_urlpatterns
from escalations.api import EscalationViewSet
from holds.api import HoldViewSet
from publications.api import PublicationFileDownloadView, PublicationProposalViewSet
from releases.api import DatasetViewSet, ReleaseViewSet
from research.api import NdaDownloadView, ResearchProjectViewSet
from retention.api import RetentionViewSet
from sharing.api_views import FileDownloadView, RequestViewSet
from workflow.api import NotificationViewSet

app_name = "sharing-api"

router = SimpleRouter()
router.register("requests", RequestViewSet, basename="request")
router.register("approvals", ApprovalViewSet, basename="approval")
router.register("arrangements", ArrangementViewSet, basename="arrangement")
router.register("escalations", EscalationViewSet, basename="escalation")
router.register("holds", HoldViewSet, basename="hold")
router.register("publications", PublicationProposalViewSet, basename="publication")
router.register("retention", RetentionViewSet, basename="retention")
router.register("contacts", ContactViewSet, basename="contact")
router.register("datasets", DatasetViewSet, basename="dataset")
router.register("releases", ReleaseViewSet, basename="release")
router.register("contact-units", UnitViewSet, basename="contact-unit")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("research-projects", ResearchProjectViewSet, basename="research-project")

urlpatterns = [
    path("", include(router.urls)),
    # §15–17: the request's personal-data record (dataprotection, ADR 21)
    path("requests/<id:pk>/personal-data/", PersonalDataView.as_view(), name="request-personal-data"),
    path("requests/<id:pk>/personal-data/confirm/", PersonalDataConfirmView.as_view(),
         name="request-personal-data-confirm"),
    path("files/<id:pk>/download/", FileDownloadView.as_view(), name="file-download"),
    path("publication-files/<id:pk>/download/", PublicationFileDownloadView.as_view(),
         name="publication-file-download"),
    path("research-ndas/<id:pk>/download/", NdaDownloadView.as_view(), name="research-nda-download"),
    # Generated documents, marked on every page, and a delivery as one bundle (documents, ADR 29)
    *document_urlpatterns(),
]
