"""Names are one name: every name that enters (POST /folders, POST /uploads, PATCH /nodes/{id},
teams, nicknames) is stored in NFC and compared case-folded in NFC, so "café" typed on one
keyboard and "cafe\u0301" on another cannot sit side by side in a folder; and no name may hold
the bidirectional controls that make "invoice\u202efdp.exe" read as "invoiceexe.pdf"."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from tests import files
from tests.client import Reply, assert_error
from tests.drives import Drive

SHARED_STACK = True  # see tests/conftest.py: module_stack

NFC = "caf\u00e9"  # é, one code point
NFD = "cafe\u0301"  # e and a combining acute accent
UPPER_NFD = "CAFE\u0301"
SPOOF = "invoice\u202efdp.exe"


def tagged(name: str) -> str:
    """``name`` with a tag of this test's own in front, so searches find only this test's."""
    return f"t{uuid.uuid4().hex[:10]} {name}"


def create_folder(drive: Drive, name: str) -> Reply:
    return drive.client.post("/folders", {"parent_id": drive.home, "name": name})


def start_upload(drive: Drive, name: str) -> Reply:
    return files.start(drive.client, drive.home, name, 5, on_conflict="fail")


def rename(drive: Drive, name: str) -> Reply:
    other = drive.mkdir(f"other {uuid.uuid4().hex}")
    return drive.client.patch(f"/nodes/{other['id']}", {"name": name})


def names(drive: Drive) -> list[str]:
    """The names in the test's folder, but for the one ``rename`` made to rename."""
    return [n for n in drive.names(drive.home) if not n.startswith("other ")]


def stored_name(reply: Reply) -> str:
    body = reply.json
    return str((body.get("node") or body.get("file"))["name"])


ENTRIES: dict[str, Callable[[Drive, str], Reply]] = {
    "create-folder": create_folder,
    "start-upload": start_upload,
    "rename": rename,
}
OK = {"create-folder": 201, "start-upload": 201, "rename": 200}


@pytest.mark.parametrize("entry", list(ENTRIES))
@pytest.mark.parametrize(
    ("present", "given"),
    [(NFC, NFD), (NFD, NFC), (NFC, UPPER_NFD), (NFD, "CAF\u00c9")],
    ids=["nfc-then-nfd", "nfd-then-nfc", "nfc-then-upper-nfd", "nfd-then-upper-nfc"],
)
def test_a_name_in_another_spelling_or_case_is_taken(drive, entry, present, given):
    drive.mkdir(present)
    assert_error(ENTRIES[entry](drive, given), 409, "name_taken")
    assert names(drive) == [NFC]


@pytest.mark.parametrize("entry", list(ENTRIES))
def test_a_name_is_stored_composed(drive, entry):
    reply = ENTRIES[entry](drive, f"{NFD}.txt")
    assert reply.status == OK[entry], reply.body
    assert stored_name(reply) == f"{NFC}.txt"
    assert names(drive) == [f"{NFC}.txt"]


@pytest.mark.parametrize("entry", list(ENTRIES))
def test_the_255_code_point_limit_counts_the_composed_name(drive, entry):
    decomposed = "e\u0301" * 200  # 400 code points as sent, 200 once composed
    reply = ENTRIES[entry](drive, decomposed)
    assert reply.status == OK[entry], reply.body
    assert stored_name(reply) == "\u00e9" * 200


@pytest.mark.parametrize("entry", list(ENTRIES))
@pytest.mark.parametrize(
    "name",
    [
        SPOOF,
        "a\u202ab",
        "a\u202db",
        "a\u2066b\u2069",
        "a\u2067b",
        "a\u2068b",
        "a\u200fb",
        "a\u200eb",
        "a\u061cb",
        "re\u200bport",
        "\ufeffreport",
    ],
    ids=[
        "right-to-left-override",
        "left-to-right-embedding",
        "left-to-right-override",
        "isolate-and-pop",
        "right-to-left-isolate",
        "first-strong-isolate",
        "right-to-left-mark",
        "left-to-right-mark",
        "arabic-letter-mark",
        "zero-width-space",
        "byte-order-mark",
    ],
)
def test_a_name_with_a_bidirectional_control_or_invisible_character_is_400(drive, entry, name):
    details = assert_error(ENTRIES[entry](drive, name), 400, "invalid_request")
    assert set(details["fields"]) == {"name"}
    assert names(drive) == []


@pytest.mark.parametrize(
    "name",
    ["\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\U0001f469\u200d\U0001f4bb"],
    ids=["persian-zero-width-non-joiner", "emoji-zero-width-joiner"],
)
def test_joiners_that_scripts_and_emoji_need_are_kept(drive, name):
    reply = create_folder(drive, name)
    assert reply.status == 201, reply.body
    assert stored_name(reply) == name


@pytest.mark.parametrize("query", [NFD, NFC, UPPER_NFD], ids=["nfd", "nfc", "upper-nfd"])
def test_search_in_any_spelling_finds_the_composed_name(drive, query):
    tag = tagged("")
    folder = drive.mkdir(f"{tag}{NFC} notes")
    reply = drive.client.get(f"/search?{urlencode({'q': f'{tag}{query}'})}")
    assert reply.status == 200, reply.body
    assert [item["id"] for item in reply.json["items"]] == [folder["id"]]


def test_a_download_names_the_file_by_its_composed_name(drive):
    ready = drive.upload(f"{NFD}.txt", b"hello")
    reply = drive.client.get(f"/files/{ready['id']}/download?redirect=0")
    assert reply.status == 200, reply.body
    disposition = parse_qs(urlsplit(reply.json["url"]).query)["response-content-disposition"][0]
    assert disposition.endswith("filename*=UTF-8''caf%C3%A9.txt"), disposition


def test_a_team_name_is_stored_composed_and_refuses_bidirectional_controls(drive):
    made = drive.client.post("/teams", {"name": f"{NFD} team"})
    assert made.status == 201, made.body
    assert made.json["team"]["name"] == f"{NFC} team"
    for sent in ({"name": SPOOF},):
        details = assert_error(drive.client.post("/teams", sent), 400, "invalid_request")
        assert set(details["fields"]) == {"name"}
    renamed = drive.client.patch(f"/teams/{made.json['team']['id']}", {"name": SPOOF})
    details = assert_error(renamed, 400, "invalid_request")
    assert set(details["fields"]) == {"name"}


def test_a_nickname_is_stored_composed_and_refuses_bidirectional_controls(drive):
    changed = drive.client.patch("/users/me", {"nickname": NFD})
    assert changed.status == 200, changed.body
    assert changed.json["user"]["nickname"] == NFC
    refused = drive.client.patch("/users/me", {"nickname": SPOOF})
    details = assert_error(refused, 400, "invalid_request")
    assert set(details["fields"]) == {"nickname"}
    assert drive.client.get("/users/me").json["user"]["nickname"] == NFC
