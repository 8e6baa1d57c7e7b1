"""The caller's own account: GET/PATCH/DELETE /users/me and POST /users/me/password."""

from __future__ import annotations

import re

import boto3
import pytest

from chalicelib.services import jobs
from tests.client import assert_error
from tests.conftest import REGION, sms_to

PHONE = "+821012345678"
OTHER_PHONE = "+15550100001"
NEW_PASSWORD = "a brand new secret"


def user_rows() -> dict[str, dict]:
    """Every row of the users table by id (a scan: tests may)."""
    client = boto3.client("dynamodb", region_name=REGION)
    items = client.scan(TableName="test-users", ConsistentRead=True)["Items"]
    return {item["user_id"]["S"]: item for item in items}


def verify_phone(client, phone: str):
    assert client.post("/auth/phone/code", {"phone": phone}).status == 202
    text = sms_to(client, phone)[-1]
    code = re.search(r"\b(\d{6})\b", text).group(1)
    return client.post("/auth/phone/verify", {"phone": phone, "code": code})


@pytest.fixture
def alice(make_user):
    return make_user("alice", nickname="Ally")


@pytest.fixture
def browser(alice, login):
    return login(alice)


# --- reading ----------------------------------------------------------------------------


def test_me_requires_sign_in(api):
    assert_error(api.get("/users/me"), 401, "unauthenticated")


def test_me_returns_the_callers_user(browser, alice):
    reply = browser.get("/users/me")

    assert reply.status == 200, reply.body
    user = reply.json["user"]
    assert set(reply.json) == {"user"}
    assert (user["id"], user["username"], user["email"]) == (alice.id, "alice", alice.email)
    assert user["email_verified"] is True
    assert user["nickname"] == "Ally"
    assert set(user["storage"]) == {"quota_bytes", "used_bytes", "file_count", "root_folder_id"}


def test_me_works_with_a_bearer_token(alice, token_client):
    reply = token_client(alice).get("/users/me")

    assert reply.status == 200, reply.body
    assert reply.json["user"]["id"] == alice.id


# --- changing the profile ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        pytest.param("  Al  ", "Al", id="trimmed"),
        pytest.param("", None, id="empty-is-null"),
        pytest.param(None, None, id="null-clears"),
        pytest.param("😀" * 50, "😀" * 50, id="50-emoji"),
    ],
)
def test_patch_nickname(browser, sent, stored):
    reply = browser.patch("/users/me", {"nickname": sent})

    assert reply.status == 200, reply.body
    assert reply.json["user"]["nickname"] == stored
    assert browser.get("/users/me").json["user"]["nickname"] == stored


@pytest.mark.parametrize("nickname", ["😀" * 51, "line\nbreak"], ids=["51-emoji", "control-char"])
def test_patch_rejects_an_invalid_nickname(browser, nickname):
    details = assert_error(
        browser.patch("/users/me", {"nickname": nickname}), 400, "invalid_request"
    )

    assert set(details["fields"]) == {"nickname"}
    assert browser.get("/users/me").json["user"]["nickname"] == "Ally"


def test_patch_without_fields_changes_nothing(browser):
    before = browser.get("/users/me").json["user"]

    reply = browser.patch("/users/me", {})

    assert reply.status == 200, reply.body
    assert reply.json["user"] == before


def test_patch_sets_an_unverified_phone(browser):
    reply = browser.patch("/users/me", {"phone": "+82 10 1234 5678"})

    assert reply.status == 200, reply.body
    assert reply.json["user"]["phone"] == PHONE
    assert reply.json["user"]["phone_verified"] is False


def test_patch_rejects_a_phone_not_in_e164(browser):
    details = assert_error(browser.patch("/users/me", {"phone": "0101234"}), 400, "invalid_request")

    assert set(details["fields"]) == {"phone"}


@pytest.mark.parametrize(
    ("new_phone", "expected"),
    [(OTHER_PHONE, OTHER_PHONE), (None, None)],
    ids=["another-number", "null-removes"],
)
def test_changing_a_verified_phone_resets_verification(browser, new_phone, expected):
    assert verify_phone(browser, PHONE).status == 200

    reply = browser.patch("/users/me", {"phone": new_phone})

    assert reply.status == 200, reply.body
    assert reply.json["user"]["phone"] == expected
    assert reply.json["user"]["phone_verified"] is False


def test_patching_the_same_phone_keeps_it_verified(browser):
    assert verify_phone(browser, PHONE).status == 200

    reply = browser.patch("/users/me", {"phone": "+82-10-1234-5678"})

    assert reply.json["user"]["phone"] == PHONE
    assert reply.json["user"]["phone_verified"] is True


def test_changing_a_verified_phone_releases_the_number(browser, make_user, login):
    bob = login(make_user("bob"))
    assert verify_phone(browser, PHONE).status == 200
    assert_error(verify_phone(bob, PHONE), 409, "phone_taken")

    assert browser.patch("/users/me", {"phone": OTHER_PHONE}).status == 200

    reply = verify_phone(bob, PHONE)
    assert reply.status == 200, reply.body
    assert reply.json["user"]["phone_verified"] is True


def test_patch_ignores_unknown_and_privileged_fields(browser):
    before = browser.get("/users/me").json["user"]
    ignored = {
        "is_admin": True,
        "quota_bytes": 10**15,
        "email_verified": False,
        "username": "root",
        "email": "mallory@example.com",
        "phone_verified": True,
        "storage": {"used_bytes": 0},
        "favourite_colour": "blue",
    }

    reply = browser.patch("/users/me", {**ignored, "nickname": "Al"})

    assert reply.status == 200, reply.body
    assert reply.json["user"] == {**before, "nickname": "Al"}
    assert browser.get("/users/me").json["user"] == {**before, "nickname": "Al"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("nickname", 5, id="nickname-number"),
        pytest.param("phone", {"n": PHONE}, id="phone-object"),
        pytest.param("phone", 821012345678, id="phone-number"),
    ],
)
def test_patch_rejects_a_field_of_the_wrong_type(browser, field, value):
    details = assert_error(browser.patch("/users/me", {field: value}), 400, "invalid_request")

    assert details["fields"] == {field: "must be a string"}


@pytest.mark.parametrize("raw", [b"{nope", b"[]"], ids=["malformed", "array"])
def test_patch_rejects_a_body_that_is_not_a_json_object(browser, raw):
    assert_error(browser.patch("/users/me", raw=raw), 400, "invalid_request")


def test_patch_by_cookie_needs_the_csrf_header(browser):
    reply = browser.patch("/users/me", {"nickname": "Evil"}, csrf=False)

    assert_error(reply, 403, "csrf_failed")
    assert browser.get("/users/me").json["user"]["nickname"] == "Ally"


# --- changing the password --------------------------------------------------------------


def change_password(client, current, new=NEW_PASSWORD):
    body = {"new_password": new}
    if current is not None:
        body["current_password"] = current
    return client.post("/users/me/password", body)


def test_change_password_keeps_the_callers_session_and_ends_the_others(
    alice, browser, login, token_client, api
):
    other_browser, script = login(alice), token_client(alice)

    reply = change_password(browser, alice.password)

    assert reply.status == 204, reply.body
    assert browser.get("/users/me").status == 200
    assert_error(other_browser.get("/users/me"), 401, "unauthenticated")
    assert_error(script.get("/users/me"), 401, "unauthenticated")
    refresh = api.post("/auth/token", {"refresh_token": script.refresh_token})
    assert_error(refresh, 401, "unauthenticated")
    old = api.post("/auth/login", {"login": "alice", "password": alice.password})
    assert_error(old, 401, "invalid_credentials")
    assert api.post("/auth/login", {"login": "alice", "password": NEW_PASSWORD}).status == 200


def test_change_password_with_a_bearer_token_keeps_that_session(alice, token_client):
    script = token_client(alice)

    assert change_password(script, alice.password).status == 204

    refreshed = script.post("/auth/token", {"refresh_token": script.refresh_token})
    assert refreshed.status == 200, refreshed.body
    script.bearer = refreshed.json["access_token"]
    assert script.get("/users/me").status == 200


def test_change_password_with_a_bearer_token_keeps_its_access_token_working(alice, token_client):
    # The contract keeps the caller's session; a 204 hands a bearer client no new access token,
    # so the one it holds must go on working.
    script = token_client(alice)

    assert change_password(script, alice.password).status == 204

    reply = script.get("/users/me")
    assert reply.status == 200, reply.body


def test_change_password_refuses_a_wrong_current_password(alice, browser, api):
    assert_error(change_password(browser, "wrong password"), 403, "wrong_password")

    login = api.post("/auth/login", {"login": "alice", "password": alice.password})
    assert login.status == 200, login.body


def test_change_password_asks_for_the_current_password_when_the_account_has_one(
    alice, browser, api
):
    details = assert_error(change_password(browser, None), 400, "invalid_request")
    assert details["fields"] == {"current_password": "required"}

    login = api.post("/auth/login", {"login": "alice", "password": alice.password})
    assert login.status == 200, login.body


def test_wrong_current_passwords_are_throttled_like_sign_ins(alice, browser, api):
    for _ in range(10):
        assert_error(change_password(browser, "wrong password"), 403, "wrong_password")

    details = assert_error(change_password(browser, alice.password), 429, "rate_limited")
    assert details["retry_after"] > 0
    login = api.post("/auth/login", {"login": "alice", "password": alice.password})
    assert_error(login, 429, "rate_limited")


@pytest.mark.parametrize(
    "new",
    ["short12", "a" * 129, "1234567890"],
    ids=["7-chars", "129-chars", "all-digits"],
)
def test_change_password_enforces_the_password_rules(alice, browser, new):
    details = assert_error(change_password(browser, alice.password, new), 400, "invalid_request")

    assert set(details["fields"]) == {"new_password"}


def test_change_password_refuses_the_username_in_another_case(make_user, login):
    user = make_user("alice-smith")
    browser = login(user)

    reply = change_password(browser, user.password, "ALICE-Smith")

    details = assert_error(reply, 400, "invalid_request")
    assert set(details["fields"]) == {"new_password"}


# --- closing the account ----------------------------------------------------------------


@pytest.mark.parametrize("body", [{"password": "wrong password"}, None], ids=["wrong", "absent"])
def test_delete_with_a_wrong_password_changes_nothing(alice, browser, api, body):
    reply = browser.delete("/users/me", body)

    assert_error(reply, 403, "wrong_password")
    assert browser.get("/users/me").status == 200
    assert api.post("/auth/login", {"login": "alice", "password": alice.password}).status == 200
    assert user_rows()[alice.id]["status"]["S"] == "active"


def test_delete_closes_the_account(alice, browser, api, token_client):
    script = token_client(alice)

    reply = browser.delete("/users/me", {"password": alice.password})

    assert reply.status == 204, reply.body
    cleared = {cookie.split("=")[0]: cookie for cookie in reply.cookies()}
    assert set(cleared) == {"td_access", "td_refresh", "td_csrf"}
    assert all("Max-Age=0" in cookie for cookie in cleared.values())
    assert browser.jar == {}
    assert_error(script.get("/users/me"), 401, "unauthenticated")
    login = api.post("/auth/login", {"login": "alice", "password": alice.password})
    assert_error(login, 401, "invalid_credentials")


def test_a_deleted_accounts_username_and_email_can_be_registered_again(alice, browser, make_user):
    assert browser.delete("/users/me", {"password": alice.password}).status == 204

    again = make_user("alice", email=alice.email, password="another secret 1")

    assert again.id != alice.id


def test_a_deleted_accounts_verified_phone_is_released(browser, alice, make_user, login):
    assert verify_phone(browser, PHONE).status == 200
    assert browser.delete("/users/me", {"password": alice.password}).status == 204

    reply = verify_phone(login(make_user("bob")), PHONE)

    assert reply.status == 200, reply.body


def test_the_daily_job_purges_deleted_accounts_and_can_run_twice(alice, browser, make_user):
    bob = make_user("bob")
    assert browser.delete("/users/me", {"password": alice.password}).status == 204
    newcomer = make_user("alice", email=alice.email, password="another secret 1")
    assert user_rows()[alice.id]["status"]["S"] == "deleted"

    assert jobs.daily()["accounts_purged"] == 1
    assert jobs.daily()["accounts_purged"] == 0

    assert set(user_rows()) == {bob.id, newcomer.id}


def owners_of_rows(table: str) -> set[str]:
    client = boto3.client("dynamodb", region_name=REGION)
    items = client.scan(TableName=f"test-{table}", ConsistentRead=True)["Items"]
    return {item["owner_id"]["S"] for item in items}


def test_the_daily_job_removes_a_closed_accounts_folders_and_their_names(alice, browser):
    root = browser.get("/users/me").json["user"]["storage"]["root_folder_id"]
    made = browser.post("/folders", {"parent_id": root, "name": "Taxes"}).json["node"]
    browser.post("/folders", {"parent_id": made["id"], "name": "2026"})
    guards_before = owners_of_rows("uniques")
    assert browser.delete("/users/me", {"password": alice.password}).status == 204

    jobs.daily()

    assert alice.id not in owners_of_rows("nodes")
    # The folders' name guards went with them (the account's own names went at closing).
    assert len(guards_before) == 3
    assert guards_before & owners_of_rows("uniques") == set()
