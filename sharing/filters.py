"""The list filters, shared by the API and the pages: RequestFilter(request.GET, queryset, request=request)."""

from __future__ import annotations

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q

from concordat.api_filters import YES_OR_NO
from protocols.markings import HANDLED
from sharing import queries
from sharing.models import Request
from sharing.states import RequestState, RouteKind, StateOwner

OWNER_CHOICES = [*StateOwner.choices, ("me", "Waiting on me")]
KEY = RegexValidator(r"^[A-Za-z0-9_-]{1,64}$", "Give a key of letters, digits, '_' or '-' (at most 64 characters).")
SEARCH_MAX = 200
SEARCH_FIELDS = ("reference", "title", "information_requested")


class RequestFilter(django_filters.FilterSet):
    direction = django_filters.CharFilter(validators=[KEY], help_text="A direction or other-route key, e.g. iasc_to_ho.")
    route = django_filters.ChoiceFilter(choices=RouteKind.choices)
    # A column of the request itself: no join can repeat rows, so no DISTINCT (a sort of every match).
    state = django_filters.MultipleChoiceFilter(choices=RequestState.choices, distinct=False)
    classification = django_filters.ChoiceFilter(choices=[(level, level) for level in HANDLED])
    # true or false and nothing else: a BooleanFilter reads 'maybe' or 'null' as "not asked" and lists everything.
    overdue = django_filters.ChoiceFilter(choices=YES_OR_NO, method="filter_overdue",
                                          help_text="Needs the list annotations (queries.request_list).")
    owner = django_filters.ChoiceFilter(choices=OWNER_CHOICES, method="filter_owner",
                                        help_text="Whose move it is; 'me' for the requests waiting on you.")
    organisation = django_filters.CharFilter(method="filter_organisation", validators=[KEY],
                                             help_text="Slug of the requesting, holding or assigned organisation.")
    search = django_filters.CharFilter(method="filter_search", max_length=SEARCH_MAX, help_text="Reference, title or information asked.")
    q = django_filters.CharFilter(method="filter_search", max_length=SEARCH_MAX, help_text="The same as search.")

    class Meta:
        model = Request
        fields = ["direction", "route", "state", "classification", "overdue", "owner", "organisation"]

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(is_overdue=value == "true")

    def filter_owner(self, queryset, name, value):
        if value == "me":
            return queryset.filter(queries.waiting_on_q(self.request.user))
        return queryset.filter(queries.owner_q(value))

    def filter_organisation(self, queryset, name, value):
        return queryset.filter(Q(requester_org__slug=value) | Q(holder_org__slug=value) | Q(assigned_org__slug=value))

    def filter_search(self, queryset, name, value):
        words = value.split()
        for word in words:
            matches = Q()
            for field in SEARCH_FIELDS:
                matches |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(matches)
        return queryset
