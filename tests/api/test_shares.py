"""Share links: made by whoever may write a node, shown once, stored hashed; the public side
checks everything on every request and hands out URLs of at most a minute.

(Ten parallel downloads of a link limited to three: tests/live/test_share_race.py.)
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from pynamodb.attributes import UTCDateTimeAttribute

from chalicelib.services import jobs
from tests.client import Api, assert_error
from tests.drives import UNKNOWN_ID, Drive, dynamodb, table

SHARED_STACK = True  # see tests/conftest.py: module_stack

TOKEN_URL = re.compile(r"^http://localhost:8000/s/([A-Za-z0-9_-]{43,})$")


def make_link(drive: Drive, node_id: str, **settings: Any) -> tuple[str, dict[str, Any]]:
    reply = drive.client.post("/shares", {"node_id": node_id, **settings})
    assert reply.status == 201, reply.body
    match = TOKEN_URL.match(reply.json["url"])
    assert match, reply.json["url"]
    return match.group(1), reply.json["share"]


def public(api: Api, token: str, *, password: str | None = None, **params: str) -> Any:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    headers = {"X-Share-Password": password} if password is not None else {}
    return api.get(f"/public/shares/{token}" + (f"?{query}" if query else ""), headers=headers)


def fetch(api: Api, token: str, **body: Any) -> Any:
    return api.post(f"/public/shares/{token}/download", body)


@pytest.fixture
def anyone(new_api: Any) -> Api:
    """Someone with the link and nothing else: no session."""
    return new_api()


@pytest.fixture
def doc(drive: Drive) -> dict[str, Any]:
    return drive.upload("report.txt", b"quarterly numbers", content_type="text/plain")


@pytest.fixture
def tree(drive: Drive) -> dict[str, Any]:
    """A shared folder with a file and a subfolder holding a file; a sibling outside it."""
    top = drive.mkdir("Album")
    inner = drive.mkdir("Day 1", top["id"])
    return {
        "top": top,
        "inner": inner,
        "cover": drive.upload("cover.txt", b"cover", top["id"]),
        "deep": drive.upload("deep.txt", b"deep", inner["id"]),
        "outside": drive.upload("outside.txt", b"outside"),
    }


def test_a_link_to_a_file_opens_and_downloads_without_signing_in(drive, doc, anyone):
    token, share = make_link(drive, doc["id"], expires_in=3600)

    shown = public(anyone, token)
    got = fetch(anyone, token)

    assert shown.status == 200, shown.body
    assert shown.json["name"] == "report.txt" and shown.json["kind"] == "file"
    assert shown.json["size"] == len(b"quarterly numbers")
    assert shown.json["password_required"] is False
    assert got.status == 200, got.body
    assert requests.get(got.json["url"], timeout=30).content == b"quarterly numbers"
    expires = datetime.fromisoformat(got.json["expires_at"].replace("Z", "+00:00"))
    assert expires <= datetime.now(UTC) + timedelta(seconds=61)
    assert share["downloads"] == 0 and share["status"] == "active"


def test_the_token_is_shown_once_and_stored_only_hashed(drive, doc):
    token, share = make_link(drive, doc["id"])

    listed = drive.client.get(f"/shares?node_id={doc['id']}").json["items"]
    stored = dynamodb().scan(TableName=table("shares"))["Items"]

    assert [s["id"] for s in listed] == [share["id"]]
    assert token not in repr(listed)
    assert token not in repr(stored)
    assert share["id"] != token


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        pytest.param({"expires_in": 59}, "expires_in", id="under-a-minute"),
        pytest.param({"expires_in": 30 * 86400 + 1}, "expires_in", id="over-30-days"),
        pytest.param({"expires_in": "3600"}, "expires_in", id="expiry-as-text"),
        pytest.param({"max_downloads": 0}, "max_downloads", id="no-downloads"),
        pytest.param({"max_downloads": 10001}, "max_downloads", id="over-10000"),
        pytest.param({"password": "abc"}, "password", id="password-of-3"),
        pytest.param({"password": "x" * 129}, "password", id="password-of-129"),
    ],
)
def test_settings_out_of_bounds_are_400_and_make_nothing(drive, doc, settings, field):
    reply = drive.client.post("/shares", {"node_id": doc["id"], **settings})

    assert_error(reply, 400, "invalid_request")
    assert field in reply.json["error"]["details"]["fields"]
    assert drive.client.get(f"/shares?node_id={doc['id']}").json["items"] == []


def test_only_who_can_see_the_node_lists_or_links_it(drive, stranger, doc):
    assert_error(stranger.client.post("/shares", {"node_id": doc["id"]}), 404, "not_found")
    assert_error(stranger.client.get(f"/shares?node_id={doc['id']}"), 404, "not_found")
    assert_error(drive.client.post("/shares", {"node_id": UNKNOWN_ID}), 404, "not_found")
    token, share = make_link(drive, doc["id"])
    assert_error(stranger.client.delete(f"/shares/{share['id']}"), 404, "not_found")
    assert fetch(stranger.client, token).status == 200  # the link itself is public


def test_a_revoked_link_stops_at_once(drive, doc, anyone):
    token, share = make_link(drive, doc["id"])
    assert fetch(anyone, token).status == 200

    assert drive.client.delete(f"/shares/{share['id']}").status == 204

    assert_error(public(anyone, token), 404, "not_found")
    assert_error(fetch(anyone, token), 404, "not_found")
    listed = drive.client.get(f"/shares?node_id={doc['id']}").json["items"]
    assert [s["status"] for s in listed] == ["revoked"]


def expire(share_id: str) -> None:
    """Move a link's expiry into the past (time passing, as the table sees it)."""
    dynamodb().update_item(
        TableName=table("shares"),
        Key={"share_id": {"S": share_id}},
        UpdateExpression="SET expires_at = :t",
        ExpressionAttributeValues={
            ":t": {"S": UTCDateTimeAttribute().serialize(datetime.now(UTC) - timedelta(seconds=1))}
        },
    )


def test_an_expired_link_is_410_and_the_job_retires_it(drive, doc, anyone):
    token, share = make_link(drive, doc["id"], expires_in=60)
    assert public(anyone, token).status == 200

    expire(share["id"])

    assert_error(public(anyone, token), 410, "gone")
    assert_error(fetch(anyone, token), 410, "gone")
    assert jobs.every_two_minutes()["shares_retired"] >= 1
    listed = drive.client.get(f"/shares?node_id={doc['id']}").json["items"]
    assert [s["status"] for s in listed] == ["expired"]
    assert_error(public(anyone, token), 410, "gone")


def test_a_download_limit_is_counted_and_then_410(drive, doc, anyone):
    token, share = make_link(drive, doc["id"], max_downloads=3)

    answers = [fetch(anyone, token).status for _ in range(5)]

    assert answers == [200, 200, 200, 410, 410]
    assert_error(public(anyone, token), 410, "gone")
    (listed,) = drive.client.get(f"/shares?node_id={doc['id']}").json["items"]
    assert (listed["downloads"], listed["status"]) == (3, "used_up")


def test_a_wrong_password_twenty_times_is_refused_then_throttled(drive, doc, anyone):
    token, _ = make_link(drive, doc["id"], password="open sesame")
    other, _ = make_link(drive, doc["id"], password="open sesame")

    answers = [fetch(anyone, token, password="guess").status for _ in range(20)]

    assert answers == [403] * 20
    # Throttled for the window (API.md: 20 per link): even the right password waits...
    throttled = fetch(anyone, token, password="open sesame")
    assert_error(throttled, 429, "rate_limited")
    assert int(throttled.headers["Retry-After"]) > 0
    assert_error(public(anyone, token, password="open sesame"), 429, "rate_limited")
    # ...and only for that link.
    assert fetch(anyone, other, password="open sesame").status == 200


def test_a_password_link_shows_its_contents_only_with_the_password(drive, tree, anyone):
    token, _ = make_link(drive, tree["top"]["id"], password="let me in")

    closed = public(anyone, token)
    peek = public(anyone, token, folder_id=tree["inner"]["id"])
    opened = public(anyone, token, password="let me in")
    wrong = public(anyone, token, password="nope")

    assert closed.status == 200
    assert closed.json["password_required"] is True
    assert "items" not in closed.json
    # Without the password, only the link's own top shows, whatever is asked for.
    assert peek.json["name"] == "Album" and "items" not in peek.json
    assert {i["name"] for i in opened.json["items"]} == {"Day 1", "cover.txt"}
    assert_error(wrong, 403, "wrong_password")
    assert_error(fetch(anyone, token, file_id=tree["cover"]["id"]), 403, "wrong_password")
    got = fetch(anyone, token, file_id=tree["cover"]["id"], password="let me in")
    assert got.status == 200


def test_a_folder_link_browses_and_downloads_inside_and_nothing_above(drive, tree, anyone):
    token, _ = make_link(drive, tree["top"]["id"])

    inner = public(anyone, token, folder_id=tree["inner"]["id"])
    deep = fetch(anyone, token, file_id=tree["deep"]["id"])

    assert [i["name"] for i in inner.json["items"]] == ["deep.txt"]
    assert [p["id"] for p in inner.json["path"]] == [tree["top"]["id"], tree["inner"]["id"]]
    assert requests.get(deep.json["url"], timeout=30).content == b"deep"
    for outside in (tree["outside"]["id"], drive.root, drive.home, UNKNOWN_ID):
        assert_error(public(anyone, token, folder_id=outside), 404, "not_found")
        assert_error(fetch(anyone, token, file_id=outside), 404, "not_found")
    assert_error(fetch(anyone, token), 400, "invalid_request")  # which file?


def test_a_link_to_something_in_the_trash_is_404(drive, tree, anyone):
    token, _ = make_link(drive, tree["top"]["id"])
    file_token, _ = make_link(drive, tree["deep"]["id"])

    drive.trash(tree["inner"]["id"])

    assert public(anyone, token).status == 200
    assert_error(fetch(anyone, token, file_id=tree["deep"]["id"]), 404, "not_found")
    assert_error(public(anyone, file_token), 404, "not_found")
    drive.trash(tree["top"]["id"])
    assert_error(public(anyone, token), 404, "not_found")


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("A" * 43, id="unknown"),
        pytest.param("x", id="short"),
        pytest.param("y" * 300, id="long"),
    ],
)
def test_an_unknown_token_is_404(anyone, token):
    assert_error(public(anyone, token), 404, "not_found")
    assert_error(fetch(anyone, token), 404, "not_found")


def test_the_whole_drive_cannot_be_shared_by_link(drive):
    reply = drive.client.post("/shares", {"node_id": drive.root})

    assert_error(reply, 400, "invalid_request")
