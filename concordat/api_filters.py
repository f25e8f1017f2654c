"""API list filters that refuse what they cannot apply (issue 8, item 8).

django-filter and DRF's ordering filter quietly ignore a value they cannot use: `?overdue=maybe` or
`?waiting=AAA` answered the whole list, as if no filter had been asked for, and `?owner=` (empty) was taken
as "anyone". A system reading that answer cannot tell. The API therefore answers 400, naming the parameter;
the pages keep the forgiving behaviour, where an empty value is the form's "Any".
"""

from __future__ import annotations

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

YES_OR_NO = [("true", "Yes"), ("false", "No")]  # a yes/no filter takes these two and nothing else
# Free-text filters where an empty value means "no search", as it does in a search box.
EMPTY_MEANS_ALL = frozenset({"search", "q"})


class StrictFilterBackend(DjangoFilterBackend):
    """DjangoFilterBackend that also refuses an empty value for a filter that needs one."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            refuse_empty_values(request.query_params, set(filterset_class.base_filters) - EMPTY_MEANS_ALL)
        return super().filter_queryset(request, queryset, view)


def refuse_empty_values(params, names) -> None:
    empty = sorted(name for name in names if name in params and "" in params.getlist(name))
    if empty:
        raise ValidationError({name: [f"Give a value for '{name}', or leave it out."] for name in empty})


class StrictOrderingFilter(OrderingFilter):
    """OrderingFilter that refuses an ordering it does not offer, naming those it does."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params is not None:
            fields = [term.strip() for term in params.split(",")]
            offered = {name for name, _ in self.get_valid_fields(queryset, view, {"request": request})}
            unknown = [f for f in fields if f.lstrip("-") not in offered]
            if unknown:
                choices = ", ".join(sorted(offered))
                raise ValidationError({self.ordering_param: [
                    f"'{unknown[0]}' is not an ordering this list offers: use one of {choices},"
                    " with '-' before it for the reverse order."]})
        return super().get_ordering(request, queryset, view)
