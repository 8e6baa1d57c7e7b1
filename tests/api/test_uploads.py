"""Uploads: POST /uploads reserves quota and signs the browser's PUTs, GET/POST
/uploads/{id}/parts resume and sign parts, POST /uploads/{id}/complete checks the size S3
holds against the declaration and settles the reservation, DELETE /uploads/{id} aborts; and
the hourly job that aborts what nobody finished.

Every scenario sends real bytes to the presigned URLs (moto answers them in-process) and reads
S3 and the tables straight with boto3 to see what is left behind; ``invariants.check()`` runs
after each one that writes.

One moto stack serves the module (see tests/conftest.py: module_stack) and moto copies every
table a transaction touches, so the module signs up its accounts once (an owner and a
stranger); a test that writes gets a fresh folder of its own (``home``), and a test whose
counters must start from nothing (stats, quota) signs up an account of its own.

Not here: many uploads racing for the last bytes of a quota (tests/live/).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from chalicelib import filetypes
from chalicelib.config import get_settings
from chalicelib.services import jobs
from chalicelib.services.uploads import MAX_PARTS, MAX_SIZE, cut
from tests import invariants
from tests.client import Reply, assert_error
from tests.drives import (
    UNKNOWN_ID,
    Drive,
    dynamodb,
    set_node_attribute,
    stamp,
    table,
    unique,
    user_row,
)
from tests.files import bucket, complete, object_keys, put_parts, s3, start

SHARED_STACK = True  # see tests/conftest.py: module_stack

MIB = 1024**2
PART = 5 * MIB  # UPLOAD_PART_BYTES in tests/conftest.py: TEST_ENV
THREE_PARTS = 2 * PART + MIB  # parts of 5, 5 and 1 MiB
COUNTERS = (
    "quota_bytes",
    "used_bytes",
    "reserved_bytes",
    "free_bytes",
    "file_count",
    "trash_bytes",
    *(f"{kind}_{c}" for kind in ("count", "bytes") for c in filetypes.CATEGORIES),
)


def payload(size: int) -> bytes:
    return os.urandom(size)


# --- S3 and the tables, read straight -------------------------------------------------------


def key_of(file: dict[str, Any]) -> str:
    return f"files/{file['owner_id']}/{file['id']}"


def object_size(key: str) -> int | None:
    """The stored object's length, or None when head_object answers 404."""
    try:
        return int(s3().head_object(Bucket=bucket(), Key=key)["ContentLength"])
    except s3().exceptions.ClientError as exc:
        assert exc.response["Error"]["Code"] in ("404", "NoSuchKey"), exc.response
        return None


def open_multipart(key: str) -> list[str]:
    reply = s3().list_multipart_uploads(Bucket=bucket(), Prefix=key)
    return [u["UploadId"] for u in reply.get("Uploads", []) if u["Key"] == key]


def assert_nothing_stored(file: dict[str, Any]) -> None:
    key = key_of(file)
    assert object_size(key) is None
    assert key not in object_keys(file["owner_id"])
    assert open_multipart(key) == []


def counters(user_id: str) -> dict[str, int]:
    """The user's quota counters, straight from their row."""
    row = user_row(user_id)
    return {name: row.get(name, 0) for name in COUNTERS}


def set_quota(user_id: str, quota: int) -> None:
    """Test setup: a quota of ``quota`` bytes, with ``free_bytes`` kept consistent."""
    now = counters(user_id)
    free = quota - now["used_bytes"] - now["reserved_bytes"]
    dynamodb().update_item(
        TableName=table("users"),
        Key={"user_id": {"S": user_id}},
        UpdateExpression="SET quota_bytes = :q, free_bytes = :f",
        ExpressionAttributeValues={":q": {"N": str(quota)}, ":f": {"N": str(free)}},
    )


def age_upload(file_id: str, *, by: timedelta) -> None:
    """Simulate time: the upload looks as if it started ``by`` earlier."""
    set_node_attribute(file_id, "upload_started", stamp(datetime.now(UTC) - by))


def signed(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def assert_signs_content_length(url: str) -> None:
    query = signed(url)
    assert "content-length" in query["X-Amz-SignedHeaders"][0].split(";"), query
    assert 0 < int(query["X-Amz-Expires"][0]) <= 3600, query


# --- Accounts and drives ----------------------------------------------------------------------


class UploadDrive(Drive):
    """A drive that also takes an upload step by step."""

    def counters(self) -> dict[str, int]:
        return counters(self.user.id)

    def start(self, name: str, size: int, parent: str | None = None, **extra: Any) -> Reply:
        return start(self.client, parent or self.home, name, size, **extra)

    def begin(self, name: str, size: int, parent: str | None = None, **extra: Any) -> dict:
        """A started upload (201 checked)."""
        reply = self.start(name, size, parent, **extra)
        assert reply.status == 201, reply.body
        return reply.json

    def send(
        self, upload: dict[str, Any], data: bytes, numbers: list[int] | None = None
    ) -> list[dict[str, Any]]:
        return put_parts(self.client, upload, data, numbers)

    def finish(self, upload: dict[str, Any], parts: list[dict[str, Any]] | None = None) -> Reply:
        return complete(self.client, upload["upload_id"], parts)

    def abort(self, upload: dict[str, Any]) -> None:
        reply = self.client.delete(f"/uploads/{upload['upload_id']}")
        assert reply.status == 204, reply.body

    def name_is_free(self, name: str, parent: str | None = None) -> bool:
        """Whether ``name`` can be taken again without a rename (the attempt is undone)."""
        reply = self.start(name, 0, parent, on_conflict="fail")
        if reply.status == 409:
            return False
        assert reply.status == 201, reply.body
        self.abort(reply.json)
        return True


@pytest.fixture
def drive_type() -> type[Drive]:
    return UploadDrive


# --- The part plan --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        pytest.param(0, (PART, 1), id="empty-file-one-part"),
        pytest.param(1, (PART, 1), id="one-byte-one-part"),
        pytest.param(PART, (PART, 1), id="exactly-the-minimum-one-part"),
        pytest.param(PART + 1, (PART, 2), id="one-byte-over-the-minimum-two-parts"),
        pytest.param(THREE_PARTS, (PART, 3), id="eleven-mib-three-parts"),
    ],
)
def test_cut_plans_parts_of_the_minimum_size(size, expected):
    assert cut(size, PART) == expected


@pytest.mark.parametrize("minimum", [PART, 8 * MIB], ids=["min-5-mib", "min-8-mib"])
@pytest.mark.parametrize(
    "size",
    [MAX_SIZE, MAX_SIZE - 1, MAX_PARTS * PART + 1, 50 * 1024**3 + 7],
    ids=["5-tib", "5-tib-less-one", "just-over-10000-minimum-parts", "50-gib-and-7"],
)
def test_cut_keeps_big_files_within_10000_whole_mib_parts(size, minimum):
    part_size, part_count = cut(size, minimum)
    assert part_count <= MAX_PARTS
    assert part_size % MIB == 0
    assert part_size >= minimum
    assert part_size * (part_count - 1) < size <= part_size * part_count


# --- The happy paths ------------------------------------------------------------------------


def test_single_put_upload_becomes_a_ready_file_counted_in_every_folder_and_the_stats(
    own_drive,
):
    drive = own_drive
    outer = drive.mkdir("outer")
    inner = drive.mkdir("inner", outer["id"])
    ancestors = [inner["id"], outer["id"], drive.home, drive.homes, drive.root]
    totals = {i: drive.node(i)["total_size"] for i in ancestors}
    before = drive.stats()
    assert before["reserved_bytes"] == 0
    data = payload(1000)

    started = drive.begin("photo.png", len(data), inner["id"], content_type="image/png")

    assert started["part_count"] == 1
    assert started["part_size"] >= len(data)
    assert started["file"]["status"] == "uploading"
    assert_signs_content_length(started["url"])
    assert drive.stats()["reserved_bytes"] == len(data)
    assert drive.send(started, data) == []
    done = drive.finish(started)
    assert done.status == 200, done.body
    file = done.json["file"]
    assert file["id"] == started["upload_id"]
    assert (file["status"], file["size"], file["name"]) == ("ready", 1000, "photo.png")
    assert file["parent_id"] == inner["id"]
    assert object_size(key_of(file)) == len(data)
    for folder_id in ancestors:
        assert drive.node(folder_id)["total_size"] == totals[folder_id] + len(data), folder_id
    after = drive.stats()
    assert after["used_bytes"] == before["used_bytes"] + len(data)
    assert after["file_count"] == before["file_count"] + 1
    assert after["by_type"]["image"]["bytes"] == before["by_type"]["image"]["bytes"] + len(data)
    assert after["by_type"]["image"]["count"] == before["by_type"]["image"]["count"] + 1
    assert after["reserved_bytes"] == 0
    invariants.check()


def test_three_part_upload_downloads_the_exact_bytes(drive):
    data = payload(THREE_PARTS)
    started = drive.begin("video.bin", len(data))
    assert (started["part_size"], started["part_count"]) == (PART, 3)
    assert "url" not in started

    urls = drive.client.post(f"/uploads/{started['upload_id']}/parts", {"part_numbers": [1, 2, 3]})
    assert urls.status == 200, urls.body
    assert set(urls.json["urls"]) == {"1", "2", "3"}
    for url in urls.json["urls"].values():
        assert_signs_content_length(url)
    done = drive.finish(started, drive.send(started, data))

    assert done.status == 200, done.body
    assert (done.json["file"]["status"], done.json["file"]["size"]) == ("ready", len(data))
    link = drive.client.get(f"/files/{started['upload_id']}/download?redirect=0")
    assert link.status == 200, link.body
    fetched = requests.get(link.json["url"], timeout=60)
    assert fetched.status_code == 200
    assert fetched.content == data
    invariants.check()


def test_upload_resumes_from_the_parts_s3_holds(drive):
    data = payload(THREE_PARTS)
    started = drive.begin("resumed.bin", len(data))
    first = drive.send(started, data, [1, 2])

    held = drive.client.get(f"/uploads/{started['upload_id']}/parts")

    assert held.status == 200, held.body
    assert held.json["parts"] == [
        {"part_number": 1, "etag": first[0]["etag"], "size": PART},
        {"part_number": 2, "etag": first[1]["etag"], "size": PART},
    ]
    last = drive.send(started, data, [3])
    parts = [{"part_number": p["part_number"], "etag": p["etag"]} for p in held.json["parts"]]
    done = drive.finish(started, parts + last)
    assert done.status == 200, done.body
    assert done.json["file"]["size"] == len(data)
    assert object_size(key_of(done.json["file"])) == len(data)
    invariants.check()


def test_upload_of_an_empty_file(drive):
    file = drive.upload("empty.txt", b"", content_type="text/plain")
    assert (file["status"], file["size"]) == ("ready", 0)
    assert object_size(key_of(file)) == 0
    invariants.check()


def test_an_empty_file_whose_part_was_never_sent_completes_empty(drive):
    started = drive.begin("nothing sent.txt", 0)

    done = drive.finish(started)

    assert done.status == 200, done.body
    assert (done.json["file"]["status"], done.json["file"]["size"]) == ("ready", 0)
    assert object_size(key_of(done.json["file"])) == 0
    assert open_multipart(key_of(done.json["file"])) == []
    invariants.check()


def test_a_one_part_upload_completes_with_its_part_list_too(drive):
    data = payload(100)
    started = drive.begin("listed.bin", len(data))
    sent = requests.put(started["url"], data=data, timeout=60)
    assert sent.status_code == 200, sent.text

    done = drive.finish(started, [{"part_number": 1, "etag": sent.headers["ETag"]}])

    assert done.status == 200, done.body
    assert object_size(key_of(done.json["file"])) == len(data)
    assert open_multipart(key_of(done.json["file"])) == []
    invariants.check()


# --- Sizes that are not what was declared ----------------------------------------------------


@pytest.mark.parametrize(
    ("declared", "sent"),
    [
        pytest.param(1000, 1001, id="single-put-one-byte-more"),
        pytest.param(1000, 999, id="single-put-one-byte-fewer"),
        pytest.param(1000, 0, id="single-put-empty-body"),
        pytest.param(THREE_PARTS, THREE_PARTS + 1, id="multipart-last-part-one-byte-more"),
        pytest.param(THREE_PARTS, THREE_PARTS - 1, id="multipart-last-part-one-byte-fewer"),
    ],
)
def test_complete_rejects_a_size_other_than_declared_and_leaves_nothing(drive, declared, sent):
    before = drive.counters()
    data = payload(sent)
    started = drive.begin("liar.bin", declared)
    parts = drive.send(started, data)

    details = assert_error(drive.finish(started, parts), 400, "size_mismatch")

    assert details == {"declared": declared, "received": sent}
    assert_nothing_stored(started["file"])
    assert drive.client.get(f"/nodes/{started['upload_id']}").status == 404
    assert "liar.bin" not in drive.names(drive.home)
    assert drive.counters() == before
    assert drive.name_is_free("liar.bin")
    invariants.check()


def test_complete_of_a_single_put_before_any_bytes_is_refused_and_keeps_the_upload(drive):
    started = drive.begin("not yet.txt", 10)

    assert_error(drive.finish(started), 400, "invalid_request")

    assert drive.node(started["upload_id"])["status"] == "uploading"
    drive.send(started, b"0123456789")
    assert drive.finish(started).status == 200
    invariants.check()


# --- Completing twice, aborting ---------------------------------------------------------------


def test_complete_twice_answers_the_same_file_and_counts_it_once(drive):
    data = payload(THREE_PARTS)
    started = drive.begin("twice.bin", len(data))
    parts = drive.send(started, data)
    first = drive.finish(started, parts)
    assert first.status == 200, first.body
    after_first = drive.counters()
    home = drive.node(drive.home)

    again = drive.finish(started, parts)

    assert again.status == 200, again.body
    assert again.json["file"] == first.json["file"]
    assert drive.counters() == after_first
    assert drive.node(drive.home)["total_size"] == home["total_size"]
    assert object_size(key_of(first.json["file"])) == len(data)
    invariants.check()


@pytest.mark.parametrize(
    "action",
    [
        pytest.param(("POST", "/parts", {"part_numbers": [1]}), id="sign"),
        pytest.param(("GET", "/parts", None), id="list"),
        pytest.param(("DELETE", "", None), id="abort"),
    ],
)
def test_a_completed_upload_can_no_longer_be_signed_listed_or_aborted(drive, action):
    method, suffix, body = action
    file = drive.upload("finished.txt", b"done", content_type="text/plain")
    before = drive.counters()

    reply = drive.client.request(method, f"/uploads/{file['id']}{suffix}", body)

    assert_error(reply, 404, "not_found")
    assert drive.node(file["id"])["status"] == "ready"
    assert object_size(key_of(file)) == 4
    assert drive.counters() == before
    invariants.check()


@pytest.mark.parametrize("size", [1000, THREE_PARTS], ids=["single-put", "multipart"])
def test_abort_deletes_the_parts_and_gives_everything_back(drive, size):
    before = drive.counters()
    data = payload(size)
    started = drive.begin("dropped.bin", size)
    drive.send(started, data, [1])  # S3 holds something: the object, or the first part
    if started["part_count"] > 1:
        assert open_multipart(key_of(started["file"]))

    reply = drive.client.delete(f"/uploads/{started['upload_id']}")

    assert reply.status == 204, reply.body
    assert_nothing_stored(started["file"])
    assert drive.counters() == before
    assert drive.client.get(f"/nodes/{started['upload_id']}").status == 404
    assert drive.name_is_free("dropped.bin")
    assert_error(drive.client.delete(f"/uploads/{started['upload_id']}"), 404, "not_found")
    assert_error(drive.finish(started), 404, "not_found")
    invariants.check()


# --- Quota ------------------------------------------------------------------------------------


def test_upload_that_exactly_fits_the_quota_is_accepted_and_one_byte_more_is_not(own_drive):
    drive = own_drive
    set_quota(drive.user.id, 1000)
    before = drive.counters()
    assert before["free_bytes"] == 1000

    refused = drive.start("too big.bin", 1001)

    details = assert_error(refused, 413, "quota_exceeded")
    assert details == {"size": 1001, "free_bytes": 1000}
    assert drive.names(drive.home) == []
    assert drive.counters() == before
    fits = drive.begin("fits.bin", 1000)
    assert drive.counters()["free_bytes"] == 0
    details = assert_error(drive.start("one more.bin", 1), 413, "quota_exceeded")
    assert details == {"size": 1, "free_bytes": 0}
    done = drive.finish(fits, drive.send(fits, payload(1000)))
    assert done.status == 200, done.body
    after = drive.counters()
    assert (after["used_bytes"], after["reserved_bytes"], after["free_bytes"]) == (1000, 0, 0)
    assert_error(drive.start("one more.bin", 1), 413, "quota_exceeded")
    assert drive.names(drive.home) == ["fits.bin"]
    invariants.check()


def test_an_empty_file_fits_a_full_quota(own_drive):
    drive = own_drive
    set_quota(drive.user.id, 0)

    file = drive.upload("nothing.txt", b"", content_type="text/plain")

    assert file["size"] == 0
    assert drive.counters()["file_count"] == 1
    invariants.check()


def test_a_five_tib_upload_is_valid_but_beyond_the_quota(drive):
    before = drive.counters()
    details = assert_error(drive.start("huge.bin", MAX_SIZE), 413, "quota_exceeded")
    assert details["size"] == MAX_SIZE
    assert drive.counters() == before


# --- Names ------------------------------------------------------------------------------------


def test_upload_renames_on_a_clash_by_default(drive):
    first = drive.upload("report.txt", b"one", content_type="text/plain")
    second = drive.begin("report.txt", 3)
    third = drive.begin("report.txt", 3, on_conflict="rename")

    assert first["name"] == "report.txt"
    assert second["file"]["name"] == "report (1).txt"
    assert third["file"]["name"] == "report (2).txt"
    assert sorted(drive.names(drive.home)) == ["report (1).txt", "report (2).txt", "report.txt"]
    drive.abort(second)
    drive.abort(third)
    invariants.check()


@pytest.mark.parametrize(
    ("existing", "clashing"),
    [
        pytest.param("Notes.md", "Notes.md", id="same-name"),
        pytest.param("Notes.md", "NOTES.MD", id="other-case"),
        pytest.param("straße.txt", "STRASSE.TXT", id="casefold-sharp-s"),
        pytest.param("Ärger.txt", "ärger.TXT", id="other-case-non-ascii"),
    ],
)
def test_upload_with_on_conflict_fail_refuses_a_taken_name_whatever_its_case(
    drive, existing, clashing
):
    drive.upload(existing, b"x", content_type="text/plain")
    before = drive.counters()

    assert_error(drive.start(clashing, 1, on_conflict="fail"), 409, "name_taken")

    assert drive.names(drive.home) == [existing]
    assert drive.counters() == before
    invariants.check()


def test_upload_renames_a_clash_in_another_case_keeping_its_own_spelling(drive):
    drive.upload("Data.CSV", b"a", content_type="text/csv")

    renamed = drive.begin("data.csv", 1)

    assert renamed["file"]["name"] == "data (1).csv"
    drive.abort(renamed)


def test_upload_clashes_with_a_folder_of_the_same_name(drive):
    drive.mkdir("archive.zip")
    assert_error(drive.start("archive.zip", 1, on_conflict="fail"), 409, "name_taken")
    renamed = drive.begin("archive.zip", 1)
    assert renamed["file"]["name"] == "archive (1).zip"
    drive.abort(renamed)


def test_a_pending_upload_holds_its_name(drive):
    pending = drive.begin("pending.txt", 5)
    assert_error(drive.start("PENDING.txt", 5, on_conflict="fail"), 409, "name_taken")
    drive.abort(pending)
    assert drive.name_is_free("PENDING.txt")


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("q\u0301.txt", id="combining-accent-without-a-composed-form"),
        pytest.param("日本語のファイル.txt", id="japanese"),
        pytest.param("😀 party 🎉.png", id="emoji"),
        pytest.param("family 👨‍👩‍👧.jpg", id="emoji-zwj-sequence"),
        pytest.param("تقرير سنوي.pdf", id="arabic-rtl"),
        pytest.param("דוח שנתי.docx", id="hebrew-rtl"),
        pytest.param("mixed עברית and English.txt", id="mixed-direction"),
        pytest.param("😀" * 251 + ".png", id="255-emoji-code-points"),
    ],
)
def test_upload_keeps_the_name_exactly(drive, name):
    started = drive.begin(name, 3)
    assert started["file"]["name"] == name
    drive.send(started, b"abc")
    done = drive.finish(started)

    assert done.status == 200, done.body
    assert done.json["file"]["name"] == name
    assert drive.node(started["upload_id"])["name"] == name
    assert drive.names(drive.home) == [name]
    invariants.check()


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("a/b.txt", id="slash"),
        pytest.param("a\x00b.txt", id="nul"),
        pytest.param("tab\there.txt", id="tab"),
        pytest.param("line\nbreak.txt", id="newline"),
        pytest.param("del\x7f.txt", id="delete-char"),
        pytest.param("c1\x85.txt", id="c1-control"),
        pytest.param(".", id="dot"),
        pytest.param("..", id="dot-dot"),
        pytest.param("x" * 256, id="256-characters"),
        pytest.param("😀" * 256, id="256-emoji"),
        pytest.param("", id="empty"),
        pytest.param("   ", id="only-spaces"),
        pytest.param(42, id="number"),
        pytest.param(None, id="null"),
    ],
)
def test_upload_rejects_the_name(drive, name):
    before = drive.counters()

    details = assert_error(drive.start(name, 1), 400, "invalid_request")

    assert "name" in details["fields"], details
    assert drive.counters() == before


# --- Validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"size": -1}, "size", id="size-negative"),
        pytest.param({"size": 1.5}, "size", id="size-float"),
        pytest.param({"size": "10"}, "size", id="size-string"),
        pytest.param({"size": True}, "size", id="size-boolean"),
        pytest.param({"size": None}, "size", id="size-null"),
        pytest.param({"size": MAX_SIZE + 1}, "size", id="size-over-5-tib"),
        pytest.param({"size": 10**30}, "size", id="size-huge"),
        pytest.param({"content_type": "text"}, "content_type", id="type-without-subtype"),
        pytest.param({"content_type": "text/"}, "content_type", id="type-empty-subtype"),
        pytest.param({"content_type": "/plain"}, "content_type", id="type-empty-type"),
        pytest.param({"content_type": "te xt/plain"}, "content_type", id="type-with-space"),
        pytest.param({"content_type": "text/pl\nain"}, "content_type", id="type-control"),
        pytest.param({"content_type": "a/b/c"}, "content_type", id="type-two-slashes"),
        pytest.param(
            {"content_type": "text/plain; x=" + "a" * 250}, "content_type", id="type-256-chars"
        ),
        pytest.param(
            {"content_type": "application/" + "x" * 300}, "content_type", id="type-too-long"
        ),
        pytest.param({"content_type": 7}, "content_type", id="type-number"),
        pytest.param(
            {"content_type": "text/plain; a=b, text/html"}, "content_type", id="type-comma-html"
        ),
        pytest.param({"content_type": "image/png; x=1"}, "content_type", id="type-unknown-param"),
        pytest.param(
            {"content_type": 'text/plain; charset="utf-8"'}, "content_type", id="type-quoted"
        ),
        pytest.param({"on_conflict": "overwrite"}, "on_conflict", id="on-conflict-unknown"),
        pytest.param({"on_conflict": "RENAME"}, "on_conflict", id="on-conflict-upper-case"),
        pytest.param({"on_conflict": None}, "on_conflict", id="on-conflict-null"),
        pytest.param({"parent_id": None}, "parent_id", id="parent-null"),
        pytest.param({"parent_id": 12}, "parent_id", id="parent-number"),
    ],
)
def test_start_rejects_the_field(drive, change, field):
    before = drive.counters()
    body = {"parent_id": drive.root, "name": "valid.txt", "size": 10, **change}
    body.setdefault("content_type", "text/plain")

    details = assert_error(drive.client.post("/uploads", body), 400, "invalid_request")

    assert field in details["fields"], details
    assert drive.counters() == before


@pytest.mark.parametrize(
    "missing", ["parent_id", "name", "size"], ids=["no-parent", "no-name", "no-size"]
)
def test_start_requires_the_field(drive, missing):
    body = {"parent_id": drive.root, "name": "valid.txt", "size": 10}
    del body[missing]
    details = assert_error(drive.client.post("/uploads", body), 400, "invalid_request")
    assert missing in details["fields"], details


@pytest.mark.parametrize(
    "raw",
    [b"not json", b"[1, 2]", b'"text"', b"null", b""],
    ids=["malformed", "array", "string", "null", "empty"],
)
def test_start_rejects_a_body_that_is_not_a_json_object(drive, raw):
    assert_error(drive.client.post("/uploads", raw=raw), 400, "invalid_request")


@pytest.mark.parametrize(
    ("content_type", "stored"),
    [
        pytest.param(None, "application/octet-stream", id="absent"),
        pytest.param("Image/PNG", "image/png", id="upper-case-lowered"),
        pytest.param("text/plain; charset=utf-8", "text/plain; charset=utf-8", id="charset"),
        pytest.param("Text/Plain ;Charset=UTF8", "text/plain; charset=utf-8", id="charset-loose"),
        pytest.param("", "application/octet-stream", id="empty-as-browsers-send-for-unknown"),
        pytest.param("application/x-made-up", "application/x-made-up", id="unknown-kept"),
        pytest.param("application/vnd.ms-excel", "application/vnd.ms-excel", id="vendor"),
    ],
)
def test_start_accepts_the_content_type(drive, content_type, stored):
    body = {"parent_id": drive.home, "name": unique("typed"), "size": 1}
    if content_type is not None:
        body["content_type"] = content_type
    reply = drive.client.post("/uploads", body)
    assert reply.status == 201, reply.body
    assert reply.json["file"]["content_type"] == stored
    drive.abort(reply.json)


@pytest.fixture
def multipart(drive, kept) -> dict[str, Any]:
    """The owner's three-part upload that is never sent nor finished (made once: the tests
    that use it only send what is refused, and leave it as it was)."""
    if "multipart" not in kept:
        kept["multipart"] = drive.begin(unique("parts"), THREE_PARTS, drive.homes)
    return kept["multipart"]


@pytest.mark.parametrize(
    "numbers",
    [
        pytest.param([], id="empty"),
        pytest.param(list(range(1, 102)), id="101-items"),
        pytest.param([0], id="zero"),
        pytest.param([-1], id="negative"),
        pytest.param([4], id="beyond-part-count"),
        pytest.param([1, 4], id="one-beyond-part-count"),
        pytest.param([10_001], id="beyond-s3s-limit"),
        pytest.param(["1"], id="string"),
        pytest.param([1.5], id="float"),
        pytest.param([True], id="boolean"),
        pytest.param([None], id="null-item"),
        pytest.param([[1]], id="nested-array"),
        pytest.param("1", id="not-an-array"),
        pytest.param(1, id="a-bare-number"),
        pytest.param(None, id="null"),
    ],
)
def test_sign_parts_rejects_the_part_numbers(drive, multipart, numbers):
    before = drive.counters()

    reply = drive.client.post(f"/uploads/{multipart['upload_id']}/parts", {"part_numbers": numbers})

    details = assert_error(reply, 400, "invalid_request")
    assert "part_numbers" in details["fields"], details
    assert drive.counters() == before


def test_sign_parts_accepts_100_numbers_repeats_included(drive, multipart):
    numbers = [1, 2, 3] * 33 + [3]
    reply = drive.client.post(f"/uploads/{multipart['upload_id']}/parts", {"part_numbers": numbers})
    assert reply.status == 200, reply.body
    assert set(reply.json["urls"]) == {"1", "2", "3"}
    assert reply.json["expires_at"]


def test_complete_of_a_multipart_upload_requires_its_parts(drive, multipart):
    before = drive.counters()

    details = assert_error(drive.finish(multipart), 400, "invalid_request")

    assert "parts" in details["fields"], details
    assert drive.node(multipart["upload_id"])["status"] == "uploading"
    assert drive.counters() == before


@pytest.mark.parametrize(
    "parts",
    [
        pytest.param([], id="empty"),
        pytest.param("1", id="not-an-array"),
        pytest.param({"part_number": 1, "etag": "x"}, id="an-object"),
        pytest.param(["x"], id="item-a-string"),
        pytest.param([{"part_number": 1}], id="no-etag"),
        pytest.param([{"etag": '"x"'}], id="no-number"),
        pytest.param([{"part_number": "1", "etag": '"x"'}], id="number-a-string"),
        pytest.param([{"part_number": 1.0, "etag": '"x"'}], id="number-a-float"),
        pytest.param([{"part_number": True, "etag": '"x"'}], id="number-a-boolean"),
        pytest.param([{"part_number": 1, "etag": 7}], id="etag-a-number"),
        pytest.param([{"part_number": 1, "etag": ""}], id="etag-empty"),
        pytest.param(
            [{"part_number": 2, "etag": '"x"'}, {"part_number": 1, "etag": '"y"'}],
            id="out-of-order",
        ),
        pytest.param(
            [{"part_number": 1, "etag": '"x"'}, {"part_number": 1, "etag": '"x"'}],
            id="repeated",
        ),
        pytest.param([{"part_number": 0, "etag": '"x"'}], id="number-zero"),
        pytest.param([{"part_number": 4, "etag": '"x"'}], id="number-beyond-part-count"),
    ],
)
def test_complete_rejects_parts_of_the_wrong_shape(drive, multipart, parts):
    before = drive.counters()

    reply = drive.client.post(f"/uploads/{multipart['upload_id']}/complete", {"parts": parts})

    details = assert_error(reply, 400, "invalid_request")
    assert "parts" in details["fields"], details
    assert drive.node(multipart["upload_id"])["status"] == "uploading"
    assert drive.counters() == before


def test_complete_with_etags_s3_does_not_hold_is_refused_and_keeps_the_upload(drive):
    data = payload(THREE_PARTS)
    started = drive.begin("wrong etags.bin", len(data))
    parts = drive.send(started, data)
    wrong = [{**p, "etag": '"00000000000000000000000000000000"'} for p in parts]
    before = drive.counters()

    details = assert_error(drive.finish(started, wrong), 400, "invalid_request")

    assert "parts" in details["fields"], details
    assert drive.counters() == before
    done = drive.finish(started, parts)
    assert done.status == 200, done.body
    invariants.check()


# --- What a caller may not see ----------------------------------------------------------------

ACTIONS = [
    pytest.param(("POST", "/parts", {"part_numbers": [1]}), id="sign"),
    pytest.param(("GET", "/parts", None), id="list"),
    pytest.param(("POST", "/complete", {}), id="complete"),
    pytest.param(("DELETE", "", None), id="abort"),
]


@pytest.mark.parametrize("action", ACTIONS)
def test_an_unknown_upload_is_not_found(drive, action):
    method, suffix, body = action
    reply = drive.client.request(method, f"/uploads/{UNKNOWN_ID}{suffix}", body)
    assert_error(reply, 404, "not_found")


@pytest.mark.parametrize("action", ACTIONS)
def test_another_users_upload_is_not_found_and_left_alone(drive, stranger, multipart, action):
    method, suffix, body = action
    if suffix == "/complete":
        body = {"parts": [{"part_number": 1, "etag": '"0"'}]}
    before = drive.counters()

    reply = stranger.client.request(method, f"/uploads/{multipart['upload_id']}{suffix}", body)

    assert_error(reply, 404, "not_found")
    assert drive.counters() == before
    assert drive.node(multipart["upload_id"])["status"] == "uploading"
    assert open_multipart(key_of(multipart["file"]))


def test_upload_into_another_users_folder_is_not_found(drive, stranger):
    before, theirs = drive.counters(), stranger.counters()
    assert_error(stranger.start("intruder.txt", 1, drive.home), 404, "not_found")
    assert_error(stranger.start("intruder.txt", 1, drive.root), 404, "not_found")
    assert drive.names(drive.home) == []
    assert (drive.counters(), stranger.counters()) == (before, theirs)


def test_upload_into_a_file_is_not_found(drive):
    file = drive.upload("plain.txt", b"x", content_type="text/plain")
    before = drive.counters()
    assert_error(drive.start("inside.txt", 1, file["id"]), 404, "not_found")
    assert drive.counters() == before


def test_upload_into_an_unknown_folder_is_not_found(drive):
    assert_error(drive.start("lost.txt", 1, UNKNOWN_ID), 404, "not_found")


def test_upload_requires_sign_in(api, drive):
    reply = api.post("/uploads", {"parent_id": drive.root, "name": "anon.txt", "size": 1})
    assert_error(reply, 401, "unauthenticated")


def test_upload_works_with_a_bearer_token(drive, token_client):
    script = token_client(drive.user)
    data = payload(100)
    started = start(script, drive.home, "scripted.bin", len(data))
    assert started.status == 201, started.body
    done = complete(script, started.json["upload_id"], put_parts(script, started.json, data))
    assert done.status == 200, done.body
    invariants.check()


# --- The hourly job ---------------------------------------------------------------------------


def test_hourly_job_aborts_uploads_older_than_the_stale_age_and_only_those(drive):
    before = drive.counters()
    data = payload(THREE_PARTS)
    old = drive.begin("forgotten.bin", len(data))
    drive.send(old, data, [1])
    fresh = drive.begin("in progress.bin", 10)
    stale_age = timedelta(seconds=get_settings().upload_stale_s + 60)
    age_upload(old["upload_id"], by=stale_age)

    assert jobs.hourly() == {"uploads_aborted": 1, "uploads_idle_released": 0}

    assert_nothing_stored(old["file"])
    assert drive.client.get(f"/nodes/{old['upload_id']}").status == 404
    assert drive.counters()["reserved_bytes"] == before["reserved_bytes"] + 10
    assert jobs.hourly() == {"uploads_aborted": 0, "uploads_idle_released": 0}
    assert drive.node(fresh["upload_id"])["status"] == "uploading"
    assert drive.client.get(f"/uploads/{fresh['upload_id']}/parts").status == 200
    assert drive.name_is_free("forgotten.bin")
    invariants.check()
    drive.abort(fresh)
    assert drive.counters() == before


def test_hourly_job_leaves_an_upload_just_younger_than_the_stale_age_still_sending(drive):
    young = drive.begin("young.bin", 10)
    age_upload(young["upload_id"], by=timedelta(seconds=get_settings().upload_stale_s - 60))
    drive.send(young, b"0123456789")  # bytes within the hour: not idle either

    assert jobs.hourly() == {"uploads_aborted": 0, "uploads_idle_released": 0}

    assert drive.node(young["upload_id"])["status"] == "uploading"
    drive.abort(young)


# --- Folders that go away meanwhile -----------------------------------------------------------


def test_upload_into_a_folder_trashed_before_complete_comes_back_with_the_folder(drive):
    box = drive.mkdir("box")
    data = payload(1234)
    started = drive.begin("late.bin", len(data), box["id"])
    drive.send(started, data)
    assert drive.client.delete(f"/nodes/{box['id']}").status == 204
    home_total = drive.node(drive.home)["total_size"]
    used = drive.counters()["used_bytes"]

    done = drive.finish(started)

    assert done.status == 200, done.body
    assert done.json["file"]["status"] == "ready"
    assert drive.client.get(f"/nodes/{started['upload_id']}").status == 404
    assert drive.names(drive.home) == []
    assert drive.node(drive.home)["total_size"] == home_total
    assert drive.counters()["used_bytes"] == used + len(data)
    invariants.check()
    restored = drive.client.post(f"/trash/{box['id']}/restore")
    assert restored.status == 200, restored.body
    assert drive.names(box["id"]) == ["late.bin"]
    assert drive.node(box["id"])["total_size"] == len(data)
    assert drive.node(drive.home)["total_size"] == home_total + len(data)
    assert drive.node(started["upload_id"])["status"] == "ready"
    invariants.check()


def test_upload_into_a_folder_trashed_before_complete_can_still_be_aborted(drive):
    before = drive.counters()
    box = drive.mkdir("box")
    data = payload(THREE_PARTS)
    started = drive.begin("late.bin", len(data), box["id"])
    drive.send(started, data, [1])
    assert drive.client.delete(f"/nodes/{box['id']}").status == 204

    reply = drive.client.delete(f"/uploads/{started['upload_id']}")

    assert reply.status == 204, reply.body
    assert_nothing_stored(started["file"])
    assert drive.counters() == before
    invariants.check()
    assert drive.client.post(f"/trash/{box['id']}/restore").status == 200
    assert drive.names(box["id"]) == []
    assert drive.node(box["id"])["child_count"] == 0
    invariants.check()
