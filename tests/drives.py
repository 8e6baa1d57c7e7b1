"""Signed-in accounts for the API tests of files and folders (tests/api/test_folders.py,
test_tree.py, test_uploads.py, test_downloads.py, test_search.py), and the tables read straight.

Signing up costs more than most tests, and one moto stack serves each of those modules
(``SHARED_STACK = True``, see tests/conftest.py: module_stack), so a module signs up one
``Account`` per role once and hands each test a ``Drive`` on it: a fresh client with a copy of
the account's cookie jar. A test that writes gets a folder of its own (``Drive.home``). The
fixtures that do this (``kept``, ``drive_of``, ``drive``, ``stranger``, ``own_drive``…) are in
tests/api/conftest.py; a module with calls of its own subclasses ``Drive`` and says so with the
``drive_type`` fixture.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest

from chalicelib.config import get_settings
from tests import files, invariants
from tests.client import Api, Reply
from tests.conftest import REGION, User
from tests.invariants import plain

UNKNOWN_ID = "0123456789abcdef0123456789abcdef"
# The contract's ``user`` object (API.md), as /users/me and sign-up show it.
USER_KEYS = frozenset(
    {
        "id",
        "username",
        "email",
        "email_verified",
        "nickname",
        "phone",
        "phone_verified",
        "is_admin",
        "created_at",
        "storage",
    }
)


def unique(name: str) -> str:
    return f"{name} {uuid.uuid4().hex[:12]}"


@dataclass
class Account:
    """A signed-up user: the cookies of their sign-in, their root folder and the folder in the
    root that holds the tests' homes (made on first use, see ``Drive.homes``)."""

    user: User
    jar: dict[str, str]
    root: str
    homes: str | None = None


@dataclass
class Drive:
    """An account signed in through a client of this test's own, and the calls the tests make
    with it."""

    account: Account
    client: Api

    @property
    def user(self) -> User:
        return self.account.user

    @property
    def root(self) -> str:
        return self.account.root

    @property
    def homes(self) -> str:
        """The folder in the root that holds the tests' homes, made once for the account."""
        if self.account.homes is None:
            self.account.homes = self.mkdir("homes", self.root)["id"]
        return self.account.homes

    @cached_property
    def home(self) -> str:
        """This test's own folder (made on first use), where ``mkdir`` and ``upload`` put what
        they make unless told otherwise."""
        return self.mkdir(unique("home"), self.homes)["id"]

    # Building.

    def mkdir(self, name: str, parent: str | None = None) -> dict[str, Any]:
        reply = self.client.post("/folders", {"parent_id": parent or self.home, "name": name})
        assert reply.status == 201, reply.body
        return reply.json["node"]

    def upload(
        self,
        name: str,
        data: bytes = b"bytes",
        parent: str | None = None,
        content_type: str = "application/octet-stream",
    ) -> dict[str, Any]:
        """The whole upload (tests/files.py); returns the ready file."""
        return files.upload(self.client, parent or self.home, name, data, content_type)

    def trash(self, node_id: str) -> None:
        reply = self.client.delete(f"/nodes/{node_id}")
        assert reply.status == 204, reply.body

    # Reading.

    def node(self, node_id: str) -> dict[str, Any]:
        reply = self.client.get(f"/nodes/{node_id}")
        assert reply.status == 200, reply.body
        return reply.json["node"]

    def listing(self, folder_id: str, **params: Any) -> Reply:
        query = f"?{urlencode(params)}" if params else ""
        return self.client.get(f"/folders/{folder_id}{query}")

    def folder(self, folder_id: str, **params: Any) -> dict[str, Any]:
        """A page of a folder's listing (200 checked)."""
        reply = self.listing(folder_id, **params)
        assert reply.status == 200, reply.body
        return reply.json

    def names(self, folder_id: str) -> list[str]:
        return [item["name"] for item in self.folder(folder_id, limit=200)["items"]]

    def stats(self) -> dict[str, Any]:
        reply = self.client.get("/users/me/stats")
        assert reply.status == 200, reply.body
        return reply.json

    def check(self) -> None:
        """Every invariant of the tables holds for this user (tests/invariants.py)."""
        invariants.check({self.user.id})


# --- Paged lists (folders, the trash, search) --------------------------------------------------


def follow_cursors(fetch: Callable[..., Reply], *, limit: int, **params: Any) -> list[dict]:
    """Every item of a paged list, following ``next_cursor``; ``fetch`` asks for one page with
    these query parameters, and each page is at most ``limit`` long."""
    items: list[dict] = []
    cursor = None
    for _ in range(100):
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        reply = fetch(**query)
        assert reply.status == 200, reply.body
        page = reply.json
        assert len(page["items"]) <= limit
        items.extend(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return items
        assert isinstance(cursor, str) and cursor
    pytest.fail("next_cursor never became null")


def first_cursor(fetch: Callable[..., Reply], **params: Any) -> str:
    """A cursor issued for the first page of one item of a paged list."""
    reply = fetch(limit=1, **params)
    assert reply.status == 200, reply.body
    assert reply.json["next_cursor"], reply.json
    return reply.json["next_cursor"]


# --- The tables, read and written straight ------------------------------------------------------


@functools.cache
def dynamodb() -> Any:
    # One client for the session: making one costs a good part of a second.
    return boto3.client("dynamodb", region_name=REGION)


def table(name: str) -> str:
    return get_settings().table_name(name)


def user_row(user_id: str) -> dict[str, Any]:
    """A user's item as DynamoDB holds it (plain values)."""
    key = {"user_id": {"S": user_id}}
    item = dynamodb().get_item(TableName=table("users"), Key=key, ConsistentRead=True)["Item"]
    return plain(item)


def set_user_fields(user_id: str, **fields: bool | int | str) -> None:
    """Write attributes of a user's row straight (what a bug or a crash could leave)."""

    def typed(value: bool | int | str) -> dict[str, Any]:
        if isinstance(value, bool):
            return {"BOOL": value}
        return {"N": str(value)} if isinstance(value, int) else {"S": value}

    names = {f"#a{i}": name for i, name in enumerate(fields)}
    values = {f":v{i}": typed(value) for i, value in enumerate(fields.values())}
    dynamodb().update_item(
        TableName=table("users"),
        Key={"user_id": {"S": user_id}},
        UpdateExpression="SET " + ", ".join(f"#a{i} = :v{i}" for i in range(len(fields))),
        ExpressionAttributeNames=names,
        ExpressionAttributeValues=values,
    )


def set_node_attribute(node_id: str, name: str, value: str) -> None:
    dynamodb().update_item(
        TableName=table("nodes"),
        Key={"node_id": {"S": node_id}},
        UpdateExpression="SET #a = :v",
        ExpressionAttributeNames={"#a": name},
        ExpressionAttributeValues={":v": {"S": value}},
    )


# --- The media and mail queues -----------------------------------------------------------------


@functools.cache
def sqs() -> Any:
    return boto3.client("sqs", region_name=REGION)


def media_queue() -> str:
    """The media queue's URL (the test stack's settings name it)."""
    return get_settings().media_queue_url or str(
        sqs().get_queue_url(QueueName="test-media-events")["QueueUrl"]
    )


def mail_queue() -> str:
    """The mail queue's URL (the test stack's settings name it)."""
    return get_settings().mail_queue_url or str(
        sqs().get_queue_url(QueueName="test-mail.fifo")["QueueUrl"]
    )


def drain(url: str) -> list[dict[str, Any]]:
    """Take every message off a queue; the messages."""
    taken: list[dict[str, Any]] = []
    while True:
        got = sqs().receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        messages = got.get("Messages", [])
        if not messages:
            return taken
        for message in messages:
            sqs().delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        taken += messages


def stamp(moment: datetime) -> str:
    """A moment as the tables store it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
