"""The quota under real concurrency: many uploads started at the same instant through moto's
threaded server may reserve, together, no more than the quota allows.

    20 threads ── POST /uploads (N bytes each) ── at once, behind a barrier
    quota = 10·N ─ exactly 10 reservations win (201), the rest are 413 quota_exceeded
    meanwhile ──── a sampler reads the user's row: reserved + used never passes the quota
    then ───────── the winners PUT their bytes and complete: used = 10·N, reserved = 0

moto's own transactions are not atomic across threads; the local runner makes them so
(infra/local/moto_fixes.py), and the app's threads still race each other between calls.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
import requests

from infra.local.runner import REGION, LocalStack
from tests.live.conftest import Account

PARALLEL = 20
FITS = 10
SIZE = 1000  # bytes per file: one PUT each
QUOTA = FITS * SIZE


class UserRow:
    """The user's row in the live stack's users table, read straight from moto's server."""

    def __init__(self, live: LocalStack, user_id: str):
        self.dynamodb = boto3.client("dynamodb", region_name=REGION, endpoint_url=live.moto_url)
        self.table = f"{live.stage}-users"
        self.key = {"user_id": {"S": user_id}}

    def read(self) -> dict[str, int]:
        item = self.dynamodb.get_item(TableName=self.table, Key=self.key, ConsistentRead=True)
        names = ("quota_bytes", "used_bytes", "reserved_bytes", "free_bytes", "file_count")
        return {n: int(item["Item"][n]["N"]) if n in item["Item"] else 0 for n in names}

    def set_quota(self, quota: int) -> None:
        """Test setup: the quota, with ``free_bytes`` consistent with what is used."""
        now = self.read()
        free = quota - now["used_bytes"] - now["reserved_bytes"]
        self.dynamodb.update_item(
            TableName=self.table,
            Key=self.key,
            UpdateExpression="SET quota_bytes = :q, free_bytes = :f",
            ExpressionAttributeValues={":q": {"N": str(quota)}, ":f": {"N": str(free)}},
        )


@pytest.fixture
def racer(live: LocalStack) -> Account:
    return Account(live, "quotaracer")


def test_parallel_uploads_never_reserve_more_than_the_quota(live, racer):
    row = UserRow(live, racer.id)
    row.set_quota(QUOTA)
    assert row.read()["free_bytes"] == QUOTA
    barrier = threading.Barrier(PARALLEL)
    samples: list[dict[str, int]] = []
    starts_done = threading.Event()

    def sample() -> None:
        while not starts_done.is_set():
            samples.append(row.read())

    def begin(i: int) -> requests.Response:
        body = {
            "parent_id": racer.root,
            "name": f"racer {i}.bin",
            "size": SIZE,
            "content_type": "application/octet-stream",
        }
        barrier.wait()
        return racer.post("/uploads", body)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        started = list(pool.map(begin, range(PARALLEL)))
    starts_done.set()
    sampler.join(30)

    statuses = Counter(r.status_code for r in started)
    assert statuses == {201: FITS, 413: PARALLEL - FITS}, [r.text for r in started]
    refused = [r.json()["error"] for r in started if r.status_code == 413]
    assert {e["code"] for e in refused} == {"quota_exceeded"}
    assert all(e["details"]["size"] == SIZE for e in refused)
    after_starts = row.read()
    samples.append(after_starts)
    for seen in samples:
        assert seen["reserved_bytes"] + seen["used_bytes"] <= QUOTA, seen
        assert seen["free_bytes"] >= 0, seen
        assert seen["free_bytes"] == QUOTA - seen["reserved_bytes"] - seen["used_bytes"], seen
    assert after_starts["reserved_bytes"] == FITS * SIZE

    winners = [r.json() for r in started if r.status_code == 201]

    def finish(upload: dict[str, Any]) -> requests.Response:
        assert upload["part_count"] == 1 and upload["url"], upload
        data = upload["upload_id"].encode().ljust(SIZE, b".")
        sent = requests.put(
            upload["url"],
            data=data,
            headers={"Content-Type": upload["file"]["content_type"]},
            timeout=60,
        )
        assert sent.status_code == 200, sent.text
        return racer.post(f"/uploads/{upload['upload_id']}/complete", {})

    with ThreadPoolExecutor(max_workers=len(winners)) as pool:
        done = list(pool.map(finish, winners))

    assert [r.status_code for r in done] == [200] * FITS, [r.text for r in done]
    files = [r.json()["file"] for r in done]
    final = row.read()
    assert final["used_bytes"] == sum(f["size"] for f in files) == FITS * SIZE
    assert (final["reserved_bytes"], final["free_bytes"], final["file_count"]) == (0, 0, FITS)
    listed = racer.get(f"/folders/{racer.root}?limit=200")["items"]
    assert sorted(n["name"] for n in listed) == sorted(f["name"] for f in files)
    assert all(n["status"] == "ready" and n["size"] == SIZE for n in listed)
    stats = racer.get("/users/me/stats")
    assert (stats["used_bytes"], stats["reserved_bytes"], stats["file_count"]) == (
        QUOTA,
        0,
        FITS,
    )
    late = racer.post("/uploads", {"parent_id": racer.root, "name": "one more.bin", "size": 1})
    assert late.status_code == 413, late.text
