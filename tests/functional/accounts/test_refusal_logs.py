"""A refused request is one line at INFO with no traceback; a real error keeps its traceback (issue 8)."""

import logging

import pytest

from concordat.logging import RefusalsAsOneLine
from sharing.states import RequestState
from tests.support.requests import draft, walk
from tests.support.sharing_fixtures import Cast, protocol  # noqa: F401


@pytest.fixture
def cast(person, protocol):  # noqa: F811
    return Cast(person)


def record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        import sys

        exc = sys.exc_info()
    entry = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/x/",), exc)
    entry.status_code = status
    return entry


@pytest.mark.parametrize("status", [400, 403, 404, 409, 429])
def test_a_refusal_is_one_line_at_info(status):
    entry = record(status)
    assert RefusalsAsOneLine().filter(entry)
    assert (entry.levelname, entry.exc_info) == ("INFO", None)
    assert "\n" not in logging.Formatter().format(entry)


def test_a_server_error_keeps_its_level_and_traceback():
    entry = record(500)
    RefusalsAsOneLine().filter(entry)
    assert entry.levelname == "WARNING" and entry.exc_info is not None


def test_a_refused_action_on_a_page_logs_one_line_and_no_traceback(cast, signed_in, caplog):
    request = walk(draft(cast.iasc_requester), cast, RequestState.SUBMITTED)
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = signed_in(cast.iasc_requester).post(f"/requests/{request.reference}/acknowledge/",
                                                        {"version": request.version})
    assert response.status_code == 403
    [refusal] = [r for r in caplog.records if getattr(r, "status_code", None) == 403]
    assert refusal.levelname == "INFO" and refusal.exc_info is None
