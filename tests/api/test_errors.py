"""Errors in the contract's format whoever raises them (our code, Chalice, an outage), and the
logs: one JSON access line per request, the request id of every unexpected failure, and never
a secret.

The app logs through the "teamdrive" logger, whose handler keeps the stdout it found at import
time, so ``capsys`` never sees those lines; pytest's ``caplog`` reads the same records (the
handler writes each record's message alone, so a message is exactly the line written).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from infra.local.provision import provision
from tests.client import assert_error
from tests.conftest import REGION, SITE

PASSWORD = "correct horse 1"


SHARED_STACK = True  # see tests/conftest.py: module_stack


@pytest.fixture
def drop_table(stack) -> Iterator[Callable[[str], None]]:
    """Deletes one of the stack's tables (an outage our code does not expect), and puts it
    back empty afterwards for the module's later tests."""
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    yield lambda name: dynamodb.delete_table(TableName=f"test-{name}")
    session = boto3.session.Session(region_name=REGION)
    provision(session, stage="test", site_origin=SITE, tables_only=True)


def logged(caplog) -> list[dict[str, Any]]:
    """Every line the app logged during the test, each parsed as the JSON it must be."""
    lines = []
    for record in caplog.records:
        if record.name == "teamdrive.events":
            line = record.getMessage()
            assert "\n" not in line, line
            lines.append(json.loads(line))
    return lines


# --- Chalice's own errors, reshaped -------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path, allowed",
    [
        pytest.param("GET", "/auth/login", {"POST"}, id="GET-login"),
        pytest.param("GET", "/auth/token", {"POST"}, id="GET-token"),
        pytest.param("PUT", "/auth/refresh", {"POST"}, id="PUT-refresh"),
        pytest.param("DELETE", "/auth/logout", {"POST"}, id="DELETE-logout"),
        pytest.param("GET", "/users/me/password", {"POST"}, id="GET-password"),
        pytest.param("POST", "/health", {"GET"}, id="POST-health"),
        pytest.param("PUT", "/users/me", {"GET", "PATCH", "DELETE"}, id="PUT-me"),
    ],
)
def test_a_method_the_route_lacks_is_405_with_allow(api, method, path, allowed):
    reply = api.request(method, path)
    assert_error(reply, 405, "method_not_allowed")
    assert reply.headers.get("Content-Type") == "application/json"
    assert {part.strip() for part in reply.headers["Allow"].split(",")} == allowed


BODY_ROUTES = [
    pytest.param("POST", "/auth/register", False, id="register"),
    pytest.param("POST", "/auth/token", False, id="token"),
    pytest.param("POST", "/auth/refresh", False, id="refresh"),
    pytest.param("POST", "/auth/verify-email", False, id="verify-email"),
    pytest.param("POST", "/auth/forgot-password", False, id="forgot-password"),
    pytest.param("POST", "/auth/reset-password", False, id="reset-password"),
    pytest.param("PATCH", "/users/me", True, id="patch-me"),
    pytest.param("POST", "/users/me/password", True, id="change-password"),
]


@pytest.fixture(scope="module")
def issued() -> dict[str, str]:
    """The bearer token ``caller`` made, kept for the module: bad bodies change nothing."""
    return {}


@pytest.fixture
def caller(issued, new_api, token_client, make_user) -> Callable[[bool], Any]:
    """A client, signed in with a bearer token when the route needs one."""

    def make(signed_in: bool):
        if not signed_in:
            return new_api()
        token = issued.get("bearer")
        if token is None or new_api(bearer=token).get("/users/me").status != 200:
            issued["bearer"] = token_client(make_user()).bearer
        return new_api(bearer=issued["bearer"])

    return make


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b'{"login": ', id="truncated"),
        pytest.param(b"{login: 1}", id="unquoted-key"),
        pytest.param(b'{"a": 1} trailing', id="trailing-garbage"),
        pytest.param(b'{"a": "\xc3\x28"}', id="invalid-utf8"),
        pytest.param(b"[]", id="array"),
        pytest.param(b'"text"', id="string"),
    ],
)
@pytest.mark.parametrize("method, path, signed_in", BODY_ROUTES)
def test_a_body_that_is_not_a_json_object_is_400(caller, method, path, signed_in, raw):
    reply = caller(signed_in).request(method, path, raw=raw)
    assert_error(reply, 400, "invalid_request")


@pytest.mark.parametrize("method, path, signed_in", [BODY_ROUTES[0], BODY_ROUTES[-2]])
def test_a_deeply_nested_body_is_400_not_a_crash(caller, method, path, signed_in):
    depth = 100_000
    reply = caller(signed_in).request(method, path, raw=b"[" * depth + b"]" * depth)
    assert_error(reply, 400, "invalid_request")


@pytest.mark.parametrize(
    "content_type",
    [
        pytest.param("text/plain", id="text-plain"),
        pytest.param("application/x-www-form-urlencoded", id="form"),
        pytest.param("multipart/form-data; boundary=x", id="multipart"),
        pytest.param("application/xml", id="xml"),
        pytest.param("", id="empty"),
    ],
)
@pytest.mark.parametrize("method, path, signed_in", [BODY_ROUTES[0], BODY_ROUTES[-2]])
def test_a_body_of_another_content_type_is_400(caller, method, path, signed_in, content_type):
    body = b'{"username": "someone", "nickname": "x"}'
    reply = caller(signed_in).request(
        method, path, raw=body, headers={"content-type": content_type}
    )
    assert_error(reply, 400, "invalid_request")


# --- unexpected failures ------------------------------------------------------------------------


def test_an_unexpected_failure_is_500_internal_with_a_request_id_and_no_trace(
    token_client, user, drop_table, caplog
):
    script = token_client(user)
    drop_table("users")
    reply = script.get("/users/me")
    details = assert_error(reply, 500, "internal")
    assert set(details) == {"request_id"}
    request_id = details["request_id"]
    assert request_id and request_id != "-"
    for leak in (b"Traceback", b'File "', b"test-users", b"ResourceNotFound", b"botocore"):
        assert leak not in reply.body
    failures = [line for line in logged(caplog) if line["event"] == "unhandled_error"]
    assert [line["request_id"] for line in failures] == [request_id]
    assert "Traceback" in failures[0]["trace"]


# --- the access log -----------------------------------------------------------------------------


def test_every_request_writes_one_json_access_line(api, token_client, user, caplog):
    script = token_client(user)
    caplog.clear()
    api.get("/health")
    script.get("/users/me")
    api.get("/auth/login")
    api.post("/auth/login", raw=b"{")
    api.post("/auth/login", {"login": user.username, "password": "wrong horse 1"})

    access = [line for line in logged(caplog) if line["event"] == "request"]
    seen = [(line["method"], line["route"], line["status"], line["user_id"]) for line in access]
    assert seen == [
        ("GET", "/health", 200, None),
        ("GET", "/users/me", 200, user.id),
        ("GET", "/auth/login", 405, None),
        ("POST", "/auth/login", 400, None),
        ("POST", "/auth/login", 401, None),
    ]
    for line in access:
        assert isinstance(line["latency_ms"], int | float) and line["latency_ms"] >= 0
        assert isinstance(line["request_id"], str) and line["request_id"] not in ("", "-")
    assert len({line["request_id"] for line in access}) == len(access)


def test_logs_never_hold_passwords_tokens_or_cookies(
    new_api, login, token_client, make_user, drop_table, caplog, capsys
):
    password, wrong, new_password = "s3cret-Pa55-one", "s3cret-Wr0ng-two", "s3cret-N3w-three"
    user = make_user(password=password)
    secrets = {password, wrong, new_password}

    browser = login(user)
    secrets |= set(browser.jar.values())
    assert browser.patch("/users/me", {"nickname": "Logged"}).status == 200
    assert browser.post("/auth/refresh").status == 200
    secrets |= set(browser.jar.values())
    script = token_client(user)
    secrets |= {script.bearer, script.refresh_token}
    rotated = new_api().post("/auth/token", {"refresh_token": script.refresh_token}).json
    secrets |= {rotated["access_token"], rotated["refresh_token"]}
    wrong_login = new_api().post("/auth/login", {"login": user.username, "password": wrong})
    assert wrong_login.status == 401
    change = {"current_password": password, "new_password": new_password}
    assert browser.post("/users/me/password", change).status == 204
    secrets |= set(browser.jar.values())
    broken = ('{"login": "x", "password": "' + new_password + '"').encode()
    assert new_api().post("/auth/login", raw=broken).status == 400
    # An unexpected failure, logged with its trace, while the caller's token is in hand.
    drop_table("users")
    assert browser.get("/users/me").status == 500

    captured = capsys.readouterr()
    written = caplog.text + captured.out + captured.err
    assert logged(caplog), "the 500 at least must have been logged"
    for secret in sorted(secrets):
        assert secret not in written, f"a secret was logged: {secret[:12]}..."
