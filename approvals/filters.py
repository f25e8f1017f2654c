"""The approvals list's filter, for the API (concordat.api_filters refuses values it cannot apply)."""

from __future__ import annotations

import django_filters

from approvals.cases import APPROVALS
from approvals.models import Approval


class ApprovalFilter(django_filters.FilterSet):
    waiting = django_filters.ChoiceFilter(choices=[("me", "Waiting on me")], method="filter_waiting",
                                          help_text="'me' for the approvals you may decide now.")

    class Meta:
        model = Approval
        fields = ["waiting"]

    def filter_waiting(self, queryset, name, value):
        return queryset.filter(APPROVALS.waiting_on(self.request.user))
