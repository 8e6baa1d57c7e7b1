"""Phone verification: POST /auth/phone/code sends a code by SMS, /auth/phone/verify checks it."""

from __future__ import annotations

import re
import time

import pytest

from tests.client import assert_error
from tests.conftest import reset_settings, sms_sent, sms_to

PHONE = "+821012345678"
OTHER_PHONE = "+15550100001"


def last_code(client, phone: str) -> str:
    messages = sms_to(client, phone)
    assert messages, sms_sent(client)
    match = re.search(r"\b(\d{6})\b", messages[-1])
    assert match, messages[-1]
    return match.group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def request_code(client, phone: str = PHONE) -> str:
    reply = client.post("/auth/phone/code", {"phone": phone})
    assert reply.status == 202, reply.body
    assert reply.json == {"status": "accepted"}
    return last_code(client, phone)


def verify(client, code: str, phone: str = PHONE):
    return client.post("/auth/phone/verify", {"phone": phone, "code": code})


@pytest.fixture
def alice(make_user, login):
    return login(make_user("alice"))


def test_phone_code_requires_sign_in(api):
    assert_error(api.post("/auth/phone/code", {"phone": PHONE}), 401, "unauthenticated")
    assert sms_sent(api) == []


def test_phone_verify_requires_sign_in(api):
    reply = api.post("/auth/phone/verify", {"phone": PHONE, "code": "123456"})

    assert_error(reply, 401, "unauthenticated")


def test_phone_code_by_cookie_needs_the_csrf_header(alice):
    reply = alice.post("/auth/phone/code", {"phone": PHONE}, csrf=False)

    assert_error(reply, 403, "csrf_failed")
    assert sms_sent(alice) == []


@pytest.mark.parametrize(
    "phone",
    ["821012345678", "00821012345678", "+1555CALLNOW", ""],
    ids=["no-plus-no-trunk-prefix", "international-prefix", "letters", "empty"],
)
def test_phone_code_rejects_a_number_not_in_e164(alice, phone):
    details = assert_error(alice.post("/auth/phone/code", {"phone": phone}), 400, "invalid_request")

    assert set(details["fields"]) == {"phone"}
    assert sms_sent(alice) == []


def test_phone_code_sends_a_six_digit_code_by_sms_to_the_normalised_number(alice):
    reply = alice.post("/auth/phone/code", {"phone": "+82 10-1234-5678"})

    assert reply.status == 202, reply.body
    [(number, text)] = sms_sent(alice)
    assert number == PHONE
    assert re.search(r"\b\d{6}\b", text)
    assert "5 minutes" in text


def test_the_sms_states_the_configured_lifetime(make_user, login, monkeypatch):
    monkeypatch.setenv("PHONE_CODE_TTL_S", "600")
    reset_settings()
    alice = login(make_user("alice"))

    request_code(alice)

    [(_, text)] = sms_sent(alice)
    assert "10 minutes" in text, text


def test_right_code_marks_the_phone_verified(alice):
    code = request_code(alice)

    reply = verify(alice, code)

    assert reply.status == 200, reply.body
    assert reply.json["user"]["phone"] == PHONE
    assert reply.json["user"]["phone_verified"] is True
    me = alice.get("/users/me").json["user"]
    assert (me["phone"], me["phone_verified"]) == (PHONE, True)


def test_phone_verification_works_with_a_bearer_token(make_user, token_client):
    script = token_client(make_user("alice"))
    code = request_code(script)

    reply = verify(script, code)

    assert reply.status == 200, reply.body
    assert reply.json["user"]["phone_verified"] is True


def test_wrong_code_is_refused(alice):
    code = request_code(alice)

    assert_error(verify(alice, wrong(code)), 400, "invalid_code")
    assert alice.get("/users/me").json["user"]["phone_verified"] is False


def test_a_code_works_once(alice):
    code = request_code(alice)
    assert verify(alice, code).status == 200

    assert_error(verify(alice, code), 400, "invalid_code")


def test_a_code_is_only_for_the_number_it_was_sent_to(alice):
    code = request_code(alice)

    assert_error(verify(alice, code, OTHER_PHONE), 400, "invalid_code")


def test_verify_without_a_code_requested_is_refused(alice):
    assert_error(verify(alice, "123456"), 400, "invalid_code")


def test_a_code_is_only_for_the_account_it_was_sent_to(make_user, login):
    alice, bob = login(make_user("alice")), login(make_user("bob"))
    code = request_code(alice)

    assert_error(verify(bob, code), 400, "invalid_code")


def test_the_right_code_still_works_after_four_wrong_tries(alice):
    code = request_code(alice)
    for _ in range(4):
        assert_error(verify(alice, wrong(code)), 400, "invalid_code")

    assert verify(alice, code).status == 200


def test_after_five_wrong_tries_even_the_right_code_fails(alice):
    code = request_code(alice)
    for _ in range(5):
        assert_error(verify(alice, wrong(code)), 400, "invalid_code")

    assert_error(verify(alice, code), 400, "invalid_code")
    assert alice.get("/users/me").json["user"]["phone_verified"] is False


def test_a_new_code_replaces_the_old_one(alice):
    first = request_code(alice)
    second = request_code(alice)
    if first == second:
        pytest.skip("the two random codes happened to be equal")

    assert_error(verify(alice, first), 400, "invalid_code")
    assert verify(alice, second).status == 200


def test_an_expired_code_is_refused(make_user, login, monkeypatch):
    monkeypatch.setenv("PHONE_CODE_TTL_S", "1")
    reset_settings()
    alice = login(make_user("alice"))
    code = request_code(alice)

    time.sleep(1.5)

    assert_error(verify(alice, code), 400, "invalid_code")


def test_a_number_verified_by_another_account_is_taken(make_user, login):
    alice, bob = login(make_user("alice")), login(make_user("bob"))
    assert verify(alice, request_code(alice)).status == 200

    reply = verify(bob, request_code(bob))

    assert_error(reply, 409, "phone_taken")
    me = bob.get("/users/me").json["user"]
    assert me["phone_verified"] is False


def test_verifying_a_new_number_releases_the_old_one(make_user, login):
    alice, bob = login(make_user("alice")), login(make_user("bob"))
    assert verify(alice, request_code(alice, PHONE), PHONE).status == 200
    assert verify(alice, request_code(alice, OTHER_PHONE), OTHER_PHONE).status == 200

    reply = verify(bob, request_code(bob, PHONE), PHONE)

    assert reply.status == 200, reply.body
    assert reply.json["user"]["phone"] == PHONE


def test_the_sixth_code_in_an_hour_is_rate_limited(alice):
    for _ in range(5):
        request_code(alice)

    reply = alice.post("/auth/phone/code", {"phone": PHONE})

    details = assert_error(reply, 429, "rate_limited")
    retry_after = {k.lower(): v for k, v in reply.headers.items()}["retry-after"]
    assert 0 < int(retry_after) <= 3600
    assert details["retry_after"] == int(retry_after)
    assert len(sms_sent(alice)) == 5
