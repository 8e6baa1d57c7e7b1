"""Signing in with a password: POST /auth/login (cookies) and POST /auth/token (bearer).

Who may sign in, what a failure reveals, how failures are throttled per account, which cookies a
browser session gets, and how the sign-in bodies are checked.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest

from chalicelib.config import get_settings
from tests.client import assert_error

PASSWORD = "correct horse 1"
WRONG = "wrong horse 1"
MB = 1024 * 1024
SIGN_IN_ROUTES = ["/auth/login", "/auth/token"]


SHARED_STACK = True  # see tests/conftest.py: module_stack


@pytest.fixture
def short_login_window(stack) -> Iterator[int]:
    """A 2-second throttling window, read from the environment like every setting.

    Only the settings are read again: the AWS clients stay (making them again costs seconds).
    """
    with pytest.MonkeyPatch.context() as env:
        env.setenv("LOGIN_FAIL_WINDOW_S", "2")
        get_settings.cache_clear()
        yield 2
    get_settings.cache_clear()


def sign_in(api, route: str, login: str, password: str):
    return api.post(route, {"login": login, "password": password})


def fail(api, login: str, times: int, routes: list[str] | None = None) -> None:
    """Fail ``times`` sign-ins for ``login``, cycling through ``routes``."""
    routes = routes or ["/auth/login"]
    for attempt in range(times):
        reply = sign_in(api, routes[attempt % len(routes)], login, WRONG)
        assert_error(reply, 401, "invalid_credentials")


def cookie_attributes(reply) -> dict[str, tuple[str, dict[str, str]]]:
    """Set-Cookie lines as ``name -> (value, {attribute (lowercase): value})``."""
    jar = {}
    for line in reply.cookies():
        pair, *attributes = [part.strip() for part in line.split(";")]
        name, _, value = pair.partition("=")
        parsed = {}
        for attribute in attributes:
            key, _, val = attribute.partition("=")
            parsed[key.lower()] = val
        jar[name] = (value, parsed)
    return jar


# --- who may sign in ----------------------------------------------------------------------


@pytest.mark.parametrize("route", SIGN_IN_ROUTES)
def test_sign_in_by_username_succeeds(new_api, make_user, route):
    user = make_user()
    reply = sign_in(new_api(), route, user.username, PASSWORD)
    assert reply.status == 200, reply.body
    if route == "/auth/login":
        assert reply.json["user"]["id"] == user.id


@pytest.mark.parametrize(
    "spell",
    [
        pytest.param(str.upper, id="upper-case"),
        pytest.param(str.title, id="title-case"),
        pytest.param(lambda name: f"  {name} ", id="surrounding-spaces"),
    ],
)
def test_sign_in_by_username_ignores_case(new_api, make_user, spell):
    user = make_user()
    reply = sign_in(new_api(), "/auth/login", spell(user.username), PASSWORD)
    assert reply.status == 200, reply.body
    assert reply.json["user"]["id"] == user.id


@pytest.mark.parametrize(
    "spell",
    [
        pytest.param(lambda address: address, id="as-registered"),
        pytest.param(str.upper, id="upper-case"),
        pytest.param(lambda address: address.replace("example.com", "EXAMPLE.COM"), id="domain"),
        pytest.param(lambda address: address.replace("jane", "JaNe"), id="local-part"),
    ],
)
@pytest.mark.parametrize("route", SIGN_IN_ROUTES)
def test_sign_in_by_email_ignores_case(new_api, make_user, spell, route):
    name = f"jane{uuid.uuid4().hex[:8]}"
    user = make_user(name, email=f"{name}@example.com")
    reply = sign_in(new_api(), route, spell(user.email), PASSWORD)
    assert reply.status == 200, reply.body


def test_wrong_password_and_unknown_user_get_the_same_answer(new_api, make_user):
    user = make_user()
    replies = {
        "wrong password by username": sign_in(new_api(), "/auth/login", user.username, WRONG),
        "wrong password by email": sign_in(new_api(), "/auth/login", user.email, WRONG),
        "unknown username": sign_in(new_api(), "/auth/login", "nobody-at-all", PASSWORD),
        "unknown email": sign_in(new_api(), "/auth/login", "nobody@example.com", PASSWORD),
    }
    for reply in replies.values():
        assert_error(reply, 401, "invalid_credentials")
        assert reply.cookies() == []
    assert len({reply.body for reply in replies.values()}) == 1, replies


@pytest.mark.parametrize("route", SIGN_IN_ROUTES)
def test_wrong_password_on_token_is_invalid_credentials(new_api, make_user, route):
    user = make_user()
    assert_error(sign_in(new_api(), route, user.username, WRONG), 401, "invalid_credentials")


@pytest.mark.parametrize("route", SIGN_IN_ROUTES)
def test_unverified_account_is_told_to_verify_with_a_masked_email(new_api, make_user, route):
    name = f"jane{uuid.uuid4().hex[:8]}"
    user = make_user(name, email=f"{name}@example.com", verified=False)
    reply = sign_in(new_api(), route, user.username, PASSWORD)
    details = assert_error(reply, 403, "email_not_verified")
    assert details == {"email": "j***@example.com"}
    assert user.email.encode() not in reply.body
    assert reply.cookies() == []


def test_unverified_account_with_a_wrong_password_reveals_nothing(new_api, make_user):
    user = make_user(verified=False)
    reply = sign_in(new_api(), "/auth/login", user.username, WRONG)
    assert_error(reply, 401, "invalid_credentials")
    assert b"***" not in reply.body


# --- throttling -----------------------------------------------------------------------------


def test_eleventh_attempt_after_ten_failures_is_rate_limited_even_with_the_right_password(
    new_api, make_user
):
    user = make_user()
    api = new_api()
    fail(api, user.username, 10)
    reply = sign_in(api, "/auth/login", user.username, PASSWORD)
    details = assert_error(reply, 429, "rate_limited")
    retry_after = reply.headers.get("Retry-After")
    assert retry_after is not None and retry_after.isdigit(), reply.headers
    assert 0 < int(retry_after) <= 900
    assert details["retry_after"] == int(retry_after)
    assert reply.cookies() == []


def test_nine_failures_still_let_the_right_password_in(new_api, make_user):
    user = make_user()
    api = new_api()
    fail(api, user.username, 9)
    assert sign_in(api, "/auth/login", user.username, PASSWORD).status == 200


@pytest.mark.parametrize(
    "failing_routes, last_route",
    [
        pytest.param(["/auth/token"], "/auth/login", id="token-failures-block-login"),
        pytest.param(["/auth/login"], "/auth/token", id="login-failures-block-token"),
        pytest.param(SIGN_IN_ROUTES, "/auth/login", id="mixed-failures"),
    ],
)
def test_failures_count_across_login_and_token(new_api, make_user, failing_routes, last_route):
    user = make_user()
    api = new_api()
    fail(api, user.username, 10, failing_routes)
    assert_error(sign_in(api, last_route, user.username, PASSWORD), 429, "rate_limited")


def test_failures_count_per_account_whether_named_by_username_or_email(new_api, make_user):
    user = make_user()
    api = new_api()
    fail(api, user.username, 5)
    fail(api, user.email.upper(), 5)
    assert_error(sign_in(api, "/auth/login", user.email, PASSWORD), 429, "rate_limited")


def test_throttling_one_account_leaves_another_unaffected(new_api, make_user):
    victim, bystander = make_user(), make_user()
    api = new_api()
    fail(api, victim.username, 10)
    assert_error(sign_in(api, "/auth/login", victim.username, PASSWORD), 429, "rate_limited")
    assert sign_in(api, "/auth/login", bystander.username, PASSWORD).status == 200
    assert sign_in(api, "/auth/token", bystander.email, PASSWORD).status == 200


def test_the_owner_signs_in_once_the_window_has_passed(short_login_window, new_api, make_user):
    user = make_user()
    api = new_api()
    fail(api, user.username, 10)
    reply = sign_in(api, "/auth/login", user.username, PASSWORD)
    assert_error(reply, 429, "rate_limited")
    assert int(reply.headers["Retry-After"]) <= short_login_window
    time.sleep(short_login_window + 0.1)
    assert sign_in(api, "/auth/login", user.username, PASSWORD).status == 200


# --- the browser session's cookies --------------------------------------------------------


@pytest.mark.parametrize(
    "name, path, http_only, max_age",
    [
        pytest.param("td_access", "/api", True, 15 * 60, id="td_access"),
        pytest.param("td_refresh", "/api/auth", True, 14 * 24 * 3600, id="td_refresh"),
        pytest.param("td_csrf", "/", False, 14 * 24 * 3600, id="td_csrf"),
    ],
)
def test_login_sets_the_session_cookie(new_api, make_user, name, path, http_only, max_age):
    user = make_user()
    reply = sign_in(new_api(), "/auth/login", user.username, PASSWORD)
    assert reply.status == 200, reply.body
    value, attributes = cookie_attributes(reply)[name]
    assert value
    assert attributes["path"] == path
    assert ("httponly" in attributes) is http_only
    assert attributes["samesite"].lower() == "lax"
    assert int(attributes["max-age"]) == max_age
    # PUBLIC_URL is http://localhost:8000: local mode, where a Secure cookie would be dropped.
    assert "secure" not in attributes


def test_login_sets_exactly_the_three_session_cookies(new_api, make_user):
    user = make_user()
    reply = sign_in(new_api(), "/auth/login", user.username, PASSWORD)
    assert sorted(cookie_attributes(reply)) == ["td_access", "td_csrf", "td_refresh"]


def test_each_login_gets_fresh_cookie_values(new_api, make_user):
    user = make_user()
    first = cookie_attributes(sign_in(new_api(), "/auth/login", user.username, PASSWORD))
    second = cookie_attributes(sign_in(new_api(), "/auth/login", user.username, PASSWORD))
    for name in ("td_access", "td_refresh", "td_csrf"):
        assert first[name][0] != second[name][0], name


def test_token_sets_no_cookies(new_api, make_user):
    user = make_user()
    reply = sign_in(new_api(), "/auth/token", user.username, PASSWORD)
    assert reply.status == 200
    assert reply.cookies() == []


# --- the bodies ---------------------------------------------------------------------------

BAD_FIELDS = [
    pytest.param({"password": PASSWORD}, {"login"}, id="login-missing"),
    pytest.param({"login": "someone"}, {"password"}, id="password-missing"),
    pytest.param({}, {"login", "password"}, id="both-missing"),
    pytest.param({"login": 42, "password": PASSWORD}, {"login"}, id="login-number"),
    pytest.param({"login": ["someone"], "password": PASSWORD}, {"login"}, id="login-list"),
    pytest.param({"login": None, "password": PASSWORD}, {"login"}, id="login-null"),
    pytest.param({"login": {"name": "x"}, "password": PASSWORD}, {"login"}, id="login-object"),
    pytest.param({"login": True, "password": PASSWORD}, {"login"}, id="login-boolean"),
    pytest.param({"login": "", "password": PASSWORD}, {"login"}, id="login-empty"),
    pytest.param({"login": "   ", "password": PASSWORD}, {"login"}, id="login-blank"),
    pytest.param({"login": "someone", "password": 12345678}, {"password"}, id="password-number"),
    pytest.param({"login": "someone", "password": [PASSWORD]}, {"password"}, id="password-list"),
    pytest.param({"login": "someone", "password": None}, {"password"}, id="password-null"),
    pytest.param({"login": "someone", "password": {"a": 1}}, {"password"}, id="password-object"),
    pytest.param({"login": "someone", "password": ""}, {"password"}, id="password-empty"),
    pytest.param({"login": "a" * MB, "password": PASSWORD}, {"login"}, id="login-1MB"),
    pytest.param({"login": "someone", "password": "p" * MB}, {"password"}, id="password-1MB"),
    pytest.param({"login": 1, "password": None}, {"login", "password"}, id="both-wrong-types"),
]


@pytest.mark.parametrize("body, fields", BAD_FIELDS)
@pytest.mark.parametrize("route", SIGN_IN_ROUTES)
def test_a_bad_field_is_400_naming_it(api, route, body, fields):
    details = assert_error(api.post(route, body), 400, "invalid_request")
    assert set(details["fields"]) == fields
    assert all(isinstance(reason, str) and reason for reason in details["fields"].values())


@pytest.mark.parametrize("field", ["login", "password"])
@pytest.mark.parametrize("route", SIGN_IN_ROUTES)
def test_a_lone_surrogate_is_400_naming_the_field(api, route, field):
    # Valid JSON ("\ud800" is a legal escape) that is not valid Unicode text.
    body = {"login": '"someone"', "password": '"correct horse 1"'}
    body[field] = '"ab\\ud800cd"'
    raw = ("{" + ", ".join(f'"{key}": {value}' for key, value in body.items()) + "}").encode()
    details = assert_error(api.post(route, raw=raw), 400, "invalid_request")
    assert set(details["fields"]) == {field}


def test_a_unicode_password_registers_and_signs_in(new_api, make_user):
    user = make_user(password="pässwörd 密码 🔑 ok")
    reply = sign_in(new_api(), "/auth/login", user.username, "pässwörd 密码 🔑 ok")
    assert reply.status == 200, reply.body


@pytest.mark.parametrize(
    "login",
    [
        pytest.param("ユーザー", id="japanese"),
        pytest.param("ünïcödé@exämple.com", id="accented-email"),
        pytest.param("😀😀😀", id="emoji"),
        pytest.param("al\u0000ice", id="nul"),
        pytest.param("\u202ealice", id="bidi-override"),
    ],
)
def test_a_unicode_login_matching_nobody_is_invalid_credentials(api, login):
    assert_error(sign_in(api, "/auth/login", login, PASSWORD), 401, "invalid_credentials")


@pytest.mark.parametrize(
    "raw, content_type",
    [
        pytest.param(b"", "application/json", id="empty"),
        pytest.param(b"   \n", "application/json", id="whitespace"),
        pytest.param(b'[{"login": "someone", "password": "x"}]', "application/json", id="array"),
        pytest.param(b'"someone"', "application/json", id="string"),
        pytest.param(b"42", "application/json", id="number"),
        pytest.param(b"null", "application/json", id="null"),
        pytest.param(b'{"login": "someone", ', "application/json", id="truncated"),
        pytest.param(b"{'login': 'someone'}", "application/json", id="single-quotes"),
        pytest.param(b'{"login": "\xff\xfe"}', "application/json", id="invalid-utf8"),
        pytest.param(b'{"login": "x", "password": "y"}', "text/plain", id="text-plain"),
        pytest.param(b"login=x&password=y", "application/x-www-form-urlencoded", id="form"),
    ],
)
@pytest.mark.parametrize("route", SIGN_IN_ROUTES)
def test_a_body_that_is_not_a_json_object_is_400(api, route, raw, content_type):
    reply = api.post(route, raw=raw, headers={"content-type": content_type})
    details = assert_error(reply, 400, "invalid_request")
    assert "fields" not in details


def test_json_with_a_charset_is_accepted(new_api, make_user):
    user = make_user()
    reply = new_api().post(
        "/auth/login",
        {"login": user.username, "password": PASSWORD},
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert reply.status == 200, reply.body


def test_unknown_fields_in_a_sign_in_are_ignored(new_api, make_user):
    user = make_user()
    reply = new_api().post(
        "/auth/login",
        {"login": user.username, "password": PASSWORD, "remember_me": True, "is_admin": True},
    )
    assert reply.status == 200, reply.body
    assert reply.json["user"]["is_admin"] is False


@pytest.mark.parametrize(
    "extra, unchanged",
    [
        pytest.param({"is_admin": True}, lambda u: u["is_admin"] is False, id="is_admin"),
        pytest.param(
            {"quota_bytes": 10**15},
            lambda u: u["storage"]["quota_bytes"] == 10 * 1024**3,
            id="quota_bytes",
        ),
        pytest.param(
            {"used_bytes": 5, "file_count": 7},
            lambda u: u["storage"]["used_bytes"] == 0 and u["storage"]["file_count"] == 0,
            id="storage-counters",
        ),
        pytest.param({"id": "f" * 32}, lambda u: u["id"] != "f" * 32, id="id"),
        pytest.param(
            {"phone_verified": True, "phone": "+821012345678"},
            lambda u: u["phone_verified"] is False,
            id="phone_verified",
        ),
    ],
)
def test_privileged_fields_in_a_registration_are_never_applied(login, make_user, extra, unchanged):
    user = make_user(**extra)
    me = login(user).get("/users/me")
    assert me.status == 200, me.body
    assert unchanged(me.json["user"]), me.json


def test_email_verified_in_a_registration_does_not_verify_the_address(new_api, make_user):
    user = make_user(verified=False, email_verified=True)
    reply = sign_in(new_api(), "/auth/login", user.username, PASSWORD)
    assert_error(reply, 403, "email_not_verified")
