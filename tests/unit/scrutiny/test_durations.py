import pytest

from scrutiny.durations import about


@pytest.mark.parametrize(("days", "words"), [
    (0, "0 days"), (1, "1 day"), (13, "13 days"), (14, "about 2 weeks"), (40, "about 6 weeks"),
    (60, "about 2 months"), (200, "about 7 months"), (365, "about 1 year"), (548, "about 1½ years"),
    (2009, "about 5½ years"), (3653, "about 10 years"),
])
def test_durations_in_words(days, words):
    assert about(days) == words


def test_a_negative_duration_is_refused():
    with pytest.raises(ValueError):
        about(-1)
