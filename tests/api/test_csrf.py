"""Cross-site request forgery: the X-CSRF-Token double submit on cookie requests, and the
Origin check on every unsafe request."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from tests.client import Api, assert_error
from tests.conftest import SITE, sms_to

PASSWORD = "correct horse 1"
NEW_PASSWORD = "another horse 2"


SHARED_STACK = True  # see tests/conftest.py: module_stack


@pytest.fixture
def phone() -> str:
    """A number of this test's own: a verified number belongs to one account only."""
    return f"+8210{uuid.uuid4().int % 10**8:08d}"


def sms_code(api: Api, number: str) -> str:
    match = re.search(r"\b(\d{6})\b", sms_to(api, number)[-1])
    assert match
    return match.group(1)


# Every unsafe route a cookie session can call: (method, path, body, status when allowed).
ROUTES = [
    pytest.param("POST", "/auth/logout-all", None, 204, id="logout-all"),
    pytest.param("POST", "/auth/logout", None, 204, id="logout"),
    pytest.param("PATCH", "/users/me", {"nickname": "Forged"}, 200, id="patch-me"),
    pytest.param(
        "POST",
        "/users/me/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        204,
        id="change-password",
    ),
    pytest.param("DELETE", "/users/me", {"password": PASSWORD}, 204, id="delete-me"),
    pytest.param("POST", "/auth/phone/code", {"phone": "<phone>"}, 202, id="phone-code"),
    pytest.param(
        "POST", "/auth/phone/verify", {"phone": "<phone>", "code": "<code>"}, 200, id="phone-verify"
    ),
    pytest.param("POST", "/auth/refresh", None, 200, id="refresh"),
    pytest.param("DELETE", "/auth/sessions/<session>", None, 204, id="end-session"),
]

# (what the forged request sends instead of the token, whether the td_csrf cookie is gone too)
CSRF_MISTAKES = {
    "no header": ({}, False),
    "a wrong header": ({"x-csrf-token": "not-the-cookie-value"}, False),
    "an empty header and no td_csrf cookie": ({"x-csrf-token": ""}, True),
}


def own_session(path: str, api: Api) -> str:
    """The route's path with the id of the caller's own session."""
    if "<session>" not in path:
        return path
    listed = api.get("/auth/sessions").json["items"]
    return path.replace("<session>", next(s["id"] for s in listed if s["current"]))


def fill(body: Any, number: str, api: Api) -> Any:
    """The route's body with this test's phone number and its latest SMS code."""
    if not isinstance(body, dict):
        return body
    filled = {key: value.replace("<phone>", number) for key, value in body.items()}
    if filled.get("code") == "<code>":
        filled["code"] = sms_code(api, number)
    return filled


@pytest.mark.parametrize("method, path, body, allowed_status", ROUTES)
def test_cookie_request_without_the_right_csrf_token_is_refused_and_changes_nothing(
    new_api, login, user, phone, method, path, body, allowed_status
):
    browser = login(user)
    if path == "/auth/phone/verify":
        assert browser.post("/auth/phone/code", {"phone": phone}).status == 202
    sent_before = len(sms_to(browser, phone))
    path = own_session(path, browser)
    profile = browser.get("/users/me").json
    jar = dict(browser.jar)

    for mistake, (headers, drop_csrf_cookie) in CSRF_MISTAKES.items():
        browser.jar = {k: v for k, v in jar.items() if k != "td_csrf" or not drop_csrf_cookie}
        reply = browser.request(
            method, path, fill(body, phone, browser), csrf=False, headers=headers
        )
        assert reply.status == 403, f"{mistake}: {reply.status} {reply.body!r}"
        assert_error(reply, 403, "csrf_failed")
        assert reply.cookies() == [], mistake

    browser.jar = jar
    # Nothing changed: the session lives, the profile is as it was, the password still signs
    # in, no SMS left, and the refresh token was neither rotated nor revoked.
    assert browser.get("/users/me").json == profile
    signed_in = new_api().post("/auth/login", {"login": user.username, "password": PASSWORD})
    assert signed_in.status == 200
    assert len(sms_to(browser, phone)) == sent_before
    assert browser.post("/auth/refresh").status == 200
    # The same request with the right token goes through: the token was all that was missing.
    allowed = browser.request(method, path, fill(body, phone, browser))
    assert allowed.status == allowed_status, allowed.body


def test_cookie_get_needs_no_csrf_header(login, user):
    browser = login(user)
    reply = browser.get("/users/me", csrf=False)
    assert reply.status == 200, reply.body


def test_csrf_token_of_another_session_is_refused(login, make_user):
    victim, attacker = login(make_user()), login(make_user())
    reply = victim.patch(
        "/users/me", {"nickname": "Forged"}, headers={"x-csrf-token": attacker.jar["td_csrf"]}
    )
    assert_error(reply, 403, "csrf_failed")


@pytest.mark.parametrize("method, path, body, allowed_status", ROUTES)
def test_bearer_requests_need_no_csrf_header(
    new_api, token_client, user, phone, method, path, body, allowed_status
):
    script = token_client(user)
    if path == "/auth/phone/verify":
        assert script.post("/auth/phone/code", {"phone": phone}).status == 202
    if path == "/auth/refresh":
        body = {"refresh_token": script.refresh_token}
    path = own_session(path, script)
    assert script.jar == {}
    reply = script.request(method, path, fill(body, phone, script))
    assert reply.status == allowed_status, reply.body


# --- Origin ---------------------------------------------------------------------------------

FOREIGN_ORIGINS = [
    pytest.param("https://evil.example", id="another-site"),
    pytest.param("http://localhost:8001", id="another-port"),
    pytest.param("https://localhost:8000", id="another-scheme"),
    pytest.param("http://localhost", id="no-port"),
    pytest.param("http://localhost:8000.evil.example", id="prefix-match"),
    pytest.param("null", id="null"),
]


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
def test_foreign_origin_on_login_is_refused(new_api, user, origin):
    reply = new_api(origin=origin).post(
        "/auth/login", {"login": user.username, "password": PASSWORD}
    )
    assert_error(reply, 403, "csrf_failed")
    assert reply.cookies() == []


@pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
def test_foreign_origin_is_refused_even_with_a_bearer_token(token_client, user, origin):
    script = token_client(user)
    script.origin = origin
    reply = script.patch("/users/me", {"nickname": "Forged"})
    assert_error(reply, 403, "csrf_failed")
    script.origin = None
    assert script.get("/users/me").json["user"]["nickname"] is None


@pytest.mark.parametrize(
    "method, path, body",
    [
        pytest.param("POST", "/auth/register", {"username": "x"}, id="register"),
        pytest.param("POST", "/auth/token", {"login": "x"}, id="token"),
        pytest.param("POST", "/auth/forgot-password", {"login": "x"}, id="forgot-password"),
        pytest.param("PATCH", "/users/me", {"nickname": "Forged"}, id="patch-me-with-cookies"),
        pytest.param("DELETE", "/users/me", {"password": PASSWORD}, id="delete-me-with-cookies"),
    ],
)
def test_foreign_origin_is_refused_whatever_the_request_carries(login, user, method, path, body):
    browser = login(user)
    browser.origin = "https://evil.example"
    assert_error(browser.request(method, path, body), 403, "csrf_failed")
    browser.origin = None
    assert browser.get("/users/me").json["user"]["nickname"] is None


def test_own_origin_is_accepted(new_api, token_client, make_user):
    user = make_user()
    browser = new_api(origin=SITE)
    signed_in = browser.post("/auth/login", {"login": user.username, "password": PASSWORD})
    assert signed_in.status == 200, signed_in.body
    assert browser.patch("/users/me", {"nickname": "Mine"}).status == 200
    script = token_client(user)
    script.origin = SITE
    assert script.patch("/users/me", {"nickname": "Scripted"}).status == 200


def test_foreign_origin_on_a_safe_request_is_not_refused(token_client, user):
    script = token_client(user)
    script.origin = "https://evil.example"
    assert script.get("/users/me").status == 200
