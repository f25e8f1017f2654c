"""The research API (issue 11): projects I may see, proposing one, each action, the contract mechanism's reviews,
NDAs, survivors' choices and withdrawals, deletions. The same services as the pages. Participant references only
at /participants/, and only for the service provider who recorded them; a researcher is refused (403)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation, User
from concordat import limits
from concordat.errors import NotAllowed, Problem, RuleViolation
from research import serializers as s
from research import services
from research.cases import PROJECTS
from research.views import nda_attachment
from sharing.downloads import DOWNLOAD_RESPONSES
from workflow.api import CaseActions


class ResearchProjectViewSet(CaseActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Research projects you can see, newest first, each with its hold status ("blocked by hold" or "not
    blocked", and why), its reviews, NDAs and counts of survivors' choices."""

    serializer_class = s.ProjectSerializer
    lookup_value_regex = limits.ID_PATTERN
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return (PROJECTS.visible(self.request.user)
                .select_related(*PROJECTS.locked_relations, "principal_investigator__organisation")
                .prefetch_related("suppliers", "requests", "reviews__deciding_organisation",
                                  "ndas__signatory__organisation", "participations")
                .order_by("-proposed_at", "-pk"))

    @extend_schema(request=s.ProjectProposeInput, responses={201: s.ProjectSerializer})
    def create(self, request):
        values = dict(self.parsed(s.ProjectProposeInput).validated_data)
        slugs = values.pop("suppliers")
        suppliers = list(Organisation.objects.filter(slug__in=slugs))
        if len(suppliers) != len(set(slugs)):
            raise RuleViolation(Problem("No such supplier.", field="suppliers"))
        partner = values.pop("partner")
        values["partner"] = Organisation.objects.filter(slug=partner).first() if partner else None
        if partner and values["partner"] is None:
            raise RuleViolation(Problem("No such organisation.", field="partner"))
        project = services.propose(by=request.user, fields=values, suppliers=suppliers)
        return self.answer(project, status.HTTP_201_CREATED)

    @extend_schema(request=s.ProjectVersionedNote, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self.case_action(s.ProjectVersionedNote, services.submit)

    @extend_schema(request=s.ProjectVersionedNote, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self.case_action(s.ProjectVersionedNote, services.approve, note="text")

    @extend_schema(request=s.ProjectVersionedNote, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self.case_action(s.ProjectVersionedNote, services.resume, note="text")

    @extend_schema(request=s.ProjectVersionedNote, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self.case_action(s.ProjectVersionedNote, services.cancel, reason="text")

    @extend_schema(request=s.ProjectVersionedNote, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self.case_action(s.ProjectVersionedNote, services.complete, note="text")

    @extend_schema(request=s.ReviewInput, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """The contracts team's or a supplier's review of the project: approve with conditions, or refuse."""
        project = self.get_object()
        values = self.parsed(s.ReviewInput).validated_data
        review = next((r for r in project.reviews.all() if r.pk == values["review"]), None)
        if review is None:
            raise RuleViolation(Problem("No such review of this project.", field="review"))
        services.review(review, by=request.user, expected_version=values["version"], outcome=values["outcome"],
                        conditions=values["conditions"], reasons=values["reasons"])
        return self.answer(project)

    @extend_schema(request=s.LinkRequestInput, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"], url_path="link-request")
    def link_request(self, request, pk=None):
        """Link a request made for the project (one you can see)."""
        return self.case_action(s.LinkRequestInput, services.link_request, "reference")

    @extend_schema(request=s.NdaInput, responses={201: s.ProjectSerializer})
    @action(detail=True, methods=["post"])
    def ndas(self, request, pk=None):
        project = self.get_object()
        values = self.parsed(s.NdaInput).validated_data
        signatory = User.objects.filter(pk=values["signatory"]).select_related("organisation").first()
        if signatory is None:
            raise RuleViolation(Problem("No such person.", field="signatory"))
        services.record_nda(project, by=request.user, expected_version=values["version"], signatory=signatory,
                            signed_on=values["signed_on"], expires_on=values["expires_on"], upload=values["file"])
        return self.answer(project, status.HTTP_201_CREATED)

    @extend_schema(request=s.ChoiceInput, responses={201: s.ProjectSerializer})
    @action(detail=True, methods=["post"])
    def choices(self, request, pk=None):
        """A service provider records that a survivor was told of the project and their choice."""
        return self.case_action(s.ChoiceInput, services.record_choice, "case_identifier", "told_on",
                                "agreed", "scope", code=status.HTTP_201_CREATED)

    @extend_schema(request=s.WithdrawalInput, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def withdrawals(self, request, pk=None):
        return self.case_action(s.WithdrawalInput, services.record_withdrawal, "case_identifier", "withdrawn_on")

    @extend_schema(request=s.DeletionInput, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def deletions(self, request, pk=None):
        return self.case_action(s.DeletionInput, services.record_deletion, participation_id="participation")

    @extend_schema(responses=s.DeletionFlagSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="awaiting-deletion")
    def awaiting_deletion(self, request, pk=None):
        """Withdrawals whose data is still to be deleted: ids and dates, never references."""
        return Response(s.DeletionFlagSerializer(services.awaiting_deletion(self.get_object()), many=True).data)

    @extend_schema(responses=s.ParticipationSerializer(many=True))
    @action(detail=True, methods=["get"])
    def participants(self, request, pk=None):
        """The recording service provider's own references; anyone else, researchers included, is refused."""
        found = services.participations_for(self.get_object(), by=request.user)
        return Response(s.ParticipationSerializer(found, many=True).data)


class NdaDownloadView(APIView):
    """An NDA's signed copy, always as an attachment, only to people who may see its project."""

    @extend_schema(responses=DOWNLOAD_RESPONSES)
    def get(self, request, pk: int):
        try:
            found = services.nda_for_download(pk, by=request.user)
        except NotAllowed:
            raise Http404 from None
        return nda_attachment(found, request)
