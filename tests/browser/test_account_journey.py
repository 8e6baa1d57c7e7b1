"""A newcomer's first minutes: sign up, follow the emailed link, sign in, sign out."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.accounts import PASSWORD, verification_link
from tests.browser.conftest import shot


def test_sign_up_verify_sign_in_and_out(page, site):
    page.goto("/signup")
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    page.get_by_label("Username").fill("Minji")
    page.get_by_label("Email").fill("minji@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_label("Nickname").fill("민지")
    shot(page, "01-signup")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    shot(page, "02-check-email")

    page.goto(verification_link(site, "minji@example.com"))
    expect(page.get_by_role("heading", name="Email verified")).to_be_visible()
    shot(page, "03-verified")

    page.goto("/signin")
    page.get_by_label("Username or email").fill("minji")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    shot(page, "04-signin")
    page.get_by_role("button", name="Sign in").click()

    # Signing in opens the drive; the account page is a click away.
    expect(page.get_by_role("heading", name="My drive")).to_be_visible()
    page.goto("/account")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.get_by_text("minji@example.com").first).to_be_visible()
    shot(page, "05-account")

    page.get_by_role("button", name=re.compile("Account menu")).click()
    page.locator("#user-menu").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    # Signed out for real: the API refuses the old session.
    assert page.request.get("/api/users/me").status == 401


def test_a_wrong_password_shows_a_readable_message(page, site):
    page.goto("/signin")
    page.get_by_label("Username or email").fill("nobody")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("That username or email and password don't match.")).to_be_visible()
    assert "{" not in page.locator("main").inner_text()
    shot(page, "06-signin-error")
