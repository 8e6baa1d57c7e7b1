"""Signing up: POST /auth/register, the verification email, /auth/verify-email and
/auth/resend-verification."""

from __future__ import annotations

import re
import time
from typing import Any

import boto3
import pytest

from tests.client import assert_error
from tests.conftest import REGION, link_token, reset_settings
from tests.drives import USER_KEYS

HEX_ID = re.compile(r"[0-9a-f]{32}")
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
GIB = 1024**3
PASSWORD = "correct horse 1"


def register(api, **fields: Any):
    body = {"username": "alice", "email": "alice@example.com", "password": PASSWORD, **fields}
    return api.post("/auth/register", body)


def count_items(table: str) -> int:
    """How many items a table holds (a scan: tests may, request paths may not)."""
    client = boto3.client("dynamodb", region_name=REGION)
    return client.scan(TableName=f"test-{table}", Select="COUNT")["Count"]


def stored_counts() -> dict[str, int]:
    return {table: count_items(table) for table in ("users", "uniques", "tokens")}


@pytest.fixture
def sent_email_params(stack) -> list[dict[str, Any]]:
    """The parameters of every SES SendEmail the app makes, read off its own boto3 client.

    moto keeps only one body of a message (the HTML one when both are sent), so the text body
    is read from the request on its way out; the listener observes and changes nothing.
    """
    from chalicelib import aws

    seen: list[dict[str, Any]] = []

    def observe(params: dict[str, Any], **_: Any) -> None:
        seen.append(params)

    aws.client("ses").meta.events.register("provide-client-params.ses.SendEmail", observe)
    return seen


# --- creating the account ---------------------------------------------------------------


def test_register_answers_201_with_the_contract_user(api):
    reply = register(api, nickname="Ally", phone="+821012345678")

    assert reply.status == 201, reply.body
    user = reply.json["user"]
    assert set(reply.json) == {"user"}
    assert set(user) == USER_KEYS
    assert HEX_ID.fullmatch(user["id"])
    assert user["username"] == "alice"
    assert user["email"] == "alice@example.com"
    assert user["email_verified"] is False
    assert user["nickname"] == "Ally"
    assert user["phone"] == "+821012345678"
    assert user["phone_verified"] is False
    assert user["is_admin"] is False
    assert ISO_UTC.fullmatch(user["created_at"])
    storage = user["storage"]
    assert set(storage) == {"quota_bytes", "used_bytes", "file_count", "root_folder_id"}
    assert storage["quota_bytes"] == 10 * GIB
    assert storage["used_bytes"] == 0
    assert storage["file_count"] == 0
    assert HEX_ID.fullmatch(storage["root_folder_id"])
    assert storage["root_folder_id"] != user["id"]


def test_register_without_optional_fields_leaves_them_null(api):
    user = register(api).json["user"]

    assert user["nickname"] is None
    assert user["phone"] is None


def test_register_lowercases_the_username(api):
    reply = register(api, username="  AliCe  ")

    assert reply.status == 201, reply.body
    assert reply.json["user"]["username"] == "alice"


@pytest.mark.parametrize("second", ["alice", "ALICE"], ids=["same", "upper"])
def test_register_refuses_a_taken_username_in_any_case(api, second):
    assert register(api).status == 201

    reply = register(api, username=second, email="other@example.com")

    assert_error(reply, 409, "username_taken")


def test_register_keeps_the_local_part_and_lowercases_the_domain(api):
    reply = register(api, email="Alice.Smith@Example.COM")

    assert reply.json["user"]["email"] == "Alice.Smith@example.com"


@pytest.mark.parametrize(
    "second",
    ["ALICE@EXAMPLE.COM", "Alice@example.com"],
    ids=["all-upper", "local-part-upper"],
)
def test_register_refuses_a_taken_email_in_any_case(api, second):
    assert register(api).status == 201

    reply = register(api, username="bob", email=second)

    assert_error(reply, 409, "email_taken")


def test_register_reports_username_taken_when_both_are_taken(api):
    assert register(api).status == 201

    assert_error(register(api), 409, "username_taken")


@pytest.mark.parametrize(
    "second",
    [
        {"username": "alice", "email": "new@example.com"},
        {"username": "bob", "email": "ALICE@example.com"},
    ],
    ids=["username-taken", "email-taken"],
)
def test_a_conflicting_registration_writes_nothing(api, outbox, second):
    assert register(api).status == 201
    mails = len(outbox())  # the mail function writes the verification link first
    before = stored_counts()

    reply = register(api, **second)

    assert reply.status == 409
    assert stored_counts() == before
    assert len(outbox()) == mails


def test_an_invalid_registration_writes_nothing(api, outbox):
    before = stored_counts()

    assert_error(register(api, password="short"), 400, "invalid_request")

    assert stored_counts() == before
    assert outbox() == []


# --- validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("username", "ab", id="username-2-chars"),
        pytest.param("username", "a" * 31, id="username-31-chars"),
        pytest.param("username", "al ice", id="username-space"),
        pytest.param("username", "ålice", id="username-unicode-letter"),
        pytest.param("email", "alice", id="email-no-at"),
        pytest.param("password", "a" * 7, id="password-7-chars"),
        pytest.param("password", "a" * 129, id="password-129-chars"),
        pytest.param("password", "12345678", id="password-all-digits"),
        pytest.param("nickname", "n" * 51, id="nickname-51"),
        pytest.param("phone", "821012345678", id="phone-no-plus-no-trunk-prefix"),
    ],
)
def test_register_rejects_an_invalid_field(api, field, value):
    details = assert_error(register(api, **{field: value}), 400, "invalid_request")

    assert set(details["fields"]) == {field}


@pytest.mark.parametrize("password", ["alice-smith", "ALICE-Smith"], ids=["same", "other-case"])
def test_register_rejects_a_password_equal_to_the_username_in_any_case(api, password):
    reply = register(api, username="alice-smith", password=password)

    details = assert_error(reply, 400, "invalid_request")
    assert set(details["fields"]) == {"password"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("username", "abc", id="username-3-chars"),
        pytest.param("username", "a" * 30, id="username-30-chars"),
        pytest.param("password", "a1" * 4, id="password-8-chars"),
        pytest.param("password", "a" * 128, id="password-128-chars"),
        pytest.param("nickname", "😀" * 50, id="nickname-50-emoji"),
    ],
)
def test_register_accepts_a_field_at_its_limit(api, field, value):
    reply = register(api, **{field: value})

    assert reply.status == 201, reply.body
    if field in ("username", "nickname", "phone"):
        assert reply.json["user"][field] == value


def test_register_normalises_a_phone_written_with_spaces_and_dashes(api):
    reply = register(api, phone="+82 10-1234-5678")

    assert reply.json["user"]["phone"] == "+821012345678"


def test_register_reports_every_bad_field_together(api):
    reply = api.post(
        "/auth/register",
        {
            "username": "x",
            "email": "nope",
            "password": "1234",
            "nickname": "n" * 51,
            "phone": "12",
        },
    )

    details = assert_error(reply, 400, "invalid_request")
    assert set(details["fields"]) == {"username", "email", "password", "nickname", "phone"}


def test_register_names_every_missing_field(api):
    details = assert_error(api.post("/auth/register", {}), 400, "invalid_request")

    assert set(details["fields"]) == {"username", "email", "password"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("username", 123, id="username-number"),
        pytest.param("nickname", {"n": 1}, id="nickname-object"),
    ],
)
def test_register_rejects_a_field_of_the_wrong_type(api, field, value):
    details = assert_error(register(api, **{field: value}), 400, "invalid_request")

    assert details["fields"] == {field: "must be a string"}


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]"], ids=["malformed", "array"])
def test_register_rejects_a_body_that_is_not_a_json_object(api, raw):
    assert_error(api.post("/auth/register", raw=raw), 400, "invalid_request")


def test_register_ignores_privileged_fields(api):
    reply = register(api, is_admin=True, email_verified=True, quota_bytes=1, phone_verified=True)

    user = reply.json["user"]
    assert user["is_admin"] is False
    assert user["email_verified"] is False
    assert user["phone_verified"] is False
    assert user["storage"]["quota_bytes"] == 10 * GIB


# --- the verification email -------------------------------------------------------------


def test_register_sends_a_verification_email_in_text_and_html(api, outbox, sent_email_params):
    register(api)
    [mail] = outbox()  # the mail function sends it

    [params] = sent_email_params
    assert params["Destination"] == {"ToAddresses": ["alice@example.com"]}
    assert params["Message"]["Subject"]["Data"] == "Verify your email for teamdrive"
    text = params["Message"]["Body"]["Text"]["Data"]
    html = params["Message"]["Body"]["Html"]["Data"]
    link = re.search(r"http://localhost:8000/verify-email\?token=[A-Za-z0-9_\-]+", text)
    assert link, text
    assert "Hello alice," in text
    assert "24 hours" in text
    assert "<" not in text
    assert f'href="{link.group(0)}"' in html
    assert "Hello alice," in html
    assert mail.to == "alice@example.com"
    assert link_token(mail, "http://localhost:8000/verify-email") == link.group(0).split("=")[1]


def test_verify_email_marks_the_account_verified_and_allows_sign_in(api, outbox):
    register(api)
    token = link_token(outbox()[-1], "/verify-email")

    reply = api.post("/auth/verify-email", {"token": token})

    assert reply.status == 200, reply.body
    assert reply.json["user"]["email_verified"] is True
    assert reply.json["user"]["username"] == "alice"
    assert api.post("/auth/login", {"login": "alice", "password": PASSWORD}).status == 200


def test_verify_email_token_works_once(api, outbox):
    register(api)
    token = link_token(outbox()[-1], "/verify-email")
    assert api.post("/auth/verify-email", {"token": token}).status == 200

    assert_error(api.post("/auth/verify-email", {"token": token}), 400, "invalid_token")


def test_verify_email_refuses_an_expired_token(api, outbox, monkeypatch):
    monkeypatch.setenv("VERIFY_TTL_S", "1")
    reset_settings()
    register(api)
    token = link_token(outbox()[-1], "/verify-email")

    time.sleep(1.5)

    assert_error(api.post("/auth/verify-email", {"token": token}), 400, "invalid_token")
    login = api.post("/auth/login", {"login": "alice", "password": PASSWORD})
    assert_error(login, 403, "email_not_verified")


def _tampered(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@pytest.mark.parametrize(
    "mangle",
    [_tampered, lambda t: "x" * len(t)],
    ids=["last-char-changed", "made-up"],
)
def test_verify_email_refuses_a_tampered_token(api, outbox, mangle):
    register(api)
    token = link_token(outbox()[-1], "/verify-email")

    assert_error(api.post("/auth/verify-email", {"token": mangle(token)}), 400, "invalid_token")
    assert api.post("/auth/verify-email", {"token": token}).status == 200


def test_verify_email_requires_a_token(api):
    details = assert_error(api.post("/auth/verify-email", {}), 400, "invalid_request")

    assert set(details["fields"]) == {"token"}


# --- resending the link -----------------------------------------------------------------


def _resend(api, email: str):
    reply = api.post("/auth/resend-verification", {"email": email})
    assert reply.status == 202, reply.body
    assert reply.json == {"status": "accepted"}
    return reply


def test_resend_verification_answers_alike_and_mails_only_the_unverified(api, make_user, outbox):
    make_user("verified", verified=True)
    make_user("pending", verified=False)
    before = len(outbox())

    for address in ("nobody@example.com", "verified@example.com", "pending@example.com"):
        _resend(api, address)

    new = outbox()[before:]
    assert [mail.to for mail in new] == ["pending@example.com"]
    token = link_token(new[0], "/verify-email")
    assert api.post("/auth/verify-email", {"token": token}).status == 200


def test_resend_verification_sends_at_most_five_mails_an_hour(api, make_user, outbox):
    make_user("pending", verified=False)
    before = len(outbox())

    for _ in range(6):
        _resend(api, "pending@example.com")

    assert len(outbox()) - before == 5
