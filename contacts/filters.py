"""The directory's API filter: ?organisation=<slug> gives one department's contacts, as the §18 draft page does."""

from __future__ import annotations

import django_filters

from contacts.models import Contact, Unit
from sharing.filters import KEY


class _ByOrganisation(django_filters.FilterSet):
    organisation = django_filters.CharFilter(field_name="organisation__slug", validators=[KEY],
                                             help_text="The slug of the department or body, e.g. dwp.")


class ContactFilter(_ByOrganisation):
    class Meta:
        model = Contact
        fields = ["organisation"]


class UnitFilter(_ByOrganisation):
    class Meta:
        model = Unit
        fields = ["organisation"]
