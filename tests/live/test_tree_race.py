"""The tree under racing writes, through the local stack's threaded servers: two requests whose
checks each pass on what they read must not both commit when together they break the tree.

    cycle ─── root/A, root/B/C: A → C and B → A at once; both 200 would cut A→C→B→A off the root
    depth ─── chains X, Y, Z of 12: Y under X's bottom and Z under Y's bottom at once: 36 levels
    swap ──── A → B and B → A at once (a folder twice in one transaction once answered 500)
    below ─── a 12-level chain moved under a 13-level one while a folder or a file is added at
              its bottom: each alone stays within 25 levels, both together would not

Each race runs several rounds on fresh folders; after each test every node must reach its
owner's root within 25 steps and every counter, sum, path and name guard must agree
(tests/invariants.py, read straight from the stack's tables).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import pytest
import requests

from infra.local.runner import LocalStack
from tests import invariants
from tests.live.conftest import Account, running_stack

ROUNDS = 20
# What a losing request may answer: the move would nest too deep or into itself (400), or what
# it read changed meanwhile (409). Never 5xx, never silence.
LOSSES = {(400, "invalid_move"), (400, "invalid_request"), (409, "conflict")}


class Drive:
    """An account's drive through the live stack's HTTP API (bearer token)."""

    def __init__(self, account: Account):
        self.account = account
        self.api = account.api

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return requests.request(
            method, f"{self.api}{path}", json=body, headers=self.account.headers, timeout=30
        )

    def mkdir(self, parent: str, name: str) -> str:
        made = self.call("POST", "/folders", {"parent_id": parent, "name": name})
        assert made.status_code == 201, made.text
        return str(made.json()["node"]["id"])

    def chain(self, parent: str, prefix: str, levels: int) -> list[str]:
        """``levels`` folders each inside the one before, the first in ``parent``."""
        made: list[str] = []
        for level in range(levels):
            made.append(self.mkdir(made[-1] if made else parent, f"{prefix}{level + 1}"))
        return made

    def move(self, node_id: str, parent_id: str) -> requests.Response:
        return self.call("PATCH", f"/nodes/{node_id}", {"parent_id": parent_id})


def at_once(*calls: Callable[[], requests.Response]) -> list[requests.Response]:
    """Send every call at the same moment (behind a barrier); the replies in order."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], requests.Response]) -> requests.Response:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def outcome(reply: requests.Response) -> tuple[int, str]:
    if reply.status_code < 300:
        return reply.status_code, "ok"
    assert reply.headers["Content-Type"].startswith("application/json"), reply.text
    return reply.status_code, reply.json()["error"]["code"]


def assert_one_wins(replies: list[requests.Response]) -> None:
    """At most one of ``replies`` succeeded, and each other one lost in the contract's way."""
    outcomes = [outcome(r) for r in replies]
    assert sum(1 for _, code in outcomes if code == "ok") <= 1, outcomes
    assert all(code == "ok" or (status, code) in LOSSES for status, code in outcomes), outcomes


@pytest.fixture
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    # A stack per test: the local runner's moto copies a table for every item a transaction
    # writes, so one that grows through the module slows each test after it.
    with running_stack(tmp_path_factory) as stack:
        yield stack


@pytest.fixture
def drive(live: LocalStack) -> Iterator[Drive]:
    yield Drive(Account(live, "treeracer"))


@pytest.fixture(autouse=True)
def tree_stays_whole(live: LocalStack, drive: Drive) -> Iterator[None]:
    yield
    with invariants.against(live.moto_url, live.stage):
        invariants.check({drive.account.id})


def test_two_moves_that_would_close_a_cycle_never_both_commit(drive):
    root = drive.account.root
    seen: Counter[tuple[tuple[int, str], ...]] = Counter()
    for round_ in range(ROUNDS):
        a = drive.mkdir(root, f"A{round_}")
        b = drive.mkdir(root, f"B{round_}")
        c = drive.mkdir(b, "C")

        replies = at_once(partial(drive.move, a, c), partial(drive.move, b, a))

        assert_one_wins(replies)
        seen[tuple(sorted(outcome(r) for r in replies))] += 1
        for node_id in (a, b, c):  # each answers, and from a place under the root
            got = drive.call("GET", f"/folders/{node_id}")
            assert got.status_code == 200, got.text
            assert got.json()["path"][0]["id"] == root
    assert sum(seen.values()) == ROUNDS, seen


def test_two_moves_that_together_nest_past_25_levels_never_both_commit(drive):
    root = drive.account.root
    for round_ in range(4):
        x = drive.chain(root, f"X{round_}.", 12)
        y = drive.chain(root, f"Y{round_}.", 12)
        z = drive.chain(root, f"Z{round_}.", 12)

        replies = at_once(partial(drive.move, y[0], x[-1]), partial(drive.move, z[0], y[-1]))

        assert_one_wins(replies)
        bottom = drive.call("GET", f"/folders/{z[-1]}")
        assert bottom.status_code == 200, bottom.text
        assert len(bottom.json()["path"]) <= 26  # the root and at most 25 levels


def test_two_folders_moved_into_each_other_at_once_answer_in_the_contract(drive):
    root = drive.account.root
    for round_ in range(ROUNDS):
        a = drive.mkdir(root, f"P{round_}")
        b = drive.mkdir(root, f"Q{round_}")

        replies = at_once(partial(drive.move, a, b), partial(drive.move, b, a))

        assert_one_wins(replies)


@pytest.mark.parametrize(
    ("added", "beside"),
    [
        pytest.param("folder", 0, id="folder"),
        pytest.param("upload", 0, id="upload"),
        # A subtree too big for the move's own transaction: the move is guarded by the owner's
        # tree_rev instead of its folders one by one.
        pytest.param("folder", 75, id="folder-into-a-big-subtree"),
    ],
)
def test_a_move_and_an_addition_at_the_bottom_of_what_moves_never_nest_past_25(
    drive, added, beside
):
    root = drive.account.root
    for round_ in range(2 if beside else 3):
        deep = drive.chain(root, f"D{added}{beside}.{round_}.", 13)
        moved = drive.chain(root, f"M{added}{beside}.{round_}.", 12)  # its bottom: level 25
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(partial(drive.mkdir, moved[1]), [f"beside {n}" for n in range(beside)]))
        body: dict[str, Any] = {"parent_id": moved[-1], "name": "one level more"}
        if added == "upload":
            body |= {"size": 1, "content_type": "text/plain"}

        replies = at_once(
            partial(drive.move, moved[0], deep[-1]),
            partial(drive.call, "POST", "/folders" if added == "folder" else "/uploads", body),
        )

        assert_one_wins(replies)
        if outcome(replies[1])[1] == "ok" and added == "upload":
            upload_id = replies[1].json()["upload_id"]
            assert drive.call("DELETE", f"/uploads/{upload_id}").status_code == 204
