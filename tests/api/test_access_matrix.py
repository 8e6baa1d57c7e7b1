"""The access matrix: each route of files, uploads, the trash, search, teams, share links and
the operators, asked by each of eight roles, answers the status that TABLE gives the cell
(STYLE.md, Access).

The world is made once for the module. The owner's folder F holds a file f and a folder sub; a
file g lies outside it. Team T is led by the leader; the read member and the owner are its
members, F is shared with it to read, and the invitee is invited but has not answered. Team W
is led by the owner, the write member is its member, and F is shared with it to write. The
stranger and the admin (``is_admin`` set on their row) are in no team; anonymous sends no
session. So below F the leader and the read member read and the write member writes; in T the
leader leads, the read member and the owner are members, and the rest are outside it. The
operators' routes (``/admin``) answer the admin alone: anyone else signed in gets 403 there.

A cell that changes something gets a target of its own, made before it asks, and then reads
the target as the owner or the leader sees it: changed as asked when the cell was allowed,
as it was when the cell was refused.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any, NamedTuple

import pytest

from app import app
from chalicelib.models import teams as team_items
from chalicelib.models import users
from chalicelib.services import accounts, teams
from tests import files
from tests.client import Api, Reply, assert_error
from tests.drives import UNKNOWN_ID, Account, Drive, dynamodb, table, unique, user_row

SHARED_STACK = True  # see tests/conftest.py: module_stack

ANONYMOUS, STRANGER, INVITEE, READER = "anonymous", "stranger", "invitee", "read-member"
WRITER, LEADER, OWNER, ADMIN = "write-member", "leader", "owner", "admin"
ROLES = (ANONYMOUS, STRANGER, INVITEE, READER, WRITER, LEADER, OWNER, ADMIN)
SIGNED_IN = ROLES[1:]

ERROR_CODES = {
    400: "invalid_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
}

# The routes the matrix is about (every method of each).
PREFIXES = (
    "/nodes",
    "/folders",
    "/files",
    "/uploads",
    "/trash",
    "/teams",
    "/shares",
    "/public/shares",
    "/search",
    "/users/me/invitations",
    "/users/search",
    "/admin",
)


# --- The world -----------------------------------------------------------------------------


@dataclass
class World:
    """The module's accounts, each through a client of this test's own, and the ids of what
    the world holds (see ``build``)."""

    drives: dict[str, Drive]
    nobody: Api
    ids: dict[str, str]
    # What to undo once the test is over, so that what cells make does not pile up (a fresh
    # team, a folder shared with T).
    undo: list[Callable[[], None]] = field(default_factory=list)

    def client(self, role: str) -> Api:
        return self.nobody if role == ANONYMOUS else self.drives[role].client

    @property
    def owner(self) -> Drive:
        return self.drives[OWNER]

    @property
    def leader(self) -> Drive:
        return self.drives[LEADER]


def ok(reply: Reply, status: int = 200) -> Any:
    assert reply.status == status, (reply.status, reply.body[:500])
    return reply.json


def make_team(leader: Drive, members: list[Drive], invited: Drive | None = None) -> str:
    path = "/teams/{}/invitations"
    team = ok(leader.client.post("/teams", {"name": unique("team")}), 201)["team"]["id"]
    for member in members:
        ok(leader.client.post(path.format(team), {"username": member.user.username}), 201)
        ok(member.client.post(path.format(team) + "/accept"))
    if invited is not None:
        ok(leader.client.post(path.format(team), {"username": invited.user.username}), 201)
    return team


def share_folder(owner: Drive, team: str, folder: str, access: str) -> None:
    body = {"folder_id": folder, "access": access}
    ok(owner.client.post(f"/teams/{team}/shared-folders", body), 201)


def make_link(maker: Drive, node_id: str) -> tuple[str, str]:
    """(id, token) of a new link to ``node_id``."""
    made = ok(maker.client.post("/shares", {"node_id": node_id}), 201)
    return made["share"]["id"], made["url"].rsplit("/", 1)[1]


def start_upload(sender: Drive, parent: str) -> dict[str, Any]:
    return ok(files.start(sender.client, parent, unique("upload"), 5, "text/plain"), 201)


def make_admin(user_id: str) -> None:
    dynamodb().update_item(
        TableName=table("users"),
        Key={"user_id": {"S": user_id}},
        UpdateExpression="SET is_admin = :t",
        ExpressionAttributeValues={":t": {"BOOL": True}},
    )


def build(drives: dict[str, Drive]) -> dict[str, str]:
    """Make the world; returns the ids its cells fill their templates with."""
    owner, leader, writer = drives[OWNER], drives[LEADER], drives[WRITER]
    key = uuid.uuid4().hex[:12]  # what the search row asks for: only f's name holds it
    folder = owner.mkdir(unique("F"), owner.root)["id"]
    ids = {
        "F": folder,
        "sub": owner.mkdir("sub", folder)["id"],
        "f": owner.upload(f"f-{key}.txt", b"file f", folder, "text/plain")["id"],
        "f_key": key,
        "g": owner.upload(unique("g") + ".txt", b"file g", owner.root, "text/plain")["id"],
        "T": make_team(leader, [drives[READER], owner], invited=drives[INVITEE]),
        "W": make_team(owner, [writer]),
        "stranger_name": drives[STRANGER].user.username,
    }
    share_folder(owner, ids["T"], folder, "read")
    share_folder(owner, ids["W"], folder, "write")
    ids["link"], ids["token"] = make_link(owner, ids["f"])
    # Uploads into F in progress, one by each who may write there.
    ids["owner_upload"] = start_upload(owner, folder)["upload_id"]
    ids["writer_upload"] = start_upload(writer, folder)["upload_id"]
    make_admin(drives[ADMIN].user.id)
    for role, drive in drives.items():
        ids[f"{role.replace('-', '_')}_id"] = drive.user.id  # owner_id, read_member_id…
    return ids


@pytest.fixture
def world(
    kept: dict[str, Any],
    sign_up: Callable[[], Account],
    open_drive: Callable[[Account], Drive],
    new_api: Callable[..., Api],
) -> Iterator[World]:
    """The world (made on first use), through clients of this test's own; what the test
    leaves to undo is undone after it."""
    if "world" not in kept:
        kept["world"] = None  # made once: a build that fails is not tried again per cell
        kept["accounts"] = {role: sign_up() for role in SIGNED_IN}
        kept["world"] = build({r: open_drive(a) for r, a in kept["accounts"].items()})
    if kept["world"] is None:
        pytest.fail("the world could not be made (see the first cell's error)")
    drives = {role: open_drive(account) for role, account in kept["accounts"].items()}
    made = World(drives, new_api(), kept["world"])
    yield made
    for undo in made.undo:
        undo()


@dataclass
class Cell:
    """One cell as it runs: the world, the role that asks, the values the templates are
    filled with and, once it has asked, the reply."""

    world: World
    role: str
    values: dict[str, Any]
    reply: Reply | None = None

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


# --- Fresh targets, one per cell: each returns the values it adds ----------------------------

Fresh = Callable[[Cell], dict[str, str]]


def box_in_f(cell: Cell) -> dict[str, str]:
    """An empty folder in F, for what the cell makes."""
    return {"box": cell.world.owner.mkdir(unique("box"), cell["F"])["id"]}


def folder_in_f(cell: Cell) -> dict[str, str]:
    made = cell.world.owner.mkdir(unique("target"), cell["F"])
    return {"target": made["id"], "target_name": made["name"]}


def folder_holding_one_in_f(cell: Cell) -> dict[str, str]:
    """A folder in F with a folder inside it (``inner``)."""
    made = folder_in_f(cell)
    return made | {"inner": cell.world.owner.mkdir("inner", made["target"])["id"]}


def trashed_in_f(cell: Cell) -> dict[str, str]:
    made = folder_in_f(cell)
    cell.world.owner.trash(made["target"])
    return made


def team_like_t(cell: Cell) -> dict[str, str]:
    """A team with T's people: the leader leads it, the read member and the owner are its
    members, the invitee is invited. It is made straight in the tables, through the teams
    model as the routes make it (through the routes it would take most of the module's time),
    and deleted after the test."""
    w, team = cell.world, uuid.uuid4().hex
    team_items.create(team, unique("team"), cell["leader_id"])
    for member in ("read_member_id", "owner_id"):
        team_items.invite(team, cell[member], cell["leader_id"])
        team_items.accept(team, cell[member], max_members=teams.MAX_MEMBERS)
    team_items.invite(team, cell["invitee_id"], cell["leader_id"])
    w.undo.append(lambda: disband(w, team))
    return {"team": team}


def disband(w: World, team: str) -> None:
    """Delete a team by its leader: the leader, or the read member it was handed to."""
    for role in (LEADER, READER):
        reply = w.drives[role].client.delete(f"/teams/{team}")
        if reply.status in (204, 404):
            return
    pytest.fail(f"team {team} is led by neither the leader nor the read member")


def upload_sent_by(sender: str) -> Fresh:
    """An upload into F whose bytes ``sender`` has sent, waiting to be completed."""

    def fresh(cell: Cell) -> dict[str, str]:
        started = start_upload(cell.world.drives[sender], cell["F"])
        files.put_parts(cell.world.drives[sender].client, started, b"bytes")
        return {"target": started["upload_id"]}

    return fresh


def upload_started_by(sender: str) -> Fresh:
    def fresh(cell: Cell) -> dict[str, str]:
        return {"target": start_upload(cell.world.drives[sender], cell["F"])["upload_id"]}

    return fresh


def link_made_by(maker: str) -> Fresh:
    def fresh(cell: Cell) -> dict[str, str]:
        link, token = make_link(cell.world.drives[maker], cell["f"])
        return {"target": link, "target_token": token}

    return fresh


def unshare_from_t_after(w: World, folder: str) -> None:
    """Stop sharing ``folder`` with T after the test, if it is shared then (T's detail reads
    every folder shared with it)."""

    def unshare() -> None:
        reply = w.leader.client.delete(f"/teams/{w.ids['T']}/shared-folders/{folder}")
        assert reply.status in (204, 404), reply.body

    w.undo.append(unshare)


def folder_of_callers_own(cell: Cell) -> dict[str, str]:
    if cell.role == ANONYMOUS:
        return {"mine": UNKNOWN_ID}
    drive = cell.world.drives[cell.role]
    mine = drive.mkdir(unique("mine"), drive.root)["id"]
    unshare_from_t_after(cell.world, mine)
    return {"mine": mine}


def folder_in_f_to_share(cell: Cell) -> dict[str, str]:
    made = folder_in_f(cell)
    unshare_from_t_after(cell.world, made["target"])
    return made


def folder_shared_with_t(cell: Cell) -> dict[str, str]:
    w = cell.world
    target = w.owner.mkdir(unique("shared"), w.owner.root)["id"]
    share_folder(w.owner, cell["T"], target, "read")
    unshare_from_t_after(w, target)
    return {"target": target}


def account_of_its_own(cell: Cell) -> dict[str, str]:
    """An account for an operator to change, made straight through the users model (through
    the routes it would cost a sign-up and a verification per cell)."""
    name = uuid.uuid4().hex[:20]
    made = accounts.new_user(username=name, email=f"{name}@example.com", email_verified=True)
    users.create(made)
    return {"target": made.user_id}


# --- What a write changes --------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    """What a write changes, read as the owner or the leader sees it.

    ``probe`` reads it. ``start`` is what it reads before the cell asks: for a fresh target it
    is known from how the target was made (so not read); None means read it with ``probe``.
    ``done`` is what it reads once the write succeeded, from the cell and the reading before.
    Only the roles in ``by`` change it when they succeed (None: whoever succeeds); for anyone
    else it must read as before.
    """

    probe: Callable[[Cell], Any]
    done: Callable[[Cell, Any], Any]
    start: Callable[[Cell], Any] | None = None
    by: frozenset[str] | None = None


def always(value: Any) -> Callable[..., Any]:
    """A ``start`` or ``done`` that is the same for every cell."""
    return lambda *_: value


def node_state(cell: Cell) -> str:
    """The target's status as its owner sees it, or "gone" (trashed, deleted)."""
    reply = cell.world.owner.client.get(f"/nodes/{cell['target']}")
    if reply.status == 404:
        return "gone"
    return ok(reply)["node"]["status"]


def node_goes(start: str, done: str) -> Effect:
    """The target's status (``node_state``) goes from ``start`` to ``done``."""
    return Effect(node_state, always(done), start=always(start))


def in_owners_trash(cell: Cell) -> bool:
    """Whether the owner's trash holds the target, which the cell has just trashed: if it is
    there, it is the newest thing there."""
    items = ok(cell.world.owner.client.get("/trash?limit=1"))["items"]
    return cell["target"] in {item["id"] for item in items}


class Roster(NamedTuple):
    leader: str
    members: list[str]
    invited: list[str] | None  # None when whoever looks does not lead the team (any more)


def roster(cell: Cell) -> Roster | None:
    """The fresh team as the leader (of T) sees it; None once it is gone."""
    reply = cell.world.leader.client.get(f"/teams/{cell['team']}")
    if reply.status == 404:
        return None
    shown = ok(reply)
    invitations = shown.get("invitations")
    return Roster(
        shown["team"]["leader_id"],
        sorted(m["id"] for m in shown["members"]),
        None if invitations is None else sorted(i["user"]["id"] for i in invitations),
    )


def like_t(cell: Cell) -> Roster:
    """A fresh team as ``team_like_t`` makes it."""
    people = [cell["leader_id"], cell["read_member_id"], cell["owner_id"]]
    return Roster(cell["leader_id"], sorted(people), [cell["invitee_id"]])


def team_becomes(done: Callable[[Cell, Roster], Roster | None]) -> Effect:
    """What a write does to a fresh team (``done`` from the cell and the team as made)."""
    return Effect(roster, done, start=like_t)


def without(people: list[str], person: str) -> list[str]:
    return [p for p in people if p != person]


def seen_in_t(cell: Cell) -> int:
    """How another member of T (the leader; the read member when the leader asks) finds the
    caller's own folder: 200 once it is shared with T, 404 before."""
    viewer = cell.world.drives[READER if cell.role == LEADER else LEADER]
    return viewer.client.get(f"/nodes/{cell['mine']}").status


def seen_by_leader(cell: Cell) -> int:
    return cell.world.leader.client.get(f"/nodes/{cell['target']}").status


def shared_with_t(cell: Cell) -> set[str]:
    shown = ok(cell.world.leader.client.get(f"/teams/{cell['T']}"))
    return {s["folder_id"] for s in shown["shared_folders"]}


def t_name(cell: Cell) -> str:
    """T's name, from the leader's list of teams (lighter than T's detail)."""
    theirs = ok(cell.world.leader.client.get("/teams"))["items"]
    return next(t["name"] for t in theirs if t["id"] == cell["T"])


def callers_team_names(cell: Cell) -> list[str] | None:
    if cell.role == ANONYMOUS:
        return None
    return sorted(t["name"] for t in ok(cell.world.client(cell.role).get("/teams"))["items"])


def links_to_f(cell: Cell) -> set[str]:
    """The ids of every link to f, whoever made it, read straight from the table."""
    found = dynamodb().scan(
        TableName=table("shares"),
        FilterExpression="node_id = :n",
        ExpressionAttributeValues={":n": {"S": cell["f"]}},
        ConsistentRead=True,
    )
    return {item["share_id"]["S"] for item in found["Items"]}


def link_opens(cell: Cell) -> int:
    return cell.world.nobody.get(f"/public/shares/{cell['target_token']}").status


MADE_IN_BOX = Effect(
    lambda c: c.world.owner.names(c["box"]), lambda c, _: [c["name"]], start=always([])
)
RENAMED = Effect(
    lambda c: c.world.owner.node(c["target"])["name"],
    lambda c, _: c["name"],
    start=lambda c: c["target_name"],
)
MOVED = Effect(
    lambda c: c.world.owner.node(c["target"])["parent_id"],
    lambda c, _: c["sub"],
    start=lambda c: c["F"],
)
STAYS_IN_F = Effect(
    lambda c: c.world.owner.node(c["target"])["parent_id"],
    lambda _, before: before,
    start=lambda c: c["F"],
    by=frozenset(),
)
NOTHING_IN_BOX = Effect(
    lambda c: c.world.owner.names(c["box"]), always([]), start=always([]), by=frozenset()
)
TRASHED = node_goes("ready", "gone")
RESTORED = node_goes("gone", "ready")
COMPLETED = node_goes("uploading", "ready")
ABORTED = node_goes("uploading", "gone")
PURGED = Effect(in_owners_trash, always(False), start=always(True))
PURGED_BY_OWNER = Effect(in_owners_trash, always(False), start=always(True), by=frozenset({OWNER}))
TEAM_MADE = Effect(callers_team_names, lambda c, before: sorted([*before, c["name"]]))
T_RENAMED = Effect(t_name, lambda c, _: c["name"])
HANDED_OVER = team_becomes(lambda c, t: t._replace(leader=c["read_member_id"], invited=None))
DELETED = team_becomes(always(None))
INVITED = team_becomes(lambda c, t: t._replace(invited=sorted([*t.invited, c["stranger_id"]])))
UNINVITED = team_becomes(lambda _, t: t._replace(invited=[]))
JOINED = team_becomes(
    lambda c, t: t._replace(members=sorted([*t.members, c["invitee_id"]]), invited=[])
)
READER_OUT = team_becomes(lambda c, t: t._replace(members=without(t.members, c["read_member_id"])))
CALLER_OUT = team_becomes(lambda c, t: t._replace(members=without(t.members, c["me"])))
MINE_SHARED = Effect(seen_in_t, always(200), start=always(404))
TARGET_SHARED = Effect(shared_with_t, lambda c, before: before | {c["target"]})
TARGET_UNSHARED = Effect(seen_by_leader, always(404), start=always(200))
LINK_MADE = Effect(links_to_f, lambda c, before: before | {c.reply.json["share"]["id"]})
LINK_REVOKED = Effect(link_opens, always(404), start=always(200))
QUOTA_SET_TO = 123_456_789
QUOTA_SET = Effect(lambda c: user_row(c["target"])["quota_bytes"], always(QUOTA_SET_TO))


# --- The table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A route asked one way (``path`` and ``body`` are templates of the cell's values), and
    the status each role gets: ``statuses`` in the order of ROLES."""

    id: str
    method: str
    path: str
    body: dict[str, Any] | None
    statuses: tuple[int, ...]
    fresh: Fresh | None = None
    effect: Effect | None = None
    # The error code of a status where it is not ERROR_CODES' (400 says which kind).
    codes: dict[int, str] = field(default_factory=dict)
    # For a read: whether the reply shows the thing in question, and to whom it should.
    shows: Callable[[Cell], bool] | None = None
    shown_to: frozenset[str] = frozenset()

    @property
    def expected(self) -> dict[str | None, int | None]:
        """role → status (a row of the wrong length shows as a None key or value)."""
        return dict(zip_longest(ROLES, self.statuses))


def listed(key: str, wanted: str) -> Callable[[Cell], bool]:
    """Whether the reply's ``items`` hold one whose ``key`` (dotted: ``team.id``) is the
    cell's value ``wanted``."""

    def value(item: dict[str, Any]) -> Any:
        for part in key.split("."):
            item = item[part]
        return item

    return lambda cell: cell[wanted] in {value(item) for item in cell.reply.json["items"]}


def anyone(status: int) -> tuple[int, ...]:
    """Every signed-in role gets ``status``; anonymous 401."""
    return (401, *[status] * len(SIGNED_IN))


SEEING = frozenset({READER, WRITER, LEADER, OWNER})

# Columns:  anon, stranger, invitee, read-member, write-member, leader, owner, admin.
# fmt: off
TABLE: tuple[Case, ...] = (
    # Files and folders: F and what is in it, g outside it.
    Case("GET-node", "GET", "/nodes/{f}", None,
         (401, 404, 404, 200, 200, 200, 200, 404)),
    Case("GET-node-outside-share", "GET", "/nodes/{g}", None,
         (401, 404, 404, 404, 404, 404, 200, 404)),
    Case("GET-folder", "GET", "/folders/{F}", None,
         (401, 404, 404, 200, 200, 200, 200, 404)),
    Case("GET-folder-below-share", "GET", "/folders/{sub}", None,
         (401, 404, 404, 200, 200, 200, 200, 404)),
    Case("POST-folder", "POST", "/folders", {"parent_id": "{box}", "name": "{name}"},
         (401, 404, 404, 403, 201, 403, 201, 404), fresh=box_in_f, effect=MADE_IN_BOX),
    Case("PATCH-node-rename", "PATCH", "/nodes/{target}", {"name": "{name}"},
         (401, 404, 404, 403, 200, 403, 200, 404), fresh=folder_in_f, effect=RENAMED),
    Case("PATCH-node-move", "PATCH", "/nodes/{target}", {"parent_id": "{sub}"},
         (401, 404, 404, 403, 200, 403, 200, 404), fresh=folder_in_f, effect=MOVED),
    Case("DELETE-node", "DELETE", "/nodes/{target}", None,
         (401, 404, 404, 403, 204, 403, 204, 404), fresh=folder_in_f, effect=TRASHED),
    # Racing and malformed asks: into the node's own subtree (what a race once let through),
    # an id in the body that is no id, a path id no id can be, a content type hiding a second.
    Case("PATCH-node-move-into-itself", "PATCH", "/nodes/{target}", {"parent_id": "{inner}"},
         (401, 404, 404, 403, 400, 403, 400, 404), fresh=folder_holding_one_in_f,
         effect=STAYS_IN_F, codes={400: "invalid_move"}),
    Case("POST-folder-parent-not-an-id", "POST", "/folders",
         {"parent_id": "\ud800", "name": "{name}"},
         (401, 400, 400, 400, 400, 400, 400, 400)),
    Case("GET-node-id-too-long", "GET", "/nodes/" + "a" * 1025, None,
         (404, 404, 404, 404, 404, 404, 404, 404)),
    Case("POST-upload-second-type", "POST", "/uploads",
         {"parent_id": "{box}", "name": "{name}", "size": 5,
          "content_type": "text/plain; a=b, text/html"},
         (401, 400, 400, 400, 400, 400, 400, 400), fresh=box_in_f, effect=NOTHING_IN_BOX),
    Case("GET-file-download", "GET", "/files/{f}/download?redirect=0", None,
         (401, 404, 404, 200, 200, 200, 200, 404)),
    Case("GET-search", "GET", "/search?q={f_key}", None,
         anyone(200), shows=listed("id", "f"), shown_to=SEEING),
    # Uploads into F. One in progress is its sender's alone: the owner's, or the write member's;
    # the owner of the drive it fills sees it listed and may cancel it.
    Case("GET-uploads", "GET", "/uploads?limit=200", None,
         anyone(200), shows=listed("upload_id", "writer_upload"), shown_to=frozenset({OWNER})),
    Case("POST-upload", "POST", "/uploads",
         {"parent_id": "{box}", "name": "{name}", "size": 5, "content_type": "text/plain"},
         (401, 404, 404, 403, 201, 403, 201, 404), fresh=box_in_f, effect=MADE_IN_BOX),
    Case("POST-upload-parts", "POST", "/uploads/{owner_upload}/parts", {"part_numbers": [1]},
         (401, 404, 404, 403, 404, 403, 200, 404)),
    Case("POST-upload-parts-of-member", "POST", "/uploads/{writer_upload}/parts",
         {"part_numbers": [1]},
         (401, 404, 404, 403, 200, 403, 404, 404)),
    Case("GET-upload-parts", "GET", "/uploads/{owner_upload}/parts", None,
         (401, 404, 404, 403, 404, 403, 200, 404)),
    Case("GET-upload-parts-of-member", "GET", "/uploads/{writer_upload}/parts", None,
         (401, 404, 404, 403, 200, 403, 404, 404)),
    Case("POST-upload-complete", "POST", "/uploads/{target}/complete", None,
         (401, 404, 404, 403, 404, 403, 200, 404),
         fresh=upload_sent_by(OWNER), effect=COMPLETED),
    Case("POST-upload-complete-of-member", "POST", "/uploads/{target}/complete", None,
         (401, 404, 404, 403, 200, 403, 404, 404),
         fresh=upload_sent_by(WRITER), effect=COMPLETED),
    Case("DELETE-upload", "DELETE", "/uploads/{target}", None,
         (401, 404, 404, 403, 404, 403, 204, 404),
         fresh=upload_started_by(OWNER), effect=ABORTED),
    Case("DELETE-upload-of-member", "DELETE", "/uploads/{target}", None,
         (401, 404, 404, 403, 204, 403, 204, 404),
         fresh=upload_started_by(WRITER), effect=ABORTED),
    # The trash: each caller's own (what is trashed in F goes to the owner's).
    Case("GET-trash", "GET", "/trash?limit=200", None,
         anyone(200), fresh=trashed_in_f,
         shows=listed("id", "target"), shown_to=frozenset({OWNER})),
    Case("POST-trash-restore", "POST", "/trash/{target}/restore", None,
         (401, 404, 404, 404, 404, 404, 200, 404), fresh=trashed_in_f, effect=RESTORED),
    Case("DELETE-trash-item", "DELETE", "/trash/{target}", None,
         (401, 404, 404, 404, 404, 404, 204, 404), fresh=trashed_in_f, effect=PURGED),
    Case("DELETE-trash", "DELETE", "/trash", None,
         anyone(204), fresh=trashed_in_f, effect=PURGED_BY_OWNER),
    # Teams: T, a fresh team with T's people, or the caller's own.
    Case("POST-team", "POST", "/teams", {"name": "{name}"},
         anyone(201), effect=TEAM_MADE),
    Case("GET-teams", "GET", "/teams", None,
         anyone(200), shows=listed("id", "T"), shown_to=frozenset({READER, LEADER, OWNER})),
    Case("GET-team", "GET", "/teams/{T}", None,
         (401, 404, 404, 200, 404, 200, 200, 404),
         shows=lambda c: "invitations" in c.reply.json, shown_to=frozenset({LEADER})),
    Case("PATCH-team-rename", "PATCH", "/teams/{T}", {"name": "{name}"},
         (401, 404, 404, 403, 404, 200, 403, 404), effect=T_RENAMED),
    Case("PATCH-team-leader", "PATCH", "/teams/{team}", {"leader_id": "{read_member_id}"},
         (401, 404, 404, 403, 404, 200, 403, 404), fresh=team_like_t, effect=HANDED_OVER),
    Case("DELETE-team", "DELETE", "/teams/{team}", None,
         (401, 404, 404, 403, 404, 204, 403, 404), fresh=team_like_t, effect=DELETED),
    Case("POST-team-invitation", "POST", "/teams/{team}/invitations",
         {"username": "{stranger_name}"},
         (401, 404, 404, 403, 404, 201, 403, 404), fresh=team_like_t, effect=INVITED),
    Case("DELETE-team-invitation", "DELETE", "/teams/{team}/invitations/{invitee_id}", None,
         (401, 404, 404, 403, 404, 204, 403, 404), fresh=team_like_t, effect=UNINVITED),
    Case("POST-team-accept", "POST", "/teams/{team}/invitations/accept", None,
         (401, 404, 200, 404, 404, 404, 404, 404), fresh=team_like_t, effect=JOINED),
    Case("POST-team-decline", "POST", "/teams/{team}/invitations/decline", None,
         (401, 404, 204, 404, 404, 404, 404, 404), fresh=team_like_t, effect=UNINVITED),
    # The read member giving their own id leaves, as with "me".
    Case("DELETE-team-member", "DELETE", "/teams/{team}/members/{read_member_id}", None,
         (401, 404, 404, 204, 404, 204, 403, 404), fresh=team_like_t, effect=READER_OUT),
    # The leader leaves only a team of one.
    Case("DELETE-team-member-me", "DELETE", "/teams/{team}/members/me", None,
         (401, 404, 404, 204, 404, 409, 204, 404), fresh=team_like_t, effect=CALLER_OUT),
    # The caller's own folder, shared with T by a member.
    Case("POST-team-shared-folder", "POST", "/teams/{T}/shared-folders",
         {"folder_id": "{mine}", "access": "read"},
         (401, 404, 404, 201, 404, 201, 201, 404),
         fresh=folder_of_callers_own, effect=MINE_SHARED),
    # A folder in F: the members who read it may not share it; only its owner does.
    Case("POST-team-shared-folder-not-own", "POST", "/teams/{T}/shared-folders",
         {"folder_id": "{target}", "access": "read"},
         (401, 404, 404, 404, 404, 404, 201, 404),
         fresh=folder_in_f_to_share, effect=TARGET_SHARED),
    # Shared by the owner: the sharer or the leader stops it.
    Case("DELETE-team-shared-folder", "DELETE", "/teams/{T}/shared-folders/{target}", None,
         (401, 404, 404, 403, 404, 204, 204, 404),
         fresh=folder_shared_with_t, effect=TARGET_UNSHARED),
    Case("GET-invitations", "GET", "/users/me/invitations", None,
         anyone(200), shows=listed("team.id", "T"), shown_to=frozenset({INVITEE})),
    Case("GET-user-search", "GET", "/users/search?q=user", None,
         anyone(200)),
    # Share links to f: made by who may write it, revoked by their maker or f's owner.
    Case("POST-share", "POST", "/shares", {"node_id": "{f}"},
         (401, 404, 404, 403, 201, 403, 201, 404), effect=LINK_MADE),
    Case("GET-shares", "GET", "/shares", None,
         anyone(200), shows=listed("id", "link"), shown_to=frozenset({OWNER})),
    Case("GET-shares-of-node", "GET", "/shares?node_id={f}", None,
         (401, 404, 404, 200, 200, 200, 200, 404),
         shows=listed("id", "link"), shown_to=frozenset({OWNER})),
    Case("DELETE-share", "DELETE", "/shares/{target}", None,
         (401, 404, 404, 404, 404, 404, 204, 404),
         fresh=link_made_by(OWNER), effect=LINK_REVOKED),
    Case("DELETE-share-of-member", "DELETE", "/shares/{target}", None,
         (401, 404, 404, 404, 204, 404, 204, 404),
         fresh=link_made_by(WRITER), effect=LINK_REVOKED),
    # The public side needs no session: everyone opens the link and downloads f.
    Case("GET-public-share", "GET", "/public/shares/{token}", None,
         (200, 200, 200, 200, 200, 200, 200, 200)),
    Case("POST-public-share-download", "POST", "/public/shares/{token}/download", None,
         (200, 200, 200, 200, 200, 200, 200, 200)),
    # The operators' routes: the admin only; anyone else signed in is 403, never 404.
    Case("GET-admin-users", "GET", "/admin/users?q={stranger_name}", None,
         (401, 403, 403, 403, 403, 403, 403, 200),
         shows=listed("id", "stranger_id"), shown_to=frozenset({ADMIN})),
    Case("PATCH-admin-user", "PATCH", "/admin/users/{target}", {"quota_bytes": QUOTA_SET_TO},
         (401, 403, 403, 403, 403, 403, 403, 200), fresh=account_of_its_own, effect=QUOTA_SET),
    Case("GET-admin-stats", "GET", "/admin/stats", None,
         (401, 403, 403, 403, 403, 403, 403, 200)),
)
# fmt: on


def fill(template: Any, values: dict[str, Any]) -> Any:
    if isinstance(template, str):
        return template.format(**values)
    if isinstance(template, dict):
        return {k: fill(v, values) for k, v in template.items()}
    return template


def cells() -> list[Any]:
    return [pytest.param(case, role, id=f"{case.id}[{role}]") for case in TABLE for role in ROLES]


# --- The tests -------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "role"), cells())
def test_each_role_gets_its_cells_status_and_changes_only_what_it_may(world, case, role):
    me = UNKNOWN_ID if role == ANONYMOUS else world.drives[role].user.id
    cell = Cell(world, role, {**world.ids, "role": role, "me": me, "name": unique("cell")})
    if case.fresh is not None:
        cell.values.update(case.fresh(cell))
    effect = case.effect
    if effect is not None:
        before = (effect.start or effect.probe)(cell)

    path, body = fill(case.path, cell.values), fill(case.body, cell.values)
    cell.reply = reply = world.client(role).request(case.method, path, body)

    status = case.expected[role]
    if status >= 400:
        assert_error(reply, status, case.codes.get(status) or ERROR_CODES[status])
    else:
        assert reply.status == status, (reply.status, reply.body[:500])
    if case.shows is not None and reply.status < 300:
        assert case.shows(cell) is (role in case.shown_to)
    if effect is not None:
        changed = reply.status < 300 and (effect.by is None or role in effect.by)
        assert effect.probe(cell) == (effect.done(cell, before) if changed else before)


def test_every_row_has_a_status_for_each_of_the_eight_roles():
    for case in TABLE:
        assert list(case.expected) == list(ROLES), case.id
        assert all(isinstance(s, int) for s in case.expected.values()), case.id
        assert case.shown_to <= set(ROLES), case.id
    assert len({case.id for case in TABLE}) == len(TABLE)


def pattern(route: str) -> re.Pattern[str]:
    """The paths a route answers: each ``{param}`` stands for one segment."""
    return re.compile("[^/]+".join(re.escape(part) for part in re.split(r"\{\w+\}", route)))


def test_every_route_of_files_uploads_trash_teams_shares_and_operators_has_a_row():
    routes = {
        (method, path)
        for path, methods in app.routes.items()
        if any(path == p or path.startswith(f"{p}/") for p in PREFIXES)
        for method in methods
    }
    missing = {
        (method, path)
        for method, path in routes
        if not any(
            case.method == method and pattern(path).fullmatch(case.path.split("?")[0])
            for case in TABLE
        )
    }

    assert len(routes) > 30  # the prefixes still name the app's routes
    assert missing == set()
