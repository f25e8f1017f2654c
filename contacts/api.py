"""The §18 directory's API: read by the Home Office and the Commissioner's office; changed and checked by the
Modern Slavery Unit and the Home Office Sponsorship Unit, through the pages' services."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from concordat import limits
from concordat.errors import Problem, RuleViolation
from contacts import services
from contacts.filters import ContactFilter, UnitFilter
from contacts.models import Contact, Unit
from contacts.serializers import (
    CheckInput,
    ContactChange,
    ContactInput,
    ContactSerializer,
    UnitInput,
    UnitSerializer,
)


def _organisation(slug: str):
    found = services.directory_organisations().filter(slug=slug).first()
    if found is None:
        raise RuleViolation(Problem("Choose another government department or body.", field="organisation",
                                    clause=services.CLAUSE))
    return found


def _unit(pk):
    if pk is None:
        return None
    found = Unit.objects.filter(pk=pk).first()
    if found is None:
        raise RuleViolation(Problem("No such unit.", field="unit", clause=services.CLAUSE))
    return found


class _Directory(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_regex = limits.ID_PATTERN

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        services.check_can_read(request.user)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            services.check_can_keep(request.user)

    def _answer(self, entry, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=entry.pk)).data, status=code)

    def _check(self, service):
        entry = self.get_object()
        data = CheckInput(data=self.request.data)
        data.is_valid(raise_exception=True)
        return self._answer(service(entry, by=self.request.user, expected_version=data.validated_data["version"]))


class ContactViewSet(_Directory):
    """Contacts in other government departments and bodies (§18), each with who last checked it and when."""

    serializer_class = ContactSerializer
    filterset_class = ContactFilter

    def get_queryset(self):
        return (Contact.objects.select_related("organisation", "unit", "last_checked_by__organisation")
                .order_by("organisation__name", "name", "pk"))

    @extend_schema(request=ContactInput, responses={201: ContactSerializer})
    def create(self, request):
        data = ContactInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        contact = services.add_contact(by=request.user, organisation=_organisation(values["organisation"]),
                                       fields={k: v for k, v in values.items() if k in services.CONTACT_FIELDS},
                                       unit=_unit(values.get("unit")))
        return self._answer(contact, status.HTTP_201_CREATED)

    @extend_schema(request=ContactChange, responses=ContactSerializer)
    def partial_update(self, request, pk=None):
        contact = self.get_object()
        data = ContactChange(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        changed = services.update_contact(
            contact, by=request.user, expected_version=values["version"],
            fields={k: v for k, v in values.items() if k in services.CONTACT_FIELDS},
            **({"unit": _unit(values["unit"])} if "unit" in values else {}))
        return self._answer(changed)

    @extend_schema(request=CheckInput, responses=ContactSerializer)
    @action(detail=True, methods=["post"], url_path="check")
    def check_entry(self, request, pk=None):
        """Record that the contact is still right: who checked it, and when (§18)."""
        return self._check(services.check_contact)


class UnitViewSet(_Directory):
    """Units of other government departments and bodies (§18)."""

    serializer_class = UnitSerializer
    filterset_class = UnitFilter

    def get_queryset(self):
        return Unit.objects.select_related("organisation", "last_checked_by__organisation").order_by(
            "organisation__name", "name", "pk")

    @extend_schema(request=UnitInput, responses={201: UnitSerializer})
    def create(self, request):
        data = UnitInput(data=request.data)
        data.is_valid(raise_exception=True)
        unit = services.add_unit(by=request.user, organisation=_organisation(data.validated_data["organisation"]),
                                 name=data.validated_data["name"])
        return self._answer(unit, status.HTTP_201_CREATED)

    @extend_schema(request=CheckInput, responses=UnitSerializer)
    @action(detail=True, methods=["post"], url_path="check")
    def check_entry(self, request, pk=None):
        """Record that the unit is still right: who checked it, and when (§18)."""
        return self._check(services.check_unit)
