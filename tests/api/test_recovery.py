"""Getting back in: /auth/forgot-username, /auth/forgot-password and /auth/reset-password."""

from __future__ import annotations

import time

import pytest
from moto.core import DEFAULT_ACCOUNT_ID

from chalicelib.errors import DeliveryFailed
from chalicelib.services import mail
from tests.client import assert_error
from tests.conftest import REGION, TEST_ENV, link_token, reset_settings
from tests.drives import drain, mail_queue, sqs

NEW_PASSWORD = "a brand new secret"


def accepted(reply) -> None:
    assert reply.status == 202, reply.body
    assert reply.json == {"status": "accepted"}


def mails_to(outbox, address: str) -> list:
    return [mail for mail in outbox() if mail.to == address]


def reset_token(api, outbox, user) -> str:
    """Ask for a reset link for ``user`` and return the token it carries."""
    accepted(api.post("/auth/forgot-password", {"login": user.username}))
    mail = mails_to(outbox, user.email)[-1]
    assert mail.subject == "Reset your teamdrive password"
    return link_token(mail, "http://localhost:8000/reset-password")


# --- forgotten usernames ----------------------------------------------------------------


def test_forgot_username_emails_the_username(api, make_user, outbox):
    user = make_user("alice")
    before = len(outbox())

    accepted(api.post("/auth/forgot-username", {"email": "alice@example.com"}))

    [mail] = outbox()[before:]
    assert mail.to == "alice@example.com"
    assert mail.subject == "Your teamdrive username"
    assert f"is: {user.username}" in mail.text


def test_forgot_username_finds_the_address_in_any_case(api, make_user, outbox):
    make_user("alice")
    before = len(outbox())

    accepted(api.post("/auth/forgot-username", {"email": "ALICE@Example.COM"}))

    assert [mail.to for mail in outbox()[before:]] == ["alice@example.com"]


def test_forgot_username_answers_alike_for_an_unknown_address_and_sends_nothing(api, outbox):
    accepted(api.post("/auth/forgot-username", {"email": "nobody@example.com"}))

    assert outbox() == []


# --- forgotten passwords ----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"login": "ALICE"},
        {"login": "alice@example.com"},
        {"email": "Alice@Example.com"},
    ],
    ids=["login-username-any-case", "login-email", "email-field-any-case"],
)
def test_forgot_password_emails_a_reset_link(api, make_user, outbox, body):
    make_user("alice")
    before = len(outbox())

    accepted(api.post("/auth/forgot-password", body))

    [mail] = outbox()[before:]
    assert mail.to == "alice@example.com"
    assert "30 minutes" in mail.text
    assert link_token(mail, "http://localhost:8000/reset-password")


@pytest.mark.parametrize(
    "body", [{"login": "nobody"}, {"email": "nobody@example.com"}], ids=["username", "email"]
)
def test_forgot_password_answers_alike_for_an_unknown_account_and_sends_nothing(api, outbox, body):
    accepted(api.post("/auth/forgot-password", body))

    assert outbox() == []


def test_forgot_password_requires_a_login(api):
    details = assert_error(api.post("/auth/forgot-password", {}), 400, "invalid_request")

    assert set(details["fields"]) == {"login"}


# --- resetting --------------------------------------------------------------------------


def test_reset_password_replaces_the_password(api, make_user, outbox):
    user = make_user("alice")
    token = reset_token(api, outbox, user)

    reply = api.post("/auth/reset-password", {"token": token, "password": NEW_PASSWORD})

    assert reply.status == 204, reply.body
    old = api.post("/auth/login", {"login": "alice", "password": user.password})
    assert_error(old, 401, "invalid_credentials")
    new = api.post("/auth/login", {"login": "alice", "password": NEW_PASSWORD})
    assert new.status == 200, new.body


def test_reset_link_works_once(api, make_user, outbox):
    token = reset_token(api, outbox, make_user("alice"))
    assert (
        api.post("/auth/reset-password", {"token": token, "password": NEW_PASSWORD}).status == 204
    )

    again = api.post("/auth/reset-password", {"token": token, "password": "another secret 2"})

    assert_error(again, 400, "invalid_token")
    assert api.post("/auth/login", {"login": "alice", "password": NEW_PASSWORD}).status == 200


def test_using_one_reset_link_kills_every_other_one(api, make_user, outbox):
    user = make_user("alice")
    first, second = reset_token(api, outbox, user), reset_token(api, outbox, user)
    assert (
        api.post("/auth/reset-password", {"token": second, "password": NEW_PASSWORD}).status == 204
    )

    late = api.post("/auth/reset-password", {"token": first, "password": "another secret 2"})

    assert_error(late, 400, "invalid_token")
    assert api.post("/auth/login", {"login": "alice", "password": NEW_PASSWORD}).status == 200


def test_a_password_change_kills_reset_links_sent_before_it(api, make_user, outbox, login):
    user = make_user("alice")
    token = reset_token(api, outbox, user)
    change = {"current_password": user.password, "new_password": NEW_PASSWORD}
    assert login(user).post("/users/me/password", change).status == 204

    late = api.post("/auth/reset-password", {"token": token, "password": "another secret 2"})

    assert_error(late, 400, "invalid_token")


def test_reset_link_expires(api, make_user, outbox, monkeypatch):
    user = make_user("alice")
    monkeypatch.setenv("RESET_TTL_S", "1")
    reset_settings()
    token = reset_token(api, outbox, user)

    time.sleep(1.5)

    reply = api.post("/auth/reset-password", {"token": token, "password": NEW_PASSWORD})
    assert_error(reply, 400, "invalid_token")
    assert api.post("/auth/login", {"login": "alice", "password": user.password}).status == 200


def test_reset_refuses_a_tampered_token(api, make_user, outbox):
    token = reset_token(api, outbox, make_user("alice"))
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    reply = api.post("/auth/reset-password", {"token": tampered, "password": NEW_PASSWORD})

    assert_error(reply, 400, "invalid_token")


@pytest.mark.parametrize(
    "password",
    ["short12", "1234567890", "ALICE-smith"],
    ids=["7-chars", "all-digits", "username"],
)
def test_reset_enforces_the_password_rules_without_spending_the_link(
    api, make_user, outbox, password
):
    user = make_user("alice-smith")
    token = reset_token(api, outbox, user)

    reply = api.post("/auth/reset-password", {"token": token, "password": password})

    details = assert_error(reply, 400, "invalid_request")
    assert set(details["fields"]) == {"password"}
    assert (
        api.post("/auth/reset-password", {"token": token, "password": NEW_PASSWORD}).status == 204
    )


def test_reset_ends_every_session(api, make_user, outbox, login, token_client):
    user = make_user("alice")
    browser, script = login(user), token_client(user)
    assert browser.get("/users/me").status == 200
    token = reset_token(api, outbox, user)

    assert (
        api.post("/auth/reset-password", {"token": token, "password": NEW_PASSWORD}).status == 204
    )

    assert_error(browser.get("/users/me"), 401, "unauthenticated")
    assert_error(script.get("/users/me"), 401, "unauthenticated")
    refresh = api.post("/auth/token", {"refresh_token": script.refresh_token})
    assert_error(refresh, 401, "unauthenticated")


def test_reset_verifies_an_unverified_address(api, make_user, outbox):
    user = make_user("alice", verified=False)
    token = reset_token(api, outbox, user)

    assert (
        api.post("/auth/reset-password", {"token": token, "password": NEW_PASSWORD}).status == 204
    )

    reply = api.post("/auth/login", {"login": "alice", "password": NEW_PASSWORD})
    assert reply.status == 200, reply.body
    assert reply.json["user"]["email_verified"] is True


# --- the same work for every account: mail leaves after the answer ----------------------

# (route, body naming an account, body naming none, of the same length)
RECOVERY_ROUTES = [
    ("/auth/forgot-password", {"login": "alice"}, {"login": "nobod"}),
    ("/auth/forgot-password", {"login": "alice@example.com"}, {"login": "nobod@example.com"}),
    ("/auth/forgot-username", {"email": "alice@example.com"}, {"email": "nobod@example.com"}),
    ("/auth/resend-verification", {"email": "alice@example.com"}, {"email": "nobod@example.com"}),
]


@pytest.mark.parametrize(
    ("path", "known", "unknown"),
    RECOVERY_ROUTES,
    ids=["forgot-password-username", "forgot-password-email", "forgot-username", "resend"],
)
def test_a_request_makes_the_same_aws_calls_for_a_known_and_an_unknown_account(
    api, make_user, aws_calls, path, known, unknown
):
    make_user("alice", verified=False)  # one that every route would mail

    def calls(body: dict) -> list:
        aws_calls.clear()
        accepted(api.post(path, body))
        return list(aws_calls)

    for_known, for_unknown = calls(known), calls(unknown)

    assert for_known == for_unknown
    assert [call for call, _ in for_known] == ["sqs.SendMessage"]


def sent_emails() -> int:
    """How many emails SES took, read straight from moto (the mail function not run)."""
    from moto.ses.models import ses_backends

    return len(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


def queued_jobs() -> int:
    found = sqs().get_queue_attributes(
        QueueUrl=mail_queue(), AttributeNames=["ApproximateNumberOfMessages"]
    )
    return int(found["Attributes"]["ApproximateNumberOfMessages"])


def test_the_reset_mail_leaves_through_the_mail_queue_after_the_answer(api, make_user, outbox):
    user = make_user("alice")
    before, emails = len(outbox()), sent_emails()

    accepted(api.post("/auth/forgot-password", {"login": "alice"}))

    assert (sent_emails(), queued_jobs()) == (emails, 1)
    [mail_] = outbox()[before:]  # the mail function has run
    assert (mail_.to, mail_.subject) == (user.email, "Reset your teamdrive password")
    assert queued_jobs() == 0


def test_the_job_for_an_unknown_account_is_dropped_by_the_mail_function(api, outbox):
    accepted(api.post("/auth/forgot-password", {"login": "nobody"}))
    assert queued_jobs() == 1

    assert outbox() == []
    assert queued_jobs() == 0


def test_a_mail_the_provider_refuses_fails_the_job_and_a_redelivered_job_is_sent_once(
    api, make_user, outbox, monkeypatch
):
    user = make_user("alice")
    before = len(outbox())
    accepted(api.post("/auth/forgot-username", {"email": user.email}))
    [job] = drain(mail_queue())
    monkeypatch.setenv("MAIL_FROM", "teamdrive <no-reply@unverified.example>")  # SES refuses
    reset_settings()

    with pytest.raises(DeliveryFailed):  # so SQS hands it over again, then dead-letters it
        mail.handle([job["Body"]])

    monkeypatch.setenv("MAIL_FROM", TEST_ENV["MAIL_FROM"])
    reset_settings()
    mail.handle([job["Body"]])
    mail.handle([job["Body"]])  # SQS delivers at least once
    assert [m.subject for m in outbox()[before:]] == ["Your teamdrive username"]


def test_a_job_handed_over_again_after_failed_sends_is_counted_once_against_the_hourly_limit(
    api, make_user, outbox, monkeypatch
):
    user = make_user("alice")
    before = len(outbox())
    accepted(api.post("/auth/forgot-password", {"login": user.username}))
    [first] = outbox()[before:]  # one reset this hour already
    accepted(api.post("/auth/forgot-password", {"login": user.username}))
    [job] = drain(mail_queue())
    monkeypatch.setenv("MAIL_FROM", "teamdrive <no-reply@unverified.example>")  # SES refuses
    reset_settings()
    for _ in range(4):  # SQS hands it over again after each failure (5 receives at most)
        with pytest.raises(DeliveryFailed):
            mail.handle([job["Body"]])

    monkeypatch.setenv("MAIL_FROM", TEST_ENV["MAIL_FROM"])
    reset_settings()
    mail.handle([job["Body"]])
    assert [m.subject for m in outbox()[before:]] == [first.subject] * 2


# --- resetting by a code texted to the verified phone -----------------------------------

PHONE = "+821012345678"


def phone_owner(make_user, login):
    """alice, with PHONE verified; her browser."""
    from tests.api.test_phone import request_code, verify

    user = make_user("alice")
    browser = login(user)
    assert verify(browser, request_code(browser, PHONE), PHONE).status == 200
    return user, browser


def reset_code(api, phone: str = "010-1234-5678") -> str:
    from tests.api.test_phone import last_code

    accepted(api.post("/auth/phone/code", {"phone": phone, "purpose": "reset"}))
    return last_code(api, PHONE)


def reset_by_phone(api, code: str, password: str = NEW_PASSWORD, phone: str = "+82 10 1234 5678"):
    return api.post("/auth/reset-password", {"phone": phone, "code": code, "password": password})


def test_reset_by_phone_sets_the_password_and_ends_every_session(
    api, new_api, make_user, login, token_client
):
    user, browser = phone_owner(make_user, login)
    script = token_client(user)

    reply = reset_by_phone(api, reset_code(api))

    assert reply.status == 204, reply.body
    assert_error(browser.get("/users/me"), 401, "unauthenticated")
    assert_error(script.get("/users/me"), 401, "unauthenticated")
    assert_error(
        api.post("/auth/token", {"refresh_token": script.refresh_token}), 401, "unauthenticated"
    )
    old = new_api().post("/auth/login", {"login": "alice", "password": user.password})
    assert_error(old, 401, "invalid_credentials")
    assert new_api().post("/auth/login", {"login": PHONE, "password": NEW_PASSWORD}).status == 200


def test_a_reset_code_works_once(api, make_user, login):
    phone_owner(make_user, login)
    code = reset_code(api)
    assert reset_by_phone(api, code).status == 204

    assert_error(reset_by_phone(api, code, "another new secret"), 400, "invalid_code")


def test_a_reset_by_phone_enforces_the_password_rules_without_spending_the_code(
    api, make_user, login
):
    phone_owner(make_user, login)
    code = reset_code(api)

    details = assert_error(reset_by_phone(api, code, "alice"), 400, "invalid_request")
    assert set(details["fields"]) == {"password"}
    assert reset_by_phone(api, code).status == 204


def test_a_sign_in_code_does_not_reset_the_password(api, make_user, login):
    from tests.api.test_phone import last_code

    phone_owner(make_user, login)
    accepted(api.post("/auth/phone/code", {"phone": PHONE, "purpose": "sign_in"}))

    assert_error(reset_by_phone(api, last_code(api, PHONE)), 400, "invalid_code")


def test_a_reset_code_for_an_unknown_number_sends_nothing_and_nothing_resets(api, make_user, login):
    from tests.conftest import sms_to

    phone_owner(make_user, login)
    accepted(api.post("/auth/phone/code", {"phone": "+821087654321", "purpose": "reset"}))

    assert sms_to(api, "+821087654321") == []
    assert_error(reset_by_phone(api, "123456", phone="+821087654321"), 400, "invalid_code")


def test_wrong_reset_codes_count_toward_the_sign_in_throttle(api, new_api, make_user, login):
    user, _ = phone_owner(make_user, login)
    for _ in range(2):
        code = reset_code(api)
        for _ in range(5):
            wrong = f"{(int(code) + 1) % 10**6:06d}"
            assert_error(reset_by_phone(api, wrong), 400, "invalid_code")

    reply = new_api().post("/auth/login", {"login": "alice", "password": user.password})
    assert_error(reply, 429, "rate_limited")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"phone": "12345", "code": "123456", "password": NEW_PASSWORD}, {"phone"}),
        ({"phone": PHONE, "code": "12 3456", "password": NEW_PASSWORD}, {"code"}),
        ({"phone": PHONE, "password": NEW_PASSWORD}, {"code"}),
        ({"phone": PHONE, "code": "123456"}, {"password"}),
    ],
    ids=["short-phone", "spaced-code", "no-code", "no-password"],
)
def test_a_bad_reset_by_phone_is_400_naming_the_field(api, body, fields):
    details = assert_error(api.post("/auth/reset-password", body), 400, "invalid_request")

    assert set(details["fields"]) == fields
