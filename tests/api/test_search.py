"""Search and usage: GET /search finds the caller's visible files and folders by a part of their
name, case-insensitively (Unicode case folding), filtered by type and paged with cursors; GET
/users/me/stats counts what the caller stores.

One moto stack serves the module. Search reads every node of the caller, so the module's two
shared accounts (an owner and a stranger) collect the nodes of many tests: each test puts a
token of its own (``tag``) in the names it makes and searches for that token, so it finds only
its own nodes. The stats tests sign up an account of their own, whose counters start at zero.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

import pytest

from tests import files
from tests.client import Reply, assert_error
from tests.drives import Drive, first_cursor, follow_cursors

SHARED_STACK = True  # see tests/conftest.py: module_stack

CATEGORY_TYPES = ["image", "video", "audio", "document", "archive", "other"]


def new_tag() -> str:
    """A token no other test's names contain (letters only, so case folding changes it)."""
    return "tag" + "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:12])


class SearchDrive(Drive):
    """A drive that also searches."""

    def search(self, **params: Any) -> Reply:
        return self.client.get(f"/search?{urlencode(params)}" if params else "/search")

    def found(self, q: str, **params: Any) -> list[dict[str, Any]]:
        """Every item of a search, following the cursors."""
        return page_through(self, q=q, **params)

    def found_names(self, q: str, **params: Any) -> list[str]:
        return sorted(item["name"] for item in self.found(q, **params))


def page_through(drive: SearchDrive, *, limit: int = 50, **params: Any) -> list[dict[str, Any]]:
    """Every match of a search, following the cursors; a page holds its items and cursor only."""

    def page(**query: Any) -> Reply:
        reply = drive.search(**query)
        assert reply.status == 200, reply.body
        assert set(reply.json) == {"items", "next_cursor"}, reply.json
        return reply

    return follow_cursors(page, limit=limit, **params)


@pytest.fixture
def drive_type() -> type[Drive]:
    return SearchDrive


@pytest.fixture
def tag() -> str:
    return new_tag()


# --- finding ------------------------------------------------------------------------------------


def test_search_finds_files_and_folders_whose_name_contains_q(drive, tag):
    folder = drive.mkdir(f"Project {tag}")
    made = drive.upload(f"{tag} notes.txt", b"notes", content_type="text/plain")
    drive.upload(f"unrelated {uuid.uuid4().hex}.txt")

    reply = drive.search(q=tag)

    assert reply.status == 200, reply.body
    body = reply.json
    assert set(body) == {"items", "next_cursor"}
    assert body["next_cursor"] is None
    by_id = {item["id"]: item for item in body["items"]}
    assert set(by_id) == {folder["id"], made["id"]}
    # Each item is the node as GET /nodes/{id} shows it.
    assert by_id[folder["id"]] == drive.node(folder["id"])
    assert by_id[made["id"]] == drive.node(made["id"])
    assert by_id[made["id"]]["status"] == "ready"


def test_search_finds_a_part_of_a_name_anywhere_in_it(drive, tag):
    drive.upload(f"{tag}start.txt")
    drive.upload(f"the{tag}middle.txt")
    drive.upload(f"end.{tag}")

    assert drive.found_names(tag) == sorted(
        [f"{tag}start.txt", f"the{tag}middle.txt", f"end.{tag}"]
    )
    assert drive.found_names(f"{tag}m") == [f"the{tag}middle.txt"]
    assert drive.found_names(f"e{tag}") == [f"the{tag}middle.txt"]
    assert drive.found_names(f"{tag}start.txt") == [f"{tag}start.txt"]
    assert drive.found_names(f"{tag}startx") == []


def test_search_ignores_case(drive, tag):
    drive.upload(f"Quarterly {tag.upper()} Report.PDF")
    drive.mkdir(f"quarterly {tag} report")

    found = drive.found_names(f"QUARTERLY {tag}")

    assert found == [f"Quarterly {tag.upper()} Report.PDF", f"quarterly {tag} report"]
    assert drive.found_names(f"{tag.upper()} REPORT.pdf") == [f"Quarterly {tag.upper()} Report.PDF"]


@pytest.mark.parametrize(
    ("name", "q"),
    [
        pytest.param("Straße", "STRASSE", id="sharp-s-found-by-ss"),
        pytest.param("STRASSE", "straße", id="ss-found-by-sharp-s"),
        pytest.param("Straße", "straße", id="sharp-s-by-itself"),
        pytest.param("ΣΊΣΥΦΟΣ", "σίσυφος", id="greek-final-sigma"),
        pytest.param("ﬁle", "FILE", id="ligature-fi"),
        pytest.param("ÉCOLE", "école", id="accented-capital"),
        pytest.param("Ǆungla", "ǅUNGLA", id="titlecase-digraph"),
        pytest.param("보고서 최종", "최종", id="korean"),
        pytest.param("🎉 Party", "🎉 PARTY", id="emoji"),
    ],
)
def test_search_folds_case_the_unicode_way(drive, tag, name, q):
    made = drive.upload(f"{name} {tag}.txt")

    found = drive.found(f"{q} {tag}")

    assert [item["id"] for item in found] == [made["id"]]


def test_search_does_not_fold_accents_away(drive, tag):
    drive.upload(f"café {tag}.txt")

    assert drive.found_names(f"cafe {tag}") == []
    assert drive.found_names(f"CAFÉ {tag}") == [f"café {tag}.txt"]


def test_search_looks_in_nested_folders(drive, tag):
    parent, expected = drive.home, []
    for level in range(6):
        folder = drive.mkdir(f"level {level} {tag}", parent)
        made = drive.upload(f"file at {level} {tag}.bin", parent=folder["id"])
        expected += [folder["id"], made["id"]]
        parent = folder["id"]

    found = drive.found(tag)

    assert sorted(item["id"] for item in found) == sorted(expected)
    assert drive.found_names(f"file at 5 {tag}") == [f"file at 5 {tag}.bin"]


def test_search_finds_things_in_the_root(drive, tag):
    folder = drive.mkdir(f"top level {tag}", drive.root)

    assert [item["id"] for item in drive.found(tag)] == [folder["id"]]


def test_search_trims_the_query(drive, tag):
    drive.upload(f"{tag}.txt")

    assert drive.found_names(f"  {tag}\t") == [f"{tag}.txt"]


def test_search_follows_renames_and_moves(drive, tag):
    made = drive.upload(f"old {tag}.txt")
    elsewhere = drive.mkdir(f"elsewhere {uuid.uuid4().hex}")

    renamed = drive.client.patch(f"/nodes/{made['id']}", {"name": f"new {tag}.txt"})
    assert renamed.status == 200, renamed.body
    moved = drive.client.patch(f"/nodes/{made['id']}", {"parent_id": elsewhere["id"]})
    assert moved.status == 200, moved.body

    found = drive.found(tag)
    assert [(i["name"], i["parent_id"]) for i in found] == [(f"new {tag}.txt", elsewhere["id"])]
    assert drive.found_names(f"old {tag}") == []


# --- what is left out ---------------------------------------------------------------------------


def test_search_leaves_out_a_trashed_file_until_it_is_restored(drive, tag):
    made = drive.upload(f"binned {tag}.txt")
    drive.trash(made["id"])

    assert drive.found(tag) == []

    assert drive.client.post(f"/trash/{made['id']}/restore").status == 200
    assert [item["id"] for item in drive.found(tag)] == [made["id"]]


def test_search_leaves_out_everything_under_a_trashed_folder(drive, tag):
    outer = drive.mkdir(f"outer {tag}")
    inner = drive.mkdir(f"inner {tag}", outer["id"])
    deep = drive.upload(f"deep {tag}.txt", parent=inner["id"])
    shallow = drive.upload(f"shallow {tag}.txt", parent=outer["id"])
    beside = drive.upload(f"beside {tag}.txt")
    drive.trash(outer["id"])

    assert [item["id"] for item in drive.found(tag)] == [beside["id"]]
    for type_ in ("file", "folder", "document", "other"):
        assert all(i["id"] == beside["id"] for i in drive.found(tag, type=type_)), type_

    assert drive.client.post(f"/trash/{outer['id']}/restore").status == 200
    assert sorted(i["id"] for i in drive.found(tag)) == sorted(
        [outer["id"], inner["id"], deep["id"], shallow["id"], beside["id"]]
    )


def test_search_leaves_out_a_folder_trashed_inside_a_restored_one(drive, tag):
    outer = drive.mkdir(f"outer {tag}")
    inner = drive.mkdir(f"inner {tag}", outer["id"])
    drive.upload(f"deep {tag}.txt", parent=inner["id"])
    drive.trash(inner["id"])
    drive.trash(outer["id"])

    assert drive.client.post(f"/trash/{outer['id']}/restore").status == 200

    assert [item["id"] for item in drive.found(tag)] == [outer["id"]]


def test_search_leaves_out_what_was_deleted_for_good(drive, tag):
    folder = drive.mkdir(f"gone {tag}")
    drive.upload(f"gone too {tag}.txt", parent=folder["id"])
    drive.trash(folder["id"])
    assert drive.client.delete(f"/trash/{folder['id']}").status == 204

    assert drive.found(tag) == []


def test_search_leaves_out_uploads_in_progress(drive, tag):
    started = files.start(drive.client, drive.home, f"on its way {tag}.bin", 4)
    assert started.status == 201, started.body

    assert drive.found(tag) == []
    assert drive.found(tag, type="file") == []

    files.put_parts(drive.client, started.json, b"data")
    assert files.complete(drive.client, started.json["upload_id"]).status == 200
    assert [item["id"] for item in drive.found(tag)] == [started.json["upload_id"]]


def test_search_never_shows_another_users_things(drive, stranger, tag):
    theirs = [
        stranger.mkdir(f"their folder {tag}"),
        stranger.upload(f"their file {tag}.png", b"png", content_type="image/png"),
    ]
    mine = drive.upload(f"my file {tag}.png", b"png", content_type="image/png")

    for type_ in (None, "file", "folder", "image"):
        params = {"type": type_} if type_ else {}
        assert {i["id"] for i in drive.found(tag, **params)} <= {mine["id"]}, type_
        assert {i["owner_id"] for i in drive.found(tag, **params)} <= {drive.user.id}
    assert {i["id"] for i in stranger.found(tag)} == {t["id"] for t in theirs}


# --- types --------------------------------------------------------------------------------------

TYPED = {
    "folder": None,
    "photo.png": "image/png",
    "scan.jpeg": "image/jpeg",
    "clip.mp4": "video/mp4",
    "song.mp3": "audio/mpeg",
    "paper.pdf": "application/pdf",
    "notes.txt": "text/plain",
    "sheet.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "archive.zip": "application/zip",
    "blob.bin": "application/octet-stream",
}
EXPECTED_BY_TYPE = {
    "file": sorted(n for n, t in TYPED.items() if t),
    "folder": ["folder"],
    "image": ["photo.png", "scan.jpeg"],
    "video": ["clip.mp4"],
    "audio": ["song.mp3"],
    "document": ["notes.txt", "paper.pdf", "sheet.xlsx"],
    "archive": ["archive.zip"],
    "other": ["blob.bin"],
}


@pytest.fixture
def typed(kept, drive_of) -> str:
    """The owner's tag for one of each type (the names above, prefixed). Read it only."""
    if "typed" not in kept:
        owner = drive_of("owner")
        tag = new_tag()
        home = owner.mkdir(f"typed {uuid.uuid4().hex}", owner.root)
        for name, content_type in TYPED.items():
            if content_type is None:
                owner.mkdir(f"{tag} {name}", home["id"])
            else:
                owner.upload(
                    f"{tag} {name}", b"x" * 10, content_type=content_type, parent=home["id"]
                )
        kept["typed"] = tag
    return kept["typed"]


@pytest.mark.parametrize("type_", list(EXPECTED_BY_TYPE))
def test_search_filters_by_type(drive, typed, type_):
    found = drive.found(typed, type=type_)

    assert sorted(i["name"].removeprefix(f"{typed} ") for i in found) == EXPECTED_BY_TYPE[type_]
    expected_kind = "folder" if type_ == "folder" else "file"
    assert {i["kind"] for i in found} == {expected_kind}


def test_search_without_a_type_finds_every_kind(drive, typed):
    found = drive.found(typed)

    assert sorted(i["name"].removeprefix(f"{typed} ") for i in found) == sorted(TYPED)


@pytest.mark.parametrize(
    "type_",
    [
        pytest.param("", id="empty"),
        pytest.param("files", id="plural"),
        pytest.param("Image", id="capitalised"),
        pytest.param("all", id="all"),
        pytest.param("image/png", id="a-media-type"),
        pytest.param("folder ", id="trailing-space"),
    ],
)
def test_search_with_an_unknown_type_is_400(drive, type_):
    details = assert_error(drive.search(q="x", type=type_), 400, "invalid_request")
    assert set(details["fields"]) == {"type"}, details


# --- pages --------------------------------------------------------------------------------------


@pytest.fixture
def eleven(kept, drive_of) -> tuple[str, list[str]]:
    """The owner's tag for eleven matches in nested folders, and their ids. Read it only."""
    if "eleven" not in kept:
        owner = drive_of("owner")
        tag = new_tag()
        ids = []
        parent = owner.mkdir(f"pages {tag}", owner.root)["id"]
        ids.append(parent)
        for n in range(5):
            ids.append(
                owner.upload(f"{tag} file {n}.txt", b"t", content_type="text/plain", parent=parent)[
                    "id"
                ]
            )
            folder = owner.mkdir(f"{tag} folder {n}", parent)
            ids.append(folder["id"])
            parent = folder["id"]
        owner.upload(f"not a match {uuid.uuid4().hex}.txt", parent=parent)
        kept["eleven"] = (tag, ids)
    return kept["eleven"]


@pytest.mark.parametrize("limit", [1, 3, 11, 200])
def test_search_pages_through_every_match_exactly_once(drive, eleven, limit):
    tag, ids = eleven

    found = page_through(drive, q=tag, limit=limit)

    found_ids = [item["id"] for item in found]
    assert len(found_ids) == len(set(found_ids)), "a match was listed twice"
    assert sorted(found_ids) == sorted(ids)


@pytest.mark.parametrize(("type_", "count"), [("file", 5), ("folder", 6), ("document", 5)])
def test_search_pages_through_a_type_filter(drive, eleven, type_, count):
    tag, _ = eleven

    found = page_through(drive, q=tag, limit=2, type=type_)

    found_ids = [item["id"] for item in found]
    assert len(found_ids) == len(set(found_ids)) == count


def test_search_first_page_honours_the_limit(drive, eleven):
    tag, ids = eleven

    page = drive.search(q=tag, limit=4).json

    assert len(page["items"]) == 4
    assert {item["id"] for item in page["items"]} <= set(ids)
    assert isinstance(page["next_cursor"], str) and page["next_cursor"]


@pytest.mark.parametrize(
    ("issued_for", "used_for"),
    [
        pytest.param({}, {"q": "{tag} file"}, id="a-longer-q"),
        pytest.param({"q": "{tag} file"}, {}, id="a-shorter-q"),
        pytest.param({}, {"q": "{tag} folder"}, id="another-q"),
        pytest.param({}, {"type": "file"}, id="a-type-added"),
        pytest.param({"type": "file"}, {}, id="a-type-dropped"),
        pytest.param({"type": "file"}, {"type": "document"}, id="another-type"),
    ],
)
def test_search_refuses_a_cursor_from_another_query(drive, eleven, issued_for, used_for):
    tag, _ = eleven
    issued = {"q": tag, **{k: v.format(tag=tag) for k, v in issued_for.items()}}
    used = {"q": tag, **{k: v.format(tag=tag) for k, v in used_for.items()}}
    cursor = first_cursor(drive.search, **issued)

    details = assert_error(drive.search(cursor=cursor, **used), 400, "invalid_request")
    assert "cursor" in details["fields"], details


def test_search_accepts_its_cursor_with_the_query_in_another_case(drive, eleven):
    tag, ids = eleven
    cursor = first_cursor(drive.search, q=tag)

    reply = drive.search(q=tag.upper(), cursor=cursor, limit=200)

    assert reply.status == 200, reply.body
    assert len(reply.json["items"]) == len(ids) - 1


def test_search_refuses_a_cursor_issued_to_another_user(drive, stranger, eleven):
    tag, _ = eleven
    stranger.upload(f"{tag} theirs 1.txt")
    stranger.upload(f"{tag} theirs 2.txt")
    their_cursor = first_cursor(stranger.search, q=tag)

    details = assert_error(drive.search(q=tag, cursor=their_cursor), 400, "invalid_request")
    assert "cursor" in details["fields"], details


def test_search_refuses_a_cursor_of_a_folder_listing(drive, eleven):
    tag, ids = eleven
    listing = drive.client.get(f"/folders/{ids[0]}?limit=1")
    assert listing.status == 200, listing.body
    cursor = listing.json["next_cursor"]
    assert cursor

    details = assert_error(drive.search(q=tag, cursor=cursor), 400, "invalid_request")
    assert "cursor" in details["fields"], details


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("garbage", id="garbage"),
        pytest.param("abc.def", id="dotted-garbage"),
        pytest.param("e30=.AAAA", id="empty-key-bad-mac"),
        pytest.param("é.ü", id="non-ascii"),
    ],
)
def test_search_refuses_a_cursor_it_did_not_issue(drive, cursor):
    details = assert_error(drive.search(q="x", cursor=cursor), 400, "invalid_request")
    assert "cursor" in details["fields"], details


@pytest.mark.parametrize("limit", ["0", "201", "-1", "abc", ""])
def test_search_with_a_bad_limit_is_400(drive, limit):
    details = assert_error(drive.search(q="x", limit=limit), 400, "invalid_request")
    assert "limit" in details["fields"], details


# --- the query ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({}, id="missing"),
        pytest.param({"q": ""}, id="empty"),
        pytest.param({"q": "   "}, id="only-spaces"),
        pytest.param({"q": "x" * 256}, id="256-characters"),
        pytest.param({"q": "가" * 256}, id="256-korean-characters"),
        pytest.param({"q": "x" * 1000}, id="1000-characters"),
        pytest.param({"q": "", "type": "file"}, id="empty-with-a-type"),
    ],
)
def test_search_with_a_missing_empty_or_too_long_q_is_400(drive, params):
    details = assert_error(drive.search(**params), 400, "invalid_request")
    assert set(details["fields"]) == {"q"}, details


def test_search_for_a_whole_255_character_name(drive):
    name = "q" * 240 + uuid.uuid4().hex[:15]
    made = drive.upload(name)

    assert [item["id"] for item in drive.found(name)] == [made["id"]]


def test_search_counts_the_query_in_code_points_not_folded_ones(drive):
    """ "ß" folds to "ss": a 255-character name of it is still a query of 255 characters."""
    name = "ß" * 240 + new_tag()[:15]
    made = drive.upload(name)

    assert [item["id"] for item in drive.found(name)] == [made["id"]]


@pytest.mark.parametrize("q", ["%", "_", "*", ".*", "\\", "'", '"', "[a-z]", "' OR 1=1 --"])
def test_search_takes_the_query_literally(drive, tag, q):
    drive.upload(f"{tag} plain.txt")
    literal = drive.upload(f"{tag} {q} literal.txt")

    assert [item["id"] for item in drive.found(f"{tag} {q}")] == [literal["id"]]


def test_search_requires_sign_in(api):
    assert_error(api.get("/search?q=anything"), 401, "unauthenticated")


# --- GET /users/me/stats ------------------------------------------------------------------------


def test_stats_of_a_new_account(own_drive):
    stats = own_drive.stats()

    assert stats == {
        "quota_bytes": stats["quota_bytes"],
        "used_bytes": 0,
        "trash_bytes": 0,
        "file_count": 0,
        "folder_count": 0,
        "by_type": {c: {"count": 0, "bytes": 0} for c in CATEGORY_TYPES},
        "reserved_bytes": 0,
        "free_bytes": stats["quota_bytes"],
    }
    assert stats["quota_bytes"] == 10 * 1024**3  # DEFAULT_QUOTA_BYTES' default
    own_drive.check()


def test_stats_count_usage_by_type_trash_and_reservations(own_drive):
    quota = own_drive.stats()["quota_bytes"]
    folder = own_drive.mkdir("stuff", own_drive.root)["id"]
    own_drive.upload("photo.png", b"p" * 100, content_type="image/png", parent=folder)
    own_drive.upload("clip.mp4", b"v" * 200, content_type="video/mp4", parent=folder)
    own_drive.upload("notes.txt", b"t" * 300, content_type="text/plain", parent=folder)
    archive = own_drive.upload(
        "bundle.zip", b"z" * 400, content_type="application/zip", parent=folder
    )
    sizes = {"image": 100, "video": 200, "audio": 0, "document": 300, "archive": 400, "other": 0}
    by_type = {c: {"count": int(b > 0), "bytes": b} for c, b in sizes.items()}

    assert own_drive.stats() == {
        "quota_bytes": quota,
        "used_bytes": 1000,
        "trash_bytes": 0,
        "file_count": 4,
        "folder_count": 1,
        "by_type": by_type,
        "reserved_bytes": 0,
        "free_bytes": quota - 1000,
    }
    own_drive.check()

    # An upload in progress reserves its declared size.
    pending = files.start(own_drive.client, folder, "big.mp3", 5000, "audio/mpeg")
    assert pending.status == 201, pending.body
    assert own_drive.stats() == {
        "quota_bytes": quota,
        "used_bytes": 1000,
        "trash_bytes": 0,
        "file_count": 4,
        "folder_count": 1,
        "by_type": by_type,
        "reserved_bytes": 5000,
        "free_bytes": quota - 6000,
    }
    own_drive.check()

    # The trash is still stored: only trash_bytes changes when a file goes there.
    own_drive.trash(archive["id"])
    assert own_drive.stats()["used_bytes"] == 1000
    assert own_drive.stats()["trash_bytes"] == 400
    assert own_drive.stats()["file_count"] == 4
    assert own_drive.stats()["by_type"] == by_type
    own_drive.check()

    # Deleting it for good frees its bytes.
    assert own_drive.client.delete(f"/trash/{archive['id']}").status == 204
    assert own_drive.stats() == {
        "quota_bytes": quota,
        "used_bytes": 600,
        "trash_bytes": 0,
        "file_count": 3,
        "folder_count": 1,
        "by_type": {**by_type, "archive": {"count": 0, "bytes": 0}},
        "reserved_bytes": 5000,
        "free_bytes": quota - 5600,
    }
    own_drive.check()

    # Aborting the upload gives the reservation back.
    assert own_drive.client.delete(f"/uploads/{pending.json['upload_id']}").status == 204
    assert own_drive.stats()["reserved_bytes"] == 0
    assert own_drive.stats()["free_bytes"] == quota - 600
    own_drive.check()


def test_stats_move_the_reservation_to_usage_when_an_upload_completes(own_drive):
    quota = own_drive.stats()["quota_bytes"]
    started = files.start(own_drive.client, own_drive.root, "song.mp3", 7, "audio/mpeg")
    assert started.status == 201, started.body
    assert (own_drive.stats()["reserved_bytes"], own_drive.stats()["used_bytes"]) == (7, 0)

    files.put_parts(own_drive.client, started.json, b"1234567")
    assert files.complete(own_drive.client, started.json["upload_id"]).status == 200

    stats = own_drive.stats()
    assert (stats["reserved_bytes"], stats["used_bytes"], stats["free_bytes"]) == (0, 7, quota - 7)
    assert (stats["file_count"], stats["by_type"]["audio"]) == (1, {"count": 1, "bytes": 7})
    own_drive.check()


def test_stats_free_a_whole_trashed_folder_emptied_from_the_trash(own_drive):
    folder = own_drive.mkdir("old", own_drive.root)["id"]
    inner = own_drive.mkdir("older", folder)["id"]
    own_drive.upload("a.png", b"a" * 10, content_type="image/png", parent=folder)
    own_drive.upload("b.txt", b"b" * 20, content_type="text/plain", parent=inner)
    own_drive.upload("kept.bin", b"k" * 5)  # in the test's home, outside the trash
    own_drive.trash(folder)
    stats = own_drive.stats()
    assert (stats["used_bytes"], stats["trash_bytes"], stats["file_count"]) == (35, 30, 3)

    assert own_drive.client.delete("/trash").status == 204

    stats = own_drive.stats()
    assert (stats["used_bytes"], stats["trash_bytes"], stats["file_count"]) == (5, 0, 1)
    assert stats["by_type"] == {
        c: {"count": 1, "bytes": 5} if c == "other" else {"count": 0, "bytes": 0}
        for c in CATEGORY_TYPES
    }
    own_drive.check()


def test_stats_are_the_callers_own(own_drive, stranger):
    stranger.upload(f"theirs {uuid.uuid4().hex}.png", b"x" * 50, content_type="image/png")

    assert own_drive.stats()["used_bytes"] == 0
    assert own_drive.stats()["by_type"]["image"] == {"count": 0, "bytes": 0}


def test_stats_require_sign_in(api):
    assert_error(api.get("/users/me/stats"), 401, "unauthenticated")
