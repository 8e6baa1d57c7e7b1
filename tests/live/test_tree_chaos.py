"""A property test of the tree under concurrency: rounds of random operations sent at the same
moment over a small tree, through the local stack's threaded servers, then the invariants.

    each round ── WORKERS operations behind a barrier, drawn from: new folder, upload (most
                  completed, some left pending), move, rename, trash, restore, delete for good
    each reply ── answered within the timeout, 2xx or a 4xx in the contract's error format
    at the end ── every node reaches its owner's root within 25 steps (so no cycle), every
                  folder's count and size and every counter of the user are exact, every path
                  follows the parent links, every visible name holds its guard (tests/invariants.py)

The operations pick among a few names and every id ever seen (gone ones too), so clashes,
stale ids and moves into a moving folder are frequent. The seed is printed on failure.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from infra.local.runner import LocalStack
from tests import invariants
from tests.live.conftest import Account

ROUNDS = 150
WORKERS = 6
SEED = 1208
NAMES = ("a", "b", "c", "A", "d.txt")
# The answers an operation may get besides success: bad or impossible (400), gone or never
# there (404), taken or changed meanwhile (409), over the quota (413).
REFUSALS = {400, 404, 409, 413}


class Chaos:
    """One account's drive and what the test has seen of it."""

    def __init__(self, account: Account, rng: random.Random):
        self.account, self.rng = account, rng
        self.folders: list[str] = [account.root]
        self.files: list[str] = []
        self.trashed: list[str] = []
        self.replies: Counter[tuple[str, int]] = Counter()
        self.lock = threading.Lock()

    def call(self, op: str, method: str, path: str, body: Any = None) -> requests.Response:
        reply = requests.request(
            method, f"{self.account.api}{path}", json=body, headers=self.account.headers, timeout=30
        )
        if reply.status_code >= 400:
            assert reply.status_code in REFUSALS, (op, path, body, reply.status_code, reply.text)
            assert reply.json()["error"]["code"], reply.text
        with self.lock:
            self.replies[(op, reply.status_code)] += 1
        return reply

    def pick(self, *pools: list[str]) -> str:
        return self.rng.choice([i for pool in pools for i in pool])

    def plan(self) -> Callable[[], None]:
        """One random operation, its choices made now (in the test's thread, so the seed
        decides them), to be sent later."""
        rng, name = self.rng, self.rng.choice(NAMES)
        kind = rng.choices(
            ["mkdir", "upload", "move", "rename", "trash", "restore", "delete"],
            weights=[3, 2, 8, 1, 1, 1, 1],
        )[0]
        if kind == "mkdir":
            parent = self.pick(self.folders)
            return lambda: self._made(
                self.call(kind, "POST", "/folders", {"parent_id": parent, "name": name})
            )
        if kind == "upload":
            parent, size, finish = self.pick(self.folders), rng.randint(0, 3000), rng.random()
            return lambda: self._upload(parent, name, size, finish=finish < 0.8)
        if kind in ("move", "rename"):
            # Mostly folders into folders: where cycles and depth are at stake.
            pools = (self.folders[1:],) if rng.random() < 0.8 else (self.folders[1:], self.files)
            node = self.pick(*pools) if len(self.folders) > 1 else None
            if node is None:
                return lambda: None
            body = {"parent_id": self.pick(self.folders)} if kind == "move" else {"name": name}
            return lambda: self._did(self.call(kind, "PATCH", f"/nodes/{node}", body))
        if kind == "trash":
            node = self.pick(self.folders[1:], self.files) if len(self.folders) > 1 else None
            if node is None:
                return lambda: None
            return lambda: self._trashed(node, self.call(kind, "DELETE", f"/nodes/{node}"))
        if not self.trashed:
            return lambda: None
        top = self.pick(self.trashed)
        if kind == "restore":
            return lambda: self._restored(top, self.call(kind, "POST", f"/trash/{top}/restore"))
        return lambda: self._deleted(top, self.call(kind, "DELETE", f"/trash/{top}"))

    def _made(self, reply: requests.Response) -> None:
        if reply.status_code == 201:
            with self.lock:
                self.folders.append(reply.json()["node"]["id"])

    def _did(self, reply: requests.Response) -> None:
        assert reply.status_code < 300 or reply.status_code in REFUSALS

    def _trashed(self, node: str, reply: requests.Response) -> None:
        if reply.status_code == 204:
            with self.lock:
                self.trashed.append(node)
                for pool in (self.folders, self.files):
                    if node in pool:
                        pool.remove(node)

    def _restored(self, top: str, reply: requests.Response) -> None:
        if reply.status_code == 200:
            with self.lock:
                if top in self.trashed:
                    self.trashed.remove(top)
                kind = reply.json()["node"]["kind"]
                (self.folders if kind == "folder" else self.files).append(top)

    def _deleted(self, top: str, reply: requests.Response) -> None:
        if reply.status_code == 204:
            with self.lock:
                if top in self.trashed:
                    self.trashed.remove(top)

    def _upload(self, parent: str, name: str, size: int, *, finish: bool) -> None:
        body = {"parent_id": parent, "name": name, "size": size, "content_type": "text/plain"}
        started = self.call("upload", "POST", "/uploads", body)
        if started.status_code != 201:
            return
        upload = started.json()
        with self.lock:
            self.files.append(upload["upload_id"])
        if not finish:
            return  # left pending: its reservation must still add up
        data, parts = b"x" * size, None
        if upload.get("url"):
            url = upload["url"]
        else:
            signed = self.call(
                "sign", "POST", f"/uploads/{upload['upload_id']}/parts", {"part_numbers": [1]}
            )
            if signed.status_code != 200:
                return
            url = signed.json()["urls"]["1"]
        sent = requests.put(url, data=data, timeout=30)
        assert sent.status_code == 200, sent.text
        if not upload.get("url"):
            parts = [{"part_number": 1, "etag": sent.headers["ETag"]}]
        self.call(
            "complete",
            "POST",
            f"/uploads/{upload['upload_id']}/complete",
            {**({"parts": parts} if parts else {})},
        )


@pytest.fixture
def chaos(live: LocalStack) -> Iterator[Chaos]:
    yield Chaos(Account(live, "chaotic"), random.Random(SEED))


def test_random_parallel_tree_writes_keep_every_invariant(live, chaos):
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for _ in range(ROUNDS):
            planned = [chaos.plan() for _ in range(WORKERS)]
            barrier = threading.Barrier(WORKERS)

            def run(send: Callable[[], None], barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                send()

            for done in [pool.submit(run, send) for send in planned]:
                done.result()

    outcomes = Counter(op for op, status in chaos.replies if status < 300)
    assert outcomes["move"] and outcomes["trash"] and outcomes["restore"], chaos.replies
    with invariants.against(live.moto_url, live.stage):
        invariants.check({chaos.account.id})
    listing = chaos.account.get(f"/folders/{chaos.account.root}?limit=200")
    assert listing["folder"]["child_count"] == len(listing["items"])
