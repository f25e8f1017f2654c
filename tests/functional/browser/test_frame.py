"""The page frame in a real browser: sign-in with two factors, markings, accessibility, no GOV.UK branding."""

import pytest

from accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_signs_in_with_password_and_one_time_code(page, person, sign_in, accessibility, screenshot):
    page.goto("/accounts/login/")
    assert accessibility() == []
    screenshot("login")
    user = person("iasc", Role.REQUESTER, username="priya")
    sign_in(user)
    page.goto("/profile/")
    assert page.get_by_role("heading", name="Your account").is_visible()
    assert page.get_by_text("Requester").is_visible()
    assert accessibility() == []
    screenshot("profile")


def test_every_page_carries_the_marking_at_top_and_bottom(page):
    page.goto("/accounts/login/")
    assert page.get_by_test_id("marking-top").inner_text() == "OFFICIAL"
    assert page.get_by_test_id("marking-bottom").inner_text() == "OFFICIAL"


def test_no_crown_logo_or_gds_transport_font(page):
    page.goto("/accounts/login/")
    fonts = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "GDS Transport" not in fonts and "arial" in fonts.lower()
    assert page.locator(".govuk-header__logotype, svg.govuk-header__logotype").count() == 0
    stylesheet = page.evaluate("async () => (await fetch(document.querySelector('link[rel=stylesheet]').href)).text()")
    assert "GDS Transport" not in stylesheet


def test_a_wrong_password_shows_an_error_summary_linked_to_the_field(page, accessibility):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("alert").get_by_text("Enter a correct username and password").is_visible()
    assert page.title().startswith("Error:")
    assert accessibility() == []
