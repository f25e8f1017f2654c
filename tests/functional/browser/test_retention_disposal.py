"""Retention and disposal (ADR 33) in a real browser: the requester finds a delivery falling due in the retention
list, disposes of it with its confirmation, and is offered the disposal certificate. Each page passes WCAG 2.2 AA
and does not scroll sideways, on a desktop and at 320 px."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from retention.models import Retention
from sharing import services as sharing
from sharing.states import RequestState
from tests.functional.browser.test_request_walkthrough import submit_action
from tests.support.requests import draft, walk
from tests.support.sharing_fixtures import Cast, files_in_tmp, protocol  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(person, protocol):  # noqa: F811
    return Cast(person)


@pytest.fixture
def page_passes(page, accessibility, sideways_overflow):
    def check():
        assert accessibility() == []
        overflow = sideways_overflow()
        assert overflow == [], f"{page.url} scrolls sideways: " + "; ".join(overflow)
        return True

    return check


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_a_delivery_falling_due_is_disposed_of_with_its_confirmation(page, viewport, cast, sign_in, page_passes,
                                                                      screenshot):
    keep_until = timezone.localdate() + timedelta(days=2)
    request = walk(draft(cast.iasc_requester, retain_until=keep_until), cast, RequestState.AGREED)
    sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                    marking="OFFICIAL", uploads=[SimpleUploadedFile("referrals-by-region.csv", b"region,n\nNE,4\n")])
    sign_in(cast.iasc_requester)
    page.goto("/retention/")
    assert page_passes()
    screenshot("70-retention-due")
    page.get_by_role("link", name=f"{request.reference} delivery").click()
    page.wait_for_load_state()
    assert "referrals-by-region.csv" in page.get_by_test_id("retained-files").inner_text()
    submit_action(page, "Dispose of it")  # without saying how, or confirming: both named
    assert page.locator(".govuk-error-summary").count() == 1
    assert page_passes()
    page.get_by_label("How was the information disposed of?").fill("Deleted from the analysts' share.")
    page.get_by_label("I understand that the files will be destroyed").check()
    assert page_passes()
    screenshot("71-retention-dispose")
    submit_action(page, "Dispose of it")
    assert page.get_by_test_id("retention-state").inner_text() == "Disposed of"
    assert page.get_by_test_id("certificate-link").is_visible()
    assert page_passes()
    screenshot("72-retention-disposed")
    assert Retention.objects.get().disposed_by_id == cast.iasc_requester.pk
