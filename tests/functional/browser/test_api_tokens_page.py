"""A person's API tokens in a real browser (ADR 16): refused input, a token made and its secret shown once, the
list and a revocation, each page checked against WCAG 2.2 AA at 1280 and 320 px (no sideways scrolling)."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from accounts.token_models import ApiToken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NAME = "Case-management-system-nightly-export-to-the-Commissioner's-office-" + "x" * 32  # 100, unbroken


@pytest.fixture
def page_passes(page, accessibility, sideways_overflow):
    def check():
        assert accessibility() == []
        overflow = sideways_overflow()
        assert overflow == [], f"{page.url} scrolls sideways: " + "; ".join(overflow)
        return True

    return check


@pytest.mark.parametrize("viewport", [1280, 320], ids=["desktop", "320px"])
def test_a_person_makes_copies_and_revokes_a_token(page, viewport, person, sign_in, page_passes, screenshot):
    priya = person("iasc", Role.REQUESTER, username="priya")
    sign_in(priya)
    page.goto("/profile/")
    assert page.get_by_role("heading", name="API tokens").is_visible()
    page.get_by_role("button", name="Create an API token").click()

    page.get_by_label("Expires after (days)").fill("400")
    page.get_by_role("button", name="Create token").click()
    summary = page.get_by_role("alert")
    assert summary.get_by_text("Enter a name for the token").is_visible()
    assert summary.get_by_text("The expiry must be a whole number of days from 1 to 365").is_visible()
    assert summary.get_by_text("Choose what the token may do").is_visible()
    assert page.title().startswith("Error:")
    page_passes()
    screenshot("api-token-errors")

    page.get_by_label("Name").fill(LONG_NAME)
    page.get_by_label("Read only").check()
    page.get_by_label("Expires after (days)").fill("30")
    page.get_by_role("button", name="Create token").click()
    # Wait for the next page: is_visible() answers at once, and could ask the form page still showing.
    expect(page.get_by_role("heading", name="Copy your API token now")).to_be_visible()
    secret = page.get_by_test_id("secret").input_value()
    assert re.fullmatch(r"concordat_[0-9a-f]{64}", secret)
    page_passes()
    screenshot("api-token-created")

    page.get_by_role("button", name="I have copied the token").click()
    card = page.get_by_test_id("api-token")
    assert card.get_by_text("Read only").is_visible() and card.get_by_text("Never").is_visible()
    assert secret not in page.content()
    page_passes()
    screenshot("api-tokens")

    card.get_by_role("button", name=f"Revoke the token {LONG_NAME}").click()
    assert page.get_by_text("revoked: systems using it are now refused").is_visible()
    assert page.get_by_text("You have no API tokens.").is_visible()
    page_passes()
    assert not ApiToken.objects.exists()
