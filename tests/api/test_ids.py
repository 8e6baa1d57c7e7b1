"""Bad ids are 4xx: every id a request names, in its path, body or query, has its shape checked
before anything is read. An id of another shape in a path names nothing (404, as an unknown id);
in a body or a query it is a 400 naming the field. A lone surrogate or bytes that are not UTF-8
anywhere in a body are a 400. None of it is ever a 500.

The routes come from the app itself, so a route added later is covered without a change here.
"""

from __future__ import annotations

import json
import re
import secrets
import uuid
from typing import Any

import pytest

from app import app
from chalicelib.api.http import well_formed
from chalicelib.models import shares as shares_model
from tests.client import Api, Reply, assert_error
from tests.drives import UNKNOWN_ID, Drive

SHARED_STACK = True  # see tests/conftest.py: module_stack

PARAM = re.compile(r"\{(\w+)\}")
# Ids of the right shape that name nothing: what the other parameters of a path get.
GOOD = {"token": secrets.token_urlsafe(32), "share_id": "0" * 64}

# The two of issue 14: DynamoDB refuses a key over 1,024 bytes; "\ud800" cannot be encoded.
BAD_IN_PATH = {
    "1025-characters": "a" * 1025,
    "lone-surrogate": "\ud800",
    "lone-surrogate-escaped": "%ED%A0%80",
    "dot-dot-slash": "..%2Fx",
    "empty": "",
    "unicode": "caf\u00e9",
    "space": "a%20b",
}


def good(name: str) -> str:
    return GOOD.get(name, UNKNOWN_ID)


def path_cases() -> list[Any]:
    """(method, route, parameter) for every parameter of every route of the app."""
    cases = []
    for route, methods in sorted(app.routes.items()):
        for param in PARAM.findall(route):
            for method in sorted(methods):
                cases.append(pytest.param(method, route, param, id=f"{method} {route} {param}"))
    return cases


def bad_path_cases() -> list[Any]:
    """Each case of ``path_cases`` with each bad id, but an empty last segment: that is another
    route (``DELETE /trash/`` is ``DELETE /trash``), not an empty id."""
    return [
        pytest.param(*case.values, bad, id=f"{case.id} {label}")
        for case in path_cases()
        for label, bad in BAD_IN_PATH.items()
        if bad or not str(case.values[1]).endswith(f"{{{case.values[2]}}}")
    ]


def fill(route: str, **given: str) -> str:
    return PARAM.sub(lambda m: given.get(m[1], good(m[1])), route)


def send(client: Api, method: str, path: str, body: Any = None) -> Reply:
    return client.request(method, path, body if method in ("POST", "PUT", "PATCH") else None)


def test_every_route_with_an_id_is_covered():
    """The list is the app's own: it is not empty and holds the routes of the issue."""
    routes = {(case.values[0], case.values[1]) for case in bad_path_cases()}
    assert ("POST", "/teams/{team_id}/invitations/accept") in routes
    assert len(routes) >= 20


@pytest.mark.parametrize(("method", "route", "param", "bad"), bad_path_cases())
def test_a_malformed_id_in_a_path_is_404(drive, method, route, param, bad):
    reply = send(drive.client, method, fill(route, **{param: bad}), {})
    assert_error(reply, 404, "not_found")


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("node_id", UNKNOWN_ID.upper()),
        ("node_id", UNKNOWN_ID[:-1]),
        ("node_id", UNKNOWN_ID + "0"),
        ("share_id", UNKNOWN_ID),
        ("token", "a" * 42),
        ("token", "a" * 42 + "="),
    ],
    ids=["upper-case-hex", "31-hex", "33-hex", "share-id-of-32-hex", "token-of-42", "padded-token"],
)
def test_an_id_of_a_near_shape_in_a_path_is_404(drive, param, value):
    route = {
        "node_id": "/nodes/{node_id}",
        "share_id": "/shares/{share_id}",
        "token": "/public/shares/{token}",
    }[param]
    method = "DELETE" if param == "share_id" else "GET"
    assert_error(send(drive.client, method, fill(route, **{param: value})), 404, "not_found")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        pytest.param("DELETE", "/trash/", id="delete-trash-slash"),
        pytest.param("DELETE", "/nodes//", id="delete-node-double-slash"),
    ],
)
def test_a_path_with_an_empty_id_names_nothing_and_changes_nothing(drive, method, path):
    folder = drive.mkdir("kept in the trash")
    drive.trash(folder["id"])

    assert_error(drive.client.request(method, path), 404, "not_found")

    trash = drive.client.get("/trash?limit=200").json["items"]
    assert folder["id"] in {item["id"] for item in trash}


def test_a_team_id_over_1024_characters_in_accept_is_404_not_500(drive):
    reply = drive.client.post(f"/teams/{'a' * 1025}/invitations/accept")
    assert_error(reply, 404, "not_found")


def test_me_still_names_the_caller_when_they_leave_a_team(drive):
    team = drive.client.post("/teams", {"name": "Leaving"}).json["team"]
    reply = drive.client.delete(f"/teams/{team['id']}/members/me")
    assert reply.status == 204, reply.body


# --- ids in bodies and queries ---------------------------------------------------------------

BAD_IN_BODY = {
    "1025-characters": "a" * 1025,
    "lone-surrogate": "\ud800",
    "dot-dot-slash": "../x",
    "empty": "",
    "unicode": "caf\u00e9",
    "upper-case-hex": UNKNOWN_ID.upper(),
    "number": 12,
}


def body_cases(drive: Drive) -> dict[str, tuple[str, str, dict[str, Any], str]]:
    """(method, path, the rest of a good body, the id field) of every route with a body id."""
    return {
        "create-folder": ("POST", "/folders", {"name": "x"}, "parent_id"),
        "start-upload": ("POST", "/uploads", {"name": "x", "size": 1}, "parent_id"),
        "move": ("PATCH", f"/nodes/{drive.home}", {}, "parent_id"),
        "share-link": ("POST", "/shares", {}, "node_id"),
        "share-folder-with-team": (
            "POST",
            f"/teams/{UNKNOWN_ID}/shared-folders",
            {"access": "read"},
            "folder_id",
        ),
        "hand-team-on": ("PATCH", f"/teams/{UNKNOWN_ID}", {}, "leader_id"),
        "download-from-share": ("POST", f"/public/shares/{good('token')}/download", {}, "file_id"),
    }


BODY_ROUTES = [
    "create-folder",
    "start-upload",
    "move",
    "share-link",
    "share-folder-with-team",
    "hand-team-on",
    "download-from-share",
]


@pytest.mark.parametrize("bad", list(BAD_IN_BODY.values()), ids=list(BAD_IN_BODY))
@pytest.mark.parametrize("case", BODY_ROUTES)
def test_a_malformed_id_in_a_body_is_400_naming_the_field(drive, case, bad):
    method, path, rest, field = body_cases(drive)[case]
    reply = drive.client.request(method, path, {**rest, field: bad})
    details = assert_error(reply, 400, "invalid_request")
    assert set(details["fields"]) == {field}


def test_a_lone_surrogate_in_parent_id_of_post_folders_is_400_not_500(drive):
    reply = drive.client.post("/folders", {"parent_id": "\ud800", "name": "x"})
    details = assert_error(reply, 400, "invalid_request")
    assert set(details["fields"]) == {"parent_id"}


def made(home: str, **extra: Any) -> bytes:
    return json.dumps({"parent_id": home, "name": "x", **extra}).encode()


@pytest.mark.parametrize(
    "raw",
    [
        lambda home: made(home, note="\ud800"),
        lambda home: made(home, **{"\udfff": 1}),
        lambda home: made(home, deep=[{"a": ["\udbff"]}]),
        lambda home: made(home).replace(b'"x"', b'"caf\xe9"'),
        lambda home: made(home).decode().encode("utf-16"),
    ],
    ids=["surrogate-in-a-value", "surrogate-in-a-key", "surrogate-nested", "latin-1", "utf-16"],
)
def test_a_body_that_is_not_unicode_text_in_utf_8_is_400(drive, raw):
    before = drive.names(drive.home)
    reply = drive.client.post("/folders", raw=raw(drive.home))
    assert_error(reply, 400, "invalid_request")
    assert drive.names(drive.home) == before


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/shares?node_id={bad}", "node_id"),
        (f"/public/shares/{GOOD['token']}?folder_id={{bad}}", "folder_id"),
        ("/search?q={bad}", "q"),
        ("/users/search?q={bad}", "q"),
        ("/trash?cursor={bad}", "cursor"),
    ],
    ids=["share-links-of-a-node", "folder-in-a-share", "search", "people-search", "cursor"],
)
@pytest.mark.parametrize("bad", ["\ud800", "a" * 1025], ids=["lone-surrogate", "1025-characters"])
def test_a_malformed_id_or_text_in_a_query_is_400(drive, path, field, bad):
    reply = drive.client.get(path.format(bad=bad))
    details = assert_error(reply, 400, "invalid_request")
    assert set(details["fields"]) == {field}


@pytest.mark.parametrize(
    ("name", "made"),
    [
        ("node_id", lambda: uuid.uuid4().hex),
        ("team_id", lambda: uuid.uuid4().hex),
        ("user_id", lambda: uuid.uuid4().hex),
        ("token", lambda: secrets.token_urlsafe(32)),
        ("share_id", lambda: shares_model.share_id(secrets.token_urlsafe(32))),
    ],
    ids=["node", "team", "user", "share-token", "share-id"],
)
def test_the_ids_we_make_are_of_their_shape(name, made):
    for _ in range(50):
        assert well_formed(name, made())
