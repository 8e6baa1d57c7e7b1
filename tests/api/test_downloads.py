"""Downloads: GET /files/{id}/download answers a presigned S3 GET (a 302, or ``{url,
expires_at}`` with ``?redirect=0``) that names the file as its owner named it and renders in
the page only when asked and only for types that cannot run script.

One moto stack serves the module: it signs up an owner and a stranger once, and a test that
writes gets a fresh folder of its own (``home``). The URLs are fetched with ``requests``, which
moto answers in-process, so every test sees the bytes and the headers S3 would send.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import pytest
import requests

from chalicelib import storage
from tests import files
from tests.client import Reply, assert_error
from tests.drives import UNKNOWN_ID, Drive, set_node_attribute, unique

SHARED_STACK = True  # see tests/conftest.py: module_stack

ISO_SECONDS = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# RFC 6266 with RFC 8187: a quoted ASCII fallback, then the real name percent-encoded in UTF-8
# (attr-char only: letters, digits and !#$&+-.^_`|~).
DISPOSITION = re.compile(
    r"(?P<kind>inline|attachment); filename=\"(?P<fallback>[^\"\\]*)\"; "
    r"filename\*=UTF-8''(?P<encoded>[A-Za-z0-9!#$&+\-.^_`|~%]+)"
)
# (uploaded as, served as): plain text is always named UTF-8 (filetypes.served).
SAFE_TYPES = [
    pytest.param("image/png", "image/png", id="image/png"),
    pytest.param("image/jpeg", "image/jpeg", id="image/jpeg"),
    pytest.param("video/mp4", "video/mp4", id="video/mp4"),
    pytest.param("audio/mpeg", "audio/mpeg", id="audio/mpeg"),
    pytest.param("application/pdf", "application/pdf", id="application/pdf"),
    pytest.param("text/plain", "text/plain; charset=utf-8", id="text/plain"),
]
UNSAFE_TYPES = [
    "text/html",
    "image/svg+xml",
    "application/xml",
    "text/xml",
    "application/octet-stream",
    "application/x-teamdrive-unknown",
    "chemical/x-pdb",
]
NAMES = [
    pytest.param("report.pdf", id="plain-ascii"),
    pytest.param("보고서.pdf", id="korean"),
    pytest.param("🎉 party 🎂.png", id="emoji"),
    pytest.param("تقرير السنة.txt", id="rtl-arabic"),
    pytest.param("\u202etxt.exe", id="rtl-override"),
    pytest.param('say "hi".txt', id="double-quotes"),
    pytest.param("it's.txt", id="apostrophe"),
    pytest.param("back\\slash.txt", id="backslash"),
    pytest.param("100% done.txt", id="percent"),
    pytest.param("%41%42.txt", id="percent-escape-lookalike"),
    pytest.param("a;b; filename=evil.html", id="semicolon-and-parameter"),
    pytest.param("e\u0301te\u0301.txt", id="combining-accent"),
    pytest.param("naïve café.txt", id="latin-1"),
    pytest.param("  spaced  out  .txt", id="spaces"),
    pytest.param("x" * 251 + ".txt", id="255-characters"),
]


def parse_disposition(header: str) -> dict[str, str]:
    """The kind, the fallback and the decoded ``filename*`` of a Content-Disposition."""
    match = DISPOSITION.fullmatch(header)
    assert match, header
    return {
        "kind": match["kind"],
        "fallback": match["fallback"],
        "name": unquote(match["encoded"], encoding="utf-8", errors="strict"),
    }


def signed_params(url: str) -> dict[str, str]:
    """The query of a presigned URL, one value per name."""
    query = parse_qs(urlsplit(url).query, keep_blank_values=True, strict_parsing=True)
    assert all(len(values) == 1 for values in query.values()), query
    return {name: values[0] for name, values in query.items()}


def assert_served_as_bytes(url: str, content: bytes) -> None:
    """``url`` (signed, then fetched) serves ``content`` as an attachment of plain bytes."""
    params = signed_params(url)
    assert parse_disposition(params["response-content-disposition"])["kind"] == "attachment"
    assert params["response-content-type"] == "application/octet-stream"
    fetched = requests.get(url, timeout=30)
    assert fetched.headers["Content-Type"] == "application/octet-stream"
    assert fetched.headers["Content-Disposition"].startswith("attachment;")
    assert fetched.content == content


class DownloadDrive(Drive):
    """A drive that also asks for download links."""

    def download(self, file_id: str, **params: Any) -> Reply:
        query = f"?{urlencode(params)}" if params else ""
        return self.client.get(f"/files/{file_id}/download{query}")

    def link(self, file_id: str, **params: Any) -> dict[str, Any]:
        reply = self.download(file_id, redirect="0", **params)
        assert reply.status == 200, reply.body
        return reply.json


@pytest.fixture
def drive_type() -> type[Drive]:
    return DownloadDrive


# --- the link -----------------------------------------------------------------------------------


def test_download_redirects_to_a_presigned_get_that_serves_the_bytes(drive):
    data = b"\x00\x01 the exact bytes \xff" * 10
    made = drive.upload("data.bin", data)

    reply = drive.download(made["id"])

    assert reply.status == 302, reply.body
    location = reply.headers["Location"]
    assert location.startswith("https://"), location
    params = signed_params(location)
    assert params["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert 1 <= int(params["X-Amz-Expires"]) <= 300, params["X-Amz-Expires"]
    assert params["X-Amz-Signature"]
    fetched = requests.get(location, timeout=30)
    assert fetched.status_code == 200, fetched.text
    assert fetched.content == data


def test_download_with_redirect_0_answers_the_url_and_its_expiry(drive):
    data = b"hello, world\n"
    made = drive.upload("hello.txt", data, content_type="text/plain")
    before = datetime.now(UTC).replace(microsecond=0)

    reply = drive.download(made["id"], redirect="0")

    after = datetime.now(UTC)
    assert reply.status == 200, reply.body
    assert "Location" not in reply.headers
    body = reply.json
    assert set(body) == {"url", "expires_at"}
    assert ISO_SECONDS.fullmatch(body["expires_at"]), body["expires_at"]
    expires = datetime.strptime(body["expires_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    lifetime = int(signed_params(body["url"])["X-Amz-Expires"])
    assert 1 <= lifetime <= 300
    assert before + timedelta(seconds=lifetime - 1) <= expires
    assert expires <= after + timedelta(seconds=lifetime)
    fetched = requests.get(body["url"], timeout=30)
    assert fetched.status_code == 200, fetched.text
    assert fetched.content == data


def test_the_url_names_the_file_by_ids_only(drive):
    made = drive.upload(unique("secret plans"), b"x", content_type="text/plain")

    url = drive.link(made["id"])["url"]

    path = urlsplit(url).path
    assert path.endswith(f"/files/{drive.user.id}/{made['id']}"), path
    assert "secret" not in path


def test_download_of_an_empty_file(drive):
    made = drive.upload("empty.txt", b"", content_type="text/plain")

    fetched = requests.get(drive.link(made["id"])["url"], timeout=30)

    assert fetched.status_code == 200, fetched.text
    assert fetched.content == b""


def test_download_works_with_a_bearer_token(drive, token_client):
    made = drive.upload("for the script.bin", b"script bytes")

    reply = token_client(drive.user).get(f"/files/{made['id']}/download")

    assert reply.status == 302, reply.body
    assert requests.get(reply.headers["Location"], timeout=30).content == b"script bytes"


# --- how it is served ---------------------------------------------------------------------------


@pytest.mark.parametrize(("content_type", "served"), SAFE_TYPES)
def test_download_is_an_attachment_by_default(drive, content_type, served):
    made = drive.upload("thing", b"bytes", content_type=content_type)

    url = drive.link(made["id"])["url"]

    params = signed_params(url)
    assert parse_disposition(params["response-content-disposition"])["kind"] == "attachment"
    assert params["response-content-type"] == served
    fetched = requests.get(url, timeout=30)
    assert fetched.headers["Content-Disposition"] == params["response-content-disposition"]
    assert fetched.headers["Content-Type"] == served


@pytest.mark.parametrize(("content_type", "served"), SAFE_TYPES)
def test_inline_1_renders_safe_types_in_the_page(drive, content_type, served):
    made = drive.upload("thing", b"bytes", content_type=content_type)

    url = drive.link(made["id"], inline="1")["url"]

    params = signed_params(url)
    assert parse_disposition(params["response-content-disposition"]) == {
        "kind": "inline",
        "fallback": "thing",
        "name": "thing",
    }
    assert params["response-content-type"] == served
    fetched = requests.get(url, timeout=30)
    assert fetched.status_code == 200, fetched.text
    assert fetched.headers["Content-Disposition"].startswith("inline;")
    assert fetched.headers["Content-Type"] == served


def test_inline_keeps_the_parameters_of_a_safe_type(drive):
    made = drive.upload("notes.txt", "ünïcödé".encode(), content_type="text/plain; charset=utf-8")

    params = signed_params(drive.link(made["id"], inline="1")["url"])

    assert parse_disposition(params["response-content-disposition"])["kind"] == "inline"
    assert params["response-content-type"] == "text/plain; charset=utf-8"


@pytest.mark.parametrize("inline", ["0", "true", "yes", "", "11"])
def test_inline_is_given_only_for_inline_1(drive, inline):
    made = drive.upload("photo.png", b"\x89PNG", content_type="image/png")

    params = signed_params(drive.link(made["id"], inline=inline)["url"])

    assert parse_disposition(params["response-content-disposition"])["kind"] == "attachment"


@pytest.mark.parametrize(
    "inline", [pytest.param(None, id="default"), pytest.param("1", id="inline")]
)
@pytest.mark.parametrize("content_type", UNSAFE_TYPES)
def test_types_that_could_run_script_or_are_unknown_always_download_as_bytes(
    drive, content_type, inline
):
    html = b"<html><script>alert(document.cookie)</script></html>"
    made = drive.upload("page", html, content_type=content_type)
    asked = {"inline": inline} if inline else {}

    url = drive.link(made["id"], **asked)["url"]

    assert_served_as_bytes(url, html)


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        pytest.param("photo.png", "text/html", id="html-named-png"),
        pytest.param("picture.jpg", "image/svg+xml", id="svg-named-jpg"),
        pytest.param("readme.txt", "text/xml", id="xml-named-txt"),
        pytest.param("movie.mp4", "application/x-unknown", id="unknown-named-mp4"),
        pytest.param("page.html", "text/html; charset=utf-8", id="html-with-charset"),
    ],
)
def test_the_name_does_not_make_an_unsafe_type_render(drive, name, content_type):
    made = drive.upload(name, b"<svg onload=alert(1)>", content_type=content_type)

    params = signed_params(drive.link(made["id"], inline="1")["url"])

    assert parse_disposition(params["response-content-disposition"]) == {
        "kind": "attachment",
        "fallback": name,
        "name": name,
    }
    assert params["response-content-type"] == "application/octet-stream"


def test_a_safe_type_in_upper_case_is_still_safe(drive):
    made = drive.upload("shout.png", b"\x89PNG", content_type="IMAGE/PNG")

    params = signed_params(drive.link(made["id"], inline="1")["url"])

    assert parse_disposition(params["response-content-disposition"])["kind"] == "inline"
    assert params["response-content-type"] == "image/png"


# --- content types that could pass for HTML ----------------------------------------------------

# Stored verbatim before, then served inline as HTML (Chromium takes the last type of a list).
ATTACKS = [
    pytest.param("text/plain; a=b, text/html", id="text-plain-parameter-comma-html"),
    pytest.param("image/png; x=1, text/html", id="png-parameter-comma-html"),
    pytest.param('application/pdf;x="",text/html', id="pdf-quoted-comma-html"),
]
HTML = b"<html><script>alert(document.domain)</script></html>"


def _member_of_a_team_the_folder_is_shared_with(owner: Drive, member: Drive) -> None:
    invitations = "/teams/{}/invitations"
    made = owner.client.post("/teams", {"name": unique("readers")})
    assert made.status == 201, made.body
    team = made.json["team"]["id"]
    invited = owner.client.post(invitations.format(team), {"username": member.user.username})
    assert invited.status == 201, invited.body
    assert member.client.post(invitations.format(team) + "/accept").status == 200
    body = {"folder_id": owner.home, "access": "read"}
    shared = owner.client.post(f"/teams/{team}/shared-folders", body)
    assert shared.status == 201, shared.body


def _url_for(
    who: str, drive: DownloadDrive, stranger: DownloadDrive, api: Any, file_id: str
) -> str:
    """The download URL the owner, a team member or anyone with a share link gets, each
    asking to see the file in the page where they can."""
    if who == "owner":
        return str(drive.link(file_id, inline="1")["url"])
    if who == "team-member":
        _member_of_a_team_the_folder_is_shared_with(drive, stranger)
        return str(stranger.link(file_id, inline="1")["url"])
    made = drive.client.post("/shares", {"node_id": file_id})
    assert made.status == 201, made.body
    token = made.json["url"].rsplit("/", 1)[1]
    got = api.post(f"/public/shares/{token}/download", {})
    assert got.status == 200, got.body
    return str(got.json["url"])


WHO = ["owner", "team-member", "share-link"]


@pytest.mark.parametrize(
    "content_type",
    [
        *ATTACKS,
        pytest.param("text/plain, text/html", id="two-types"),
        pytest.param("text/plain; format=flowed", id="unknown-parameter"),
        pytest.param("text/plain\r\nX-Injected: 1", id="crlf"),
        pytest.param("text/mar\u212adown", id="non-ascii-lookalike"),
    ],
)
def test_an_upload_whose_content_type_is_not_one_plain_type_is_refused(drive, content_type):
    body = {"parent_id": drive.home, "name": "page.txt", "size": len(HTML)}

    reply = drive.client.post("/uploads", {**body, "content_type": content_type})

    details = assert_error(reply, 400, "invalid_request")
    assert set(details["fields"]) == {"content_type"}, details
    assert drive.names(drive.home) == []


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("stored", ATTACKS)
def test_a_type_stored_before_the_strict_rule_is_served_as_an_attachment_of_bytes(
    drive, stranger, api, who, stored
):
    made = drive.upload("page.txt", HTML, content_type="text/plain")
    set_node_attribute(made["id"], "content_type", stored)  # what an older version stored

    url = _url_for(who, drive, stranger, api, made["id"])

    assert_served_as_bytes(url, HTML)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    ("content_type", "stored", "served", "kind"),
    [
        pytest.param(
            "Text/Plain; Charset=UTF-7",
            "text/plain; charset=utf-7",
            "application/octet-stream",
            "attachment",
            id="utf-7",
        ),
        pytest.param(
            "text/plain; charset=windows-1252",
            "text/plain; charset=windows-1252",
            "application/octet-stream",
            "attachment",
            id="another-charset",
        ),
        pytest.param(
            "image/svg+xml", "image/svg+xml", "application/octet-stream", "attachment", id="svg"
        ),
        pytest.param(
            "text/html; charset=utf-8",
            "text/html; charset=utf-8",
            "application/octet-stream",
            "attachment",
            id="html",
        ),
        pytest.param(
            "",
            "application/octet-stream",
            "application/octet-stream",
            "attachment",
            id="empty-as-browsers-send-for-unknown",
        ),
        pytest.param(
            "  TEXT/PLAIN ;charset=UTF8 ",
            "text/plain; charset=utf-8",
            "text/plain; charset=utf-8",
            "inline",
            id="utf-8-text-spelled-loosely",
        ),
        pytest.param("IMAGE/PNG", "image/png", "image/png", "inline", id="upper-case-png"),
    ],
)
def test_a_type_is_stored_canonical_and_served_inline_only_from_the_allow_list(
    drive, stranger, api, who, content_type, stored, served, kind
):
    made = drive.upload("thing", HTML, content_type=content_type)
    assert made["content_type"] == stored
    assert drive.node(made["id"])["content_type"] == stored

    url = _url_for(who, drive, stranger, api, made["id"])

    params = signed_params(url)
    expected = "attachment" if who == "share-link" else kind  # a link always downloads
    assert parse_disposition(params["response-content-disposition"])["kind"] == expected
    assert params["response-content-type"] == served
    fetched = requests.get(url, timeout=30)
    assert fetched.headers["Content-Type"] == served
    assert fetched.headers["Content-Disposition"].startswith(expected + ";")


def test_s3_holds_the_canonical_type_of_a_multipart_upload(drive):
    data = b"t" * (6 * 1024 * 1024)  # two parts of UPLOAD_PART_BYTES (tests/conftest.py)
    started = files.start(
        drive.client, drive.home, "big.txt", len(data), "Text/Plain ; Charset=UTF8"
    )
    assert started.status == 201, started.body
    assert started.json["part_count"] == 2
    parts = files.put_parts(drive.client, started.json, data)
    assert files.complete(drive.client, started.json["upload_id"], parts).status == 200

    key = storage.file_key(drive.user.id, started.json["upload_id"])
    head = files.s3().head_object(Bucket=files.bucket(), Key=key)

    assert head["ContentType"] == "text/plain; charset=utf-8"


def test_every_api_answer_forbids_sniffing(drive, api):
    made = drive.upload("page.txt", HTML, content_type="text/plain")

    answers = {
        "302": drive.download(made["id"], inline="1"),
        "200": drive.download(made["id"], redirect="0"),
        "401": api.get(f"/files/{made['id']}/download"),
        "404": drive.download(UNKNOWN_ID),
    }

    for name, reply in answers.items():
        assert reply.headers.get("X-Content-Type-Options") == "nosniff", (name, reply.headers)


# --- the name -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("inline", [False, True])
def test_content_disposition_carries_an_ascii_fallback_and_the_exact_name(name, inline):
    header = storage.content_disposition(name, inline=inline)

    header.encode("ascii")  # nothing but ASCII goes in a header
    assert not re.search(r"[\x00-\x1f\x7f]", header), header
    parsed = parse_disposition(header)
    assert parsed["kind"] == ("inline" if inline else "attachment")
    assert parsed["name"] == name
    fallback = parsed["fallback"]
    assert len(fallback) == len(name)
    assert all(32 <= ord(c) < 127 for c in fallback), fallback
    assert not set(fallback) & set('"\\%'), fallback
    # Each ASCII character a header may quote is kept; anything else becomes "_".
    for original, shown in zip(name, fallback, strict=True):
        keep = 32 <= ord(original) < 127 and original not in '"\\%'
        assert shown == (original if keep else "_"), (original, shown)


def test_content_disposition_of_a_plain_name_is_the_name_twice():
    assert storage.content_disposition("report.pdf", inline=False) == (
        "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf"
    )


def test_content_disposition_of_a_korean_name():
    assert storage.content_disposition("보고서.pdf", inline=True) == (
        "inline; filename=\"___.pdf\"; filename*=UTF-8''%EB%B3%B4%EA%B3%A0%EC%84%9C.pdf"
    )


# Names a file can have (a bidirectional control is refused on the way in, tests/api/test_names.py).
STORABLE = [param for param in NAMES if param.id != "rtl-override"]


@pytest.mark.parametrize("name", STORABLE)
def test_download_names_the_file_as_its_owner_named_it(drive, name):
    made = drive.upload(name, b"named bytes", content_type="application/pdf")
    name = unicodedata.normalize("NFC", name)  # as stored, and so as downloaded
    assert made["name"] == name

    url = drive.link(made["id"])["url"]

    signed = signed_params(url)["response-content-disposition"]
    assert signed == storage.content_disposition(name, inline=False)
    assert parse_disposition(signed)["name"] == name
    fetched = requests.get(url, timeout=30)
    assert fetched.status_code == 200, fetched.text
    assert parse_disposition(fetched.headers["Content-Disposition"])["name"] == name
    assert fetched.content == b"named bytes"


def test_download_after_a_rename_uses_the_new_name(drive):
    made = drive.upload("draft.txt", b"text", content_type="text/plain")
    renamed = drive.client.patch(f"/nodes/{made['id']}", {"name": "Final 최종.txt"})
    assert renamed.status == 200, renamed.body

    signed = signed_params(drive.link(made["id"])["url"])["response-content-disposition"]

    assert parse_disposition(signed)["name"] == "Final 최종.txt"


# --- what cannot be downloaded ------------------------------------------------------------------


def _folder(drive: Drive) -> str:
    return drive.mkdir("a folder")["id"]


def _uploading(drive: Drive) -> str:
    started = files.start(drive.client, drive.home, "on its way.bin", 10)
    assert started.status == 201, started.body
    return started.json["upload_id"]


def _uploaded_not_completed(drive: Drive) -> str:
    """The bytes are in S3 already, but nobody called complete."""
    started = files.start(drive.client, drive.home, "sent, not completed.bin", 3)
    assert started.status == 201, started.body
    files.put_parts(drive.client, started.json, b"abc")
    return started.json["upload_id"]


def _trashed(drive: Drive) -> str:
    made = drive.upload("binned.txt", b"x", content_type="text/plain")
    assert drive.client.delete(f"/nodes/{made['id']}").status == 204
    return made["id"]


def _under_a_trashed_folder(drive: Drive) -> str:
    outer = drive.mkdir("outer")
    inner = drive.mkdir("inner", outer["id"])
    made = drive.upload("deep.txt", b"x", content_type="text/plain", parent=inner["id"])
    assert drive.client.delete(f"/nodes/{outer['id']}").status == 204
    return made["id"]


def _deleted_for_good(drive: Drive) -> str:
    made_id = _trashed(drive)
    assert drive.client.delete(f"/trash/{made_id}").status == 204
    return made_id


def _root(drive: Drive) -> str:
    return drive.root


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(_folder, id="a-folder"),
        pytest.param(_root, id="the-root-folder"),
        pytest.param(_uploading, id="an-uploading-file"),
        pytest.param(_uploaded_not_completed, id="bytes-sent-not-completed"),
        pytest.param(_trashed, id="a-trashed-file"),
        pytest.param(_under_a_trashed_folder, id="under-a-trashed-folder"),
        pytest.param(_deleted_for_good, id="deleted-for-good"),
        pytest.param(lambda _: UNKNOWN_ID, id="unknown-id"),
        pytest.param(lambda _: "not-an-id", id="malformed-id"),
    ],
)
@pytest.mark.parametrize("redirect", [pytest.param(None, id="302"), pytest.param("0", id="json")])
def test_download_of_what_is_not_a_ready_visible_file_is_404(drive, make, redirect):
    target = make(drive)
    params = {"redirect": redirect} if redirect else {}

    reply = drive.download(target, **params)

    assert_error(reply, 404, "not_found")
    assert "Location" not in reply.headers


def test_download_of_someone_elses_file_is_404(drive, stranger):
    theirs = stranger.upload("their secret.pdf", b"secret", content_type="application/pdf")

    for params in ({}, {"redirect": "0"}, {"inline": "1"}):
        reply = drive.download(theirs["id"], **params)
        assert_error(reply, 404, "not_found")
        assert b"their secret" not in reply.body
    assert stranger.download(theirs["id"]).status == 302


def test_a_restored_file_downloads_again(drive):
    made_id = _trashed(drive)
    assert drive.client.post(f"/trash/{made_id}/restore").status == 200

    reply = drive.download(made_id)

    assert reply.status == 302, reply.body
    assert requests.get(reply.headers["Location"], timeout=30).content == b"x"


def test_a_file_in_a_trashed_folder_downloads_again_once_the_folder_is_restored(drive):
    folder = drive.mkdir("doomed")
    made = drive.upload("inside.txt", b"inside", content_type="text/plain", parent=folder["id"])
    assert drive.client.delete(f"/nodes/{folder['id']}").status == 204
    assert_error(drive.download(made["id"]), 404, "not_found")

    assert drive.client.post(f"/trash/{folder['id']}/restore").status == 200

    assert drive.download(made["id"]).status == 302


@pytest.mark.parametrize("redirect", [pytest.param(None, id="302"), pytest.param("0", id="json")])
def test_download_requires_sign_in(api, drive, redirect):
    made = drive.upload("private.txt", b"private", content_type="text/plain")
    params = f"?redirect={redirect}" if redirect else ""

    reply = api.get(f"/files/{made['id']}/download{params}")

    assert_error(reply, 401, "unauthenticated")
    assert "Location" not in reply.headers
