"""Teams: making one, invitations, members, and folders shared with it — and what sharing
gives: members read (or write) a shared folder and everything below it, at once and only
while they are members and it is shared.

Each test signs up the accounts it needs (a team's state is the test's own); one moto stack
serves the module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest

from chalicelib import policy
from chalicelib.models import nodes as nodes_model
from chalicelib.models import teams as teams_model
from chalicelib.models import tree
from chalicelib.models import uploads as uploads_model
from chalicelib.models.teams import TeamChanged
from chalicelib.services import search, sessions
from tests import files, invariants
from tests.client import assert_error
from tests.drives import (
    UNKNOWN_ID,
    Account,
    Drive,
    dynamodb,
    follow_cursors,
    table,
    unique,
    user_row,
)

SHARED_STACK = True  # see tests/conftest.py: module_stack


@pytest.fixture(autouse=True)
def teams_stay_consistent() -> Any:
    """After every test: counts, memberships and shares agree across the tables."""
    yield
    invariants.check_teams()


@pytest.fixture
def person(
    sign_up: Callable[[], Account], open_drive: Callable[[Account], Drive]
) -> Callable[[], Drive]:
    """A new account's drive, per call."""
    return lambda: open_drive(sign_up())


def make_team(leader: Drive, name: str = "Design") -> dict[str, Any]:
    reply = leader.client.post("/teams", {"name": name})
    assert reply.status == 201, reply.body
    return reply.json["team"]


def join(team: dict[str, Any], leader: Drive, member: Drive) -> None:
    invited = leader.client.post(
        f"/teams/{team['id']}/invitations", {"username": member.user.username}
    )
    assert invited.status == 201, invited.body
    accepted = member.client.post(f"/teams/{team['id']}/invitations/accept")
    assert accepted.status == 200, accepted.body


def share(team: dict[str, Any], owner: Drive, folder_id: str, access: str) -> None:
    reply = owner.client.post(
        f"/teams/{team['id']}/shared-folders", {"folder_id": folder_id, "access": access}
    )
    assert reply.status == 201, reply.body


def detail(drive: Drive, team: dict[str, Any]) -> dict[str, Any]:
    reply = drive.client.get(f"/teams/{team['id']}")
    assert reply.status == 200, reply.body
    return reply.json


@pytest.fixture
def crew(person: Callable[[], Drive]) -> dict[str, Any]:
    """A leader, a member, an invitee who has not answered, and a stranger; the leader
    shares a folder holding a file and a subfolder with the team (to read)."""
    leader, member, invitee, stranger = person(), person(), person(), person()
    team = make_team(leader)
    join(team, leader, member)
    assert (
        leader.client.post(f"/teams/{team['id']}/invitations", {"email": invitee.user.email}).status
        == 201
    )
    shared = leader.mkdir("Shared")
    inner = leader.mkdir("Inner", shared["id"])
    doc = leader.upload("plan.txt", b"the plan", shared["id"], "text/plain")
    share(team, leader, shared["id"], "read")
    return {
        "team": team,
        "leader": leader,
        "member": member,
        "invitee": invitee,
        "stranger": stranger,
        "shared": shared,
        "inner": inner,
        "doc": doc,
    }


def test_the_maker_leads_a_new_team_and_sees_it_listed(person):
    leader = person()
    team = make_team(leader, "  Product  ")

    assert team["name"] == "Product"
    assert team["leader_id"] == leader.user.id
    assert team["member_count"] == 1
    listed = leader.client.get("/teams").json
    assert [t["id"] for t in listed["items"]] == [team["id"]]
    assert listed["next_cursor"] is None
    shown = detail(leader, team)
    assert [(m["id"], m["role"]) for m in shown["members"]] == [(leader.user.id, "leader")]
    assert shown["invitations"] == []
    assert shown["shared_folders"] == []


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("", id="empty"),
        pytest.param("  ", id="blank"),
        pytest.param("x" * 101, id="101"),
    ],
)
def test_a_team_name_outside_1_to_100_characters_is_400(person, name):
    leader = person()

    assert_error(leader.client.post("/teams", {"name": name}), 400, "invalid_request")
    assert leader.client.get("/teams").json["items"] == []


def test_an_invitation_is_pending_for_the_invitee_until_accepted(person):
    leader, invitee = person(), person()
    team = make_team(leader)

    invited = leader.client.post(
        f"/teams/{team['id']}/invitations", {"username": invitee.user.username}
    )

    assert invited.status == 201
    assert invited.json["invitation"]["user"]["id"] == invitee.user.id
    pending = invitee.client.get("/users/me/invitations").json["items"]
    assert [(p["team"]["id"], p["invited_by"]["id"]) for p in pending] == [
        (team["id"], leader.user.id)
    ]
    assert [i["user"]["id"] for i in detail(leader, team)["invitations"]] == [invitee.user.id]
    # Not a member yet: the team does not exist for them.
    assert_error(invitee.client.get(f"/teams/{team['id']}"), 404, "not_found")

    accepted = invitee.client.post(f"/teams/{team['id']}/invitations/accept")

    assert accepted.status == 200
    assert accepted.json["team"]["member_count"] == 2
    assert invitee.client.get("/users/me/invitations").json["items"] == []
    shown = detail(invitee, team)
    assert [m["id"] for m in shown["members"]] == [leader.user.id, invitee.user.id]
    assert "invitations" not in shown  # the leader's to see


def test_a_declined_or_cancelled_invitation_is_gone_and_can_be_made_again(person):
    leader, invitee = person(), person()
    team = make_team(leader)
    path = f"/teams/{team['id']}/invitations"
    assert leader.client.post(path, {"email": invitee.user.email}).status == 201

    assert invitee.client.post(f"{path}/decline").status == 204
    assert invitee.client.get("/users/me/invitations").json["items"] == []
    assert_error(invitee.client.post(f"{path}/accept"), 404, "not_found")

    assert leader.client.post(path, {"email": invitee.user.email}).status == 201
    assert leader.client.delete(f"{path}/{invitee.user.id}").status == 204
    assert invitee.client.get("/users/me/invitations").json["items"] == []
    assert detail(leader, team)["invitations"] == []


def test_inviting_twice_or_inviting_a_member_is_409(crew):
    leader, team = crew["leader"], crew["team"]
    path = f"/teams/{team['id']}/invitations"

    assert_error(
        leader.client.post(path, {"username": crew["invitee"].user.username}), 409, "conflict"
    )
    assert_error(
        leader.client.post(path, {"username": crew["member"].user.username}), 409, "conflict"
    )
    assert_error(leader.client.post(path, {"username": leader.user.username}), 409, "conflict")


@pytest.mark.parametrize(
    ("body", "status"),
    [
        pytest.param({"username": "nobody-has-this-name"}, 404, id="unknown-username"),
        pytest.param({"email": "nobody@nowhere.example"}, 404, id="unknown-email"),
        pytest.param({}, 400, id="neither"),
        pytest.param({"username": "a", "email": "b@example.com"}, 400, id="both"),
        pytest.param({"username": 5}, 400, id="not-text"),
    ],
)
def test_an_invitation_to_nobody_or_to_both_is_refused(person, body, status):
    leader = person()
    team = make_team(leader)

    reply = leader.client.post(f"/teams/{team['id']}/invitations", body)

    assert reply.status == status, reply.body
    assert detail(leader, team)["invitations"] == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        pytest.param("patch", "", {"name": "Mine now"}, id="rename"),
        pytest.param("delete", "", None, id="delete"),
        pytest.param("post", "/invitations", {"username": "someone"}, id="invite"),
        pytest.param("delete", "/invitations/{invitee}", None, id="cancel-invitation"),
        pytest.param("delete", "/members/{leader}", None, id="remove-the-leader"),
    ],
)
def test_leader_only_operations_are_403_for_members_and_404_for_everyone_else(
    crew, method, path, body
):
    team = crew["team"]
    url = f"/teams/{team['id']}" + path.format(
        invitee=crew["invitee"].user.id, leader=crew["leader"].user.id
    )
    before = detail(crew["leader"], team)

    as_member = getattr(crew["member"].client, method)(url, body)
    as_invitee = getattr(crew["invitee"].client, method)(url, body)
    as_stranger = getattr(crew["stranger"].client, method)(url, body)

    assert_error(as_member, 403, "forbidden")
    assert_error(as_invitee, 404, "not_found")
    assert_error(as_stranger, 404, "not_found")
    assert detail(crew["leader"], team) == before


def test_the_leader_renames_and_hands_the_team_to_a_member(crew):
    leader, member, team = crew["leader"], crew["member"], crew["team"]
    path = f"/teams/{team['id']}"

    assert leader.client.patch(path, {"name": "Renamed"}).json["team"]["name"] == "Renamed"
    bad = leader.client.patch(path, {"leader_id": crew["stranger"].user.id})
    assert bad.status == 400 and "leader_id" in bad.json["error"]["details"]["fields"]
    handed = leader.client.patch(path, {"leader_id": member.user.id})

    assert handed.json["team"]["leader_id"] == member.user.id
    assert_error(leader.client.patch(path, {"name": "Back"}), 403, "forbidden")
    roles = {m["id"]: m["role"] for m in detail(member, team)["members"]}
    assert roles == {member.user.id: "leader", leader.user.id: "member"}


def test_a_member_reads_a_shared_folder_and_all_below_it_but_writes_nothing(crew):
    member, shared, inner, doc = crew["member"], crew["shared"], crew["inner"], crew["doc"]

    page = member.folder(shared["id"])

    assert page["folder"]["access"] == "read"
    assert {i["name"] for i in page["items"]} == {"Inner", "plan.txt"}
    assert all(i["access"] == "read" for i in page["items"])
    # The breadcrumb starts at the shared folder: nothing of the owner's above it shows.
    assert [p["id"] for p in member.folder(inner["id"])["path"]] == [shared["id"], inner["id"]]
    assert member.node(doc["id"])["access"] == "read"
    assert member.client.get(f"/files/{doc['id']}/download?redirect=0").status == 200
    # Seeing is not writing: 403, and nothing changes.
    assert_error(
        member.client.post("/folders", {"parent_id": shared["id"], "name": "x"}), 403, "forbidden"
    )
    assert_error(member.client.patch(f"/nodes/{doc['id']}", {"name": "mine.txt"}), 403, "forbidden")
    assert_error(member.client.delete(f"/nodes/{doc['id']}"), 403, "forbidden")
    started = member.client.post(
        "/uploads",
        {"parent_id": shared["id"], "name": "a.txt", "size": 1, "content_type": "text/plain"},
    )
    assert_error(started, 403, "forbidden")
    assert {i["name"] for i in member.folder(shared["id"])["items"]} == {"Inner", "plan.txt"}
    crew["leader"].check()


@pytest.mark.parametrize("who", ["invitee", "stranger"])
def test_who_is_not_a_member_sees_nothing_shared(crew, who):
    outsider = crew[who]

    for node in ("shared", "inner", "doc"):
        assert_error(outsider.client.get(f"/nodes/{crew[node]['id']}"), 404, "not_found")
    assert_error(outsider.listing(crew["shared"]["id"]), 404, "not_found")
    assert_error(outsider.client.get(f"/files/{crew['doc']['id']}/download"), 404, "not_found")


def test_uploads_into_a_writable_shared_folder_are_the_owners_and_count_against_them(
    person,
):
    leader, member = person(), person()
    team = make_team(leader)
    join(team, leader, member)
    shared = leader.mkdir("Inbox")
    share(team, leader, shared["id"], "write")
    before_leader, before_member = leader.stats(), member.stats()

    sent = member.upload("from-member.txt", b"twelve bytes", shared["id"], "text/plain")

    assert sent["owner_id"] == leader.user.id
    assert sent["uploaded_by"] == member.user.id
    assert sent["access"] == "write"
    assert leader.stats()["used_bytes"] == before_leader["used_bytes"] + 12
    assert member.stats()["used_bytes"] == before_member["used_bytes"]
    folder = member.mkdir("Made by member", shared["id"])
    assert folder["owner_id"] == leader.user.id
    renamed = member.client.patch(
        f"/nodes/{sent['id']}", {"name": "renamed.txt", "parent_id": folder["id"]}
    )
    assert renamed.status == 200, renamed.body
    leader.check()
    member.check()


def test_nothing_moves_between_two_peoples_drives(person):
    leader, member = person(), person()
    team = make_team(leader)
    join(team, leader, member)
    shared = leader.mkdir("Inbox")
    share(team, leader, shared["id"], "write")
    theirs = member.upload("theirs.txt", b"x", shared["id"])
    mine = member.upload("mine.txt", b"y")

    out = member.client.patch(f"/nodes/{theirs['id']}", {"parent_id": member.root})
    into = member.client.patch(f"/nodes/{mine['id']}", {"parent_id": shared["id"]})

    assert_error(out, 400, "invalid_move")
    assert_error(into, 400, "invalid_move")
    leader.check()
    member.check()


def test_a_member_removed_mid_session_loses_the_folder_at_once(crew):
    leader, member, team = crew["leader"], crew["member"], crew["team"]
    assert member.listing(crew["shared"]["id"]).status == 200

    assert leader.client.delete(f"/teams/{team['id']}/members/{member.user.id}").status == 204

    # The same session, the very next request.
    assert_error(member.listing(crew["shared"]["id"]), 404, "not_found")
    assert_error(member.client.get(f"/teams/{team['id']}"), 404, "not_found")
    assert detail(leader, team)["team"]["member_count"] == 1


def test_a_member_who_leaves_stops_sharing_their_folders(crew):
    leader, member, team = crew["leader"], crew["member"], crew["team"]
    theirs = member.mkdir("Member's")
    share(team, member, theirs["id"], "read")
    assert leader.listing(theirs["id"]).status == 200
    assert {f["folder_id"] for f in detail(leader, team)["shared_folders"]} == {
        crew["shared"]["id"],
        theirs["id"],
    }

    assert member.client.delete(f"/teams/{team['id']}/members/me").status == 204

    assert_error(leader.listing(theirs["id"]), 404, "not_found")
    assert [f["folder_id"] for f in detail(leader, team)["shared_folders"]] == [
        crew["shared"]["id"]
    ]
    assert member.client.get("/teams").json["items"] == []


# The interleavings of a membership's end with a share, replayed step by step through the
# model's writes (what each request does between its read and its write):
#
#     leave:  read the shares ─────────────── end the membership
#     share:              write the share ─┘


def test_a_membership_cannot_end_over_a_share_written_after_its_shares_were_read(crew):
    member, team = crew["member"], crew["team"]
    theirs = member.mkdir("Late")
    teams_model.whole(team["id"])  # what a leave read: nothing of theirs shared yet
    share(team, member, theirs["id"], "read")  # lands in between

    with pytest.raises(TeamChanged):
        teams_model.let_go(team["id"], member.user.id)  # refused: the share would outlive it

    # Leaving (again) sweeps it: the folder goes with the membership.
    assert member.client.delete(f"/teams/{team['id']}/members/me").status == 204
    assert theirs["id"] not in {
        f["folder_id"] for f in detail(crew["leader"], team)["shared_folders"]
    }


def test_a_member_whose_leaving_has_begun_shares_nothing_and_leaving_again_finishes(crew):
    member, team = crew["member"], crew["team"]
    theirs = member.mkdir("Too late")
    teams_model.begin_leaving(team["id"], member.user.id)  # a leave that stopped half-way

    reply = member.client.post(
        f"/teams/{team['id']}/shared-folders", {"folder_id": theirs["id"], "access": "write"}
    )

    assert_error(reply, 409, "conflict")
    assert theirs["id"] not in {
        f["folder_id"] for f in detail(crew["leader"], team)["shared_folders"]
    }
    assert member.client.delete(f"/teams/{team['id']}/members/me").status == 204
    assert member.client.get("/teams").json["items"] == []


@pytest.fixture
def writing_crew(crew: dict[str, Any]) -> dict[str, Any]:
    """The crew, with the shared folder shared to write and a folder of the member's in it."""
    share(crew["team"], crew["leader"], crew["shared"]["id"], "write")
    made = crew["member"].mkdir("Mine in theirs", crew["shared"]["id"])
    return crew | {"made": made}


WRITES_THROUGH_A_TEAM = {
    "new-folder": lambda c: c["member"].client.post(
        "/folders", {"parent_id": c["shared"]["id"], "name": "late"}
    ),
    "upload": lambda c: c["member"].client.post(
        "/uploads",
        {
            "parent_id": c["shared"]["id"],
            "name": "late.txt",
            "size": 4,
            "content_type": "text/plain",
        },
    ),
    "rename": lambda c: c["member"].client.patch(f"/nodes/{c['made']['id']}", {"name": "late"}),
    "move": lambda c: c["member"].client.patch(
        f"/nodes/{c['made']['id']}", {"parent_id": c["inner"]["id"]}
    ),
    "trash": lambda c: c["member"].client.delete(f"/nodes/{c['made']['id']}"),
}


@pytest.mark.parametrize("write", sorted(WRITES_THROUGH_A_TEAM))
def test_a_member_whose_leaving_has_begun_writes_nothing_through_the_team(writing_crew, write):
    c = writing_crew
    before = c["leader"].names(c["shared"]["id"]), c["leader"].names(c["inner"]["id"])
    teams_model.begin_leaving(c["team"]["id"], c["member"].user.id)  # the leave's first step

    reply = WRITES_THROUGH_A_TEAM[write](c)

    assert_error(reply, 409, "conflict")
    assert (c["leader"].names(c["shared"]["id"]), c["leader"].names(c["inner"]["id"])) == before
    assert c["member"].client.delete(f"/teams/{c['team']['id']}/members/me").status == 204
    invariants.check({c["leader"].user.id})


def test_a_write_that_read_its_access_before_the_folder_was_unshared_does_not_land(
    writing_crew,
):
    c = writing_crew
    member = sessions.authenticate(c["member"].account.jar["td_access"])
    here, _ = policy.require(member, c["shared"]["id"], at_least="write")
    relied_on = policy.grants(member, here.chain)
    assert [g.folder.node_id for g in relied_on] == [c["shared"]["id"]]
    unshared = c["leader"].client.delete(
        f"/teams/{c['team']['id']}/shared-folders/{c['shared']['id']}"
    )
    assert unshared.status == 204, unshared.body

    with pytest.raises(tree.Stale):
        tree.create_folder(here, "late", grants=relied_on)
    assert "late" not in c["leader"].names(c["shared"]["id"])
    invariants.check({c["leader"].user.id})


def test_a_member_writing_in_a_drive_whose_owner_left_a_move_unfinished_finishes_it(
    writing_crew,
):
    c = writing_crew
    shared = c["leader"].node(c["shared"]["id"])
    # What a crash half-way through the owner's big move leaves on their row.
    record = {"node": {"S": shared["id"]}, "source": {"S": "/x/"}, "target": {"S": "/x/"}}
    dynamodb().update_item(
        TableName=table("users"),
        Key={"user_id": {"S": c["leader"].user.id}},
        UpdateExpression="SET moving = :m",
        ExpressionAttributeValues={":m": {"M": record}},
    )

    made = c["member"].client.post("/folders", {"parent_id": shared["id"], "name": "meanwhile"})

    assert made.status == 201, made.body
    assert "moving" not in user_row(c["leader"].user.id)
    invariants.check({c["leader"].user.id})


def test_a_members_upload_completed_after_their_membership_ended_does_not_land(writing_crew):
    c = writing_crew
    started = files.start(c["member"].client, c["shared"]["id"], "late.txt", 4, "text/plain")
    assert started.status == 201, started.body
    upload = started.json
    files.put_parts(c["member"].client, upload, b"late")
    member = sessions.authenticate(c["member"].account.jar["td_access"])
    # The completion read its access (and S3 joined the parts); then the membership ended.
    here, _ = policy.require(member, upload["upload_id"], at_least="write", below_trash=True)
    relied_on = policy.grants(member, here.chain)
    teams_model.begin_leaving(c["team"]["id"], c["member"].user.id)
    teams_model.let_go(c["team"]["id"], c["member"].user.id)

    with pytest.raises(tree.Stale):
        uploads_model.settle(here, grants=relied_on)
    assert c["leader"].node(upload["upload_id"])["status"] == "uploading"


def test_leadership_handed_to_a_member_as_they_leave_keeps_a_leader_in_the_team(crew):
    leader, member, team = crew["leader"], crew["member"], crew["team"]
    # Their leave read that they do not lead; then the team is handed to them.
    teams_model.hand_over(team["id"], leader.user.id, member.user.id)

    with pytest.raises(TeamChanged):
        teams_model.let_go(team["id"], member.user.id)
    with pytest.raises(TeamChanged):
        teams_model.begin_leaving(team["id"], member.user.id)
    assert detail(member, team)["team"]["leader_id"] == member.user.id

    # The other way round: a member who has begun leaving cannot be handed the team.
    back = member.client.patch(f"/teams/{team['id']}", {"leader_id": leader.user.id})
    assert back.status == 200, back.body
    teams_model.begin_leaving(team["id"], member.user.id)
    handed = leader.client.patch(f"/teams/{team['id']}", {"leader_id": member.user.id})
    assert_error(handed, 400, "invalid_request")
    assert leader.client.delete(f"/teams/{team['id']}/members/{member.user.id}").status == 204
    assert detail(leader, team)["team"]["leader_id"] == leader.user.id


def test_a_leader_leaving_alone_does_not_delete_a_team_someone_joined_meanwhile(person):
    leader, newcomer = person(), person()
    team = make_team(leader)
    invited = leader.client.post(
        f"/teams/{team['id']}/invitations", {"username": newcomer.user.username}
    )
    assert invited.status == 201, invited.body
    # The leader's leave read a team of one; the invitation is accepted before it acts.
    assert newcomer.client.post(f"/teams/{team['id']}/invitations/accept").status == 200

    with pytest.raises(TeamChanged):
        teams_model.start_closing(team["id"], leader.user.id, members=1)

    assert detail(newcomer, team)["team"]["member_count"] == 2
    assert_error(leader.client.delete(f"/teams/{team['id']}/members/me"), 409, "conflict")


def test_a_folder_whose_parent_is_trashed_after_the_share_read_it_is_not_shared(crew):
    leader, team = crew["leader"], crew["team"]
    holder = leader.mkdir("Holder")
    inside = leader.mkdir("Inside", holder["id"])
    read = nodes_model.locate([inside["id"]])[inside["id"]]  # what the share read: visible
    leader.trash(holder["id"])  # then its parent goes to the trash

    with pytest.raises(TeamChanged) as refused:
        teams_model.share(team["id"], read.node, leader.user.id, "read", above=read.ancestors)

    assert refused.value.folder
    assert inside["id"] not in {f["folder_id"] for f in detail(leader, team)["shared_folders"]}


def test_the_leader_cannot_leave_while_others_remain_and_leaving_alone_deletes_the_team(crew):
    leader, member, team = crew["leader"], crew["member"], crew["team"]
    path = f"/teams/{team['id']}/members"

    assert_error(leader.client.delete(f"{path}/me"), 409, "conflict")
    assert leader.client.delete(f"{path}/{member.user.id}").status == 204
    assert leader.client.delete(f"{path}/me").status == 204

    assert_error(leader.client.get(f"/teams/{team['id']}"), 404, "not_found")
    assert leader.client.get("/teams").json["items"] == []


def test_deleting_a_team_ends_every_share_and_membership(crew):
    leader, member, team = crew["leader"], crew["member"], crew["team"]

    assert leader.client.delete(f"/teams/{team['id']}").status == 204

    assert_error(member.listing(crew["shared"]["id"]), 404, "not_found")
    assert_error(member.client.get(f"/teams/{team['id']}"), 404, "not_found")
    assert member.client.get("/teams").json["items"] == []
    assert crew["invitee"].client.get("/users/me/invitations").json["items"] == []
    # The leader keeps the folder, no longer shared.
    assert leader.folder(crew["shared"]["id"])["folder"]["access"] == "owner"


def test_a_member_shares_only_folders_they_own_and_not_their_whole_drive(crew):
    member, team = crew["member"], crew["team"]
    path = f"/teams/{team['id']}/shared-folders"

    not_theirs = member.client.post(path, {"folder_id": crew["inner"]["id"], "access": "read"})
    a_file = member.client.post(path, {"folder_id": member.upload("f.txt")["id"], "access": "read"})
    root = member.client.post(path, {"folder_id": member.root, "access": "read"})
    bad_access = member.client.post(path, {"folder_id": member.mkdir("x")["id"], "access": "own"})
    unknown = member.client.post(path, {"folder_id": UNKNOWN_ID, "access": "read"})

    assert_error(not_theirs, 404, "not_found")
    assert_error(a_file, 404, "not_found")
    assert_error(root, 400, "invalid_request")
    assert_error(bad_access, 400, "invalid_request")
    assert_error(unknown, 404, "not_found")


def test_sharing_again_changes_the_access_and_the_sharer_or_leader_stops_it(crew):
    leader, member, team, shared = crew["leader"], crew["member"], crew["team"], crew["shared"]
    assert member.folder(shared["id"])["folder"]["access"] == "read"

    share(team, leader, shared["id"], "write")
    assert member.folder(shared["id"])["folder"]["access"] == "write"
    assert_error(
        member.client.delete(f"/teams/{team['id']}/shared-folders/{shared['id']}"), 403, "forbidden"
    )
    assert leader.client.delete(f"/teams/{team['id']}/shared-folders/{shared['id']}").status == 204

    assert_error(member.listing(shared["id"]), 404, "not_found")
    assert detail(leader, team)["shared_folders"] == []


def test_a_shared_folder_in_the_owners_trash_is_out_of_reach_and_back_after_restore(crew):
    leader, member, shared = crew["leader"], crew["member"], crew["shared"]

    leader.trash(shared["id"])
    assert_error(member.listing(shared["id"]), 404, "not_found")
    assert detail(member, crew["team"])["shared_folders"] == []

    assert leader.client.post(f"/trash/{shared['id']}/restore").status == 200
    assert member.listing(shared["id"]).status == 200


def test_deleting_an_account_hands_its_teams_to_the_oldest_member(person, crew):
    leader, member, team = crew["leader"], crew["member"], crew["team"]
    newer = person()
    join(team, leader, newer)

    gone = leader.client.delete("/users/me", {"password": leader.user.password})

    assert gone.status == 204, gone.body
    shown = detail(member, team)
    assert shown["team"]["leader_id"] == member.user.id
    assert {m["id"] for m in shown["members"]} == {member.user.id, newer.user.id}
    assert shown["shared_folders"] == []  # the leaver's folders are no longer shared


def test_people_are_found_by_username_prefix(person):
    searcher = person()
    wanted = person()
    prefix = wanted.user.username[:-1]

    found = searcher.client.get(f"/users/search?q={prefix.upper()}")

    assert found.status == 200
    assert wanted.user.id in [p["id"] for p in found.json["items"]]
    assert all(p["username"].startswith(prefix) for p in found.json["items"])
    assert searcher.user.id not in [p["id"] for p in found.json["items"]]
    assert len(found.json["items"]) <= 10
    assert_error(searcher.client.get("/users/search?q="), 400, "invalid_request")
    assert_error(searcher.client.get(f"/users/search?q={'x' * 31}"), 400, "invalid_request")


def test_the_list_of_teams_pages_and_refuses_a_bad_limit(person):
    leader = person()
    made = {make_team(leader, name)["id"] for name in ("Alpha", "beta", "Gamma")}

    first = leader.client.get("/teams?limit=2").json
    rest = leader.client.get(f"/teams?limit=2&cursor={first['next_cursor']}").json

    assert [t["name"] for t in first["items"] + rest["items"]] == ["Alpha", "beta", "Gamma"]
    assert {t["id"] for t in first["items"] + rest["items"]} == made
    assert rest["next_cursor"] is None
    assert_error(leader.client.get("/teams?limit=0"), 400, "invalid_request")
    other = person()
    assert_error(other.client.get(f"/teams?cursor={first['next_cursor']}"), 400, "invalid_request")


def test_a_folder_in_the_trash_or_below_a_trashed_one_cannot_be_shared(crew):
    leader, team = crew["leader"], crew["team"]
    holder = leader.mkdir("Holder")
    inside = leader.mkdir("Inside", holder["id"])
    leader.trash(holder["id"])
    path = f"/teams/{team['id']}/shared-folders"

    for folder in (holder, inside):
        reply = leader.client.post(path, {"folder_id": folder["id"], "access": "read"})
        assert_error(reply, 404, "not_found")
    assert {f["folder_id"] for f in detail(leader, team)["shared_folders"]} == {
        crew["shared"]["id"]
    }


def test_a_link_made_by_a_member_stops_when_they_leave(person, new_api):
    leader, member = person(), person()
    team = make_team(leader)
    join(team, leader, member)
    shared = leader.mkdir("Inbox")
    doc = leader.upload("doc.txt", b"doc", shared["id"])
    share(team, leader, shared["id"], "write")
    made = member.client.post("/shares", {"node_id": doc["id"]})
    assert made.status == 201, made.body
    token = made.json["url"].rsplit("/", 1)[1]
    anyone = new_api()
    assert anyone.get(f"/public/shares/{token}").status == 200

    assert member.client.delete(f"/teams/{team['id']}/members/me").status == 204

    assert_error(anyone.get(f"/public/shares/{token}"), 404, "not_found")
    assert_error(anyone.post(f"/public/shares/{token}/download", {}), 404, "not_found")


# --- Search reaches what teams share ---------------------------------------------------------


def found(drive: Drive, q: str, *, limit: int = 50) -> dict[str, str]:
    """Every match of a search, following the cursors: id → access (each id once)."""
    items = follow_cursors(
        lambda **params: drive.client.get(f"/search?{urlencode(params)}"), limit=limit, q=q
    )
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)), "a match was listed twice"
    return {item["id"]: item["access"] for item in items}


def test_a_member_finds_what_a_team_shares_and_nothing_above_or_beside_it(crew):
    leader, member, shared, inner, doc = (
        crew[k] for k in ("leader", "member", "shared", "inner", "doc")
    )
    deeper = leader.upload("plan B.txt", b"b", inner["id"], "text/plain")
    leader.upload("plan C.txt", b"c", leader.home, "text/plain")  # the leader's, not shared

    assert found(member, "plan") == {doc["id"]: "read", deeper["id"]: "read"}
    assert found(member, "shared") == {shared["id"]: "read"}
    for outsider in ("invitee", "stranger"):
        assert found(crew[outsider], "plan") == {}
    # The owner finds their own once, though it is shared too.
    assert set(found(leader, "plan").values()) == {"owner"}
    assert len(found(leader, "plan")) == 3


def test_a_node_below_two_shared_folders_is_found_once_with_the_better_access(crew):
    leader, member, team, inner = crew["leader"], crew["member"], crew["team"], crew["inner"]
    deeper = leader.upload("plan B.txt", b"b", inner["id"], "text/plain")
    share(team, leader, inner["id"], "write")

    assert found(member, "plan") == {crew["doc"]["id"]: "read", deeper["id"]: "write"}
    assert found(member, "inner") == {inner["id"]: "write"}


def test_search_leaves_out_what_is_in_the_trash_of_a_shared_folder(crew):
    leader, member, inner = crew["leader"], crew["member"], crew["inner"]
    deeper = leader.upload("plan B.txt", b"b", inner["id"], "text/plain")

    leader.trash(inner["id"])
    assert found(member, "plan") == {crew["doc"]["id"]: "read"}
    leader.trash(crew["shared"]["id"])
    assert found(member, "plan") == {}

    for node in (crew["shared"], inner):
        assert leader.client.post(f"/trash/{node['id']}/restore").status == 200
    assert set(found(member, "plan")) == {crew["doc"]["id"], deeper["id"]}


def test_a_removed_member_finds_nothing_shared_on_their_next_search(crew):
    leader, member, team = crew["leader"], crew["member"], crew["team"]
    assert found(member, "plan") != {}

    assert leader.client.delete(f"/teams/{team['id']}/members/{member.user.id}").status == 204

    assert found(member, "plan") == {}


@pytest.fixture
def reaches(person: Callable[[], Drive]) -> dict[str, Any]:
    """A member with two matches of their own and two teams, each of whose leaders shares a
    folder holding three matches (one of them in a subfolder): ``shared`` maps each folder's
    id to its team, its leader and the ids of its matches."""
    member = person()
    mine = {member.upload(f"memo {n}.txt", b"m", None, "text/plain")["id"] for n in range(2)}
    shared = {}
    for name in ("North", "South"):
        leader = person()
        team = make_team(leader, name)
        join(team, leader, member)
        folder = leader.mkdir(name)["id"]
        below = leader.mkdir("below", folder)["id"]
        matches = {
            leader.upload(f"memo {name} {n}.txt", b"m", parent, "text/plain")["id"]
            for n, parent in enumerate([folder, folder, below])
        }
        share(team, leader, folder, "read")
        shared[folder] = {"team": team, "leader": leader, "matches": matches}
    return {"member": member, "mine": mine, "shared": shared}


def test_search_pages_through_the_callers_drive_and_every_shared_folder(reaches):
    expected = reaches["mine"].union(*(f["matches"] for f in reaches["shared"].values()))

    # Pages that end inside the caller's drive, at a folder's edge, inside a folder, or never.
    for limit in (1, 2, 3, 50):
        assert set(found(reaches["member"], "memo", limit=limit)) == expected, limit


def test_a_cursor_goes_on_when_the_folder_it_stopped_in_is_unshared(reaches):
    member = reaches["member"]
    # Own matches come first, then each shared folder in the order of the folders' ids.
    first, second = (reaches["shared"][i] for i in sorted(reaches["shared"]))
    page = member.client.get("/search?q=memo&limit=3").json
    assert {i["id"] for i in page["items"]} - reaches["mine"] <= first["matches"]

    reply = first["leader"].client.delete(
        f"/teams/{first['team']['id']}/shared-folders/{min(reaches['shared'])}"
    )
    assert reply.status == 204
    rest = follow_cursors(
        lambda **params: member.client.get(f"/search?{urlencode(params)}"),
        limit=3,
        q="memo",
        cursor=page["next_cursor"],
    )

    assert {i["id"] for i in rest} == second["matches"]


def test_a_search_reading_many_shared_folders_goes_on_in_the_next_request(person):
    leader, member = person(), person()
    team = make_team(leader)
    join(team, leader, member)
    matches = set()
    # One more folder than a request reads index pages (search.PAGES: one per folder here,
    # and one for the member's own drive).
    for n in range(search.PAGES + 1):
        folder = leader.mkdir(f"memo {n}")["id"]  # each shared folder holds one match: itself
        matches.add(folder)
        share(team, leader, folder, "read")

    first = member.client.get("/search?q=memo&limit=50").json
    assert len(first["items"]) < len(matches) and first["next_cursor"]
    assert set(found(member, "memo")) == matches


def test_a_cursor_goes_on_when_the_shared_folder_it_stopped_in_is_moved(reaches):
    member = reaches["member"]
    first_id = min(reaches["shared"])
    first = reaches["shared"][first_id]
    page = member.client.get("/search?q=memo&limit=3").json
    assert {i["id"] for i in page["items"]} - reaches["mine"] <= first["matches"]

    leader = first["leader"]
    # A new parent whose id sorts before the folder's, so the folder's new paths sort before
    # the cursor's key (a cursor followed blindly would skip what is left of it).
    elsewhere = next(
        made
        for made in (leader.mkdir(unique("Elsewhere"))["id"] for _ in range(64))
        if made < first_id
    )
    assert leader.client.patch(f"/nodes/{first_id}", {"parent_id": elsewhere}).status == 200
    rest = follow_cursors(
        lambda **params: member.client.get(f"/search?{urlencode(params)}"),
        limit=3,
        q="memo",
        cursor=page["next_cursor"],
    )

    # The moved folder is read again from its new place: nothing is missed.
    shared = set().union(*(f["matches"] for f in reaches["shared"].values()))
    assert {i["id"] for i in rest} == shared
