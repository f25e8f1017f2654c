"""Page tests in a real browser: Debian's Chromium driven by Playwright (never a downloaded browser).

Each test gets a live server on a free port, a fresh browser context, and helpers to sign in
through the real pages and to check a page against WCAG 2.2 AA with axe-core.
"""

import os
import time
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import token_at

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still
# synchronous and sequential, so Django's async guard does not apply to them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def viewport() -> int:
    """The browser window's width in CSS pixels; a test parametrises it to run at other widths."""
    return 1280


@pytest.fixture
def page(chromium, live_server, viewport):
    # bypass_csp lets the test inject axe-core; the pages themselves never run inline script.
    context = chromium.new_context(base_url=live_server.url, viewport={"width": viewport, "height": 900},
                                   bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def one_time_code(user) -> str:
    """The code the person's authenticator shows now. A code is used once (tests/integration/accounts), so a
    person signing in again within the same 30 seconds would be refused: as a fresh authenticator would, the
    device forgets the steps the walkthrough used before and any drift, and the current code is valid."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, drift=0, throttling_failure_count=0,
                                                  throttling_failure_timestamp=None)
    device.refresh_from_db()
    return token_at(device, time.time())


@pytest.fixture
def sign_in(page):
    def sign_in_as(user, password="correct horse battery staple"):
        TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "browser test"})
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("One-time code").fill(one_time_code(user))
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()
        return page

    return sign_in_as


@pytest.fixture
def accessibility(page):
    """accessibility() -> the WCAG 2.2 A/AA violations axe-core finds on the current page."""

    def violations():
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
        )
        return [f"{v['id']}: {v['help']} ({len(v['nodes'])} elements)" for v in result["violations"]]

    return violations


@pytest.fixture
def sideways_overflow(page):
    """sideways_overflow() -> [] if the current page fits the window's width (WCAG 1.4.10 Reflow), else
    how far it scrolls sideways and the widest elements that stick out past the window's right edge."""

    def overflow():
        return page.evaluate("""() => {
            const width = window.innerWidth, root = document.documentElement;
            if (root.scrollWidth <= width) return [];
            const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                (el.classList.length ? '.' + [...el.classList].join('.') : '');
            const culprits = [...document.body.querySelectorAll('*')]
                .map((el) => [el, el.getBoundingClientRect().right + window.scrollX])
                .filter(([, right]) => right > width + 0.5)
                .sort((a, b) => b[1] - a[1]).slice(0, 5)
                .map(([el, right]) => `${describe(el)} reaches ${Math.round(right)}px`);
            return [`page is ${root.scrollWidth}px wide in a ${width}px window`, ...culprits];
        }""")

    return overflow


@pytest.fixture
def screenshot(page, viewport):
    """screenshot(name) saves the whole page as test-artifacts/name.png (name-320px.png in a narrow window)."""

    def save(name: str):
        ARTIFACTS.mkdir(exist_ok=True)
        suffix = "" if viewport == 1280 else f"-{viewport}px"
        page.screenshot(path=str(ARTIFACTS / f"{name}{suffix}.png"), full_page=True)

    return save
