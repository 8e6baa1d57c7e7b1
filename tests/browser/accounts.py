"""People in the browser tests: signing up through the pages and following the emailed
link, and signing in."""

from __future__ import annotations

import re

from playwright.sync_api import expect

PASSWORD = "a long pass phrase 7"


def verification_link(site, address: str) -> str:  # noqa: ANN001
    [mail] = site.outbox.items(to=address)
    match = re.search(r"https?://\S+/verify-email\?token=[\w-]+", mail["text"])
    assert match, mail["text"]
    return match.group(0)


def sign_up(page, site, username: str) -> None:  # noqa: ANN001
    """An account made on the sign-up page and verified from the emailed link."""
    email = f"{username}@example.com"
    page.goto("/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Confirm password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    page.goto(verification_link(site, email))
    expect(page.get_by_role("heading", name="Email verified")).to_be_visible()


def sign_in(page, login: str, password: str = PASSWORD) -> None:  # noqa: ANN001
    """Signed in on the sign-in page, which lands in the drive."""
    page.goto("/signin")
    page.get_by_label("Username or email").fill(login)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My drive")).to_be_visible()
