"""workflow.work.matches_nothing: what lets "My work" skip a case type that cannot wait on the person (ADR 58)."""

from django.db.models import Q

from workflow.work import matches_nothing

NOTHING = Q(pk__in=[])


def test_the_empty_filter_and_what_is_built_on_it_match_nothing():
    assert matches_nothing(NOTHING)
    assert matches_nothing(NOTHING | NOTHING)
    assert matches_nothing(Q(state="draft") & NOTHING)
    assert matches_nothing((NOTHING | NOTHING) & Q(state="draft"))


def test_anything_that_may_match_a_row_does_not():
    assert not matches_nothing(Q())
    assert not matches_nothing(Q(state="draft"))
    assert not matches_nothing(NOTHING | Q(state="draft"))
    assert not matches_nothing(~NOTHING)
    assert not matches_nothing(Q(pk__in=[1]))
