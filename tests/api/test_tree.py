"""Shaping the tree: PATCH /nodes/{id} (rename, move), DELETE /nodes/{id} (trash), the trash
(GET, restore, delete for good, empty), the daily purge, and recovery from a move or a purge
that stopped half-way.

One moto stack serves the module, and moto copies a whole table for every item a transaction
writes, so the tables are kept small: a test that writes uses the ``owner`` account, which is
emptied through the API after each test (everything trashed, the trash emptied); the tests of
requests that must change nothing share trees made once (``untouched``, ``neighbour``) and
compare every stored item before and after. After each write the test reads the tables
straight (tests/invariants.py): counters, sums, paths and name guards must all agree.

Crashes are simulated by writing the state a crash leaves (with boto3: some paths not yet
rewritten and the owner's ``moving`` record; with the purge's own steps: a purge that did its
first batch only); the code under test is never patched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from chalicelib import filetypes
from chalicelib.models import purge, tree
from chalicelib.models.nodes import NodeModel
from chalicelib.services import jobs
from tests import files, invariants
from tests.client import Reply, assert_error
from tests.drives import (
    UNKNOWN_ID,
    Account,
    Drive,
    dynamodb,
    first_cursor,
    set_node_attribute,
    stamp,
    table,
    user_row,
)
from tests.invariants import plain

SHARED_STACK = True  # see tests/conftest.py: module_stack

CONTENT_TYPES = {
    "txt": "text/plain",
    "png": "image/png",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
    "zip": "application/zip",
    "pdf": "application/pdf",
}

# A tree to build: a dict is a folder, bytes are a file's contents.
Spec = dict[str, Any]


# --- helpers ------------------------------------------------------------------------------------


def typed_usage(**given: tuple[int, int]) -> dict[str, dict[str, int]]:
    """GET /users/me/stats' ``by_type``: (count, bytes) for the categories given, 0 elsewhere."""
    return {
        c: dict(zip(("count", "bytes"), given.get(c, (0, 0)), strict=True))
        for c in filetypes.CATEGORIES
    }


def stored_node(node_id: str) -> dict[str, Any] | None:
    """A node's item as DynamoDB holds it (plain values), or None."""
    item = (
        dynamodb()
        .get_item(TableName=table("nodes"), Key={"node_id": {"S": node_id}}, ConsistentRead=True)
        .get("Item")
    )
    return plain(item) if item else None


def stored_nodes(node_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The items of those nodes that exist, by id (a BatchGetItem per hundred)."""
    wanted = list(dict.fromkeys(node_ids))
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), 100):
        keys = [{"node_id": {"S": i}} for i in wanted[start : start + 100]]
        reply = dynamodb().batch_get_item(
            RequestItems={table("nodes"): {"Keys": keys, "ConsistentRead": True}}
        )
        assert not reply.get("UnprocessedKeys")
        for item in map(plain, reply["Responses"][table("nodes")]):
            found[item["node_id"]] = item
    return found


def guards_held_by(node_ids: set[str]) -> list[str]:
    """The keys of the guard items (names, …) these nodes hold."""
    pages = (
        dynamodb().get_paginator("scan").paginate(TableName=table("uniques"), ConsistentRead=True)
    )
    items = [plain(item) for page in pages for item in page["Items"]]
    return [i["key"] for i in items if i.get("owner_id") in node_ids]


def days_ago(days: float) -> str:
    return stamp(datetime.now(UTC) - timedelta(days=days))


class TreeDrive(Drive):
    """A drive that also renames, moves and uses the trash. It has no home: a test writes in
    the root, which ``reset`` empties after it."""

    @property
    def home(self) -> str:
        return self.root

    # Building.

    def upload(
        self,
        name: str,
        data: bytes = b"bytes",
        parent: str | None = None,
        content_type: str | None = None,
    ) -> dict[str, Any]:
        """An upload whose content type follows the name's extension unless given."""
        extension = name.rpartition(".")[2]
        kind = content_type or CONTENT_TYPES.get(extension, "application/octet-stream")
        return super().upload(name, data, parent, kind)

    def build(self, spec: Spec, parent: str | None = None, prefix: str = "") -> dict[str, str]:
        """Make ``spec`` under ``parent``; returns each made thing's id by its slash path."""
        made: dict[str, str] = {}
        for name, content in spec.items():
            if isinstance(content, dict):
                node = self.mkdir(name, parent)
                made[prefix + name] = node["id"]
                made.update(self.build(content, node["id"], f"{prefix}{name}/"))
            else:
                made[prefix + name] = self.upload(name, content, parent)["id"]
        return made

    # Reading.

    def nodes(self, *node_ids: str) -> dict[str, dict[str, Any]]:
        return {node_id: self.node(node_id) for node_id in node_ids}

    def crumbs(self, folder_id: str) -> list[str]:
        """The names of the breadcrumb of a folder, the root (nameless) left out."""
        path = self.folder(folder_id)["path"]
        assert path[0] == {"id": self.root, "name": ""}, path
        return [step["name"] for step in path[1:]]

    def trash_page(self, **params: Any) -> Reply:
        query = f"?{urlencode(params)}" if params else ""
        return self.client.get(f"/trash{query}")

    def trash_ids(self) -> list[str]:
        reply = self.trash_page(limit=200)
        assert reply.status == 200, reply.body
        return [item["id"] for item in reply.json["items"]]

    # Writing.

    def patch(self, node_id: str, **body: Any) -> Reply:
        return self.client.patch(f"/nodes/{node_id}", body)

    def rename(self, node_id: str, name: str) -> dict[str, Any]:
        reply = self.patch(node_id, name=name)
        assert reply.status == 200, reply.body
        return reply.json["node"]

    def move(self, node_id: str, parent_id: str, **body: Any) -> dict[str, Any]:
        reply = self.patch(node_id, parent_id=parent_id, **body)
        assert reply.status == 200, reply.body
        return reply.json["node"]

    def restore(self, node_id: str) -> dict[str, Any]:
        reply = self.client.post(f"/trash/{node_id}/restore")
        assert reply.status == 200, reply.body
        return reply.json["node"]

    def delete_forever(self, node_id: str) -> None:
        reply = self.client.delete(f"/trash/{node_id}")
        assert reply.status == 204, reply.body

    def reset(self) -> None:
        """Trash whatever is in the root and empty the trash: the account is as new again."""
        while True:
            listing = self.folder(self.root, limit=200)
            for item in listing["items"]:
                self.trash(item["id"])
            if listing["next_cursor"] is None:
                break
        assert self.client.delete("/trash").status == 204


@pytest.fixture
def drive_type() -> type[Drive]:
    return TreeDrive


@pytest.fixture
def drive_of(drive_of, kept) -> Iterator[Callable[..., TreeDrive]]:
    """A role's account (tests/api/conftest.py: drive_of), emptied again after the test (unless
    the test changes nothing and says so). Should emptying it fail (the test left something
    broken), the next test of that role gets a new account instead."""
    opened: dict[str, tuple[TreeDrive, bool]] = {}

    def open_drive(role: str, *, reset: bool = True) -> TreeDrive:
        drive = drive_of(role)
        opened[role] = (drive, reset)
        return drive

    yield open_drive
    for role, (opened_drive, reset) in opened.items():
        if not reset:
            continue
        try:
            opened_drive.reset()
        except BaseException:
            kept.pop(role, None)
            raise


@dataclass(frozen=True)
class Fixed:
    """A tree made once in an account of its own, for the requests that must change nothing:
    its tests are not cleaned up after, and each checks that every stored item of it is as
    it was."""

    drive: TreeDrive
    ids: dict[str, str]

    @property
    def folder(self) -> str:
        """``untouched``'s folder of that name."""
        return self.ids["Untouched"]

    def snapshot(self) -> dict[str, dict[str, Any]]:
        """Every item of the tree and of its root as stored (what is in the trash too)."""
        return stored_nodes([self.drive.root, *self.ids.values()])


def fixed(drive_of: Callable[..., TreeDrive], kept: dict[str, Any], role: str, spec: Spec) -> Fixed:
    """``spec`` made once in ``role``'s account; top-level names in ``spec`` ending in
    " (trashed)" go to the trash, and those ending in " (deleted)" are deleted for good."""
    owner = drive_of(role, reset=False)
    key = f"{role}:{owner.user.id}"
    if key not in kept:
        made = owner.build(spec)
        for name, node_id in made.items():
            if name.endswith((" (trashed)", " (deleted)")):
                owner.trash(node_id)
            if name.endswith(" (deleted)"):
                owner.delete_forever(node_id)
        kept[key] = made
    return Fixed(owner, kept[key])


@pytest.fixture
def untouched(drive_of, kept) -> Fixed:
    """An account with a small tree, one thing in its trash and one deleted for good."""
    return fixed(
        drive_of,
        kept,
        "inputs",
        {
            "Untouched": {"Child": {"Grandchild": {}}, "note.txt": b"note"},
            "Gone (trashed)": {"inner": {}},
            "Purged (deleted)": {},
        },
    )


@pytest.fixture
def neighbour(drive_of, kept) -> Fixed:
    """Another account, with a folder of two folders and two things in its trash."""
    return fixed(
        drive_of,
        kept,
        "neighbour",
        {"Theirs": {"Inside": {}, "Also inside": {}}, "Old (trashed)": {}, "Older (trashed)": {}},
    )


def sums(drive: TreeDrive, *folder_ids: str) -> dict[str, tuple[int, int]]:
    """(child_count, total_size) of each folder, as the API shows them."""
    found = drive.nodes(*folder_ids)
    return {i: (n["child_count"], n["total_size"]) for i, n in found.items()}


# --- rename -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "spec", "listed"),
    [
        pytest.param("file", {"old.txt": b"12345"}, ["Other", "new name"], id="file"),
        pytest.param("folder", {"Old": {"inner": {}}}, ["new name", "Other"], id="folder"),
    ],
)
def test_rename_gives_a_new_name_in_the_same_folder(drive, kind, spec, listed):
    made = drive.build({"Box": {**spec, "Other": {}}})
    box, target = made["Box"], made["Box/" + next(iter(spec))]
    before = drive.node(target)
    box_before = sums(drive, box, drive.root)

    renamed = drive.rename(target, "new name")

    assert (renamed["id"], renamed["kind"], renamed["name"]) == (target, kind, "new name")
    assert (renamed["parent_id"], renamed["size"]) == (box, before["size"])
    assert renamed["updated_at"] >= before["updated_at"]
    assert drive.node(target) == renamed
    assert drive.names(box) == listed
    assert sums(drive, box, drive.root) == box_before
    drive.check()


def test_rename_a_folder_shows_in_its_descendants_breadcrumbs(drive):
    made = drive.build({"Work": {"2026": {"Q1": {}}}})

    drive.rename(made["Work"], "Projects")

    assert drive.crumbs(made["Work/2026/Q1"]) == ["Projects", "2026", "Q1"]
    drive.check()


@pytest.mark.parametrize(
    ("kind", "old", "new"),
    [
        pytest.param("folder", "a", "A", id="folder-a-to-A"),
        pytest.param("file", "report.TXT", "Report.txt", id="file-mixed-case"),
        pytest.param("folder", "Straße", "STRASSE", id="folder-sharp-s-to-double-s"),
        pytest.param("folder", "ÉTÉ", "été", id="folder-accented"),
    ],
)
def test_rename_that_changes_only_case_works(drive, kind, old, new):
    node = drive.upload(old, b"x") if kind == "file" else drive.mkdir(old)

    renamed = drive.rename(node["id"], new)

    assert renamed["name"] == new
    assert drive.names(drive.root) == [new]
    drive.check()
    # The folded name is still held: nothing else may take either spelling.
    for spelling in (old, new):
        reply = drive.client.post("/folders", {"parent_id": drive.root, "name": spelling})
        assert_error(reply, 409, "name_taken")


@pytest.mark.parametrize(
    ("holder", "taken", "wanted"),
    [
        pytest.param("folder", "Report", "Report", id="same-spelling"),
        pytest.param("folder", "Report", "report", id="lower-case"),
        pytest.param("file", "Report", "REPORT", id="upper-case-held-by-a-file"),
        pytest.param("folder", "Straße", "STRASSE", id="sharp-s-vs-double-s"),
        pytest.param("folder", "STRASSE", "straße", id="double-s-vs-sharp-s"),
        pytest.param("folder", "Ωmega.txt", "ωMEGA.TXT", id="greek"),
    ],
)
def test_rename_to_a_name_taken_in_the_folder_is_409_and_changes_nothing(
    drive, holder, taken, wanted
):
    box = drive.mkdir("Box")["id"]
    if holder == "file":
        drive.upload(taken, b"held", box)
    else:
        drive.mkdir(taken, box)
    mover = drive.mkdir("mover", box)
    before = drive.nodes(box, mover["id"])

    assert_error(drive.patch(mover["id"], name=wanted), 409, "name_taken")

    assert drive.nodes(box, mover["id"]) == before
    assert sorted(drive.names(box)) == sorted([taken, "mover"])
    drive.check()


def test_rename_frees_the_old_name_and_takes_the_new_one(drive):
    box = drive.mkdir("Box")["id"]
    node = drive.mkdir("Old", box)

    drive.rename(node["id"], "New")

    assert drive.mkdir("old", box)["name"] == "old"
    reply = drive.client.post("/folders", {"parent_id": box, "name": "NEW"})
    assert_error(reply, 409, "name_taken")
    assert sorted(drive.names(box)) == ["New", "old"]
    drive.check()


def test_rename_to_the_same_name_changes_nothing(untouched):
    shown = untouched.drive.node(untouched.folder)
    before = untouched.snapshot()

    reply = untouched.drive.patch(untouched.folder, name="Untouched")

    assert reply.status == 200, reply.body
    assert reply.json["node"] == shown
    assert untouched.snapshot() == before


def test_a_name_a_trashed_node_had_is_free(drive):
    box = drive.mkdir("Box")["id"]
    gone = drive.mkdir("Taken", box)
    other = drive.mkdir("Other", box)
    drive.trash(gone["id"])

    assert drive.rename(other["id"], "taken")["name"] == "taken"
    drive.check()


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="only-spaces"),
        pytest.param(".", id="dot"),
        pytest.param("..", id="dot-dot"),
        pytest.param("a/b", id="slash"),
        pytest.param("a\x00b", id="nul"),
        pytest.param("new\nline", id="newline"),
        pytest.param("c1\x85control", id="c1-control"),
        pytest.param("x" * 256, id="256-ascii"),
        pytest.param("📁" * 256, id="256-astral"),
        pytest.param("x" * 2000, id="2000-chars"),
    ],
)
def test_rename_with_an_invalid_name_is_400_and_changes_nothing(untouched, name):
    before = untouched.snapshot()

    reply = untouched.drive.patch(untouched.folder, name=name)

    details = assert_error(reply, 400, "invalid_request")
    assert set(details["fields"]) == {"name"}, details
    assert untouched.snapshot() == before


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("👨\u200d👩\u200d👧 family", id="emoji-zwj-sequence"),
        pytest.param("תיקייה חדשה", id="rtl-hebrew"),
        pytest.param("abc \u05d0\u05d1\u05d2 123", id="mixed-direction"),
        pytest.param("日本語のフォルダ", id="cjk"),
        pytest.param("q\u0301q\u0323\u0307", id="combining-marks-without-a-composed-form"),
        pytest.param("📁" * 255, id="255-astral-code-points"),
    ],
)
def test_rename_round_trips_unicode_names(drive, name):
    made = drive.build({"Target": {"Child": {}}})

    renamed = drive.rename(made["Target"], name)

    assert renamed["name"] == name
    assert drive.node(made["Target"])["name"] == name
    assert drive.names(drive.root) == [name]
    assert drive.crumbs(made["Target/Child"]) == [name, "Child"]
    drive.check()


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({}, id="empty-object"),
        pytest.param({"name": None}, id="name-null"),
        pytest.param({"parent_id": None}, id="parent-null"),
        pytest.param({"title": "x", "parent": "y"}, id="only-unknown-fields"),
    ],
)
def test_patch_with_neither_name_nor_parent_is_400(untouched, body):
    before = untouched.snapshot()

    assert_error(untouched.drive.patch(untouched.folder, **body), 400, "invalid_request")

    assert untouched.snapshot() == before


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        pytest.param({"name": 5}, {"name"}, id="name-a-number"),
        pytest.param({"name": True}, {"name"}, id="name-a-boolean"),
        pytest.param({"name": ["x"]}, {"name"}, id="name-a-list"),
        pytest.param({"parent_id": 5}, {"parent_id"}, id="parent-a-number"),
        pytest.param({"parent_id": {"id": "x"}}, {"parent_id"}, id="parent-an-object"),
        pytest.param({"name": 1, "parent_id": 2}, {"name", "parent_id"}, id="both-mistyped"),
        pytest.param({"name": "ok", "parent_id": False}, {"parent_id"}, id="one-of-two-wrong"),
    ],
)
def test_patch_with_wrong_types_is_400_naming_the_fields(untouched, body, fields):
    before = untouched.snapshot()

    reply = untouched.drive.patch(untouched.folder, **body)

    details = assert_error(reply, 400, "invalid_request")
    assert set(details["fields"]) == fields, details
    assert untouched.snapshot() == before


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"{not json", id="malformed"),
        pytest.param(b'["name"]', id="an-array"),
        pytest.param(b"null", id="null"),
    ],
)
def test_patch_with_a_body_that_is_not_a_json_object_is_400(untouched, raw):
    before = untouched.snapshot()

    reply = untouched.drive.client.patch(f"/nodes/{untouched.folder}", raw=raw)

    assert_error(reply, 400, "invalid_request")
    assert untouched.snapshot() == before


def test_patch_by_cookie_needs_the_csrf_header(untouched):
    before = untouched.snapshot()

    reply = untouched.drive.client.patch(
        f"/nodes/{untouched.folder}", {"name": "Forged"}, csrf=False
    )

    assert_error(reply, 403, "csrf_failed")
    assert untouched.snapshot() == before


def test_patch_ignores_unknown_and_privileged_fields(drive):
    node = drive.mkdir("Mine")

    reply = drive.patch(node["id"], name="Renamed", owner_id=UNKNOWN_ID, status="trashed", size=9)

    assert reply.status == 200, reply.body
    got = reply.json["node"]
    assert (got["name"], got["owner_id"], got["status"]) == ("Renamed", drive.user.id, "ready")
    drive.check()


# --- move ---------------------------------------------------------------------------------------


def test_move_a_file_shifts_counts_and_sizes_along_both_branches(drive):
    data = b"0123456789" * 7  # 70 bytes
    made = drive.build(
        {
            "Home": {
                "A": {"A1": {"A2": {"move me.txt": data, "stay.txt": b"xyz"}}},
                "B": {"B1": {"already.txt": b"12"}},
            }
        }
    )
    file_id = made["Home/A/A1/A2/move me.txt"]
    a_side = [made["Home/A/A1/A2"], made["Home/A/A1"], made["Home/A"]]
    b_side = [made["Home/B/B1"], made["Home/B"]]
    common = [made["Home"], drive.root]
    before = sums(drive, *a_side, *b_side, *common)
    usage = drive.stats()

    moved = drive.move(file_id, made["Home/B/B1"])

    assert (moved["parent_id"], moved["name"], moved["size"]) == (
        made["Home/B/B1"],
        "move me.txt",
        70,
    )
    after = sums(drive, *a_side, *b_side, *common)
    for folder in a_side:
        count, size = before[folder]
        assert after[folder] == (count - (folder == a_side[0]), size - 70), folder
    for folder in b_side:
        count, size = before[folder]
        assert after[folder] == (count + (folder == b_side[0]), size + 70), folder
    for folder in common:
        assert after[folder] == before[folder]
    assert drive.names(made["Home/A/A1/A2"]) == ["stay.txt"]
    assert drive.names(made["Home/B/B1"]) == ["already.txt", "move me.txt"]
    assert drive.crumbs(made["Home/B/B1"]) == ["Home", "B", "B1"]
    assert drive.node(file_id) == moved
    assert drive.stats() == usage
    drive.check()


def test_move_a_folder_carries_its_subtree(drive):
    made = drive.build(
        {
            "A": {"X": {"Y": {"Z": {"deep.bin": b"d" * 11}}, "top.bin": b"t" * 5}},
            "B": {"Inner": {}},
        }
    )
    x = made["A/X"]
    before = sums(drive, made["A"], made["B/Inner"], made["B"], drive.root)

    moved = drive.move(x, made["B/Inner"])

    assert moved["parent_id"] == made["B/Inner"]
    assert (moved["child_count"], moved["total_size"]) == (2, 16)
    assert drive.crumbs(x) == ["B", "Inner", "X"]
    assert drive.crumbs(made["A/X/Y"]) == ["B", "Inner", "X", "Y"]
    assert drive.crumbs(made["A/X/Y/Z"]) == ["B", "Inner", "X", "Y", "Z"]
    assert drive.names(made["A/X/Y/Z"]) == ["deep.bin"]
    after = sums(drive, made["A"], made["B/Inner"], made["B"], drive.root)
    assert after[made["A"]] == (before[made["A"]][0] - 1, before[made["A"]][1] - 16)
    assert after[made["B/Inner"]] == (1, 16)
    assert after[made["B"]] == (1, 16)
    assert after[drive.root] == before[drive.root]
    drive.check()


def test_move_into_the_root(drive):
    made = drive.build({"A": {"B": {"f.txt": b"abcd"}}})

    moved = drive.move(made["A/B"], drive.root)

    assert moved["parent_id"] == drive.root
    assert drive.crumbs(made["A/B"]) == ["B"]
    assert sums(drive, made["A"])[made["A"]] == (0, 0)
    assert sorted(drive.names(drive.root)) == ["A", "B"]
    drive.check()


def test_move_and_rename_in_one_patch(drive):
    made = drive.build({"A": {"draft.txt": b"words"}, "B": {}})
    file_id = made["A/draft.txt"]

    moved = drive.move(file_id, made["B"], name="final.txt")

    assert (moved["parent_id"], moved["name"]) == (made["B"], "final.txt")
    assert drive.names(made["A"]) == []
    assert drive.names(made["B"]) == ["final.txt"]
    # The old name is free where it was; the new one is taken where it went.
    assert drive.mkdir("draft.txt", made["A"])["name"] == "draft.txt"
    reply = drive.client.post("/folders", {"parent_id": made["B"], "name": "FINAL.txt"})
    assert_error(reply, 409, "name_taken")
    drive.check()


def test_move_to_the_folder_it_is_in_changes_nothing(untouched):
    child = untouched.ids["Untouched/Child"]
    shown = untouched.drive.node(child)
    before = untouched.snapshot()

    reply = untouched.drive.patch(child, parent_id=untouched.folder)

    assert reply.status == 200, reply.body
    assert reply.json["node"] == shown
    assert untouched.snapshot() == before


@pytest.mark.parametrize(
    ("kind", "held", "moving", "new_name"),
    [
        pytest.param("folder", "notes", "notes", None, id="same-name"),
        pytest.param("file", "Notes", "NOTES", None, id="file-in-another-case"),
        pytest.param("folder", "Straße", "STRASSE", None, id="sharp-s"),
        pytest.param("folder", "Notes", "other", "notes", id="renamed-into-a-clash"),
    ],
)
def test_move_into_a_folder_holding_the_name_is_409_and_moves_nothing(
    drive, kind, held, moving, new_name
):
    made = drive.build({"A": {}, "B": {held: {}}})
    node = (
        drive.upload(moving, b"payload", made["A"])
        if kind == "file"
        else drive.mkdir(moving, made["A"])
    )
    watched = (node["id"], made["A"], made["B"], drive.root)
    before = drive.nodes(*watched)
    body = {"parent_id": made["B"], **({"name": new_name} if new_name else {})}

    assert_error(drive.patch(node["id"], **body), 409, "name_taken")

    assert drive.nodes(*watched) == before
    assert drive.names(made["A"]) == [moving]
    assert drive.names(made["B"]) == [held]
    drive.check()


@pytest.mark.parametrize(
    "target",
    [
        pytest.param("Untouched", id="itself"),
        pytest.param("Untouched/Child", id="its-child"),
        pytest.param("Untouched/Child/Grandchild", id="its-grandchild"),
        pytest.param("Untouched/note.txt", id="a-file"),
    ],
)
def test_move_into_itself_its_subtree_or_a_file_is_400_invalid_move(untouched, target):
    before = untouched.snapshot()

    reply = untouched.drive.patch(untouched.folder, parent_id=untouched.ids[target])

    assert_error(reply, 400, "invalid_move")
    assert untouched.snapshot() == before


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"name": "Renamed"}, id="rename"),
        pytest.param({"parent_id": "Untouched"}, id="move"),
        pytest.param({"parent_id": "Untouched", "name": "Renamed"}, id="move-and-rename"),
    ],
)
def test_the_root_cannot_be_renamed_or_moved(untouched, body):
    drive = untouched.drive
    before = untouched.snapshot()
    sent = {k: untouched.ids.get(v, v) for k, v in body.items()}

    assert_error(drive.patch(drive.root, **sent), 400, "invalid_move")

    assert untouched.snapshot() == before


def test_the_root_cannot_be_trashed(untouched):
    drive = untouched.drive
    before = untouched.snapshot()

    assert_error(drive.client.delete(f"/nodes/{drive.root}"), 400, "invalid_move")

    assert untouched.snapshot() == before


def test_a_move_that_would_nest_folders_deeper_than_25_is_400_invalid_move(drive):
    # Levels below the root: L1 … L23; X (level 1) holds Y, which holds Z (two more levels).
    chain = [drive.root]
    for level in range(1, 24):
        chain.append(drive.mkdir(f"L{level}", chain[-1])["id"])
    made = drive.build({"X": {"Y": {"Z": {}}}})
    before = drive.nodes(*made.values())

    # Into L23: X at 24, Z at 26.
    assert_error(drive.patch(made["X"], parent_id=chain[23]), 400, "invalid_move")
    assert drive.nodes(*made.values()) == before
    # Into L22: Z lands at level 25, the deepest a folder may be.
    drive.move(made["X"], chain[22])
    assert len(drive.crumbs(made["X/Y/Z"])) == 25
    drive.check()


@pytest.mark.parametrize("target", ["Theirs", "Theirs/Inside", "their-root"])
def test_move_into_someone_elses_folder_is_404(untouched, neighbour, target):
    mine, theirs = untouched.snapshot(), neighbour.snapshot()
    dest = neighbour.ids.get(target, neighbour.drive.root)

    assert_error(untouched.drive.patch(untouched.folder, parent_id=dest), 404, "not_found")

    assert (untouched.snapshot(), neighbour.snapshot()) == (mine, theirs)


@pytest.mark.parametrize(
    ("node", "body"),
    [
        pytest.param("Theirs", {"name": "Stolen"}, id="rename"),
        pytest.param("Theirs", {"parent_id": "Untouched"}, id="move-into-mine"),
        pytest.param("Theirs/Inside", {"parent_id": "Theirs"}, id="move-within-theirs"),
        pytest.param("Old (trashed)", {"name": "Stolen"}, id="rename-in-their-trash"),
    ],
)
def test_renaming_or_moving_someone_elses_node_is_404(untouched, neighbour, node, body):
    ids = {**untouched.ids, **neighbour.ids}
    mine, theirs = untouched.snapshot(), neighbour.snapshot()
    sent = {k: ids.get(v, v) for k, v in body.items()}

    assert_error(untouched.drive.patch(neighbour.ids[node], **sent), 404, "not_found")

    assert (untouched.snapshot(), neighbour.snapshot()) == (mine, theirs)


@pytest.mark.parametrize(
    ("node", "body"),
    [
        pytest.param(UNKNOWN_ID, {"parent_id": "Untouched"}, id="unknown-node"),
        pytest.param("nope", {"parent_id": "Untouched"}, id="unknown-node-not-hex"),
        pytest.param("n" * 3000, {"parent_id": "Untouched"}, id="an-id-longer-than-a-key"),
        pytest.param(UNKNOWN_ID, {"name": "x"}, id="rename-an-unknown-node"),
        pytest.param("Untouched/Child", {"parent_id": UNKNOWN_ID}, id="unknown-parent"),
    ],
)
def test_move_or_rename_with_an_unknown_id_is_404(untouched, node, body):
    before = untouched.snapshot()
    sent = {k: untouched.ids.get(v, v) for k, v in body.items()}

    reply = untouched.drive.patch(untouched.ids.get(node, node), **sent)

    assert_error(reply, 404, "not_found")
    assert untouched.snapshot() == before


def test_move_to_a_parent_id_that_is_not_an_id_is_400_and_changes_nothing(untouched):
    # An id of another shape in a body names nothing and is never read (tests/api/test_ids.py).
    before = untouched.snapshot()

    reply = untouched.drive.patch(untouched.ids["Untouched/Child"], parent_id="nope")

    details = assert_error(reply, 400, "invalid_request")
    assert set(details["fields"]) == {"parent_id"}
    assert untouched.snapshot() == before


@pytest.mark.parametrize(
    ("node", "body"),
    [
        pytest.param("Untouched", {"parent_id": "Gone (trashed)"}, id="into-the-trash"),
        pytest.param(
            "Untouched", {"parent_id": "Gone (trashed)/inner"}, id="into-something-in-the-trash"
        ),
        pytest.param("Gone (trashed)", {"parent_id": "Untouched"}, id="out-of-the-trash"),
        pytest.param("Gone (trashed)/inner", {"parent_id": "Untouched"}, id="from-inside-it"),
        pytest.param("Gone (trashed)", {"name": "Renamed"}, id="rename-in-the-trash"),
    ],
)
def test_moving_or_renaming_into_within_or_out_of_the_trash_is_404(untouched, node, body):
    before = untouched.snapshot()
    sent = {k: untouched.ids.get(v, v) for k, v in body.items()}

    assert_error(untouched.drive.patch(untouched.ids[node], **sent), 404, "not_found")

    assert untouched.snapshot() == before


# --- an interrupted move ------------------------------------------------------------------------


def interrupt_move(drive: TreeDrive, moved_id: str, source: str, stale: list[str]) -> None:
    """Leave the state a crash after a batched move's transaction leaves: the owner's row
    names the move and some nodes below still carry their old path."""
    target = stored_node(moved_id)["path"]
    for node_id in stale:
        path = stored_node(node_id)["path"]
        assert path.startswith(target)
        set_node_attribute(node_id, "path", source + path[len(target) :])
    dynamodb().update_item(
        TableName=table("users"),
        Key={"user_id": {"S": drive.user.id}},
        UpdateExpression="SET moving = :m",
        ExpressionAttributeValues={
            ":m": {
                "M": {
                    "node": {"S": moved_id},
                    "source": {"S": source},
                    "target": {"S": target},
                }
            }
        },
    )


def half_moved(drive: TreeDrive) -> tuple[dict[str, str], str]:
    """Old/X moved to New/X with the rewrite below X stopped half-way; returns what was made
    and X's old path."""
    made = drive.build(
        {
            "Old": {"X": {"Y": {"Z": {"z.txt": b"zzz"}}, "W": {}}},
            "New": {},
        }
    )
    source = stored_node(made["Old/X"])["path"]
    drive.move(made["Old/X"], made["New"])
    interrupt_move(
        drive, made["Old/X"], source, [made["Old/X/Y"], made["Old/X/Y/Z/z.txt"], made["Old/X/W"]]
    )
    assert stored_node(made["Old/X/Y"])["path"].startswith(source)
    return made, source


def assert_move_finished(drive: TreeDrive, source: str) -> None:
    assert "moving" not in user_row(drive.user.id)
    stale = [n for n in invariants.nodes_table().values() if n["path"].startswith(source)]
    assert stale == []
    drive.check()


def test_reads_follow_the_parents_while_a_move_is_unfinished(drive):
    made, _ = half_moved(drive)

    assert drive.crumbs(made["Old/X/Y/Z"]) == ["New", "X", "Y", "Z"]
    assert drive.names(made["Old/X"]) == ["W", "Y"]
    assert drive.node(made["Old/X/Y/Z/z.txt"])["parent_id"] == made["Old/X/Y/Z"]


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda d, _: d.mkdir("Fresh"), id="create-a-folder"),
        pytest.param(lambda d, m: d.move(m["Old/X/Y"], m["Old"]), id="move-a-stale-node"),
        pytest.param(lambda d, m: d.rename(m["Old/X/W"], "W2"), id="rename"),
        pytest.param(lambda d, m: d.upload("late.txt", b"late", m["Old/X/W"]), id="upload"),
    ],
)
def test_the_next_write_of_the_owner_finishes_an_interrupted_move(drive, write):
    made, source = half_moved(drive)

    write(drive, made)

    assert_move_finished(drive, source)
    assert drive.crumbs(made["Old/X/W"])[-1] in ("W", "W2")


def test_the_daily_job_finishes_an_interrupted_move(drive):
    made, source = half_moved(drive)

    assert jobs.daily()["moves_finished"] == 1

    assert_move_finished(drive, source)
    assert drive.crumbs(made["Old/X/Y/Z"]) == ["New", "X", "Y", "Z"]
    assert jobs.daily()["moves_finished"] == 0


def test_finish_moves_twice_is_harmless(drive):
    made, source = half_moved(drive)

    tree.finish_moves(drive.user.id)
    tree.finish_moves(drive.user.id)

    assert_move_finished(drive, source)
    assert drive.crumbs(made["Old/X/Y/Z"]) == ["New", "X", "Y", "Z"]


def test_finish_moves_with_nothing_unfinished_changes_nothing(drive):
    made = drive.build({"A": {"B": {}}})
    before = {i: stored_node(i) for i in made.values()}

    tree.finish_moves(drive.user.id)
    tree.finish_moves(UNKNOWN_ID)

    assert {i: stored_node(i) for i in made.values()} == before
    assert "moving" not in user_row(drive.user.id)


# --- trash --------------------------------------------------------------------------------------


def test_trash_a_folder_hides_it_and_everything_under_it(drive):
    made = drive.build(
        {"Home": {"Docs": {"a.txt": b"a" * 10, "Sub": {"b.png": b"b" * 20}}, "Keep": {}}}
    )
    home = made["Home"]
    before = sums(drive, home, drive.root)
    usage = drive.stats()

    reply = drive.client.delete(f"/nodes/{made['Home/Docs']}")

    assert reply.status == 204, reply.body
    assert reply.body in (b"", None)
    assert drive.names(home) == ["Keep"]
    for name in ("Home/Docs", "Home/Docs/a.txt", "Home/Docs/Sub", "Home/Docs/Sub/b.png"):
        assert_error(drive.client.get(f"/nodes/{made[name]}"), 404, "not_found")
    for name in ("Home/Docs", "Home/Docs/Sub"):
        assert_error(drive.client.get(f"/folders/{made[name]}"), 404, "not_found")
    after = sums(drive, home, drive.root)
    assert after[home] == (before[home][0] - 1, before[home][1] - 30)
    assert after[drive.root] == (before[drive.root][0], before[drive.root][1] - 30)
    # Trash still takes space: usage does not change until it is deleted for good; only the
    # part of it that is in the trash grows.
    assert drive.stats() == {**usage, "trash_bytes": usage["trash_bytes"] + 30}
    # The name is free in the old folder.
    assert drive.mkdir("docs", home)["name"] == "docs"
    drive.check()


def test_trash_lists_only_the_tops_with_trashed_at_newest_first(drive):
    made = drive.build({"First": {"inner.txt": b"1"}, "second.txt": b"22", "Third": {"x": {}}})

    for name in ("First", "second.txt", "Third"):
        drive.trash(made[name])

    reply = drive.trash_page()
    assert reply.status == 200, reply.body
    assert set(reply.json) == {"items", "next_cursor"}
    items = reply.json["items"]
    assert [i["name"] for i in items] == ["Third", "second.txt", "First"]
    assert reply.json["next_cursor"] is None
    for item in items:
        assert item["status"] == "trashed"
        assert item["owner_id"] == drive.user.id
        assert item["trashed_at"].endswith("Z")
        assert datetime.fromisoformat(item["trashed_at"].replace("Z", "+00:00")) <= datetime.now(
            UTC
        )
    stamps = [i["trashed_at"] for i in items]
    assert stamps == sorted(stamps, reverse=True)
    assert items[0]["total_size"] == 0 and items[2]["total_size"] == 1
    drive.check()


def test_trash_pages_with_limit_and_cursor(drive):
    names = [f"item {n}" for n in range(5)]
    for name in names:
        drive.trash(drive.mkdir(name)["id"])

    seen: list[str] = []
    cursor = None
    for _ in range(10):
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        reply = drive.trash_page(**params)
        assert reply.status == 200, reply.body
        assert len(reply.json["items"]) <= 2
        seen += [i["name"] for i in reply.json["items"]]
        cursor = reply.json["next_cursor"]
        if cursor is None:
            break

    assert seen == names[::-1]


@pytest.mark.parametrize(
    "make_cursor",
    [
        pytest.param("theirs", id="another-users-trash"),
        pytest.param("folder", id="a-folder-listings-cursor"),
        pytest.param("tampered", id="payload-tampered"),
        pytest.param("truncated", id="signature-truncated"),
        pytest.param("garbage", id="garbage"),
    ],
)
def test_trash_refuses_a_cursor_it_did_not_issue_to_this_caller(untouched, neighbour, make_cursor):
    caller = untouched.drive if make_cursor == "theirs" else neighbour.drive
    good = first_cursor(neighbour.drive.trash_page)
    payload, _, mac = good.partition(".")
    cursor = {
        "theirs": good,
        "folder": neighbour.drive.folder(neighbour.ids["Theirs"], limit=1)["next_cursor"],
        "tampered": ("A" if payload[0] != "A" else "B") + payload[1:] + "." + mac,
        "truncated": good[:-2],
        "garbage": "garbage",
    }[make_cursor]
    assert cursor

    details = assert_error(caller.trash_page(cursor=cursor), 400, "invalid_request")

    assert "cursor" in details["fields"], details


@pytest.mark.parametrize(
    "limit",
    [
        pytest.param("0", id="zero"),
        pytest.param("201", id="above-200"),
        pytest.param("abc", id="not-a-number"),
    ],
)
def test_trash_with_a_bad_limit_is_400(neighbour, limit):
    details = assert_error(neighbour.drive.trash_page(limit=limit), 400, "invalid_request")
    assert "limit" in details["fields"], details


def test_an_empty_trash_lists_nothing(drive):
    reply = drive.trash_page()

    assert reply.status == 200, reply.body
    assert reply.json == {"items": [], "next_cursor": None}


@pytest.mark.parametrize(
    "target",
    [
        pytest.param("Gone (trashed)", id="in-the-trash"),
        pytest.param("Gone (trashed)/inner", id="under-something-in-the-trash"),
        pytest.param("Purged (deleted)", id="deleted-for-good"),
        pytest.param("unknown", id="unknown"),
        pytest.param("Theirs", id="someone-elses"),
    ],
)
def test_trash_what_is_not_visible_to_the_caller_is_404(untouched, neighbour, target):
    node_id = {**untouched.ids, **neighbour.ids, "unknown": UNKNOWN_ID}[target]
    mine, theirs = untouched.snapshot(), neighbour.snapshot()

    assert_error(untouched.drive.client.delete(f"/nodes/{node_id}"), 404, "not_found")

    assert (untouched.snapshot(), neighbour.snapshot()) == (mine, theirs)


def test_someone_elses_trash_is_not_listed(untouched, neighbour):
    assert neighbour.drive.trash_ids()

    assert untouched.drive.trash_ids() == [untouched.ids["Gone (trashed)"]]


# --- restore ------------------------------------------------------------------------------------


def test_restore_puts_a_folder_back_in_its_old_parent_with_its_sums(drive):
    made = drive.build({"Home": {"Docs": {"a.txt": b"a" * 10, "Sub": {"b.txt": b"b" * 5}}}})
    home = made["Home"]
    before = sums(drive, home, drive.root, made["Home/Docs"])
    drive.trash(made["Home/Docs"])

    restored = drive.restore(made["Home/Docs"])

    assert (restored["parent_id"], restored["name"], restored["status"]) == (
        home,
        "Docs",
        "ready",
    )
    assert "trashed_at" not in restored
    assert sums(drive, home, drive.root, made["Home/Docs"]) == before
    assert drive.names(home) == ["Docs"]
    assert drive.crumbs(made["Home/Docs/Sub"]) == ["Home", "Docs", "Sub"]
    assert drive.node(made["Home/Docs/Sub/b.txt"])["status"] == "ready"
    assert drive.trash_ids() == []
    # The name is held again.
    reply = drive.client.post("/folders", {"parent_id": home, "name": "DOCS"})
    assert_error(reply, 409, "name_taken")
    drive.check()


def test_restore_when_the_old_parent_is_itself_trashed_goes_to_the_root(drive):
    made = drive.build({"Parent": {"Child": {"c.txt": b"c" * 4}, "other.txt": b"o"}})
    drive.trash(made["Parent/Child"])
    drive.trash(made["Parent"])

    restored = drive.restore(made["Parent/Child"])

    assert restored["parent_id"] == drive.root
    assert drive.crumbs(made["Parent/Child"]) == ["Child"]
    assert drive.names(drive.root) == ["Child"]
    assert drive.trash_ids() == [made["Parent"]]
    assert sums(drive, drive.root)[drive.root] == (1, 4)
    drive.check()
    # The parent comes back without it.
    drive.restore(made["Parent"])
    assert drive.names(made["Parent"]) == ["other.txt"]
    assert sums(drive, made["Parent"], drive.root) == {
        made["Parent"]: (1, 1),
        drive.root: (2, 5),
    }
    drive.check()


def test_restore_into_a_folder_that_moved_meanwhile(drive):
    made = drive.build({"A": {"Docs": {"Old": {"o.txt": b"o" * 3}, "new.txt": b"nn"}}, "B": {}})
    drive.trash(made["A/Docs/Old"])
    drive.move(made["A/Docs"], made["B"])

    restored = drive.restore(made["A/Docs/Old"])

    assert restored["parent_id"] == made["A/Docs"]
    assert drive.crumbs(made["A/Docs/Old"]) == ["B", "Docs", "Old"]
    assert sums(drive, made["A"], made["B"], made["A/Docs"]) == {
        made["A"]: (0, 0),
        made["B"]: (1, 5),
        made["A/Docs"]: (2, 5),
    }
    drive.check()


@pytest.mark.parametrize(
    ("name", "taker", "renamed"),
    [
        pytest.param("Docs", "Docs", ["Docs (1)", "Docs (2)"], id="folder"),
        pytest.param("Docs", "DOCS", ["Docs (1)", "Docs (2)"], id="taken-in-another-case"),
    ],
)
def test_restore_when_the_name_is_taken_meanwhile_renames(drive, name, taker, renamed):
    home = drive.mkdir("Home")["id"]
    first = drive.mkdir(name, home)
    drive.trash(first["id"])
    second = drive.mkdir(name, home)
    drive.trash(second["id"])
    drive.mkdir(taker, home)

    assert drive.restore(first["id"])["name"] == renamed[0]
    assert drive.restore(second["id"])["name"] == renamed[1]

    assert sorted(drive.names(home)) == sorted([taker, *renamed])
    assert drive.trash_ids() == []
    drive.check()


def test_restore_of_files_into_a_clash_numbers_each_before_the_extension(drive):
    home = drive.mkdir("Home")["id"]
    first = drive.upload("a.txt", b"1", home)
    drive.trash(first["id"])
    second = drive.upload("a.txt", b"22", home)
    drive.trash(second["id"])
    drive.upload("a.txt", b"333", home)

    assert drive.restore(first["id"])["name"] == "a (1).txt"
    assert drive.restore(second["id"])["name"] == "a (2).txt"
    assert drive.names(home) == ["a (1).txt", "a (2).txt", "a.txt"]
    assert sums(drive, home)[home] == (3, 6)
    drive.check()


@pytest.mark.parametrize(
    "target",
    [
        pytest.param("Untouched", id="visible"),
        pytest.param("Gone (trashed)/inner", id="under-something-in-the-trash"),
        pytest.param("Purged (deleted)", id="deleted-for-good"),
        pytest.param("unknown", id="unknown"),
        pytest.param("Old (trashed)", id="in-someone-elses-trash"),
        pytest.param("Theirs", id="someone-elses-visible"),
    ],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        pytest.param("POST", "/trash/{}/restore", id="restore"),
        pytest.param("DELETE", "/trash/{}", id="delete-forever"),
    ],
)
def test_restore_or_delete_of_what_is_not_in_the_callers_trash_is_404(
    untouched, neighbour, method, path, target
):
    node_id = {**untouched.ids, **neighbour.ids, "unknown": UNKNOWN_ID}[target]
    mine, theirs = untouched.snapshot(), neighbour.snapshot()

    reply = untouched.drive.client.request(method, path.format(node_id))

    assert_error(reply, 404, "not_found")
    assert (untouched.snapshot(), neighbour.snapshot()) == (mine, theirs)


# --- deleting for good --------------------------------------------------------------------------


def test_delete_forever_removes_the_nodes_their_bytes_guards_and_counts(drive):
    made = drive.build(
        {
            "Keep": {"k.txt": b"k" * 3},
            "Doomed": {
                "a.png": b"a" * 10,
                "Sub": {"b.mp3": b"b" * 20, "c.txt": b"c" * 30},
                "d.zip": b"d" * 40,
            },
        }
    )
    doomed = {i for name, i in made.items() if name.startswith("Doomed")}
    drive.trash(made["Doomed"])
    trashed = drive.stats()
    assert (trashed["used_bytes"], trashed["file_count"]) == (103, 5)

    reply = drive.client.delete(f"/trash/{made['Doomed']}")

    assert reply.status == 204, reply.body
    after = drive.stats()
    assert (after["used_bytes"], after["file_count"]) == (3, 1)
    assert after["by_type"] == typed_usage(document=(1, 3))
    assert after["quota_bytes"] == trashed["quota_bytes"]
    assert after["free_bytes"] == trashed["free_bytes"] + 100
    assert [i for i in doomed if stored_node(i) is not None] == []
    assert files.object_keys(drive.user.id) == {f"files/{drive.user.id}/{made['Keep/k.txt']}"}
    assert guards_held_by(doomed) == []
    assert drive.trash_ids() == []
    assert drive.names(drive.root) == ["Keep"]
    assert_error(drive.client.post(f"/trash/{made['Doomed']}/restore"), 404, "not_found")
    assert_error(drive.client.delete(f"/trash/{made['Doomed']}"), 404, "not_found")
    drive.check()


def test_delete_forever_keeps_what_was_trashed_on_its_own_inside_which_restores_to_the_root(
    drive,
):
    made = drive.build({"Parent": {"Child": {"c.txt": b"c" * 4}, "p.txt": b"p" * 2}})
    drive.trash(made["Parent/Child"])
    drive.trash(made["Parent"])

    drive.delete_forever(made["Parent"])

    assert drive.trash_ids() == [made["Parent/Child"]]
    assert stored_node(made["Parent"]) is None
    assert stored_node(made["Parent/p.txt"]) is None
    assert files.object_keys(drive.user.id) == {
        f"files/{drive.user.id}/{made['Parent/Child/c.txt']}"
    }
    assert (drive.stats()["used_bytes"], drive.stats()["file_count"]) == (4, 1)
    drive.check()
    # Its old folder is gone for good, so it comes back into the root.
    restored = drive.restore(made["Parent/Child"])
    assert restored["parent_id"] == drive.root
    assert drive.crumbs(made["Parent/Child"]) == ["Child"]
    assert drive.names(made["Parent/Child"]) == ["c.txt"]
    assert sums(drive, drive.root, made["Parent/Child"]) == {
        drive.root: (1, 4),
        made["Parent/Child"]: (1, 4),
    }
    drive.check()


def test_empty_trash_deletes_everything_in_it(drive):
    made = drive.build({"A": {"a.txt": b"a" * 5}, "b.png": b"b" * 6, "C": {}, "Keep": {}})
    for name in ("A", "b.png", "C"):
        drive.trash(made[name])

    reply = drive.client.delete("/trash")

    assert reply.status == 204, reply.body
    assert drive.trash_ids() == []
    gone = [made[name] for name in ("A", "A/a.txt", "b.png", "C")]
    assert [i for i in gone if stored_node(i) is not None] == []
    assert files.object_keys(drive.user.id) == set()
    stats = drive.stats()
    assert (stats["used_bytes"], stats["file_count"]) == (0, 0)
    assert stats["by_type"] == typed_usage()
    assert drive.names(drive.root) == ["Keep"]
    drive.check()


def test_empty_an_empty_trash_is_204(drive):
    drive.mkdir("Keep")

    assert drive.client.delete("/trash").status == 204

    assert drive.names(drive.root) == ["Keep"]
    drive.check()


# --- the daily purge ----------------------------------------------------------------------------


def test_the_daily_purge_deletes_what_was_trashed_more_than_30_days_ago(drive):
    jobs.daily()  # whatever an earlier test may have left
    made = drive.build(
        {"Old": {"o.txt": b"o" * 5}, "Recent": {"r.txt": b"r" * 7}, "Fresh": {}, "Keep": {}}
    )
    for name in ("Old", "Recent", "Fresh"):
        drive.trash(made[name])
    set_node_attribute(made["Old"], "trashed_at", days_ago(31))
    set_node_attribute(made["Recent"], "trashed_at", days_ago(29))

    assert jobs.daily()["trash_purged"] == 1

    assert stored_node(made["Old"]) is None
    assert stored_node(made["Old/o.txt"]) is None
    assert set(drive.trash_ids()) == {made["Recent"], made["Fresh"]}
    assert files.object_keys(drive.user.id) == {f"files/{drive.user.id}/{made['Recent/r.txt']}"}
    assert (drive.stats()["used_bytes"], drive.stats()["file_count"]) == (7, 1)
    drive.check()
    assert jobs.daily()["trash_purged"] == 0
    assert set(drive.trash_ids()) == {made["Recent"], made["Fresh"]}


# --- an interrupted purge -----------------------------------------------------------------------


def half_purged(drive: TreeDrive) -> tuple[dict[str, str], list[NodeModel]]:
    """Top trashed and its purge stopped after its first batch: marked, the S3 objects of the
    deleted nodes and of one more file gone, two of F1's three files deleted from the tables
    (what a crash after a batch leaves; the service deletes the objects before the nodes)."""
    made = drive.build(
        {
            "Top": {"F1": {"a.txt": b"a" * 3, "b.png": b"b" * 5, "c.mp3": b"c" * 7}, "F2": {}},
            "keep.txt": b"k",
        }
    )
    drive.trash(made["Top"])
    top = purge.mark(made["Top"], owner_id=drive.user.id)
    assert top is not None
    doomed = purge.doomed(top)
    assert [n.node_id for n in doomed][-1] == made["Top"]
    assert [n.kind for n in doomed[:2]] == ["file", "file"]  # the deepest: two of F1's
    files_left = [n for n in doomed[2:] if n.kind == "file"]
    for node in [*doomed[:2], files_left[0]]:
        files.s3().delete_object(Bucket=files.bucket(), Key=f"files/{drive.user.id}/{node.node_id}")
    purge.remove(doomed[:2], top_id=top.node_id)
    return made, doomed


def test_an_interrupted_purge_keeps_every_invariant(drive):
    made, doomed = half_purged(drive)

    left = [n for n in doomed if stored_node(n.node_id) is not None]
    assert len(left) == len(doomed) - 2
    stats = drive.stats()
    stored = sum(int(n.size) for n in left if n.kind == "file") + 1
    assert (stats["used_bytes"], stats["file_count"]) == (
        stored,
        sum(n.kind == "file" for n in left) + 1,
    )
    drive.check()


@pytest.mark.parametrize("finish", ["daily-purge", "delete-forever", "empty-trash"])
def test_an_interrupted_purge_refuses_restore_and_is_finished_later(drive, finish):
    made, doomed = half_purged(drive)

    assert_error(drive.client.post(f"/trash/{made['Top']}/restore"), 404, "not_found")
    assert drive.trash_ids() == [made["Top"]]
    if finish == "daily-purge":
        jobs.daily()
        set_node_attribute(made["Top"], "trashed_at", days_ago(31))
        assert jobs.daily()["trash_purged"] == 1
    elif finish == "delete-forever":
        drive.delete_forever(made["Top"])
    else:
        assert drive.client.delete("/trash").status == 204

    assert [n.node_id for n in doomed if stored_node(n.node_id) is not None] == []
    assert guards_held_by({n.node_id for n in doomed}) == []
    assert files.object_keys(drive.user.id) == {f"files/{drive.user.id}/{made['keep.txt']}"}
    stats = drive.stats()
    assert (stats["used_bytes"], stats["file_count"], stats["reserved_bytes"]) == (1, 1, 0)
    assert stats["by_type"] == typed_usage(document=(1, 1))
    assert drive.trash_ids() == []
    assert drive.names(drive.root) == ["keep.txt"]
    drive.check()


# --- a big subtree (last: moto copies a table for each item a transaction writes, so big
# tables slow every test after; its account is closed after and purged by the daily job) -----


@pytest.fixture
def closing_drive(make_user, login) -> Iterator[TreeDrive]:
    """An account of this test's own, closed and purged after it (no batch of 90-item
    transactions to delete what it made)."""
    who = make_user()
    browser = login(who)
    root = browser.get("/users/me").json["user"]["storage"]["root_folder_id"]
    yield TreeDrive(Account(who, dict(browser.jar), root), browser)
    assert browser.delete("/users/me", {"password": who.password}).status == 204
    assert jobs.daily()["accounts_purged"] == 1


def test_a_folder_with_more_than_100_descendants_moves_in_batches(closing_drive):
    drive = closing_drive
    a, b = drive.mkdir("A")["id"], drive.mkdir("B")["id"]
    x = drive.mkdir("X", a)["id"]
    below: dict[str, str] = {}
    for i in range(10):
        below[f"S{i}"] = drive.mkdir(f"S{i}", x)["id"]
        for j in range(9):
            below[f"S{i}/C{j}"] = drive.mkdir(f"C{j}", below[f"S{i}"])["id"]
    below["S9/C8/leaf.txt"] = drive.upload("leaf.txt", b"leaf", below["S9/C8"])["id"]
    assert len(below) > tree.TX_ITEMS  # more than one transaction holds: the batched path

    moved = drive.move(x, b)

    assert (moved["parent_id"], moved["child_count"], moved["total_size"]) == (b, 10, 4)
    assert "moving" not in user_row(drive.user.id)
    stored = stored_nodes([x, *below.values()])
    assert stored[x]["path"] == f"/{drive.root}/{b}/{x}/"
    for name, node_id in below.items():
        ids = [below["/".join(name.split("/")[: n + 1])] for n in range(name.count("/") + 1)]
        assert stored[node_id]["path"] == f"/{drive.root}/{b}/{x}/" + "".join(
            f"{i}/" for i in ids
        ), name
    for folder in ("S0", "S0/C0", "S5/C4", "S9/C8"):
        assert drive.crumbs(below[folder]) == ["B", "X", *folder.split("/")]
    assert sums(drive, a, b) == {a: (0, 0), b: (1, 4)}
    drive.check()
