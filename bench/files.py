"""Files and uploads against the local stack (moto's server, real HTTP), side by side:

(a) a 256 MiB upload through our presigned multipart path with parallel parts, against one
    boto3 ``put_object`` of the same bytes to the same S3 endpoint;
(b) the DynamoDB and S3 calls each files and uploads route makes, counted with botocore's
    ``before-call`` hooks on the clients the app uses (target: at most 4 DynamoDB round trips
    per request, never a Scan);
(c) one page of a folder holding 10,000 files: our indexed Query against the naive Scan that
    filters the table by parent.
"""

from __future__ import annotations

import json
import math
import os
import re
import statistics
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import requests

from bench.table import render

MIB = 1024 * 1024
UPLOAD_MIB = int(os.environ.get("BENCH_UPLOAD_MIB", "256"))
PARALLEL_PARTS = 8
LISTED_FILES = int(os.environ.get("BENCH_LISTED_FILES", "10000"))
UPLOAD_TARGET = 0.8
CALLS_TARGET = 4


@contextmanager
def _stack() -> Iterator[Any]:
    from infra.local.runner import start_stack

    saved = dict(os.environ)
    os.environ.update({"ARGON2_TIME_COST": "1", "ARGON2_MEMORY_KIB": "1024"})
    stack = start_stack(port=0, stage="live", dist_dir=None)
    try:
        yield stack
    finally:
        stack.stop()
        os.environ.clear()
        os.environ.update(saved)


class Client:
    """A script signed in with a bearer token."""

    def __init__(self, stack: Any):
        self.base = f"{stack.url}/api"
        self.http = requests.Session()
        name = f"bench{uuid.uuid4().hex[:8]}"
        password = "correct horse 1"
        email = f"{name}@example.com"
        self.call(
            "POST", "/auth/register", {"username": name, "email": email, "password": password}
        )
        text = stack.outbox.items(to=email)[0]["text"]
        token = re.search(r"token=([A-Za-z0-9_\-]+)", text).group(1)  # type: ignore[union-attr]
        self.call("POST", "/auth/verify-email", {"token": token})
        tokens = self.call("POST", "/auth/token", {"login": name, "password": password})
        self.http.headers["Authorization"] = f"Bearer {tokens['access_token']}"
        self.root = self.call("GET", "/users/me")["user"]["storage"]["root_folder_id"]

    def call(self, method: str, path: str, body: Any = None, expect: int | None = None) -> Any:
        reply = self.http.request(
            method, self.base + path, json=body, allow_redirects=False, timeout=120
        )
        if reply.status_code >= 400 or (expect is not None and reply.status_code != expect):
            raise RuntimeError(f"{method} {path}: {reply.status_code} {reply.text[:300]}")
        return reply.json() if reply.content else None

    def upload(self, parent: str, name: str, data: bytes, *, parallel: int = 1) -> dict[str, Any]:
        started = self.call(
            "POST", "/uploads", {"parent_id": parent, "name": name, "size": len(data)}
        )
        upload_id = started["upload_id"]
        if started["part_count"] == 1:
            requests.put(started["url"], data=data, timeout=120).raise_for_status()
            return self.call("POST", f"/uploads/{upload_id}/complete", {})["file"]
        size, count = started["part_size"], started["part_count"]
        urls: dict[str, str] = {}
        for first in range(1, count + 1, 100):
            numbers = list(range(first, min(count, first + 99) + 1))
            signed = self.call("POST", f"/uploads/{upload_id}/parts", {"part_numbers": numbers})
            urls |= signed["urls"]

        def put(number: int) -> dict[str, Any]:
            chunk = memoryview(data)[(number - 1) * size : number * size]
            reply = requests.put(urls[str(number)], data=chunk, timeout=300)
            reply.raise_for_status()
            return {"part_number": number, "etag": reply.headers["ETag"]}

        with ThreadPoolExecutor(max_workers=parallel) as pool:
            parts = list(pool.map(put, range(1, count + 1)))
        return self.call("POST", f"/uploads/{upload_id}/complete", {"parts": parts})["file"]


def _upload_throughput(stack: Any, client: Client) -> str:
    import boto3

    data = os.urandom(UPLOAD_MIB * MIB)
    s3 = boto3.client("s3", endpoint_url=stack.moto_url, region_name="us-east-1")
    bucket = stack.resources["FilesBucketName"]
    ours, naive = [], []
    for round_ in range(3):
        began = time.perf_counter()
        done = client.upload(client.root, f"big-{round_}.bin", data, parallel=PARALLEL_PARTS)
        ours.append(time.perf_counter() - began)
        assert done["size"] == len(data)
        began = time.perf_counter()
        s3.put_object(Bucket=bucket, Key=f"bench/naive-{round_}", Body=data)
        naive.append(time.perf_counter() - began)
        client.call("DELETE", f"/nodes/{done['id']}", expect=204)
        client.call("DELETE", f"/trash/{done['id']}", expect=204)
        s3.delete_object(Bucket=bucket, Key=f"bench/naive-{round_}")
    ours_s, naive_s = statistics.median(ours), statistics.median(naive)
    ratio = naive_s / ours_s  # throughput ratio: ours / naive
    rows = [
        [
            "presigned multipart, 8 parallel parts (ours)",
            f"{ours_s:.2f}",
            f"{UPLOAD_MIB / ours_s:.0f}",
        ],
        ["one boto3 put_object (naive)", f"{naive_s:.2f}", f"{UPLOAD_MIB / naive_s:.0f}"],
        ["throughput ratio ours/naive", f"{ratio:.2f}", f"target ≥ {UPLOAD_TARGET}"],
    ]
    title = f"(a) {UPLOAD_MIB} MiB upload to the local S3 endpoint (median of 3)"
    return render(title, ["way", "seconds", "MiB/s"], rows)


# The local runner's threads that run event handlers (infra/local/runner.py names them).
EVENT_THREADS = "event:"


class Calls:
    """Counts every botocore call the app's clients make for requests, by service and
    operation (the local stack's event handlers share the clients and run meanwhile)."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def attach(self) -> None:
        from chalicelib import aws, models
        from chalicelib.models import base

        clients = list(aws._clients.values())  # noqa: SLF001 - the bench inspects the cache
        clients += [m._get_connection().connection.client for m in models.ALL]  # noqa: SLF001
        clients.append(base.connection().client)
        for client in {id(c): c for c in clients}.values():
            client.meta.events.register("before-call.*.*", self._hook)

    def _hook(self, event_name: str, **_: Any) -> None:
        if threading.current_thread().name.startswith(EVENT_THREADS):
            return  # the media function at work on an upload's S3 event: not the request's
        _, service, operation = event_name.split(".", 2)
        self.seen[f"{service}.{operation}"] += 1

    def during(self, work: Callable[[], Any]) -> Counter[str]:
        before = Counter(self.seen)
        work()
        return self.seen - before


def _route_calls(client: Client) -> str:
    calls = Calls()
    measured: list[tuple[str, Callable[[], Any], Callable[[], Any]]] = []
    state: dict[str, Any] = {}
    small = b"hello, world\n"
    two_parts = os.urandom(9 * MIB)

    def step(
        label: str, work: Callable[[], Any], prepare: Callable[[], Any] = lambda: None
    ) -> None:
        """A measured request; ``prepare`` runs before it, uncounted."""
        measured.append((label, work, prepare))

    def mkdir(name: str, parent: str | None = None) -> Any:
        body = {"parent_id": parent or client.root, "name": name}
        return client.call("POST", "/folders", body)["node"]

    def scenario(tag: str) -> None:
        state["a"] = mkdir(f"a-{tag}")
        state["b"] = mkdir(f"b-{tag}")
        state["sub"] = mkdir("sub", state["a"]["id"])

    def start_single() -> None:
        body = {"parent_id": state["a"]["id"], "name": "note.txt", "size": len(small)}
        state["single"] = client.call("POST", "/uploads", body)

    def complete_single() -> None:
        requests.put(state["single"]["url"], data=small, timeout=60).raise_for_status()
        upload_id = state["single"]["upload_id"]
        state["file"] = client.call("POST", f"/uploads/{upload_id}/complete", {})["file"]

    def start_multi() -> None:
        body = {"parent_id": state["sub"]["id"], "name": "big.bin", "size": len(two_parts)}
        state["multi"] = client.call("POST", "/uploads", body)

    def sign_parts() -> None:
        path = f"/uploads/{state['multi']['upload_id']}/parts"
        state["urls"] = client.call("POST", path, {"part_numbers": [1, 2]})["urls"]

    def list_parts() -> None:
        size = state["multi"]["part_size"]
        state["parts"] = []
        for number in (1, 2):
            chunk = two_parts[(number - 1) * size : number * size]
            reply = requests.put(state["urls"][str(number)], data=chunk, timeout=60)
            state["parts"].append({"part_number": number, "etag": reply.headers["ETag"]})
        client.call("GET", f"/uploads/{state['multi']['upload_id']}/parts")

    def complete_multi() -> None:
        path = f"/uploads/{state['multi']['upload_id']}/complete"
        client.call("POST", path, {"parts": state["parts"]})

    def abort() -> None:
        body = {"parent_id": state["b"]["id"], "name": "gone.bin", "size": 10}
        started = client.call("POST", "/uploads", body)
        state["aborted"] = started["upload_id"]

    step("POST /folders", lambda: mkdir(f"c-{uuid.uuid4().hex[:6]}", state["b"]["id"]))
    step("GET /folders/{id}", lambda: client.call("GET", f"/folders/{state['a']['id']}"))
    step("POST /uploads (one PUT)", start_single)
    step("POST /uploads/{id}/complete (one PUT)", complete_single)
    step("POST /uploads (multipart)", start_multi)
    step("POST /uploads/{id}/parts", sign_parts)
    step("GET /uploads/{id}/parts", list_parts)
    step("POST /uploads/{id}/complete (2 parts)", complete_multi)
    step(
        "DELETE /uploads/{id}", lambda: client.call("DELETE", f"/uploads/{state['aborted']}"), abort
    )
    step("GET /nodes/{id}", lambda: client.call("GET", f"/nodes/{state['file']['id']}"))
    step(
        "GET /files/{id}/download",
        lambda: client.call("GET", f"/files/{state['file']['id']}/download?redirect=0"),
    )
    step(
        "PATCH /nodes/{id} (rename)",
        lambda: client.call("PATCH", f"/nodes/{state['file']['id']}", {"name": "renamed.txt"}),
    )
    step(
        "PATCH /nodes/{id} (move a file)",
        lambda: client.call(
            "PATCH", f"/nodes/{state['file']['id']}", {"parent_id": state["b"]["id"]}
        ),
    )
    step(
        "PATCH /nodes/{id} (move a folder + 1 file)",
        lambda: client.call(
            "PATCH", f"/nodes/{state['sub']['id']}", {"parent_id": state["b"]["id"]}
        ),
    )
    step("GET /search?q=", lambda: client.call("GET", "/search?q=renamed"))
    step("GET /users/me/stats", lambda: client.call("GET", "/users/me/stats"))
    step(
        "DELETE /nodes/{id} (folder)", lambda: client.call("DELETE", f"/nodes/{state['sub']['id']}")
    )
    step("GET /trash", lambda: client.call("GET", "/trash"))
    step(
        "POST /trash/{id}/restore",
        lambda: client.call("POST", f"/trash/{state['sub']['id']}/restore"),
    )
    step(
        "DELETE /trash/{id} (folder + 1 file)",
        lambda: client.call("DELETE", f"/trash/{state['sub']['id']}"),
        lambda: client.call("DELETE", f"/nodes/{state['sub']['id']}"),
    )

    # Warm up: every route once, so every client the app uses exists before counting.
    scenario("warm")
    for _, work, prepare in measured:
        prepare()
        work()
    calls.attach()
    scenario("counted")
    rows = []
    worst = 0
    for label, work, prepare in measured:
        prepare()
        used = calls.during(work)
        dynamo = {k.split(".", 1)[1]: v for k, v in used.items() if k.startswith("dynamodb.")}
        s3 = {k.split(".", 1)[1]: v for k, v in used.items() if k.startswith("s3.")}
        total = sum(dynamo.values())
        worst = max(worst, total)
        rows.append(
            [
                label,
                total,
                _ops(dynamo),
                sum(s3.values()),
                _ops(s3),
                "yes" if "Scan" in dynamo else "no",
            ]
        )
    title = (
        f"(b) AWS calls per request (worst: {worst} DynamoDB round trips; target ≤ {CALLS_TARGET},"
        " no Scan)"
    )
    return render(title, ["route", "DynamoDB", "operations", "S3", "operations", "Scan"], rows)


def _ops(counts: dict[str, int]) -> str:
    return ", ".join(f"{op}×{n}" if n > 1 else op for op, n in sorted(counts.items())) or "-"


def _listing(stack: Any, client: Client) -> str:
    import boto3

    from chalicelib.models import nodes
    from chalicelib.models.base import utcnow
    from chalicelib.models.nodes import FILE, NodeModel, listing_keys

    folder = client.call("POST", "/folders", {"parent_id": client.root, "name": "ten-thousand"})[
        "node"
    ]
    owner = folder["owner_id"]
    now = utcnow()
    with NodeModel.batch_write() as batch:
        for i in range(LISTED_FILES):
            node_id = uuid.uuid4().hex
            name = f"photo-{i:05d}.jpg"
            batch.save(
                NodeModel(
                    node_id,
                    kind=FILE,
                    name=name,
                    parent_id=folder["id"],
                    owner_id=owner,
                    path=f"/{client.root}/{folder['id']}/{node_id}/",
                    size=1000 + i,
                    content_type="image/jpeg",
                    created_at=now,
                    updated_at=now,
                    live_parent=folder["id"],
                    **listing_keys(kind=FILE, name=name, created=now, size=1000 + i),
                )
            )
    assert nodes.get(folder["id"]) is not None
    ours = []
    for _ in range(5):
        began = time.perf_counter()
        page = client.call("GET", f"/folders/{folder['id']}?limit=50")
        ours.append(time.perf_counter() - began)
    assert len(page["items"]) == 50
    dynamodb = boto3.client("dynamodb", endpoint_url=stack.moto_url, region_name="us-east-1")
    table = f"{stack.stage}-nodes"
    naive, scanned = [], 0
    for _ in range(5):
        began = time.perf_counter()
        scanned = 0
        found: list[Any] = []
        kwargs: dict[str, Any] = {
            "TableName": table,
            "FilterExpression": "parent_id = :p",
            "ExpressionAttributeValues": {":p": {"S": folder["id"]}},
        }
        while True:
            reply = dynamodb.scan(**kwargs)
            scanned += reply["ScannedCount"]
            found += reply["Items"]
            if "LastEvaluatedKey" not in reply:
                break
            kwargs["ExclusiveStartKey"] = reply["LastEvaluatedKey"]
        found.sort(key=lambda item: item["name"]["S"].casefold())
        found = found[:50]
        naive.append(time.perf_counter() - began)
    ours_ms, naive_ms = statistics.median(ours) * 1000, statistics.median(naive) * 1000
    page_items = dynamodb.query(
        TableName=table,
        IndexName="by_parent_name",
        KeyConditionExpression="live_parent = :p",
        ExpressionAttributeValues={":p": {"S": folder["id"]}},
        Limit=50,
    )["Items"]
    all_items = _scan_all(dynamodb, table)
    ours_units = _read_units(page_items) + 2  # + the folder and its breadcrumb (BatchGets)
    naive_units = _read_units(all_items)
    rows = [
        ["GET /folders/{id}?limit=50 (index Query, ours)", f"{ours_ms:.0f}", "50", ours_units],
        ["Scan filtered by parent (naive)", f"{naive_ms:.0f}", str(scanned), naive_units],
        ["ratio naive/ours", f"{naive_ms / ours_ms:.1f}×", "", f"{naive_units / ours_units:.0f}×"],
    ]
    title = (
        f"(c) one page of a folder of {LISTED_FILES:,} files (median of 5; moto's Query walks"
        " the whole table in Python, DynamoDB's reads only the page)"
    )
    return render(title, ["way", "ms (moto)", "items read", "read units (DynamoDB)"], rows)


def _scan_all(dynamodb: Any, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": table}
    while True:
        reply = dynamodb.scan(**kwargs)
        items += reply["Items"]
        if "LastEvaluatedKey" not in reply:
            return items
        kwargs["ExclusiveStartKey"] = reply["LastEvaluatedKey"]


def _read_units(items: list[dict[str, Any]]) -> float:
    """DynamoDB's bill for reading ``items`` in one eventually consistent Query or Scan: half a
    unit per 4 KB of their total size (an item's size: its names and values, roughly)."""
    size = sum(len(json.dumps(item, separators=(",", ":"))) for item in items)
    return max(0.5, math.ceil(size / 4096) / 2)


def run() -> str:
    with _stack() as stack:
        client = Client(stack)
        return "\n\n".join(
            [
                _upload_throughput(stack, client),
                _route_calls(client),
                _listing(stack, client),
            ]
        )
