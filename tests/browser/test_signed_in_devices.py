"""The Account page's signed-in devices: two sign-ins from two browsers, this one marked, and
signing the other out after a confirmation (its next page load is signed out)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.accounts import sign_in, sign_up
from tests.browser.conftest import shot

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


def test_signing_out_another_device_from_the_account_page(page, browser, site):
    sign_up(page, site, "devi")
    sign_in(page, "devi")
    other = browser.new_context(base_url=site.url, user_agent=FIREFOX_WINDOWS)
    laptop = other.new_page()
    try:
        sign_in(laptop, "devi")

        page.goto("/account")
        sessions = page.locator(".sessions")
        expect(sessions.locator(".row")).to_have_count(2)
        expect(sessions.locator(".row").first).to_contain_text("This device")
        expect(sessions).to_contain_text("Firefox on Windows")
        shot(page, "devices-listed")

        page.get_by_role("button", name="Sign out Firefox on Windows").click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text("Sign out Firefox on Windows?")
        shot(page, "devices-confirm")
        dialog.get_by_role("button", name="Sign out").click()
        expect(page.get_by_text("Firefox on Windows is signed out.")).to_be_visible()
        expect(sessions.locator(".row")).to_have_count(1)
        shot(page, "devices-ended")

        laptop.goto("/account")
        expect(laptop.get_by_role("button", name="Sign in")).to_be_visible()
    finally:
        other.close()
