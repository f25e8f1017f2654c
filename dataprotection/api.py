"""The personal-data record in the API: /api/requests/<id>/personal-data/ (GET, PUT) and .../confirm/ (POST), the
same services as the pages (§15–17, Annex B). A request you may not see is a 404; a body is checked before who may
act, and who may act before the version (as the request endpoints)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from dataprotection import services
from dataprotection.models import PersonalDataRecord
from dataprotection.serializers import (
    ConfirmSerializer,
    PersonalDataRecordSerializer,
    PersonalDataWriteSerializer,
)
from sharing.permissions import visible_requests
from sharing.services import reading


def _visible(user, pk):
    found = visible_requests(user).select_related("protocol", "holder_org", "requester_org").filter(pk=pk).first()
    if found is None:
        reading.refused_lookup("lookup", pk, by=user)
        raise Http404("No such request, or you cannot see it.")
    return found


def record_answer(request) -> Response:
    record = (PersonalDataRecord.objects.select_related("updated_by__organisation", "confirmed_by__organisation")
              .prefetch_related("items").filter(request=request).first())
    if record is None:
        record = PersonalDataRecord(request=request, version=0)
    else:
        record.request = request
    return Response(PersonalDataRecordSerializer(record).data)


class PersonalDataView(APIView):
    """A request's personal-data record (§15–17, ICO data sharing code Annex B)."""

    @extend_schema(responses=PersonalDataRecordSerializer, operation_id="requests_personal_data_retrieve")
    def get(self, request, pk: int):
        return record_answer(_visible(request.user, pk))

    @extend_schema(request=PersonalDataWriteSerializer, responses=PersonalDataRecordSerializer,
                   operation_id="requests_personal_data_update")
    def put(self, request, pk: int):
        target = _visible(request.user, pk)
        body = PersonalDataWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        version, items = data.pop("version"), data.pop("data_items", None)
        services.save_record(target, by=request.user, expected_version=version, fields=data, items=items)
        return record_answer(_visible(request.user, pk))


class PersonalDataConfirmView(APIView):
    """§17: the holder confirms that the disclosure, as recorded, complies with data protection law."""

    @extend_schema(request=ConfirmSerializer, responses=PersonalDataRecordSerializer,
                   operation_id="requests_personal_data_confirm")
    def post(self, request, pk: int):
        target = _visible(request.user, pk)
        body = ConfirmSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.confirm(target, by=request.user, expected_version=body.validated_data["version"],
                         note=body.validated_data["note"])
        return record_answer(_visible(request.user, pk))


