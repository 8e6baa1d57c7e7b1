"""Folders: POST /folders, GET /folders/{id} (breadcrumb, sorting, cursors) and GET /nodes/{id},
with the contract's name rules and the policy that what a caller may not see is 404.

One moto stack serves the module, and moto copies every table a transaction touches, so these
tests keep the tables small: the module signs up two accounts (an owner and a stranger) once,
a test that writes gets a fresh folder of its own (``home``, made on first use), and the
sorting, paging and cursor tests only read one folder seeded once (``seven``).

Not here: 20 parallel creations of one name (the Chalice test client runs one request at a
time; races belong with moto's server in tests/live/).
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.client import Api, Reply, assert_error
from tests.drives import UNKNOWN_ID, Drive, first_cursor, follow_cursors, unique

SHARED_STACK = True  # see tests/conftest.py: module_stack

ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")
HEX_ID = re.compile(r"[0-9a-f]{32}")
NODE_FIELDS = {
    "id",
    "kind",
    "name",
    "parent_id",
    "owner_id",
    "size",
    "content_type",
    "created_at",
    "updated_at",
    "status",
    "thumbnail",
    "access",
}
FOLDER_FIELDS = NODE_FIELDS | {"child_count", "total_size"}

# The seeded folder's children, created in this order; by name: Alpha bravo Charlie delta echo
# Foxtrot golf.
CREATED = ["delta", "Alpha", "golf", "Charlie", "echo", "bravo", "Foxtrot"]
BY_NAME = sorted(CREATED, key=str.casefold)
EXPECTED_ORDER = {
    "name": BY_NAME,
    "-name": BY_NAME[::-1],
    "created": CREATED,
    "-created": CREATED[::-1],
}
SORTS = ["name", "-name", "created", "-created", "size", "-size"]


def make_folder(client: Api, parent_id: str, name: str) -> Reply:
    return client.post("/folders", {"parent_id": parent_id, "name": name})


def list_folder(client: Api, folder_id: str, **params: Any) -> Reply:
    query = f"?{urlencode(params)}" if params else ""
    return client.get(f"/folders/{folder_id}{query}")


@pytest.fixture
def seven(drive, kept) -> str:
    """The owner's folder holding CREATED, in that order. Read it, never write to it."""
    if "seven" not in kept:
        folder = drive.mkdir("seven", drive.homes)
        for name in CREATED:
            drive.mkdir(name, folder["id"])
        kept["seven"] = folder["id"]
    return kept["seven"]


@pytest.fixture
def their_folder(stranger, kept) -> str:
    """A folder of the stranger's, with two children. Read it, never write to it."""
    if "their_folder" not in kept:
        folder = stranger.mkdir("Private", stranger.homes)
        stranger.mkdir("Inside", folder["id"])
        stranger.mkdir("Also inside", folder["id"])
        kept["their_folder"] = folder["id"]
    return kept["their_folder"]


def folder_of(stranger: Drive, target: str, their_folder: str) -> str:
    return stranger.root if target == "root" else their_folder


def page_through(drive: Drive, folder_id: str, *, limit: int, **params: Any) -> list[dict]:
    """Every item of a folder, following next_cursor; each page at most ``limit`` long."""
    return follow_cursors(partial(drive.listing, folder_id), limit=limit, **params)


def a_cursor(drive: Drive, folder_id: str, **params: Any) -> str:
    """A cursor issued for the first page of one item."""
    return first_cursor(partial(drive.listing, folder_id), **params)


# --- creating a folder ------------------------------------------------------------------------


def test_create_folder_in_the_root_answers_201_with_the_contracts_node(drive):
    name = unique("Projects")

    reply = make_folder(drive.client, drive.root, name)

    assert reply.status == 201, reply.body
    assert set(reply.json) == {"node"}
    node = reply.json["node"]
    assert set(node) >= FOLDER_FIELDS, node
    assert set(node) <= FOLDER_FIELDS | {"media"}, node
    assert HEX_ID.fullmatch(node["id"])
    assert node["kind"] == "folder"
    assert node["name"] == name
    assert node["parent_id"] == drive.root
    assert node["owner_id"] == drive.user.id
    assert node["status"] == "ready"
    assert node["thumbnail"] == {"status": "none"}
    assert node["child_count"] == 0
    assert node["total_size"] == 0
    assert node["size"] == 0
    assert node["access"] == "owner"
    assert ISO.fullmatch(node["created_at"]), node["created_at"]
    assert ISO.fullmatch(node["updated_at"]), node["updated_at"]


def test_create_folder_raises_the_roots_child_count_by_one(drive):
    before = drive.node(drive.root)["child_count"]

    drive.mkdir(unique("One"), drive.root)

    assert drive.node(drive.root)["child_count"] == before + 1


def test_create_folder_raises_the_parents_child_count_each_time(drive):
    assert drive.node(drive.home)["child_count"] == 0

    drive.mkdir("One")
    assert drive.node(drive.home)["child_count"] == 1
    drive.mkdir("Two")
    assert drive.node(drive.home)["child_count"] == 2


def test_create_folder_is_readable_as_a_node_afterwards(drive):
    made = drive.mkdir("Projects")

    assert drive.node(made["id"]) == made


def test_create_folder_inside_a_subfolder(drive):
    parent = drive.mkdir("Parent")

    child = drive.mkdir("Child", parent["id"])

    assert child["parent_id"] == parent["id"]
    assert drive.node(parent["id"])["child_count"] == 1
    listed = drive.listing(parent["id"]).json["items"]
    assert [item["id"] for item in listed] == [child["id"]]


def test_create_folder_works_with_a_bearer_token(drive, token_client):
    reply = make_folder(token_client(drive.user), drive.home, "From a script")

    assert reply.status == 201, reply.body
    assert reply.json["node"]["owner_id"] == drive.user.id


def test_create_folder_by_cookie_needs_the_csrf_header(drive):
    before = drive.node(drive.root)["child_count"]

    reply = drive.client.post("/folders", {"parent_id": drive.root, "name": "Forged"}, csrf=False)

    assert_error(reply, 403, "csrf_failed")
    assert drive.node(drive.root)["child_count"] == before


def test_create_folder_requires_sign_in(api, drive):
    before = drive.node(drive.root)["child_count"]

    assert_error(make_folder(api, drive.root, "Anonymous"), 401, "unauthenticated")

    assert drive.node(drive.root)["child_count"] == before


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("Café ☕ Überweisung", id="latin-accents"),
        pytest.param("日本語のフォルダ", id="cjk"),
        pytest.param("📁 Photos 🎉", id="emoji"),
        pytest.param("👨\u200d👩\u200d👧", id="emoji-zwj-sequence"),
        pytest.param("תיקייה חדשה", id="rtl-hebrew"),
        pytest.param("مجلد جديد", id="rtl-arabic"),
        pytest.param("q\u0301q\u0323\u0307", id="combining-marks-without-a-composed-form"),
        pytest.param("a", id="one-character"),
        pytest.param("x" * 255, id="255-ascii"),
        pytest.param("📁" * 255, id="255-astral-code-points"),
        # U+0390 casefolds to three code points (6 bytes): a name within the limit whose folded
        # form outgrows a DynamoDB key is still a name.
        pytest.param("\u0390" * 255, id="255-code-points-that-casefold-longer"),
        pytest.param("report (final) [v2] #1 & co.", id="punctuation"),
        pytest.param("...", id="three-dots"),
        pytest.param(".hidden", id="leading-dot"),
    ],
)
def test_create_folder_accepts_the_name(drive, name):
    reply = make_folder(drive.client, drive.home, name)

    assert reply.status == 201, reply.body[:500]
    node = reply.json["node"]
    assert node["name"] == name
    assert drive.node(node["id"])["name"] == name
    listed = drive.listing(drive.home).json["items"]
    assert [item["name"] for item in listed] == [name]


def test_long_names_that_differ_only_at_the_end_are_two_folders_listed_once_each(drive):
    # Both fold to more than a sort key holds; they differ in their last code point only.
    names = ["\u0390" * 254 + "a", "\u0390" * 254 + "b"]
    made = {drive.mkdir(name)["id"] for name in names}

    items = page_through(drive, drive.home, limit=1)

    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) == 2, "an item was listed twice"
    assert set(ids) == made
    assert sorted(item["name"] for item in items) == names


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("", id="empty"),
        pytest.param("x" * 256, id="256-ascii"),
        pytest.param("📁" * 256, id="256-astral-code-points"),
        pytest.param("x" * 5000, id="far-too-long"),
        pytest.param("/", id="slash"),
        pytest.param("a/b", id="inner-slash"),
        pytest.param(".", id="dot"),
        pytest.param("..", id="dot-dot"),
        pytest.param("   ", id="only-spaces"),
        pytest.param("\x00", id="nul"),
        pytest.param("a\x00b", id="inner-nul"),
        pytest.param("\x1f", id="unit-separator"),
        pytest.param("tab\there", id="tab"),
        pytest.param("line\nbreak", id="newline"),
        pytest.param("\x7f", id="delete"),
        pytest.param("\x85", id="c1-control"),
        pytest.param("next\x85line", id="inner-c1-control"),
        pytest.param("\ud800", id="lone-surrogate"),
    ],
)
def test_create_folder_rejects_the_name(drive, name):
    before = drive.node(drive.root)["child_count"]

    reply = make_folder(drive.client, drive.root, name)

    details = assert_error(reply, 400, "invalid_request")
    assert "name" in details["fields"], details
    assert drive.node(drive.root)["child_count"] == before


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param("Report", "Report", id="same"),
        pytest.param("Report", "report", id="lower-case"),
        pytest.param("report", "REPORT", id="upper-case"),
        pytest.param("Ünïcødé", "üNÏCØDÉ", id="non-ascii-case"),
        pytest.param("Straße", "STRASSE", id="casefold-sharp-s"),
    ],
)
def test_create_folder_refuses_a_name_taken_in_the_folder_whatever_its_case(drive, first, second):
    kept_node = drive.mkdir(first)

    reply = make_folder(drive.client, drive.home, second)

    assert_error(reply, 409, "name_taken")
    assert drive.node(drive.home)["child_count"] == 1
    listed = drive.listing(drive.home).json["items"]
    assert [(item["id"], item["name"]) for item in listed] == [(kept_node["id"], first)]


def test_create_folder_allows_the_same_name_in_another_folder(drive):
    elsewhere = drive.mkdir("Elsewhere")
    drive.mkdir("Report")

    inner = drive.mkdir("report", elsewhere["id"])

    assert inner["parent_id"] == elsewhere["id"]


def test_create_folder_allows_a_name_another_user_has_in_their_root(drive, stranger):
    name = unique("Taxes")
    stranger.mkdir(name, stranger.root)

    made = drive.mkdir(name, drive.root)

    assert (made["name"], made["owner_id"]) == (name, drive.user.id)


def test_a_taken_name_does_not_block_other_names(drive):
    drive.mkdir("Report")
    assert_error(make_folder(drive.client, drive.home, "report"), 409, "name_taken")

    assert make_folder(drive.client, drive.home, "Report 2").status == 201


# --- the parent and the body --------------------------------------------------------------------


def test_create_folder_in_an_unknown_parent_is_404(drive):
    assert_error(make_folder(drive.client, UNKNOWN_ID, "Lost"), 404, "not_found")


def test_create_folder_in_a_parent_id_that_is_not_an_id_is_400(drive):
    # An id of another shape names nothing and is never read (tests/api/test_ids.py).
    details = assert_error(
        make_folder(drive.client, "no-such-folder", "Lost"), 400, "invalid_request"
    )
    assert set(details["fields"]) == {"parent_id"}


@pytest.mark.parametrize("target", ["root", "subfolder"])
def test_create_folder_in_someone_elses_folder_is_404_and_creates_nothing(drive, stranger, target):
    folder = stranger.root if target == "root" else stranger.home
    before = stranger.node(folder)
    before_items = stranger.listing(folder, limit=200).json["items"]
    name = unique("Intruder")

    reply = make_folder(drive.client, folder, name)

    assert_error(reply, 404, "not_found")
    assert stranger.node(folder)["child_count"] == before["child_count"]
    assert stranger.listing(folder, limit=200).json["items"] == before_items
    # No name guard was left behind either: the owner may still use the name.
    assert make_folder(stranger.client, folder, name).status == 201


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        pytest.param({}, {"parent_id", "name"}, id="both-missing"),
        pytest.param({"name": "x"}, {"parent_id"}, id="parent-missing"),
        pytest.param({"parent_id": "ROOT"}, {"name"}, id="name-missing"),
        pytest.param({"parent_id": 5, "name": "x"}, {"parent_id"}, id="parent-a-number"),
        pytest.param({"parent_id": None, "name": "x"}, {"parent_id"}, id="parent-null"),
        pytest.param({"parent_id": ["ROOT"], "name": "x"}, {"parent_id"}, id="parent-a-list"),
        pytest.param({"parent_id": "ROOT", "name": 5}, {"name"}, id="name-a-number"),
        pytest.param({"parent_id": "ROOT", "name": None}, {"name"}, id="name-null"),
        pytest.param({"parent_id": "ROOT", "name": ["x"]}, {"name"}, id="name-a-list"),
        pytest.param({"parent_id": "ROOT", "name": {"x": 1}}, {"name"}, id="name-an-object"),
        pytest.param({"parent_id": "ROOT", "name": True}, {"name"}, id="name-a-boolean"),
        pytest.param({"parent_id": 1, "name": 2}, {"parent_id", "name"}, id="both-mistyped"),
    ],
)
def test_create_folder_with_missing_or_mistyped_fields_is_400(drive, body, fields):
    sent = {key: (drive.root if value == "ROOT" else value) for key, value in body.items()}
    before = drive.node(drive.root)["child_count"]

    reply = drive.client.post("/folders", sent)

    details = assert_error(reply, 400, "invalid_request")
    assert set(details["fields"]) == fields, details
    assert drive.node(drive.root)["child_count"] == before


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"{not json", id="malformed"),
        pytest.param(b'["parent_id", "name"]', id="an-array"),
        pytest.param(b'"a string"', id="a-string"),
        pytest.param(b"null", id="null"),
    ],
)
def test_create_folder_with_a_body_that_is_not_a_json_object_is_400(drive, raw):
    assert_error(drive.client.post("/folders", raw=raw), 400, "invalid_request")


def test_create_folder_ignores_unknown_fields(drive, stranger):
    reply = drive.client.post(
        "/folders",
        {
            "parent_id": drive.home,
            "name": "Mine",
            "owner_id": stranger.user.id,
            "child_count": 99,
            "status": "trashed",
        },
    )

    assert reply.status == 201, reply.body
    node = reply.json["node"]
    assert (node["owner_id"], node["child_count"], node["status"]) == (drive.user.id, 0, "ready")


# --- reading a folder ---------------------------------------------------------------------------


def test_list_folder_answers_the_folder_its_path_items_and_cursor(drive):
    made = drive.mkdir("Projects")

    reply = drive.listing(drive.home)

    assert reply.status == 200, reply.body
    body = reply.json
    assert set(body) == {"folder", "path", "items", "next_cursor"}
    assert body["folder"] == drive.node(drive.home)
    assert body["folder"]["child_count"] == 1
    assert body["items"] == [made]
    assert body["next_cursor"] is None


def test_list_the_root_folder(drive):
    made = drive.mkdir(unique("In the root"), drive.root)

    reply = drive.listing(drive.root, limit=200)

    assert reply.status == 200, reply.body
    body = reply.json
    assert body["folder"] == drive.node(drive.root)
    assert body["path"] == [{"id": drive.root, "name": ""}]
    assert made in body["items"]
    assert {item["parent_id"] for item in body["items"]} == {drive.root}
    assert len(body["items"]) == body["folder"]["child_count"]


def test_list_an_empty_folder(drive):
    body = drive.listing(drive.home).json

    assert body["folder"] == drive.node(drive.home)
    assert (body["items"], body["next_cursor"]) == ([], None)


def test_list_folder_path_is_the_breadcrumb_from_the_root(drive):
    a = drive.mkdir("Work")
    b = drive.mkdir("2026", a["id"])
    c = drive.mkdir("Q1 📊", b["id"])

    reply = drive.listing(c["id"])

    assert reply.status == 200, reply.body
    assert reply.json["path"] == [
        {"id": drive.root, "name": ""},
        {"id": drive.homes, "name": "homes"},
        {"id": drive.home, "name": drive.node(drive.home)["name"]},
        {"id": a["id"], "name": "Work"},
        {"id": b["id"], "name": "2026"},
        {"id": c["id"], "name": "Q1 📊"},
    ]
    assert reply.json["folder"]["id"] == c["id"]


def test_list_folder_sorts_by_name_case_insensitively_by_default(drive, seven):
    for name in ("cherry", "Banana", "apple", "Apricot", "banana split"):
        drive.mkdir(name)

    names = [item["name"] for item in drive.listing(drive.home).json["items"]]

    assert names == ["apple", "Apricot", "Banana", "banana split", "cherry"]
    assert [item["name"] for item in drive.listing(seven).json["items"]] == BY_NAME


@pytest.mark.parametrize("sort", ["name", "-name", "created", "-created"])
def test_list_folder_sorts_by(drive, seven, sort):
    reply = drive.listing(seven, sort=sort)

    assert reply.status == 200, reply.body
    assert [item["name"] for item in reply.json["items"]] == EXPECTED_ORDER[sort]


@pytest.mark.parametrize("sort", ["size", "-size"])
def test_list_folder_accepts_sorting_by_size(drive, seven, sort):
    reply = drive.listing(seven, sort=sort)

    assert reply.status == 200, reply.body
    items = reply.json["items"]
    assert sorted(item["name"] for item in items) == sorted(CREATED)
    sizes = [item["size"] for item in items]
    assert sizes == sorted(sizes, reverse=sort.startswith("-"))


@pytest.mark.parametrize(
    "sort",
    [
        pytest.param("", id="empty"),
        pytest.param("NAME", id="upper-case"),
        pytest.param("type", id="unknown"),
        pytest.param("--name", id="double-minus"),
        pytest.param("+name", id="plus"),
        pytest.param("name ", id="trailing-space"),
        pytest.param("name,created", id="two-keys"),
    ],
)
def test_list_folder_with_an_unknown_sort_is_400(drive, sort):
    details = assert_error(drive.listing(drive.root, sort=sort), 400, "invalid_request")
    assert "sort" in details["fields"], details


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", SORTS)
def test_list_folder_pages_through_every_item_exactly_once(drive, seven, sort):
    items = page_through(drive, seven, limit=3, sort=sort)

    names = [item["name"] for item in items]
    assert len(names) == len(set(names)), f"an item was listed twice: {names}"
    assert sorted(names) == sorted(CREATED)
    if sort in EXPECTED_ORDER:
        assert names == EXPECTED_ORDER[sort]


@pytest.mark.parametrize(
    "limit",
    [
        pytest.param(1, id="one-per-page"),
        pytest.param(7, id="one-full-page"),
        pytest.param(200, id="largest-limit"),
    ],
)
def test_list_folder_pages_with_other_limits(drive, seven, limit):
    items = page_through(drive, seven, limit=limit)

    assert [item["name"] for item in items] == BY_NAME


def test_list_folder_first_page_honours_the_limit(drive, seven):
    page = drive.listing(seven, limit=3).json

    assert [item["name"] for item in page["items"]] == BY_NAME[:3]
    assert isinstance(page["next_cursor"], str) and page["next_cursor"]


@pytest.mark.parametrize(
    "limit",
    [
        pytest.param("0", id="zero"),
        pytest.param("201", id="above-200"),
        pytest.param("-1", id="negative"),
        pytest.param("abc", id="not-a-number"),
        pytest.param("1.5", id="fraction"),
        pytest.param("", id="empty"),
        pytest.param(" 5", id="leading-space"),
        pytest.param("99999999999999999999999", id="huge"),
        pytest.param("²", id="superscript-digit"),
    ],
)
def test_list_folder_with_a_bad_limit_is_400(drive, limit):
    details = assert_error(drive.listing(drive.root, limit=limit), 400, "invalid_request")
    assert "limit" in details["fields"], details


@pytest.mark.parametrize("other", ["root", "homes"])
def test_list_folder_refuses_a_cursor_from_another_folder(drive, seven, other):
    cursor = a_cursor(drive, seven)

    reply = drive.listing(getattr(drive, other), cursor=cursor)

    details = assert_error(reply, 400, "invalid_request")
    assert "cursor" in details["fields"], details


@pytest.mark.parametrize(
    ("issued_for", "used_for"),
    [
        pytest.param("name", "-name", id="name-then-minus-name"),
        pytest.param("name", "created", id="name-then-created"),
        pytest.param("created", "name", id="created-then-name"),
        pytest.param("size", "name", id="size-then-name"),
        pytest.param("name", "size", id="name-then-size"),
    ],
)
def test_list_folder_refuses_a_cursor_issued_for_another_sort(drive, seven, issued_for, used_for):
    cursor = a_cursor(drive, seven, sort=issued_for)

    reply = drive.listing(seven, sort=used_for, cursor=cursor)

    details = assert_error(reply, 400, "invalid_request")
    assert "cursor" in details["fields"], details


def test_list_folder_refuses_a_cursor_issued_to_another_user(drive, seven, stranger, their_folder):
    their_cursor = a_cursor(stranger, their_folder)

    reply = drive.listing(seven, cursor=their_cursor)

    details = assert_error(reply, 400, "invalid_request")
    assert "cursor" in details["fields"], details


def test_a_cursor_does_not_open_someone_elses_folder(drive, stranger, their_folder):
    their_cursor = a_cursor(stranger, their_folder)

    assert_error(drive.listing(their_folder, cursor=their_cursor), 404, "not_found")


def tampered(cursor: str) -> str:
    payload, _, mac = cursor.partition(".")
    flipped = "A" if payload[0] != "A" else "B"
    return f"{flipped}{payload[1:]}.{mac}"


@pytest.mark.parametrize(
    "make_cursor",
    [
        pytest.param(lambda _: "garbage", id="garbage"),
        pytest.param(lambda _: "abc.def", id="dotted-garbage"),
        pytest.param(lambda _: "!!!***", id="not-base64"),
        pytest.param(lambda _: "é.ü", id="non-ascii"),
        pytest.param(lambda good: good.partition(".")[0], id="payload-without-signature"),
        pytest.param(lambda good: good + "x", id="signature-extended"),
        pytest.param(lambda good: good[:-2], id="signature-truncated"),
        pytest.param(tampered, id="payload-tampered"),
        pytest.param(lambda good: "e30=." + good.partition(".")[2], id="payload-swapped"),
    ],
)
def test_list_folder_refuses_a_cursor_it_did_not_issue(drive, seven, make_cursor):
    good = a_cursor(drive, seven)

    reply = drive.listing(seven, cursor=make_cursor(good))

    details = assert_error(reply, 400, "invalid_request")
    assert "cursor" in details["fields"], details


def test_list_folder_with_an_empty_cursor_starts_at_the_beginning(drive, seven):
    reply = drive.listing(seven, cursor="")

    assert reply.status == 200, reply.body
    assert [item["name"] for item in reply.json["items"]] == BY_NAME


# --- who may read -------------------------------------------------------------------------------


def test_list_folder_works_with_a_bearer_token(drive, seven, token_client):
    reply = list_folder(token_client(drive.user), seven)

    assert reply.status == 200, reply.body
    assert reply.json["folder"]["id"] == seven
    assert [item["name"] for item in reply.json["items"]] == BY_NAME


@pytest.mark.parametrize("target", ["root", "subfolder"])
def test_list_someone_elses_folder_is_404(drive, stranger, their_folder, target):
    folder = folder_of(stranger, target, their_folder)

    assert_error(drive.listing(folder), 404, "not_found")


def test_list_an_unknown_folder_is_404(drive):
    assert_error(drive.listing(UNKNOWN_ID), 404, "not_found")


@pytest.mark.parametrize(
    "path",
    [pytest.param("/folders/{id}", id="list-folder"), pytest.param("/nodes/{id}", id="get-node")],
)
def test_reading_requires_sign_in(api, drive, path):
    assert_error(api.get(path.format(id=drive.root)), 401, "unauthenticated")


# --- GET /nodes/{id} ----------------------------------------------------------------------------


def test_get_node_of_a_folder(drive, seven):
    reply = drive.client.get(f"/nodes/{seven}")

    assert reply.status == 200, reply.body
    assert set(reply.json) == {"node"}
    node = reply.json["node"]
    assert set(node) >= FOLDER_FIELDS
    assert (node["id"], node["kind"], node["name"]) == (seven, "folder", "seven")
    assert (node["parent_id"], node["owner_id"]) == (drive.homes, drive.user.id)
    assert (node["child_count"], node["access"], node["status"]) == (7, "owner", "ready")
    assert node["thumbnail"] == {"status": "none"}


def test_get_node_of_the_root_folder(drive):
    node = drive.node(drive.root)

    assert set(node) >= FOLDER_FIELDS
    assert (node["id"], node["kind"], node["name"]) == (drive.root, "folder", "")
    assert node["parent_id"] is None
    assert (node["owner_id"], node["access"], node["status"]) == (drive.user.id, "owner", "ready")


def test_get_node_works_with_a_bearer_token(drive, seven, token_client):
    reply = token_client(drive.user).get(f"/nodes/{seven}")

    assert reply.status == 200, reply.body
    assert reply.json["node"] == drive.node(seven)


@pytest.mark.parametrize(
    "node_id",
    [pytest.param(UNKNOWN_ID, id="unknown-hex"), pytest.param("nope", id="unknown")],
)
def test_get_node_of_an_unknown_id_is_404(drive, node_id):
    assert_error(drive.client.get(f"/nodes/{node_id}"), 404, "not_found")


@pytest.mark.parametrize("target", ["root", "subfolder"])
def test_get_node_of_someone_elses_folder_is_404(drive, stranger, their_folder, target):
    folder = folder_of(stranger, target, their_folder)

    assert_error(drive.client.get(f"/nodes/{folder}"), 404, "not_found")


def test_folders_nest_at_most_twenty_five_deep(login, make_user):
    browser = login(make_user())
    parent = browser.get("/users/me").json["user"]["storage"]["root_folder_id"]
    for level in range(25):
        reply = browser.post("/folders", {"parent_id": parent, "name": f"level {level + 1}"})
        assert reply.status == 201, (level, reply.body)
        parent = reply.json["node"]["id"]

    too_deep = browser.post("/folders", {"parent_id": parent, "name": "one more"})

    details = assert_error(too_deep, 400, "invalid_request")
    assert set(details["fields"]) == {"parent_id"}
    listing = browser.get(f"/folders/{parent}")
    assert len(listing.json["path"]) == 26
