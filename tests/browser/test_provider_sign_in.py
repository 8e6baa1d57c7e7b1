"""Signing in with a provider on the local stack: the sign-in page's "Continue with Google"
leads to the development identity provider's page, where a new person types an email and a
name and lands signed in on the drive with a new account."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from infra.local.runner import LocalStack
from tests.browser.conftest import DIST, shot
from tests.live.conftest import running_stack


@pytest.fixture(scope="module")
def site(browser: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    # The browser tests' stack runs as the "live" stage, where the development provider is off
    # unless asked for; `make dev` (stage local) has it on by default.
    with running_stack(tmp_path_factory, dist_dir=str(DIST), DEV_IDP="true") as stack:
        yield stack


def test_continue_with_google_through_the_local_provider_makes_an_account(page, site):
    page.goto("/signin")
    google = page.get_by_role("link", name="Continue with Google")
    expect(google).to_be_visible()
    # Password sign-in is still there beside it.
    expect(page.get_by_label("Username or email")).to_be_visible()
    shot(page, "provider-signin-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "provider-signin-390")
    page.set_viewport_size({"width": 1280, "height": 860})

    google.click()
    expect(page.get_by_role("heading", name="Google (development provider)")).to_be_visible()
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Name").fill("Ada Lovelace")
    answers: list[dict] = []

    def keep(route):  # noqa: ANN001 - Playwright's types
        # The provider's page leaves as soon as this answers: keep the body on the way past.
        response = route.fetch()
        answers.append({"status": response.status, **response.json()})
        route.fulfill(response=response)

    page.route("**/api/auth/google", keep)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="My drive")).to_be_visible()
    [answer] = answers
    assert answer["status"] in (200, 201), answer
    assert answer["created"] is True
    assert answer["user"]["email"] == "ada@example.com"
    me = page.request.get("/api/users/me")
    assert me.ok
    assert me.json()["user"]["email"] == "ada@example.com"
    shot(page, "provider-signed-in")


def test_the_sign_up_page_offers_the_same_buttons(page, site):
    page.goto("/signup")
    link = page.get_by_role("link", name="Continue with Google")
    expect(link).to_have_attribute("href", "/api/dev/idp/google")


def test_sign_in_still_works_when_the_providers_cannot_be_loaded(page, site):
    page.route("**/api/auth/providers", lambda route: route.fulfill(status=503, body="down"))
    with page.expect_response("**/api/auth/providers"):
        page.goto("/signin")
    expect(page.get_by_label("Username or email")).to_be_visible()
    expect(page.get_by_text("or", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Continue with Google")).to_have_count(0)
