"""Nobody holds a drive's quota with an upload that sends nothing: the owner sees the uploads in
progress into their drive (GET /uploads: who, what, where, how big, since when) and cancels any
of them (DELETE /uploads/{id}); a membership or share that ends cancels what that member was
uploading into it; and the hourly job releases a reservation that received no bytes for an hour.

    member ── POST /uploads (the owner's whole free space) into the shared folder, sends nothing
    owner ─── POST /uploads ── 413 quota_exceeded
    owner ─── GET /uploads ── sees it ── DELETE /uploads/{id} ── 204, the space is free again
    owner ─── POST /uploads ── 201

The hourly job is driven with a clock passed in (``jobs.hourly(now=…)``); it reads every
pending upload of the stack, so each test has a stack of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.services import jobs
from tests import invariants
from tests.client import Reply, assert_error
from tests.drives import Account, Drive, dynamodb, set_node_attribute, stamp, table, user_row
from tests.files import bucket, complete, put_parts, s3, start

FREE = 10_000
COUNTERS = ("used_bytes", "reserved_bytes", "free_bytes", "file_count")


@pytest.fixture
def person(
    sign_up: Callable[[], Account], open_drive: Callable[[Account], Drive]
) -> Callable[[], Drive]:
    return lambda: open_drive(sign_up())


def counters(drive: Drive) -> dict[str, int]:
    row = user_row(drive.user.id)
    return {name: row.get(name, 0) for name in COUNTERS}


def set_free(drive: Drive, free: int) -> None:
    """Test setup: a quota that leaves ``free`` bytes free."""
    now = counters(drive)
    quota = now["used_bytes"] + now["reserved_bytes"] + free
    dynamodb().update_item(
        TableName=table("users"),
        Key={"user_id": {"S": drive.user.id}},
        UpdateExpression="SET quota_bytes = :q, free_bytes = :f",
        ExpressionAttributeValues={":q": {"N": str(quota)}, ":f": {"N": str(free)}},
    )


def begin(drive: Drive, parent: str, name: str, size: int) -> dict[str, Any]:
    reply = start(drive.client, parent, name, size)
    assert reply.status == 201, reply.body
    return reply.json


def listed(drive: Drive, **params: Any) -> Reply:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return drive.client.get(f"/uploads{'?' + query if query else ''}")


def in_progress(drive: Drive) -> list[dict[str, Any]]:
    reply = listed(drive, limit=200)
    assert reply.status == 200, reply.body
    assert reply.json["next_cursor"] is None
    return reply.json["items"]


def open_uploads(owner: Drive, upload_id: str) -> list[dict[str, Any]]:
    key = f"files/{owner.user.id}/{upload_id}"
    return s3().list_multipart_uploads(Bucket=bucket(), Prefix=key).get("Uploads", [])


def team_with(leader: Drive, *members: Drive) -> str:
    made = leader.client.post("/teams", {"name": "Crew"})
    assert made.status == 201, made.body
    team_id = made.json["team"]["id"]
    for member in members:
        invited = leader.client.post(
            f"/teams/{team_id}/invitations", {"username": member.user.username}
        )
        assert invited.status == 201, invited.body
        joined = member.client.post(f"/teams/{team_id}/invitations/accept")
        assert joined.status == 200, joined.body
    return team_id


def share(owner: Drive, team_id: str, folder_id: str, access: str = "write") -> None:
    reply = owner.client.post(
        f"/teams/{team_id}/shared-folders", {"folder_id": folder_id, "access": access}
    )
    assert reply.status == 201, reply.body


@pytest.fixture
def inbox(person: Callable[[], Drive]) -> dict[str, Any]:
    """An owner who leads a team with a member and shares the folder "Inbox" (with a folder
    inside) with it to write, and has ``FREE`` bytes free."""
    owner, member = person(), person()
    team_id = team_with(owner, member)
    folder = owner.mkdir("Inbox", owner.root)
    inner = owner.mkdir("Inner", folder["id"])
    share(owner, team_id, folder["id"])
    set_free(owner, FREE)
    return {"owner": owner, "member": member, "team": team_id, "folder": folder, "inner": inner}


def check_everything() -> None:
    invariants.check()
    invariants.check_teams()


# --- The owner sees and cancels -------------------------------------------------------------


def test_a_members_silent_reservation_is_listed_and_cancelled_by_the_owner(inbox):
    owner, member, folder = inbox["owner"], inbox["member"], inbox["folder"]
    before = counters(owner)
    hold = begin(member, folder["id"], "everything.bin", FREE)
    assert_error(start(owner.client, owner.root, "mine.txt", 1), 413, "quota_exceeded")

    items = in_progress(owner)

    assert len(items) == 1
    item = items[0]
    started_at = item.pop("started_at")
    assert item == {
        "upload_id": hold["upload_id"],
        "name": "everything.bin",
        "parent_id": folder["id"],
        "folder_name": "Inbox",
        "size": FREE,
        "uploaded_by": {"id": member.user.id, "username": member.user.username, "nickname": None},
    }
    assert abs(datetime.fromisoformat(started_at) - datetime.now(UTC)) < timedelta(minutes=5)
    assert in_progress(member) == []  # it fills the owner's drive, not the member's
    assert owner.client.delete(f"/uploads/{hold['upload_id']}").status == 204

    assert in_progress(owner) == []
    assert counters(owner) == before
    assert open_uploads(owner, hold["upload_id"]) == []
    assert owner.node(folder["id"])["child_count"] == 1  # Inner only
    assert_error(complete(member.client, hold["upload_id"]), 404, "not_found")
    mine = begin(owner, owner.root, "mine.txt", 5)
    done = complete(owner.client, mine["upload_id"], put_parts(owner.client, mine, b"hello"))
    assert done.status == 200, done.body
    after = counters(owner)
    assert (after["used_bytes"], after["reserved_bytes"]) == (before["used_bytes"] + 5, 0)
    assert after["file_count"] == before["file_count"] + 1
    check_everything()


def test_the_list_pages_oldest_first_and_shows_only_the_callers_drive(inbox, person, api):
    owner, member, folder = inbox["owner"], inbox["member"], inbox["folder"]
    ids = [begin(owner, owner.root, f"own {n}.bin", 10)["upload_id"] for n in range(2)]
    ids.append(begin(member, folder["id"], "theirs.bin", 10)["upload_id"])
    begin(member, member.root, "member's own.bin", 10)

    first = listed(owner, limit=2)
    assert first.status == 200, first.body
    second = listed(owner, limit=2, cursor=first.json["next_cursor"])
    assert second.status == 200, second.body

    assert [i["upload_id"] for i in first.json["items"] + second.json["items"]] == ids
    assert second.json["next_cursor"] is None
    assert_error(listed(person(), cursor=first.json["next_cursor"]), 400, "invalid_request")
    assert_error(listed(owner, limit=0), 400, "invalid_request")
    assert_error(api.get("/uploads"), 401, "unauthenticated")


def test_only_the_sender_or_the_drives_owner_cancels_an_upload(inbox, person):
    owner, member, folder = inbox["owner"], inbox["member"], inbox["folder"]
    other = person()
    share_team = team_with(owner, other)
    share(owner, share_team, folder["id"])
    hold = begin(member, folder["id"], "held.bin", 100)
    before = counters(owner)

    for intruder in (other, person()):  # another writer of the folder, a stranger
        assert_error(intruder.client.delete(f"/uploads/{hold['upload_id']}"), 404, "not_found")
        assert in_progress(intruder) == []

    assert counters(owner) == before
    assert member.client.delete(f"/uploads/{hold['upload_id']}").status == 204
    assert counters(owner)["reserved_bytes"] == before["reserved_bytes"] - 100
    check_everything()


# --- Access that ends cancels the uploads it allowed ------------------------------------------


def _remove(inbox: dict[str, Any]) -> None:
    reply = inbox["owner"].client.delete(
        f"/teams/{inbox['team']}/members/{inbox['member'].user.id}"
    )
    assert reply.status == 204, reply.body


def _leave(inbox: dict[str, Any]) -> None:
    reply = inbox["member"].client.delete(f"/teams/{inbox['team']}/members/me")
    assert reply.status == 204, reply.body


def _unshare(inbox: dict[str, Any]) -> None:
    path = f"/teams/{inbox['team']}/shared-folders/{inbox['folder']['id']}"
    assert inbox["owner"].client.delete(path).status == 204


def _read_only(inbox: dict[str, Any]) -> None:
    share(inbox["owner"], inbox["team"], inbox["folder"]["id"], "read")


def _delete_team(inbox: dict[str, Any]) -> None:
    assert inbox["owner"].client.delete(f"/teams/{inbox['team']}").status == 204


@pytest.mark.parametrize(
    "end",
    [
        pytest.param(_remove, id="member-removed"),
        pytest.param(_leave, id="member-leaves"),
        pytest.param(_unshare, id="folder-unshared"),
        pytest.param(_read_only, id="share-made-read-only"),
        pytest.param(_delete_team, id="team-deleted"),
    ],
)
def test_access_that_ends_cancels_the_members_uploads_into_the_shared_folder(inbox, end):
    owner, member = inbox["owner"], inbox["member"]
    before, members_before = counters(owner), counters(member)
    held = [
        begin(member, inbox["folder"]["id"], "top.bin", 3000),
        begin(member, inbox["inner"]["id"], "deep.bin", 4000),
    ]
    put_parts(member.client, held[0], b"x" * 3000)  # bytes sent or not: it goes all the same
    own = begin(member, member.root, "own.bin", 50)
    assert counters(owner)["reserved_bytes"] == before["reserved_bytes"] + 7000

    end(inbox)

    assert in_progress(owner) == []
    assert counters(owner) == before
    for upload in held:
        assert open_uploads(owner, upload["upload_id"]) == []
        assert_error(owner.client.get(f"/nodes/{upload['upload_id']}"), 404, "not_found")
    assert owner.node(inbox["folder"]["id"])["child_count"] == 1
    assert owner.node(inbox["inner"]["id"])["child_count"] == 0
    assert [i["upload_id"] for i in in_progress(member)] == [own["upload_id"]]
    assert counters(member)["reserved_bytes"] == members_before["reserved_bytes"] + 50
    check_everything()


def test_a_member_who_still_writes_through_another_team_keeps_the_upload(inbox, person):
    owner, member, folder = inbox["owner"], inbox["member"], inbox["folder"]
    second = team_with(owner, member)
    share(owner, second, folder["id"])
    hold = begin(member, folder["id"], "kept.bin", 100)

    _unshare(inbox)

    assert [i["upload_id"] for i in in_progress(owner)] == [hold["upload_id"]]
    done = complete(member.client, hold["upload_id"], put_parts(member.client, hold, b"y" * 100))
    assert done.status == 200, done.body
    check_everything()


# --- The hourly job releases what sent nothing for an hour ----------------------------------


def hourly(now: datetime) -> dict[str, int]:
    return jobs.hourly(now=now)


def test_the_job_releases_a_reservation_that_sent_no_bytes_for_an_hour(inbox):
    owner, member, folder = inbox["owner"], inbox["member"], inbox["folder"]
    before = counters(owner)
    silent = begin(member, folder["id"], "silent.bin", FREE - 100)
    busy = begin(owner, owner.root, "busy.bin", 100)
    # busy started two hours ago (as its row says) and sends its bytes now.
    set_node_attribute(
        busy["upload_id"], "upload_started", stamp(datetime.now(UTC) - timedelta(hours=2))
    )
    put_parts(owner.client, busy, b"z" * 100)
    now = datetime.now(UTC)

    assert hourly(now + timedelta(minutes=30)) == {
        "uploads_aborted": 0,
        "uploads_idle_released": 0,
    }
    assert {i["upload_id"] for i in in_progress(owner)} == {silent["upload_id"], busy["upload_id"]}
    assert_error(start(owner.client, owner.root, "blocked.txt", 1), 413, "quota_exceeded")

    assert hourly(now + timedelta(minutes=61)) == {
        "uploads_aborted": 0,
        "uploads_idle_released": 2,
    }

    assert in_progress(owner) == []
    assert counters(owner) == before
    assert open_uploads(owner, silent["upload_id"]) == []
    assert open_uploads(owner, busy["upload_id"]) == []
    assert owner.node(folder["id"])["child_count"] == 1
    assert hourly(now + timedelta(minutes=61)) == {
        "uploads_aborted": 0,
        "uploads_idle_released": 0,
    }
    assert counters(owner) == before
    mine = begin(owner, owner.root, "unblocked.txt", 5)
    done = complete(owner.client, mine["upload_id"], put_parts(owner.client, mine, b"12345"))
    assert done.status == 200, done.body
    check_everything()


def test_the_job_leaves_a_completed_file_and_a_young_upload_alone(inbox):
    owner = inbox["owner"]
    file = owner.upload("done.txt", b"done", owner.root, "text/plain")
    young = begin(owner, owner.root, "young.bin", 10)
    after = counters(owner)

    assert hourly(datetime.now(UTC) + timedelta(minutes=59)) == {
        "uploads_aborted": 0,
        "uploads_idle_released": 0,
    }

    assert counters(owner) == after
    assert owner.node(file["id"])["status"] == "ready"
    assert owner.node(young["upload_id"])["status"] == "uploading"
    check_everything()
