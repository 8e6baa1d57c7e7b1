"""The operators' routes: who may call them, every refusal of a bad request, paging through
accounts, changing quotas, flags and admins (never one's own lockout), and the stats
snapshot that the hourly job counts."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from chalicelib.models import stats
from chalicelib.services import admin, jobs
from tests import files
from tests.client import Api, assert_error
from tests.conftest import User
from tests.drives import (
    UNKNOWN_ID,
    USER_KEYS,
    Account,
    Drive,
    dynamodb,
    follow_cursors,
    set_user_fields,
    table,
    user_row,
)

SHARED_STACK = True  # see tests/conftest.py: module_stack

ADMIN_USER_KEYS = USER_KEYS | {"disabled", "last_sign_in_at"}
ROUTES = [("GET", "/admin/users"), ("PATCH", "/admin/users/{id}"), ("GET", "/admin/stats")]


@pytest.fixture
def make_admin(make_user: Callable[..., User], login: Callable[[User], Api]) -> Callable[[], Api]:
    """A new admin account, signed in (``is_admin`` written on its row, as an operator would
    with the command line)."""

    def make() -> Api:
        who = make_user()
        set_user_fields(who.id, is_admin=True)
        browser = login(who)
        browser.me = who  # type: ignore[attr-defined]
        return browser

    return make


@pytest.fixture
def operator(make_admin: Callable[[], Api]) -> Api:
    return make_admin()


@pytest.fixture
def target(make_user: Callable[..., User]) -> User:
    return make_user()


def patch(client: Api, user_id: str, body: Any) -> Any:
    return client.patch(f"/admin/users/{user_id}", body)


def prefix() -> str:
    """A username prefix no other test's accounts have."""
    return f"a{uuid.uuid4().hex[:8]}"


def page(client: Api, **params: Any) -> Any:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return client.get(f"/admin/users?{query}")


# --- Who may ------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_admin_routes_need_a_session(api, target, method, path):
    reply = api.request(method, path.format(id=target.id), {"quota_bytes": 1})
    assert_error(reply, 401, "unauthenticated")


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_admin_routes_are_forbidden_to_other_users(login, user, target, method, path):
    reply = login(user).request(method, path.format(id=target.id), {"quota_bytes": 1})

    assert_error(reply, 403, "forbidden")
    assert user_row(target.id)["quota_bytes"] != 1


def test_a_bearer_token_of_an_admin_works_too(token_client, make_user):
    who = make_user()
    set_user_fields(who.id, is_admin=True)

    assert token_client(who).get("/admin/stats").status == 200


# --- Listing ------------------------------------------------------------------------------


def test_accounts_by_username_prefix_come_a_page_at_a_time_in_username_order(operator, make_user):
    start = prefix()
    names = [f"{start}{n}" for n in ("e", "a", "d", "b", "c")]
    made = {make_user(name).id for name in names}

    listed = follow_cursors(lambda **q: page(operator, q=start, **q), limit=2)

    assert [u["username"] for u in listed] == sorted(names)
    assert {u["id"] for u in listed} == made
    assert all(set(u) == ADMIN_USER_KEYS for u in listed)
    assert listed[0]["disabled"] is False


def test_the_whole_list_runs_across_first_letters_in_username_order(operator, make_user):
    tag = uuid.uuid4().hex[:8]
    made = [make_user(f"0{tag}").username, make_user(f"z{tag}").username]

    listed = follow_cursors(lambda **q: page(operator, **q), limit=7)
    names = [u["username"] for u in listed]

    assert set(made) <= set(names)
    assert names == sorted(names)
    assert len(names) == len(set(names))


def test_an_email_finds_exactly_that_account(operator, target):
    reply = page(operator, q=target.email.upper().replace("@EXAMPLE.COM", "@example.com"))

    assert reply.status == 200, reply.body
    assert [u["id"] for u in reply.json["items"]] == [target.id]
    assert reply.json["next_cursor"] is None
    assert page(operator, q="nobody-at-all@example.com").json["items"] == []


def test_closed_accounts_are_not_listed(operator, make_user, login):
    who = make_user(prefix())
    assert login(who).delete("/users/me", {"password": who.password}).status == 204

    assert page(operator, q=who.username).json["items"] == []


def test_a_cursor_works_only_for_its_own_list_and_admin(operator, make_admin, make_user):
    start = prefix()
    for letter in "abc":
        make_user(f"{start}{letter}")
    cursor = page(operator, q=start, limit=1).json["next_cursor"]
    assert cursor

    assert page(operator, q=start, limit=1, cursor=cursor).status == 200
    assert_error(page(operator, q=start[:-1], cursor=cursor), 400, "invalid_request")
    assert_error(page(make_admin(), q=start, cursor=cursor), 400, "invalid_request")


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "0"},
        {"limit": "201"},
        {"limit": "many"},
        {"q": "no%20spaces"},
        {"q": "a" * 31},
        {"q": "not-an-address@"},
        {"cursor": "forged.cursor"},
    ],
    ids=["limit-0", "limit-201", "limit-text", "q-space", "q-too-long", "q-bad-email", "cursor"],
)
def test_bad_list_parameters_are_refused(operator, params):
    details = assert_error(page(operator, **params), 400, "invalid_request")

    assert set(details["fields"]) == set(params)


# --- Changing an account -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "quota_bytes"),
        ({"quota_bytes": -1}, "quota_bytes"),
        ({"quota_bytes": 2**50 + 1}, "quota_bytes"),
        ({"quota_bytes": "5"}, "quota_bytes"),
        ({"quota_bytes": 1.5}, "quota_bytes"),
        ({"quota_bytes": True}, "quota_bytes"),
        ({"quota_bytes": None}, "quota_bytes"),
        ({"disabled": "yes"}, "disabled"),
        ({"disabled": 1}, "disabled"),
        ({"is_admin": None}, "is_admin"),
        ({"nickname": "Mallory"}, "nickname"),
        ({"quota_bytes": 5, "email_verified": True}, "email_verified"),
    ],
    ids=[
        "empty",
        "negative",
        "past-max",
        "string",
        "fraction",
        "boolean",
        "null",
        "disabled-string",
        "disabled-number",
        "is-admin-null",
        "unknown-field",
        "unknown-with-known",
    ],
)
def test_bad_changes_are_refused_and_change_nothing(operator, target, body, field):
    before = user_row(target.id)

    details = assert_error(patch(operator, target.id, body), 400, "invalid_request")

    assert field in details["fields"]
    assert user_row(target.id) == before


@pytest.mark.parametrize(
    "raw", [b"{not json", b"[1, 2]", b'"quota"'], ids=["malformed", "array", "string"]
)
def test_a_body_that_is_not_an_object_is_refused(operator, target, raw):
    reply = operator.request("PATCH", f"/admin/users/{target.id}", raw=raw)

    assert_error(reply, 400, "invalid_request")


@pytest.mark.parametrize("user_id", [UNKNOWN_ID, "x" * 3000], ids=["unknown", "oversized"])
def test_changing_an_unknown_account_is_404(operator, user_id):
    assert_error(patch(operator, user_id, {"quota_bytes": 5}), 404, "not_found")


def test_a_closed_account_cannot_be_changed(operator, make_user, login):
    who = make_user()
    assert login(who).delete("/users/me", {"password": who.password}).status == 204

    assert_error(patch(operator, who.id, {"disabled": True}), 404, "not_found")


@pytest.mark.parametrize(
    "body", [{"disabled": True}, {"is_admin": False}, {"quota_bytes": 5, "is_admin": False}]
)
def test_an_admin_may_not_lock_themselves_out(operator, body):
    me = operator.me

    assert_error(patch(operator, me.id, body), 409, "self_lockout")
    row = user_row(me.id)
    assert row["is_admin"] is True and row.get("disabled", False) is False
    assert row["quota_bytes"] != 5
    assert operator.get("/admin/stats").status == 200


def test_an_admin_may_change_their_own_quota(operator):
    reply = patch(operator, operator.me.id, {"quota_bytes": 12345, "is_admin": True})

    assert reply.status == 200, reply.body
    assert reply.json["user"]["storage"]["quota_bytes"] == 12345
    assert reply.json["user"]["is_admin"] is True


def test_promoting_and_demoting_opens_and_closes_the_admin_routes(operator, target, login):
    theirs = login(target)
    assert_error(theirs.get("/admin/stats"), 403, "forbidden")

    promoted = patch(operator, target.id, {"is_admin": True})
    assert promoted.status == 200, promoted.body
    assert promoted.json["user"]["is_admin"] is True
    assert theirs.get("/admin/stats").status == 200

    assert patch(operator, target.id, {"is_admin": False}).status == 200
    assert_error(theirs.get("/admin/stats"), 403, "forbidden")


def test_disabling_ends_the_accounts_sessions_at_their_next_request(
    operator, target, login, token_client
):
    browser, script = login(target), token_client(target)
    assert browser.get("/users/me").status == 200
    assert script.get("/users/me").status == 200

    reply = patch(operator, target.id, {"disabled": True})

    assert reply.status == 200, reply.body
    assert set(reply.json["user"]) == ADMIN_USER_KEYS
    assert reply.json["user"]["disabled"] is True
    assert_error(browser.get("/users/me"), 401, "unauthenticated")
    assert_error(script.get("/users/me"), 401, "unauthenticated")
    assert_error(browser.post("/auth/refresh"), 401, "unauthenticated")
    again = Api(browser.client).post(
        "/auth/login", {"login": target.username, "password": target.password}
    )
    assert_error(again, 403, "account_disabled")

    assert patch(operator, target.id, {"disabled": False}).json["user"]["disabled"] is False
    assert_error(browser.get("/users/me"), 401, "unauthenticated")  # ended, not paused
    assert login(target).get("/users/me").status == 200


def test_a_new_quota_decides_the_next_uploads_413(
    operator, sign_up: Callable[[], Account], open_drive: Callable[[Account], Drive]
):
    drive = open_drive(sign_up())
    drive.upload("kept.txt", b"x" * 100)
    used = drive.stats()["used_bytes"]

    changed = patch(operator, drive.user.id, {"quota_bytes": used + 10})
    assert changed.status == 200, changed.body
    assert changed.json["user"]["storage"]["quota_bytes"] == used + 10

    refused = files.start(drive.client, drive.home, "big.txt", 11)
    assert_error(refused, 413, "quota_exceeded")
    drive.upload("fits.txt", b"y" * 10)
    assert_error(files.start(drive.client, drive.home, "more.txt", 1), 413, "quota_exceeded")

    assert patch(operator, drive.user.id, {"quota_bytes": used + 1000}).status == 200
    assert files.start(drive.client, drive.home, "more.txt", 1).status == 201
    drive.check()  # free = quota − used − reserved still holds


def test_a_quota_below_what_is_used_refuses_every_upload(operator, make_user, login):
    who = make_user()
    browser = login(who)
    root = browser.get("/users/me").json["user"]["storage"]["root_folder_id"]
    files.upload(browser, root, "kept.txt", b"x" * 50, "text/plain")

    assert patch(operator, who.id, {"quota_bytes": 10}).status == 200

    assert_error(files.start(browser, root, "empty.txt", 0), 413, "quota_exceeded")
    assert user_row(who.id)["free_bytes"] == 10 - 50


def test_the_last_sign_in_is_shown(operator, make_user, login):
    never = make_user(prefix())
    signed = make_user(prefix())
    login(signed)

    shown_never = page(operator, q=never.username).json["items"][0]
    shown_signed = page(operator, q=signed.username).json["items"][0]

    assert shown_never["last_sign_in_at"] is None
    assert shown_signed["last_sign_in_at"] >= shown_signed["created_at"]


# --- The stats snapshot --------------------------------------------------------------------


def stats_now(client: Api) -> dict[str, Any]:
    reply = client.get("/admin/stats")
    assert reply.status == 200, reply.body
    return reply.json


def test_stats_show_the_snapshot_until_the_hourly_job_counts_again(
    operator, sign_up: Callable[[], Account], open_drive: Callable[[Account], Drive]
):
    jobs.hourly()
    before = stats_now(operator)
    assert set(before) == {
        "users",
        "files",
        "bytes",
        "pending_uploads",
        "failed_thumbnails",
        "computed_at",
    }

    drive = open_drive(sign_up())  # one more account
    drive.upload("a.txt", b"12345")
    assert files.start(drive.client, drive.home, "b.txt", 7).status == 201
    assert stats_now(operator) == before  # the route reads the snapshot; it does not count

    jobs.hourly()
    after = stats_now(operator)

    assert after["users"] == before["users"] + 1
    assert after["files"] == before["files"] + 1
    assert after["bytes"] == before["bytes"] + 5
    assert after["pending_uploads"] == before["pending_uploads"] + 1
    assert after["computed_at"] >= before["computed_at"]


def test_stats_are_counted_once_when_there_is_no_snapshot_yet(operator):
    dynamodb().delete_item(TableName=table("tokens"), Key={"key": {"S": stats.KEY}})

    shown = stats_now(operator)

    assert stats.latest() is not None
    counted = stats.count()
    assert shown["users"] == counted.users >= 1
    assert shown["files"] == counted.files
    assert stats_now(operator) == shown


def test_the_service_and_the_route_show_one_account_alike(operator, target):
    reply = patch(operator, target.id, {"quota_bytes": 777})

    assert reply.json["user"] == admin.admin_view(admin.find(target.username))


def conforms(body: Any, schema: str) -> None:
    """``body`` is what openapi.yaml's ``components/schemas/{schema}`` describes (the frontend
    is built against it)."""
    spec = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi.yaml").read_text())
    registry = Registry().with_resource("openapi", DRAFT202012.create_resource(spec))
    ref = {"$ref": f"openapi#/components/schemas/{schema}"}
    jsonschema.Draft202012Validator(ref, registry=registry).validate(body)


def test_the_replies_are_what_openapi_describes(operator, target):
    listed = page(operator, q=operator.me.username)
    changed = patch(operator, target.id, {"disabled": True, "quota_bytes": 10})

    conforms(listed.json, "AdminUserPage")
    assert listed.json["items"][0]["last_sign_in_at"] is not None
    conforms(changed.json, "AdminUserEnvelope")
    conforms(stats_now(operator), "AdminStats")
    with pytest.raises(jsonschema.ValidationError):
        conforms({**changed.json["user"], "unknown": 1}, "AdminUser")
