"""Phone verification: POST /auth/phone/code sends a code by SMS, /auth/phone/verify checks it."""

from __future__ import annotations

import json
import re
import time

import pytest

from tests.client import assert_error
from tests.conftest import reset_settings, sms_sent, sms_to
from tests.drives import dynamodb, table

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


# --- a verified phone as a way in ----------------------------------------------------------

PASSWORD = "correct horse 1"
UNKNOWN_PHONE = "+821087654321"  # as long as PHONE, so a job for it is the same size
PHONE_FORMS = [
    "010-1234-5678",
    "+82 10 1234 5678",
    "+821012345678",
    "01012345678",
    "(010) 1234-5678",
]
SIGN_IN_ROUTES = ["/auth/login", "/auth/token"]


@pytest.fixture
def owner(make_user, login):
    """A verified account whose phone PHONE is verified."""
    user = make_user("alice")
    browser = login(user)
    assert verify(browser, request_code(browser)).status == 200
    return user


def access_code(client, purpose: str = "sign_in", phone: str = PHONE) -> str:
    """Ask for a sign-in (or reset) code for ``phone`` (any form of PHONE) and read it from
    the SMS."""
    reply = client.post("/auth/phone/code", {"phone": phone, "purpose": purpose})
    assert reply.status == 202, reply.body
    assert reply.json == {"status": "accepted"}
    return last_code(client, PHONE)


def texts_for(client, purpose: str, phone: str = PHONE) -> list[str]:
    marker = {"sign_in": "sign-in code", "reset": "password reset code"}[purpose]
    return [text for text in sms_to(client, phone) if marker in text]


def code_sign_in(client, route: str, code: str, login: str = PHONE):
    return client.post(route, {"login": login, "code": code})


def signed_in(reply, route: str) -> None:
    assert reply.status == 200, reply.body
    if route == "/auth/token":
        assert reply.json["access_token"]
    else:
        assert reply.json["user"]["username"] == "alice"
        assert "td_access" in " ".join(reply.cookies())


def expire_access_code(purpose: str, phone: str = PHONE) -> None:
    """Move a stored code's expiry into the past, as the clock would in five minutes."""
    dynamodb().update_item(
        TableName=table("tokens"),
        Key={"key": {"S": f"phonecode#{purpose}#{phone}"}},
        UpdateExpression="SET expires_ttl = :past",
        ConditionExpression="attribute_exists(#k)",
        ExpressionAttributeNames={"#k": "key"},
        ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 1)}},
    )


@pytest.mark.parametrize("form", PHONE_FORMS)
@pytest.mark.parametrize("route", SIGN_IN_ROUTES)
def test_a_verified_phone_in_any_common_form_signs_in_with_the_password(
    owner, new_api, route, form
):
    reply = new_api().post(route, {"login": form, "password": PASSWORD})

    signed_in(reply, route)


@pytest.mark.parametrize("route", SIGN_IN_ROUTES)
def test_a_phone_with_the_wrong_password_is_invalid_credentials(owner, new_api, route):
    reply = new_api().post(route, {"login": "010-1234-5678", "password": "wrong horse 1"})

    assert_error(reply, 401, "invalid_credentials")


@pytest.mark.parametrize("route", SIGN_IN_ROUTES)
def test_an_unverified_phone_cannot_sign_in(make_user, new_api, api, route):
    make_user("alice", phone=PHONE)  # given at sign-up, never verified

    reply = new_api().post(route, {"login": PHONE, "password": PASSWORD})
    assert_error(reply, 401, "invalid_credentials")
    assert api.post("/auth/phone/code", {"phone": PHONE, "purpose": "sign_in"}).status == 202
    assert texts_for(api, "sign_in") == []
    assert_error(code_sign_in(new_api(), route, "123456"), 401, "invalid_credentials")


@pytest.mark.parametrize("form", PHONE_FORMS)
@pytest.mark.parametrize("route", SIGN_IN_ROUTES)
def test_a_texted_code_signs_in_without_a_password(owner, new_api, api, route, form):
    code = access_code(api, phone=form)

    reply = code_sign_in(new_api(), route, code, login=form)

    signed_in(reply, route)
    [text] = texts_for(api, "sign_in")
    assert "5 minutes" in text


def test_the_browser_signed_in_by_code_is_a_full_session(owner, new_api, api):
    browser = new_api()
    assert code_sign_in(browser, "/auth/login", access_code(api)).status == 200

    assert browser.get("/users/me").json["user"]["phone"] == PHONE


def test_a_sign_in_code_works_once(owner, new_api, api):
    code = access_code(api)
    assert code_sign_in(new_api(), "/auth/login", code).status == 200

    assert_error(code_sign_in(new_api(), "/auth/token", code), 401, "invalid_credentials")


def test_an_expired_sign_in_code_is_refused(owner, new_api, api):
    code = access_code(api)
    expire_access_code("sign_in")

    assert_error(code_sign_in(new_api(), "/auth/login", code), 401, "invalid_credentials")


def test_five_wrong_codes_burn_the_code(owner, new_api, api):
    code = access_code(api)
    for route in SIGN_IN_ROUTES * 2 + ["/auth/login"]:
        assert_error(code_sign_in(new_api(), route, wrong(code)), 401, "invalid_credentials")

    assert_error(code_sign_in(new_api(), "/auth/login", code), 401, "invalid_credentials")


def test_four_wrong_codes_still_let_the_right_one_in(owner, new_api, api):
    code = access_code(api)
    for _ in range(4):
        assert_error(
            code_sign_in(new_api(), "/auth/token", wrong(code)), 401, "invalid_credentials"
        )

    assert code_sign_in(new_api(), "/auth/token", code).status == 200


def test_wrong_codes_and_wrong_passwords_share_the_sign_in_throttle(owner, new_api, api):
    for _ in range(5):
        reply = new_api().post("/auth/token", {"login": "alice", "password": "wrong horse 1"})
        assert_error(reply, 401, "invalid_credentials")
    for route in SIGN_IN_ROUTES:  # codes expire after 5 tries: ask for a second one
        code = access_code(api)
        for _ in range(2 if route == "/auth/login" else 3):
            assert_error(code_sign_in(new_api(), route, wrong(code)), 401, "invalid_credentials")

    code = access_code(api)
    assert_error(code_sign_in(new_api(), "/auth/login", code), 429, "rate_limited")
    reply = new_api().post("/auth/login", {"login": "alice", "password": PASSWORD})
    assert_error(reply, 429, "rate_limited")


def test_a_code_for_another_purpose_does_not_sign_in(owner, new_api, api):
    code = access_code(api, "reset")

    assert_error(code_sign_in(new_api(), "/auth/login", code), 401, "invalid_credentials")


def test_a_verification_code_does_not_sign_in(owner, new_api, make_user, login):
    bob = login(make_user("bob"))
    code = request_code(bob, PHONE)  # bob asks to verify alice's number: the text goes to it

    assert_error(code_sign_in(new_api(), "/auth/login", code), 401, "invalid_credentials")


def test_an_unknown_number_gets_the_same_answer_and_nothing_is_sent(owner, api):
    reply = api.post("/auth/phone/code", {"phone": UNKNOWN_PHONE, "purpose": "sign_in"})

    assert reply.status == 202, reply.body
    assert reply.json == {"status": "accepted"}
    assert sms_to(api, UNKNOWN_PHONE) == []


@pytest.mark.parametrize("purpose", ["sign_in", "reset"])
def test_a_code_request_makes_the_same_aws_calls_for_a_known_and_an_unknown_number(
    owner, api, aws_calls, purpose
):
    def calls(phone: str) -> list:
        sms_sent(api)  # nothing left queued from before
        aws_calls.clear()
        assert api.post("/auth/phone/code", {"phone": phone, "purpose": purpose}).status == 202
        return list(aws_calls)

    for_known, for_unknown = calls(PHONE), calls(UNKNOWN_PHONE)

    assert for_known == for_unknown
    assert [call for call, _ in for_known] == ["sqs.SendMessage"]


def test_codes_to_one_number_are_limited_per_hour_without_telling_the_caller(owner, api):
    for _ in range(6):
        reply = api.post("/auth/phone/code", {"phone": "010-1234-5678", "purpose": "sign_in"})
        assert reply.status == 202, reply.body

    # Five texts an hour to a number, whatever they are for: the owner's verification code
    # was the first.
    assert len(sms_to(api, PHONE)) == 5
    assert len(texts_for(api, "sign_in")) == 4


def test_the_hourly_limit_counts_each_mail_job_once(owner, api, app_client):
    from chalicelib.models import tokens
    from tests.conftest import deliver_mail
    from tests.drives import drain, mail_queue

    for _ in range(3):
        assert api.post("/auth/phone/code", {"phone": PHONE, "purpose": "sign_in"}).status == 202
    [job, *others] = drain(mail_queue())
    for body in [job["Body"]] * 2 + [o["Body"] for o in others]:
        # The first job handed over again (its send failed, so it was never marked done).
        tokens.discard(f"mailjob#{json.loads(body)['id']}")
        event = app_client.events.generate_sqs_event([body], queue_name="test-mail.fifo")
        app_client.lambda_.invoke("mail", event)
    assert len(texts_for(api, "sign_in")) == 4

    # 1 verification + 3 jobs so far: the fifth text of the hour still leaves.
    assert api.post("/auth/phone/code", {"phone": PHONE, "purpose": "sign_in"}).status == 202
    deliver_mail(app_client)
    assert len(texts_for(api, "sign_in")) == 5


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "12345", "purpose": "sign_in"}, "phone"),
        ({"phone": "00821012345678", "purpose": "reset"}, "phone"),
        ({"phone": "+82 10 CALL NOW", "purpose": "sign_in"}, "phone"),
        ({"purpose": "sign_in"}, "phone"),
        ({"phone": PHONE, "purpose": "hack"}, "purpose"),
        ({"phone": PHONE, "purpose": 1}, "purpose"),
    ],
    ids=["too-short", "international-prefix", "letters", "missing", "unknown-purpose", "number"],
)
def test_a_bad_code_request_is_400_naming_the_field(api, body, field):
    details = assert_error(api.post("/auth/phone/code", body), 400, "invalid_request")

    assert set(details["fields"]) == {field}
    assert sms_sent(api) == []


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"login": "alice", "code": "123456"}, {"login"}),
        ({"login": "00821012345678", "code": "123456"}, {"login"}),
        ({"login": PHONE, "code": "12345"}, {"code"}),
        ({"login": PHONE, "code": "12a456"}, {"code"}),
        ({"login": "alice", "code": "x"}, {"login", "code"}),
        ({"login": PHONE, "code": 123456}, {"code"}),
    ],
    ids=["username", "international-prefix", "5-digits", "letter", "both", "number"],
)
@pytest.mark.parametrize("route", SIGN_IN_ROUTES)
def test_a_bad_code_sign_in_is_400_naming_the_field(api, route, body, fields):
    details = assert_error(api.post(route, body), 400, "invalid_request")

    assert set(details["fields"]) == fields


def test_a_sign_in_code_needs_no_csrf_header_even_from_a_signed_in_browser(alice):
    reply = alice.post("/auth/phone/code", {"phone": PHONE, "purpose": "sign_in"}, csrf=False)

    assert reply.status == 202, reply.body


def test_verify_stays_the_default_purpose_and_needs_a_session(api):
    reply = api.post("/auth/phone/code", {"phone": PHONE, "purpose": "verify"})

    assert_error(reply, 401, "unauthenticated")


# --- sign-up with a phone ----------------------------------------------------------------


def test_sign_up_with_a_phone_texts_its_code_to_verify_after_signing_in(make_user, login):
    user = make_user("alice", phone="010-1234-5678")
    browser = login(user)
    code = last_code(browser, PHONE)

    reply = verify(browser, code)

    assert reply.status == 200, reply.body
    assert reply.json["user"]["phone_verified"] is True


def test_a_phone_number_finds_nobody_outside_signing_in(owner, make_user, login):
    """Inviting to a team takes a username, and a username may be all digits: a verified
    phone written as one must not reveal whose it is."""
    bob = login(make_user("bob"))
    team = bob.post("/teams", {"name": "crew"}).json["team"]

    reply = bob.post(f"/teams/{team['id']}/invitations", {"username": "01012345678"})

    assert_error(reply, 404, "not_found")


def test_forgot_password_by_phone_emails_the_reset_link(owner, api, outbox):
    before = len(outbox())

    assert api.post("/auth/forgot-password", {"login": "010-1234-5678"}).status == 202

    assert [(m.to, m.subject) for m in outbox()[before:]] == [
        ("alice@example.com", "Reset your teamdrive password")
    ]
